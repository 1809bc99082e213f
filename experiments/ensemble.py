"""A calibrated ensemble: the non-implausible parameter sets of history matching, as data.

``data/ensemble.csv`` (written by ``run.py experiment calibrate --install-ensemble``) has
one row per member: ``member`` (0 fits best: the smallest mean squared implausibility of
the points left), ``max_implausibility``, ``mean_sq_implausibility`` and one column per
calibrated parameter. ``data/ensemble.json``
says how it was made (date, quick or full, seed, waves, observations used). A sweep spec
with ``ensemble = "data/ensemble.csv"`` (or ``run.py run --preset ensemble``) runs every
member, each with replicated seeds; its band over members and seeds is the projection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.parameters import BY_NAME, ParameterError
from model.presets import CALIBRATED_DEFAULT

ROOT = Path(__file__).resolve().parent.parent
ENSEMBLE_PATH = ROOT / "data" / "ensemble.csv"
#: The calibrated default (the ensemble's best member), once a full calibration wrote it.
DEFAULT_PATH = CALIBRATED_DEFAULT
META_COLUMNS = ("member", "max_implausibility", "mean_sq_implausibility")


class EnsembleError(ValueError):
    """The ensemble file is missing or malformed (one sentence)."""


def load_members(path: str | Path = ENSEMBLE_PATH) -> list[dict[str, Any]]:
    """The members' parameter values (dicts, member order), checked against the table."""
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = ROOT / path
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise EnsembleError(
            f"ensemble file {path} does not exist: run `python run.py experiment calibrate "
            "--install-ensemble` first."
        ) from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise EnsembleError(f"ensemble file {path} cannot be read as CSV ({exc}).") from None
    names = [c for c in table.columns if c not in META_COLUMNS]
    if table.empty or not names:
        raise EnsembleError(f"ensemble file {path} has no members or no parameter columns.")
    if "member" in table.columns:
        table = table.sort_values("member")
    members = []
    for _, row in table.iterrows():
        try:
            members.append({n: BY_NAME[n].coerce(_plain(row[n])) for n in names if _known(n, path)})
        except ParameterError as exc:
            raise EnsembleError(f"ensemble file {path}: {exc}") from None
    return members


def _known(name: str, path: Path) -> bool:
    if name not in BY_NAME:
        raise EnsembleError(f"ensemble file {path}: column {name!r} is not a parameter.")
    return True


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


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


#: Metrics whose ensemble band ``run.py run --preset ensemble`` draws and prints.
PROJECTION_METRICS = (
    "total_compute",
    "tokens",
    "energy_mwh",
    "hedonic_price_index",
    "adoption_rate",
    "jevons_ratio",
)


def write_projection(out: Path, series: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """band.csv (metric, step, date, mean, low, high) and figures/band.png for the
    projection metrics the runs report; returns (the bands at the last month, figure)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from experiments.plots import _png
    from experiments.storage import write_atomic
    from model.metrics import UNITS

    metrics = [m for m in PROJECTION_METRICS if series[m].notna().any()]
    bands = pd.concat([band(series, m).assign(metric=m) for m in metrics], ignore_index=True)
    write_atomic(out / "band.csv", bands.to_csv(index=False))
    fig, axes = plt.subplots(2, 3, figsize=(14, 7.5), constrained_layout=True)
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
    write_atomic(out / "figures" / "band.png", _png(fig))
    last = bands[bands["step"] == bands["step"].max()].set_index("metric")
    return last, "figures/band.png"
