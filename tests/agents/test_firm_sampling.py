"""Firm agents are a stratified sample: each (region, sector) stratum's agents stand for
exactly its real firms, for any number of agents."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import make_model

from jevons_compute.world.facts import REAL_FIRMS, SECTORS


@pytest.mark.parametrize("n_firms", [90, 91, 301, 2000, 4567])
def test_the_agents_of_each_region_and_sector_stand_for_its_real_firms_exactly(n_firms):
    firms = make_model(seed=n_firms, n_firms=n_firms, counterfactual="none").firms
    shares = np.array([share for share, _ in SECTORS.values()])
    for r, region in enumerate(firms.regions):
        for k, share in enumerate(shares):
            agents = (firms.region == r) & (firms.sector == k)
            assert agents.any()
            expected = REAL_FIRMS[region] * share / shares.sum()
            assert firms.weight[agents].sum() == pytest.approx(expected, rel=1e-12)


def test_a_region_with_fewer_agents_than_sectors_still_stands_for_all_its_firms():
    firms = make_model(n_firms=4, regions="US,EU", counterfactual="none").firms
    for r, region in enumerate(firms.regions):
        assert firms.weight[firms.region == r].sum() == pytest.approx(REAL_FIRMS[region])


def test_sums_by_region_and_sector_group_are_those_of_every_agent():
    firms = make_model(n_firms=777, counterfactual="none").firms
    assert firms._runs is not None  # agents lie in group order: the fast path
    values = firms.weight * firms.employees
    expected = np.bincount(firms.group, values, len(firms.weight_by_group))
    np.testing.assert_allclose(firms.sum_by_group(values), expected, rtol=1e-12)
