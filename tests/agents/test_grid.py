"""Regional grids (agents/grid.py): data-centre power from the IEA's levels, and the
limit binding in run and twin alike."""

import math

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents.grid import data_centre_watts
from jevons_compute.world.facts import DATA_CENTRE_TWH, HOURS_PER_YEAR


def test_grid_limit_follows_iea_levels():
    for region, (twh_2024, twh_2030) in DATA_CENTRE_TWH.items():
        assert data_centre_watts(region, 2024.5) * HOURS_PER_YEAR / 1e12 == pytest.approx(twh_2024)
        assert data_centre_watts(region, 2030.5) * HOURS_PER_YEAR / 1e12 == pytest.approx(twh_2030)
    model = make_model(n_firms=50, marginal=False, power_limited=False)
    assert math.isnan(model.metrics["power_limit_gw"])
    assert all(p.power_watts == math.inf for p in model.providers)


def test_energy_rebound_is_one_when_power_binds_in_run_and_twin():
    model = make_model(
        n_firms=300,
        marginal=False,
        regions="US",
        n_providers=2,
        ai_share_of_grid=0.002,
        demand_model="constant_elasticity",
        price_elasticity=1.5,
        bass_p=0.5,
        grid_lead_time=12,
    )
    model.run_for(48)
    run, twin = frame(model), model.twin.datacollector.get_model_vars_dataframe()
    binds = np.isclose(run["power_gw"], run["power_limit_gw"], rtol=1e-9) & np.isclose(
        twin["power_gw"].to_numpy(), run["power_limit_gw"], rtol=1e-9
    )
    assert binds[24:].all()  # the grid binds in both from year 3 on
    np.testing.assert_allclose(run["energy_jevons_ratio"][binds], 1.0, rtol=1e-9)
    np.testing.assert_allclose(run["energy_rebound"][binds].dropna(), 1.0, rtol=1e-6)
    assert run["energy_rebound"][binds].notna().sum() >= 12
    assert (run["jevons_ratio"][24:] != 1.0).any()  # compute still differs: not a no-op
