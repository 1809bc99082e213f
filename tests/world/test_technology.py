"""Capability tiers with bounded efficiency: releases, floors, prices by tier."""

import numpy as np
import pandas as pd
import pytest
from conftest import frame, make_model

from jevons_compute.model.metrics.table import COUNTERFACTUAL_METRICS, METRICS
from jevons_compute.world.facts import TIERS_RELEASED
from jevons_compute.world.scenario import JevonsScenario
from jevons_compute.world.technology import capability_tiers

TIERS_ON = {"capability_tiers": True}


def test_tiers_follow_the_release_schedule_and_later_ones_are_spaced_by_the_interval():
    tiers = capability_tiers(JevonsScenario(rng=1, capability_tiers=True, tier_interval=6))
    listed = [release for _, release, _, _ in TIERS_RELEASED]
    assert list(tiers.release[: len(listed)]) == listed
    assert (np.diff(tiers.release[len(listed) - 1 :]) == 6).all()
    assert (np.diff(tiers.horizon_minutes) > 0).all()  # each tier does longer tasks
    assert tiers.released(-1) == 0 and tiers.released(0) == 1 and tiers.released(23) == 3
    single = capability_tiers(JevonsScenario(rng=1, capability_tiers=False))
    assert len(single.release) == 1  # without tiers: the 2023 tier only


@pytest.mark.parametrize("floor_ratio", [0.0, 0.01, 0.1])
def test_flops_per_token_start_at_release_and_never_fall_below_the_floor(floor_ratio):
    tiers = capability_tiers(JevonsScenario(rng=1, capability_tiers=True))
    for step in (0, 17, 23, 40, 100, 144):
        f = tiers.flops_per_token(step, gain=6.0, floor_ratio=floor_ratio)
        floor = floor_ratio * tiers.flops_at_release[: len(f)]
        assert len(f) == tiers.released(step)
        assert (f >= floor).all() and (f <= tiers.flops_at_release[: len(f)]).all()
        just_released = tiers.release[: len(f)] == step
        np.testing.assert_allclose(
            f[just_released], tiers.flops_at_release[: len(f)][just_released]
        )
    late = tiers.flops_per_token(1200, gain=6.0, floor_ratio=floor_ratio)
    np.testing.assert_allclose(late[0], max(floor_ratio, 6.0**-100) * tiers.flops_at_release[0])


def test_demand_moves_to_new_tiers_so_the_price_paid_falls_less_than_the_hedonic_index():
    model = make_model(seed=2, n_firms=1000, counterfactual="none", **TIERS_ON)
    model.run_for(36)
    df = frame(model)
    for p in model.providers:
        assert p.tier_token_shares.sum() == pytest.approx(1.0)
        assert len(p.tier_token_shares) == model.tiers.released(36)
    hedonic_fall = df["hedonic_price_index"].iloc[0] / df["hedonic_price_index"].iloc[-1]
    paid_fall = df["price_per_mtok"].iloc[0] / df["price_per_mtok"].iloc[-1]
    assert hedonic_fall > 3 * paid_fall
    assert df["frontier_tier"].iloc[-1] == model.tiers.released(36) - 1
    assert df["tokens_per_task"].iloc[-1] > 1.0  # newer tiers take more tokens per task
    assert 0 < df["frontier_token_share"].iloc[-1] < 1


def test_twin_with_tiers_is_the_run_when_algorithmic_progress_is_still():
    model = make_model(seed=3, n_firms=400, algo_efficiency_gain=1.0, shock_factor=1.0, **TIERS_ON)
    model.run_for(30)
    own = [m for m in METRICS if m not in COUNTERFACTUAL_METRICS]
    twin = model.twin.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    pd.testing.assert_frame_equal(frame(model)[own], twin[own], check_exact=True)
