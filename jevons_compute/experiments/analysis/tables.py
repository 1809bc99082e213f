"""Reading sweep folders and summarising runs: means and 90% bands over seeds."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from jevons_compute.experiments.runs.figures import years
from jevons_compute.experiments.runs.schema import read_runs
from jevons_compute.experiments.runs.storage import OutputError
from jevons_compute.experiments.sweeps.spec import SpecError
from jevons_compute.model.metrics.display import display
from jevons_compute.model.metrics.table import TWIN_RATIOS

LOW, HIGH = 0.05, 0.95  # the 90% band over seeds
#: Time series that are ratios (averaged over seeds as geometric means).
RATIO_SERIES = {
    *TWIN_RATIOS,
    "compute_index",
    "compute_index_cf",
    "energy_index",
}


def load(out: str | Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(manifest, runs, timeseries) of a sweep folder; runs has a 'label' per design point
    (an older folder's verdict columns renamed to this schema's, ``runs.schema``)."""
    out = Path(out)
    manifest = json.loads((out / "manifest.json").read_text())
    runs = read_runs(out)
    series = pd.read_parquet(out / "timeseries.parquet")
    varied = varied_names(manifest)
    runs["label"] = [point_label(row, varied) for _, row in runs.iterrows()]
    return manifest, runs, series


def varied_names(manifest: dict) -> list[str]:
    spec = manifest["spec"]
    if "grid" in spec:
        return list(spec["grid"])
    if "sample" in spec:
        return list(spec["sample"]["ranges"])
    if spec.get("ensemble"):
        return ["point"]  # member i of the ensemble is design point i
    if spec.get("points"):
        return list(spec["points"][0])
    return []


def point_label(row, varied: list[str]) -> str:
    if not varied:
        return "baseline"
    return ", ".join(f"{name}={_short(row[name])}" for name in varied)


def _short(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def bands(runs: pd.DataFrame, series: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Mean and 5%/95% quantiles of ``metric`` by design point and step (geometric mean
    for ratios of run to twin and indices)."""
    ok = runs[runs["status"] == "ok"][["run_id", "point", "label"]]
    data = series[["run_id", "step", "date", metric]].merge(ok, on="run_id")
    grouped = data.groupby(["point", "label", "step", "date"])[metric]
    geometric = metric in RATIO_SERIES
    out = grouped.agg(
        mean=(lambda x: np.exp(np.log(x[x > 0]).mean())) if geometric else "mean",
        low=lambda x: x.quantile(LOW),
        high=lambda x: x.quantile(HIGH),
        n="count",
    ).reset_index()
    return out


def band_plot(
    ax,
    runs,
    series,
    metric: str,
    labels: dict | None = None,
    prefix: str = "",
    label: str | None = None,
) -> None:
    """Mean line and shaded 90% band per design point, in the metric's display unit and
    scale (``model.metrics.display``), the y axis titled with them (``label``: another
    name for the quantity)."""
    shown = display(metric)
    scale, log = shown.scale, shown.log
    b = bands(runs, series, metric)
    for (_, label), part in b.groupby(["point", "label"], sort=True):
        t = years(part)
        name = prefix + (labels.get(label, label) if labels else label)
        (line,) = ax.plot(t, part["mean"] * scale, label=name)
        ax.fill_between(
            t, part["low"] * scale, part["high"] * scale, alpha=0.2, color=line.get_color(), lw=0
        )
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("year")
    ax.set_ylabel((shown if label is None else replace(shown, label=label)).axis_title)


def value_at(runs, series, metric: str, step: int) -> pd.DataFrame:
    """Mean, 5% and 95% of ``metric`` at ``step``, by design point."""
    b = bands(runs, series, metric)
    b = b[b["step"] == min(step, int(b["step"].max()))]
    return b.set_index("label")[["mean", "low", "high"]]


def headline_table(runs: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Headline numbers by design point over seeds (geometric means for ratios), with the
    share of seeds in which efficiency backfired against the twin over the trailing 12
    months (``backfire``: jevons_ratio_12m > 1)."""
    columns = columns or [
        "jevons_ratio_12m",
        "rebound",
        "energy_jevons_ratio_12m",
        "compute_growth",
        "compute_growth_cf",
        "price_fall_per_year",
        "adoption_rate",
        "inference_share",
        "open_model_share",
    ]
    ok = runs[runs["status"] == "ok"]
    rows = {}
    for label, part in ok.groupby("label", sort=False):
        row = {c: over_seeds(part[c], ratio=c in RATIO_METRICS)["mean"] for c in columns}
        row["backfire_share"] = share_of_seeds(part["backfire"])[0]
        row["runs"] = len(part)
        rows[label] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def markdown_table(df: pd.DataFrame, floatfmt: str = ".3g") -> str:
    cols = [df.index.name or ""] + list(df.columns)
    lines = ["| " + " | ".join(map(str, cols)) + " |", "|" + "---|" * len(cols)]
    for idx, row in df.iterrows():
        cells = [str(idx)] + [
            format(v, floatfmt) if isinstance(v, float | np.floating) else str(v) for v in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- findings over seeds: mean, 90% band, share of seeds for a verdict ----------------
#: Metrics that are ratios: averaged over seeds as geometric means of the paired ratios.
RATIO_METRICS = {
    *TWIN_RATIOS,
    "jevons_ratio_month",
    "energy_jevons_ratio_month",
    "compute_growth",
    "compute_growth_cf",
    "energy_growth",
    "tokens_growth",
    "price_fall",
}


def over_seeds(values, ratio: bool = False) -> dict[str, float]:
    """Mean and 90% band of one number over seeds (geometric mean for ratios)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x) & ((x > 0) if ratio else True)]
    if len(x) == 0:
        return {"mean": np.nan, "low": np.nan, "high": np.nan, "n": 0}
    mean = float(np.exp(np.log(x).mean())) if ratio else float(x.mean())
    low, high = np.quantile(x, [LOW, HIGH])
    return {"mean": mean, "low": float(low), "high": float(high), "n": int(len(x))}


def describe(values, ratio: bool = False, fmt: str = ".3g") -> str:
    """'1.81 (90% band 1.62-2.03 over 10 seeds)' for a findings line."""
    s = over_seeds(values, ratio)
    if s["n"] == 0:
        return "- (undefined in every seed)"
    return f"{s['mean']:{fmt}} (90% band {s['low']:{fmt}}-{s['high']:{fmt}} over {s['n']} seeds)"


def share_of_seeds(flags) -> tuple[float, int]:
    """Share of seeds for which a yes/no verdict holds (undefined verdicts left out)."""
    f = pd.Series(flags).dropna().astype(bool)
    return (float(f.mean()) if len(f) else np.nan), int(len(f))


def verdict_summary(runs: pd.DataFrame, by: list[str] | str) -> pd.DataFrame:
    """Per design point: jevons_ratio_12m, the trailing 12 months' compute with / without
    efficiency (geometric mean, 90% band), and the share of seeds with backfire
    (jevons_ratio_12m > 1)."""
    ok = runs[runs["status"] == "ok"]
    rows = []
    for key, part in ok.groupby(by):
        s = over_seeds(part["jevons_ratio_12m"], ratio=True)
        share, n = share_of_seeds(part["backfire"])
        rows.append(
            {
                **dict(zip([by] if isinstance(by, str) else by, np.atleast_1d(key))),
                "jevons_ratio_12m": s["mean"],
                "jevons_ratio_12m_low": s["low"],
                "jevons_ratio_12m_high": s["high"],
                "backfire_share": share,
                "seeds": n,
            }
        )
    return pd.DataFrame(rows)


def check_sweep_dir(path: str | Path) -> Path:
    path = Path(path)
    if not (path / "manifest.json").exists():
        raise SpecError(f"{path} is not a sweep or experiment folder (no manifest.json).")
    if not (path / "runs.parquet").exists():
        raise SpecError(
            f"{path} has no results yet (no runs.parquet): run or resume the sweep first."
        )
    return path


def check_some_ok(path: Path, runs: pd.DataFrame) -> None:
    """Refuse a sweep without a successful run: there is nothing to draw."""
    if not (runs["status"] == "ok").any():
        first = runs["error"].iloc[0] if len(runs) else ""
        raise SpecError(
            f"every run in {path} failed (first error: {str(first)[:120]}): nothing to "
            "report; see the error column of runs.parquet."
        )


def check_writable(path: Path) -> None:
    """Refuse a folder report cannot write figures/ and findings.md into."""
    try:
        tempfile.NamedTemporaryFile(dir=path, prefix=".probe-").close()
    except OSError as exc:
        raise OutputError(
            f"{path} is not writable ({exc.strerror}): report writes figures/ and findings.md "
            "there; copy the folder somewhere writable and report on the copy."
        ) from None
