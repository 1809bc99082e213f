"""The version of what runs.parquet's verdict columns mean, and reading older folders.

Schema 2 (v3.1): ``backfire`` is ``jevons_ratio_12m`` > 1, the trailing 12 months' total
compute with / without efficiency; one month's ratio is ``jevons_ratio_month`` (verdict
``backfire_month``). Schema 1 (rows without ``results_schema``): ``backfire`` read the
last month's ``jevons_ratio``, and the 12-month verdict was ``backfire_12m``.

Every row a sweep writes carries ``results_schema``; a sweep resumed from rows of another
schema runs them again (``expected_row``), so one runs.parquet holds one meaning of
``backfire``; ``upgrade_runs`` renames an older runs.parquet's columns as it is read, so
sweeps of either schema compare.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Bump when a column of runs.parquet changes its meaning (and add its renames below).
RESULTS_SCHEMA = 2
#: Schema 1's column -> schema 2's name for the same numbers.
RENAMED_FROM_1 = {
    "jevons_ratio": "jevons_ratio_month",
    "energy_jevons_ratio": "energy_jevons_ratio_month",
    "backfire": "backfire_month",
    "energy_backfire": "energy_backfire_month",
    "backfire_12m": "backfire",
    "energy_backfire_12m": "energy_backfire",
}


def upgrade_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` with schema 2's columns; a schema-1 table renamed (a table from before the
    12-month verdict gets ``backfire`` None: its verdict cannot be recovered)."""
    if "results_schema" in runs.columns:
        return runs
    old = runs.rename(columns=RENAMED_FROM_1)
    for verdict in ("backfire", "energy_backfire"):
        if verdict not in old.columns and f"{verdict}_month" in old.columns:
            old[verdict] = None
    return old.assign(results_schema=1)


def read_runs(path: str | Path) -> pd.DataFrame:
    """runs.parquet (a file or a sweep folder) with schema 2's column names."""
    path = Path(path)
    return upgrade_runs(pd.read_parquet(path / "runs.parquet" if path.is_dir() else path))
