"""Named presets: plain data a user can read and copy (overrides of the defaults), and the
calibrated ensemble's members.

``default`` is the calibrated best member, read from the package's
``data/calibrated_default.json`` (written by ``jevons-compute experiment calibrate
--write-default``); the package ships it, and a missing or unreadable file is an error,
never a silent fallback to the table's defaults. The ``ensemble`` preset of
``jevons-compute run`` is not a preset here: it is many parameter sets
(``data/ensemble.csv``, ``load_members``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from jevons_compute.world.files import data_file
from jevons_compute.world.parameters import BY_NAME, ParameterError

CALIBRATED_DEFAULT = data_file("calibrated_default.json")
ENSEMBLE_PATH = data_file("ensemble.csv")
#: Columns of the ensemble file that are not parameters.
META_COLUMNS = ("member", "max_implausibility", "mean_sq_implausibility")


class CalibrationFileError(RuntimeError):
    """The calibrated default is missing or malformed: the installation is incomplete."""


class EnsembleError(ValueError):
    """The ensemble file is missing or malformed (one sentence)."""


def calibrated_default(path: Path = CALIBRATED_DEFAULT) -> dict:
    """The calibrated best member's parameter values (the ``default`` preset)."""
    try:
        values = json.loads(Path(path).read_text())["parameters"]
    except FileNotFoundError:
        raise CalibrationFileError(
            f"the calibrated default {path} is missing: reinstall jevons-compute, or write it "
            "with `jevons-compute experiment calibrate --write-default`."
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CalibrationFileError(
            f"the calibrated default {path} cannot be read ({exc}): reinstall jevons-compute."
        ) from None
    return dict(values)


def load_members(path: str | Path = ENSEMBLE_PATH) -> list[dict[str, Any]]:
    """The ensemble members' parameter values (dicts, member order), checked against the
    parameter table. A relative path that does not exist here is looked up in the
    package's data folder."""
    import pandas as pd  # here, not at import: the command line starts without pandas

    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = data_file(path.name) if path.parent.name in ("", "data") else path
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise EnsembleError(
            f"ensemble file {path} does not exist: run `jevons-compute experiment calibrate "
            "--install-ensemble` first."
        ) from None
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise EnsembleError(f"ensemble file {path} cannot be read as CSV ({exc}).") from None
    names = [c for c in table.columns if c not in META_COLUMNS]
    if table.empty or not names:
        raise EnsembleError(f"ensemble file {path} has no members or no parameter columns.")
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise EnsembleError(f"ensemble file {path}: column {unknown[0]!r} is not a parameter.")
    if "member" in table.columns:
        table = table.sort_values("member")
    members = []
    for _, row in table.iterrows():
        try:
            members.append({n: BY_NAME[n].coerce(_plain(row[n])) for n in names})
        except ParameterError as exc:
            raise EnsembleError(f"ensemble file {path}: {exc}") from None
    return members


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


PRESETS: dict[str, dict] = {
    # The calibrated best member (see above).
    "default": calibrated_default(),
    # The analytic limit (README, 'Calibration and validation'): identical firms, all
    # adopted from step 0, one provider with one model, unlimited capacity and power, no
    # training, constant markup, no shock, no consumers, smooth efficiency paths (a chip
    # generation every month), hardware-only cost.
    "analytic": {
        "identical_firms": True,
        "regions": "US",
        "n_providers": 1,
        "initial_adoption": 1.0,
        "integration_cost": 0.0,
        "bass_p": 0.0,
        "bass_q": 0.0,
        "capacity_limited": False,
        "training_revenue_share": 0.0,
        "shock_factor": 1.0,
        "vendor_set": "single_gpu",
        "generation_interval": 1,
        "electricity_price": 0.0,
        "demand_model": "constant_elasticity",
        "export_controls": "none",
        "capability_tiers": False,
        "floor_ratio": 0.0,
        "consumer_ceiling": 0.0,
        "power_limited": False,
    },
}

# Scenarios: the what-ifs the browser UI offers, each with a one-line note below (and
# `jevons-compute run --preset NAME`). Every key names a parameter of the parameter table with an
# allowed value (tests/test_ui_components.py checks it).
PRESETS.update(
    {
        # No DeepSeek-style open-weight shock: algorithmic progress follows its trend alone.
        "no_shock": {"shock_factor": 1.0},
        # China gets no US chips at all (instead of H20-like derated ones).
        "strict_export_controls": {"export_controls": "strict"},
        # Demand barely answers price: tokens rise by 0.5% for a 1% price cut.
        "inelastic_demand": {"demand_model": "constant_elasticity", "price_elasticity": 0.5},
        # Only chips get cheaper: FLOPs per token stay at their 2023 level, no shock.
        "hardware_only": {"algo_efficiency_gain": 1.0, "shock_factor": 1.0},
        # A tight grid: AI may contract 1% of data-centre power instead of 50%. Measured at
        # n_firms=2000, seed 42: the EU and Chinese grids bind from 2023, the US one comes
        # within ~10% by 2025 (the default run uses under 10% of any region's limit).
        "power_bound": {"power_limited": True, "ai_share_of_grid": 0.01},
    }
)

#: One line per preset, in the order the browser UI lists them.
PRESET_NOTES: dict[str, str] = {
    "default": "Baseline: the calibrated model; a DeepSeek-style open model in January 2025.",
    "no_shock": "No DeepSeek shock: efficiency follows its trend, no sudden cheap open model.",
    "strict_export_controls": "Strict export controls: China gets no US chips, not even derated.",
    "inelastic_demand": "Inelastic demand: a 1% price cut raises token demand by only 0.5%.",
    "hardware_only": "Hardware-only progress: chips get cheaper; FLOPs per token stay at 2023's.",
    "power_bound": "Power-bound: AI gets 1% of data-centre power (50% by default): grids bind.",
    "analytic": "Analytic limit: identical adopted firms, one provider, no capacity limit.",
}
