"""Named presets: plain data a user can read and copy (overrides of the defaults).

``default`` is the parameter table's defaults until a full calibration writes
data/calibrated_default.json (``run.py experiment calibrate --write-default``): then it is
the ensemble member with the lowest maximum implausibility. The ``ensemble`` preset of
``run.py run`` is not here: it is many parameter sets (data/ensemble.csv).
"""

import json
from pathlib import Path

CALIBRATED_DEFAULT = Path(__file__).resolve().parent.parent / "data" / "calibrated_default.json"


def calibrated_default() -> dict:
    """The calibrated best member's values ({} while no full calibration has written one)."""
    if not CALIBRATED_DEFAULT.exists():
        return {}
    return dict(json.loads(CALIBRATED_DEFAULT.read_text())["parameters"])


PRESETS: dict[str, dict] = {
    # The defaults of model/parameters.py, or the calibrated best member (see above).
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
# `run.py run --preset NAME`). Every key names a parameter of model/parameters.py with an
# allowed value (tests/test_ui_components.py checks it). A scenario whose parameter does
# not exist yet (power-bound: a `power_limited` switch) is added here, in one row, once
# the parameter is.
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
    }
)

#: One line per preset, in the order the browser UI lists them.
PRESET_NOTES: dict[str, str] = {
    "default": "Baseline: the calibrated model; a DeepSeek-style open model in January 2025.",
    "no_shock": "No DeepSeek shock: efficiency follows its trend, no sudden cheap open model.",
    "strict_export_controls": "Strict export controls: China gets no US chips, not even derated.",
    "inelastic_demand": "Inelastic demand: a 1% price cut raises token demand by only 0.5%.",
    "hardware_only": "Hardware-only progress: chips get cheaper; FLOPs per token stay at 2023's.",
    "analytic": "Analytic limit: identical adopted firms, one provider, no capacity limit.",
}
