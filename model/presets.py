"""Named presets: plain data a user can read and copy (overrides of the defaults)."""

PRESETS: dict[str, dict] = {
    # The calibrated defaults of model/parameters.py, unchanged.
    "default": {},
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
