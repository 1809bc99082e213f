"""Technology paths (world/technology.py): capability tiers released on schedule, each
tier's FLOPs per token falling from its release and never below its floor."""

import numpy as np
import pytest

from jevons_compute.world.facts import TIERS_RELEASED
from jevons_compute.world.scenario import JevonsScenario
from jevons_compute.world.technology import capability_tiers


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
