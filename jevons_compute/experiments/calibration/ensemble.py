"""A calibrated ensemble: the non-implausible parameter sets of history matching, as data.

The package's ``data/ensemble.csv`` (written by ``jevons-compute experiment calibrate
--install-ensemble``; read by ``world.presets.load_members``) has
one row per member: ``member`` (0 fits best: the smallest mean squared implausibility of
the points left), ``max_implausibility``, ``mean_sq_implausibility`` and one column per
calibrated parameter. ``data/ensemble.json``
says how it was made (date, quick or full, seed, waves, observations used). A sweep spec
with ``ensemble = "data/ensemble.csv"`` (or ``jevons-compute run --preset ensemble``) runs every
member, each with replicated seeds; its band over members and seeds is the projection.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.world.presets import CALIBRATED_DEFAULT

#: The calibrated default (the ensemble's best member), written by a full calibration.
DEFAULT_PATH = CALIBRATED_DEFAULT


def band(series: pd.DataFrame, metric: str, level: float = 0.9) -> pd.DataFrame:
    """Mean and central ``level`` band of a metric over every run (members x seeds), by
    month: columns step, date, mean, low, high."""
    q = (1 - level) / 2
    grouped = series.groupby("step")[metric]
    out = pd.DataFrame(
        {"mean": grouped.mean(), "low": grouped.quantile(q), "high": grouped.quantile(1 - q)}
    )
    out["date"] = series.groupby("step")["date"].first()
    return out.reset_index()[["step", "date", "mean", "low", "high"]]


#: Metrics whose ensemble band ``jevons-compute run --preset ensemble`` draws and prints.
PROJECTION_METRICS = (
    "total_compute",
    "tokens",
    "energy_mwh",
    "hedonic_price_index",
    "adoption_rate",
    "jevons_ratio_12m",
)


def write_projection(out: Path, series: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """band.csv (metric, step, date, mean, low, high) and figures/band.png for the
    projection metrics the runs report; returns (the bands at the last month, figure)."""

    from jevons_compute.experiments.runs.figures import png
    from jevons_compute.experiments.runs.storage import write_atomic
    from jevons_compute.model.metrics.table import UNITS

    metrics = [m for m in PROJECTION_METRICS if series[m].notna().any()]
    bands = pd.concat([band(series, m).assign(metric=m) for m in metrics], ignore_index=True)
    write_atomic(out / "band.csv", bands.to_csv(index=False))
    fig, axes = subplots(2, 3, figsize=(14, 7.5), constrained_layout=True)
    for ax, metric in zip(axes.flat, metrics):
        b = bands[bands["metric"] == metric]
        dates = pd.to_datetime(b["date"])
        ax.fill_between(dates, b["low"], b["high"], alpha=0.3, label="90% band")
        ax.plot(dates, b["mean"], label="mean")
        ax.set_title(metric)
        ax.set_ylabel(UNITS[metric])
        if metric != "adoption_rate" and (b["low"] > 0).all():
            ax.set_yscale("log")
    for ax in list(axes.flat)[len(metrics) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("calibrated ensemble: mean and 90% band over members and seeds")
    (out / "figures").mkdir(exist_ok=True)
    write_atomic(out / "figures" / "band.png", png(fig))
    last = bands[bands["step"] == bands["step"].max()].set_index("metric")
    return last, "figures/band.png"
