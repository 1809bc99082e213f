"""Observed series (data/observed.csv) and the model's value for each observation.

One row of the file is one published number: ``series``, the months it covers (``start``
to ``date``, YYYY-MM, fiscal quarters already mapped to calendar months), ``value`` and
``unit``, its uncertainty in natural logs (``obs_log_sd``: the measurement;
``conversion_log_sd``: turning it into a model quantity), the model ``metric`` it maps to,
how the metric is ``aggregate``-d over the months (``mean``, ``sum``, ``last``, or
``ratio``: the mean over start..date over the mean over ``ref_start``..``ref_end``), the
``factor`` that turns the observed value into the metric's quantity (model = factor x
value), the ``conversion`` in words, ``metric_status`` (``reported``, or ``pending``: a
metric the model does not report yet), ``verified`` and the ``source`` with its ``url``.
The file was written without internet access: no URL was opened. ``verified`` = ``yes``
marks figures as widely published (filings, official statistics, list prices) and quoted
in the project's design notes; ``recalled`` marks figures entered from memory. Check a row
against its document before relying on it.

Everything is compared in logs: log(factor x value) against log(model quantity).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from jevons_compute.experiments.sweeps.spec import SpecError
from jevons_compute.world.files import data_file

OBSERVED_PATH = data_file("observed.csv")
#: Calibration uses observations up to this month (inclusive); later ones are held out.
FIT_END = "2024-06"
COLUMNS = (
    "series",
    "start",
    "date",
    "value",
    "unit",
    "obs_log_sd",
    "conversion_log_sd",
    "metric",
    "aggregate",
    "ref_start",
    "ref_end",
    "factor",
    "conversion",
    "metric_status",
    "verified",
    "source",
    "url",
)
AGGREGATES = ("mean", "sum", "last", "ratio")
STATUSES = ("reported", "pending")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ObservedError(SpecError):
    """The observed-data file is malformed (one sentence naming the row and the problem)."""


def load_observed(path: str | Path = OBSERVED_PATH) -> pd.DataFrame:
    """The observations, checked: every column present, every row with a source and URL,
    months as YYYY-MM, positive values and uncertainties; else ObservedError."""
    path = Path(path)
    try:
        obs = pd.read_csv(path, dtype={"start": str, "date": str, "ref_start": str, "ref_end": str})
    except FileNotFoundError:
        raise ObservedError(f"observed-data file {path} does not exist.") from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ObservedError(f"observed-data file {path} cannot be read as CSV ({exc}).") from None
    missing = [c for c in COLUMNS if c not in obs.columns]
    if missing:
        raise ObservedError(f"{path} lacks the column(s) {', '.join(missing)}.")
    obs = obs[list(COLUMNS)].copy()
    for col in ("ref_start", "ref_end", "conversion"):
        obs[col] = obs[col].fillna("")
    for i, row in obs.iterrows():
        _check_row(path, i + 2, row)  # line numbers: header is line 1
    return obs.reset_index(drop=True)


def _check_row(path: Path, line: int, row: pd.Series) -> None:
    where = f"{path}, line {line} ({row['series']})"
    for col in ("series", "unit", "metric", "source", "url"):
        if not isinstance(row[col], str) or not row[col].strip():
            raise ObservedError(f"{where}: the {col} is empty; every row needs one.")
    if not str(row["url"]).startswith(("http://", "https://")):
        raise ObservedError(f"{where}: url {row['url']!r} is not a web address.")
    months = ["start", "date"] + (["ref_start", "ref_end"] if row["aggregate"] == "ratio" else [])
    for col in months:
        if not isinstance(row[col], str) or not _MONTH.match(row[col]):
            raise ObservedError(f"{where}: {col} {row[col]!r} is not a month written YYYY-MM.")
    if row["start"] > row["date"]:
        raise ObservedError(f"{where}: start {row['start']} is after date {row['date']}.")
    if row["aggregate"] not in AGGREGATES:
        raise ObservedError(f"{where}: aggregate must be one of {', '.join(AGGREGATES)}.")
    if row["metric_status"] not in STATUSES:
        raise ObservedError(f"{where}: metric_status must be one of {', '.join(STATUSES)}.")
    for col in ("value", "factor", "obs_log_sd", "conversion_log_sd"):
        x = row[col]
        if not isinstance(x, int | float | np.number) or not math.isfinite(x) or x <= 0:
            raise ObservedError(f"{where}: {col} must be a positive number, not {x!r}.")


def split(obs: pd.DataFrame, fit_end: str = FIT_END) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit rows: every month they cover up to ``fit_end``; held-out rows: the rest)."""
    fit = obs["date"] <= fit_end
    return obs[fit].reset_index(drop=True), obs[~fit].reset_index(drop=True)


def usable(obs: pd.DataFrame, metrics: Collection[str]) -> pd.DataFrame:
    """The rows whose metric the model reports; warns once, listing the series skipped."""
    known = obs["metric"].isin(list(metrics))
    if not known.all():
        skipped = obs[~known]
        listed = ", ".join(
            f"{s} ({m})" for s, m in skipped[["series", "metric"]].drop_duplicates().values
        )
        warnings.warn(
            f"{len(skipped)} observation(s) skipped: the model does not report their metric "
            f"yet: {listed}.",
            stacklevel=2,
        )
    return obs[known].reset_index(drop=True)


def step_of(month: str, start_year: int) -> int:
    """Model step of a YYYY-MM month (step 0 is January of ``start_year``)."""
    year, mon = int(month[:4]), int(month[5:7])
    return (year - start_year) * 12 + mon - 1


def steps_needed(obs: pd.DataFrame, start_year: int) -> int:
    """Months a run needs to cover every row (the ``steps`` of its sweep)."""
    return max(step_of(d, start_year) for d in obs["date"]) + 1


def labels(obs: pd.DataFrame) -> list[str]:
    """One unique label per row: series and date."""
    return [f"{s} {d}" for s, d in zip(obs["series"], obs["date"])]


def target_log(obs: pd.DataFrame) -> np.ndarray:
    """log of each observation in model units (log(factor x value))."""
    return np.log(obs["value"].to_numpy(float) * obs["factor"].to_numpy(float))


def obs_variance(obs: pd.DataFrame) -> np.ndarray:
    """Variance (in logs) of each observation: measurement plus conversion."""
    return obs["obs_log_sd"].to_numpy(float) ** 2 + obs["conversion_log_sd"].to_numpy(float) ** 2


def simulated_log(series: pd.DataFrame, obs: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """log of the model quantity of every row (columns: labels) for every run (index:
    run_id), from a sweep's time series; NaN where it is not positive or not simulated."""
    out = {}
    for run_id, run in series.groupby("run_id", sort=True):
        values = run.set_index("step")
        out[run_id] = [_quantity(values, row, start_year) for _, row in obs.iterrows()]
    table = pd.DataFrame.from_dict(out, orient="index", columns=labels(obs))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(table.where(table > 0))


def _quantity(values: pd.DataFrame, row: pd.Series, start_year: int) -> float:
    metric = values[row["metric"]]

    def window(first: str, last: str) -> pd.Series:
        a, b = step_of(first, start_year), step_of(last, start_year)
        if a < 0 or b > metric.index.max():
            return pd.Series(dtype=float)
        return metric.loc[a:b]

    part = window(row["start"], row["date"])
    if part.empty:
        return math.nan
    how = row["aggregate"]
    if how == "sum":
        return float(part.sum())
    if how == "last":
        return float(part.iloc[-1])
    if how == "mean":
        return float(part.mean())
    ref = window(row["ref_start"], row["ref_end"])
    base = float(ref.mean()) if not ref.empty else math.nan
    return float(part.mean()) / base if base > 0 else math.nan
