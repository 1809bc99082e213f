"""The fast paths of the supply side give the slow ones' numbers to the bit: a fleet's
totals from its cohort ledger (agents/provider/ledger.py) against the loop over its
cohorts, and chip_shares' plain-float logit against numpy's."""

import functools
import math

import numpy as np
import pytest
from helpers import make_model
from hypothesis import given
from hypothesis import strategies as st

from jevons_compute.agents.provider.fleet import cohort_sums
from jevons_compute.agents.provider.procurement import MIN_ORDER_SHARE


@functools.cache
def small_model():
    return make_model(n_firms=100, counterfactual="none")


TOTALS = ("capacity_flops", "gpu_flops", "xpu_flops", "watts", "reference_watts")


def loop_totals(provider) -> tuple:
    """The fleet's totals added cohort by cohort (the loop the ledger replaces)."""
    (capacity, watts, reference, gpu, xpu), numpy, gpu_numpy, xpu_numpy = cohort_sums(
        provider.fleet
    )
    wrap = lambda x, bit: np.float64(x) if bit else x
    return (
        wrap(capacity, numpy & 1),
        wrap(gpu, gpu_numpy & 1),
        wrap(xpu, xpu_numpy & 1),
        wrap(watts, numpy & 2),
        wrap(reference, numpy & 4),
    )


@pytest.mark.parametrize("power_limited", [False, True])
def test_a_fleets_ledger_totals_are_the_loops_every_month(power_limited):
    model = make_model(
        preset="default", n_firms=1000, power_limited=power_limited, counterfactual="none"
    )
    for _ in range(84):  # past the seeded cohorts' 60-month life
        model.step()
        for p in model.providers:
            p._recount()
            got = tuple(getattr(p, name) for name in TOTALS)
            want = loop_totals(p)
            assert [type(x) for x in got] == [type(x) for x in want]
            assert got == want
    # the seeded cohorts retired and bought ones came: both ends of the ledger moved
    assert all(p.fleet and p.fleet[0].install > 0 for p in model.providers)
    assert any(p._ledger is not None for p in model.providers)  # the fast path ran


def test_a_ledger_follows_a_fleet_scaled_in_place():
    model = make_model(n_firms=300, counterfactual="none")
    model.run_for(6)
    p = model.providers[0]
    p.scale_fleet(0.5)  # units set on every cohort: the ledger is rebuilt
    assert tuple(getattr(p, name) for name in TOTALS) == loop_totals(p)
    p.retire_chips(model.steps + 1)
    assert tuple(getattr(p, name) for name in TOTALS) == loop_totals(p)


@given(
    st.lists(st.floats(min_value=-40.0, max_value=5.0, allow_nan=False), min_size=1, max_size=12)
)
def test_chip_shares_are_numpys_logit_to_the_bit(utility):
    model = small_model()
    provider = model.providers[0]
    chip = model.offers[provider.region][0][1]
    offers = [(model.vendors[0], chip, 1.0)] * len(utility)
    got = [share for _, _, share in provider.chip_shares(offers, 0, False, utility)]
    u = np.array(utility)
    weights = np.exp(u - u.max())
    shares = weights / weights.sum()
    keep = shares >= MIN_ORDER_SHARE
    want = (shares[keep] / shares[keep].sum()).tolist()
    assert got == want
    assert math.isclose(sum(got), 1.0)
