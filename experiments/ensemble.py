"""A calibrated ensemble: the non-implausible parameter sets of history matching, as data.

``data/ensemble.csv`` (written by ``run.py experiment calibrate --install-ensemble``) has
one row per member: ``member`` (0 is the member with the lowest maximum implausibility),
``max_implausibility`` and one column per calibrated parameter. ``data/ensemble.json``
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

ROOT = Path(__file__).resolve().parent.parent
ENSEMBLE_PATH = ROOT / "data" / "ensemble.csv"
#: The calibrated default (the ensemble's best member), once a full calibration wrote it.
DEFAULT_PATH = ROOT / "data" / "calibrated_default.json"
META_COLUMNS = ("member", "max_implausibility")


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
