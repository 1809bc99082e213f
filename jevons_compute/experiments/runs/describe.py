"""Self-describing output files: every parameter, units, descriptions, provenance.

After a sweep, ``describe_sweep`` rewrites (whole, atomically) its runs.parquet with every
resolved parameter of every run (the preset's and the defaults', not only the varied and
fixed ones) and its timeseries.parquet with ``date`` as a Parquet date (first of the
month); both carry each column's unit and description as Parquet field metadata and the
project version in the file metadata. The manifest gains the command line, platform, start
and end time and project version. ``--format csv`` also writes runs.csv and
timeseries.csv.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jevons_compute._version import __version__
from jevons_compute.experiments.runs.storage import write_atomic, write_json
from jevons_compute.model.metrics.table import METRIC_TABLE
from jevons_compute.world.parameters import PARAMETERS

#: Columns of runs.parquet besides parameters: (unit, description).
METRIC_BY_NAME = {m.name: m for m in METRIC_TABLE}
RUN_COLUMNS = {
    "run_id": ("", "index of the run in the sweep"),
    "point": ("", "index of the design point"),
    "replication": ("", "replication (seed) index at the design point"),
    "seed": ("", "random seed of the run"),
    "status": ("", "ok or failed"),
    "error": ("", "the exception of a failed run"),
    "wall_time_s": ("s", "wall-clock time of the run"),
    "compute_growth": ("1", "total compute at the last step / at step 0"),
    "compute_growth_per_year": ("per year", "compute growth as a yearly factor"),
    "energy_growth": ("1", "energy at the last step / at step 0"),
    "tokens_growth": ("1", "tokens served at the last step / at step 0"),
    "price_fall": ("1", "token price at step 0 / at the last step"),
    "price_fall_per_year": ("per year", "price fall as a yearly factor"),
    "adoption_rate": ("share", "share of real firms that adopted AI, last step"),
    "inference_share": ("share", "inference share of total compute, last step"),
    "xpu_share": ("share", "custom-chip share of installed capacity, last step"),
    "open_model_share": ("share", "share of tokens served by open models, last step"),
    "rebound": ("1", "share of the engineering compute saving taken back, against the twin"),
    "energy_rebound": ("1", "the same for energy, last step"),
    "compute_growth_cf": ("1", "the twin's total compute at the last step / run's at step 0"),
    "jevons_ratio_month": (
        "1",
        "compute with efficiency / compute of its counterfactual twin without it, the last "
        "month alone (the verdict reads jevons_ratio_12m)",
    ),
    "energy_jevons_ratio_month": ("1", "energy with / without efficiency, the last month"),
    "jevons_elasticity": ("1", "d ln compute / d ln efficiency (marginal twin), last step"),
    "jevons_ratio_12m": (
        "1",
        "the headline: total compute of the last 12 months with / without efficiency",
    ),
    "energy_jevons_ratio_12m": ("1", "the same for energy"),
    "tokens_ratio_12m": ("1", "the same for tokens served"),
    "jevons_ratio_inference": ("1", "inference compute of the last 12 months, run / twin"),
    "jevons_ratio_training": ("1", "training compute of the last 12 months, run / twin"),
    "jevons_ratio_firms": ("1", "inference compute serving firms, last 12 months, run / twin"),
    "jevons_ratio_consumers": ("1", "inference compute serving consumers, the same"),
    "gap_share_inference": ("share", "inference's part of the last 12 months' C - C_cf"),
    "gap_share_training": ("share", "training's part (inference + training = 1)"),
    "gap_share_firms": ("share", "firms' inference part (firms + consumers = inference)"),
    "gap_share_consumers": ("share", "consumers' inference part"),
    "backfire": (
        "",
        "the verdict: jevons_ratio_12m > 1, the trailing 12 months (null without a twin)",
    ),
    "energy_backfire": ("", "energy_jevons_ratio_12m > 1 (null without a twin)"),
    "backfire_month": ("", "jevons_ratio_month > 1, the last month alone (null without a twin)"),
    "energy_backfire_month": ("", "energy_jevons_ratio_month > 1 (null without a twin)"),
    "results_schema": (
        "",
        "what the verdict columns mean (2: backfire reads jevons_ratio_12m; 1: the last "
        "month's jevons_ratio, renamed as read)",
    ),
    "channel": (
        "",
        "the channel carrying the verdict: training, firms or consumers (the largest part "
        "of C - C_cf with its sign)",
    ),
}


def _field_metadata(name: str) -> dict[bytes, bytes]:
    by_name = {p.name: p for p in PARAMETERS}
    if name in by_name:
        unit, doc = by_name[name].unit, by_name[name].doc
    elif name in RUN_COLUMNS:
        unit, doc = RUN_COLUMNS[name]
    elif name == "date":
        unit, doc = "", "month of the step (first day of the month)"
    elif name in METRIC_BY_NAME:
        unit, doc = METRIC_BY_NAME[name].unit, METRIC_BY_NAME[name].meaning
    else:
        unit, doc = "", "see the README"
    return {b"unit": unit.encode(), b"description": doc.encode()}


def described_table(df: pd.DataFrame, kind: str) -> pa.Table:
    """``df`` as an Arrow table with units and descriptions on every field."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    fields = [f.with_metadata(_field_metadata(f.name)) for f in table.schema]
    metadata = {
        **(table.schema.metadata or {}),
        b"jevons_compute.version": __version__.encode(),
        b"jevons_compute.kind": kind.encode(),
    }
    return table.cast(pa.schema(fields, metadata=metadata))


def _parquet_bytes(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def complete_parameters(runs: pd.DataFrame) -> pd.DataFrame:
    """Every parameter as a column, in the table's order (missing ones at their default:
    a sweep's runs hold the preset, fixed and varied values; the rest are defaults)."""
    runs = runs.copy()
    for p in PARAMETERS:
        if p.name not in runs.columns:
            runs[p.name] = p.default
    first = [c for c in ("run_id", "point", "replication", "seed") if c in runs]
    params = [p.name for p in PARAMETERS]
    rest = [c for c in runs.columns if c not in first and c not in params]
    return runs[first + params + rest]


def as_dates(series: pd.Series) -> pd.Series:
    """'YYYY-MM' strings as dates (first of the month)."""
    return pd.to_datetime(series.astype(str).str[:7], format="%Y-%m").dt.date


def describe_sweep(out: str | Path, started: datetime, fmt: str = "parquet") -> None:
    """Rewrite a finished sweep's files self-describing (see the module docstring)."""
    out = Path(out)
    if not (out / "runs.parquet").exists():
        return
    runs = complete_parameters(pd.read_parquet(out / "runs.parquet"))
    write_atomic(out / "runs.parquet", _parquet_bytes(described_table(runs, "runs")))
    path = out / "timeseries.parquet"
    series = pq.read_table(path).to_pandas()
    if "date" in series and not series.empty:
        series["date"] = as_dates(series["date"])
    write_atomic(path, _parquet_bytes(described_table(series, "timeseries")))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest.update(provenance(started))
    write_json(out / "manifest.json", manifest, sort_keys=False)
    if fmt == "csv":
        write_atomic(out / "runs.csv", runs.to_csv(index=False, float_format="%.17g"))
        write_atomic(out / "timeseries.csv", series.to_csv(index=False, float_format="%.17g"))


def _program() -> str:
    """The program the user ran; ``jevons-compute`` for ``python -m jevons_compute`` too
    (whose argv[0] is the package's __main__.py)."""
    name = Path(sys.argv[0]).name
    return "jevons-compute" if name == "__main__.py" else name


def provenance(started: datetime) -> dict:
    """Who wrote the files, how and when (for manifest.json and summary.json)."""
    return {
        "version": __version__,
        "command": [_program(), *sys.argv[1:]],
        "cwd": os.getcwd(),
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "node": platform.node(),
        },
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def now() -> datetime:
    return datetime.now(UTC)


def describe_run(stage: Path, df: pd.DataFrame, started: datetime, fmt: str = "csv") -> None:
    """Complete a single run's files in ``stage``: provenance and version in summary.json;
    with ``fmt='parquet'`` the time series as timeseries.parquet (dates, units) instead of
    CSV."""
    summary = json.loads((stage / "summary.json").read_text())
    summary.update(provenance(started))
    write_json(stage / "summary.json", summary)
    if fmt == "parquet":
        series = df.copy()
        series["date"] = as_dates(series["date"])
        write_atomic(stage / "timeseries.parquet", _parquet_bytes(described_table(series, "run")))
        (stage / "timeseries.csv").unlink()
