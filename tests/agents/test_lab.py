"""Training from investment (agents/lab.py): tiny worlds for each rule."""

import math

import pytest
from helpers import frame, make_model

from jevons_compute.agents.lab import FrontierLab, campus_flop, run_months
from jevons_compute.world.facts import MAX_TRAINING_RUN_MONTHS
from jevons_compute.world.scenario import JevonsScenario


def lab(**params) -> FrontierLab:
    return FrontierLab(JevonsScenario(rng=1, **params))


def test_spend_adjusts_partially_toward_the_target():
    """With revenue flat and growth expectations fixed, the log gap to the target
    shrinks by (1 - lambda) a month."""
    lb = lab(
        training_revenue_share=0.5,
        training_horizon=2.0,
        initial_revenue_growth=2.0,
        training_adjustment=0.25,
    )
    lb.spend = 1.0
    target = 0.5 * 100.0 * 2.0**2  # theta x R x g^H with 12 months' history still missing
    for month in range(1, 7):
        lb.observe(100.0)
        gap = math.log(target) - math.log(lb.spend)
        assert gap == pytest.approx(math.log(target) * 0.75**month, rel=1e-9)


def test_outside_funding_lets_training_exceed_revenue_while_growth_is_expected():
    lb = lab(training_revenue_share=0.3, training_horizon=2.0, initial_revenue_growth=3.0)
    assert lb.budget(1e9) == pytest.approx(0.3 * 1e9 * 9.0)
    assert lb.budget(1e9) > 1e9  # capex above token revenue: funded from outside


def test_expected_growth_follows_observed_revenue_growth():
    lb = lab(initial_revenue_growth=4.0)
    for month in range(360):
        lb.observe(1e6 * 1.5 ** (month / 12))  # revenue growing 1.5x a year
    assert lb.expected_growth == pytest.approx(1.5, rel=1e-3)
    falling = lab(initial_revenue_growth=4.0)
    for _ in range(200):
        falling.observe(1e6)  # saturated demand: flat revenue
    assert falling.expected_growth == pytest.approx(1.0, rel=1e-3)
    assert falling.spend == pytest.approx(falling.target(1e6), rel=1e-3)


def test_largest_run_is_capped_by_one_campus():
    s = JevonsScenario(rng=1, frontier_run_share=1.0)
    lb = FrontierLab(s)
    joules = 7e-13  # an H100: 700 W for 989 TFLOP/s
    for _ in range(12):
        lb.record_training(1e40)  # a budget no campus can power
    cap = campus_flop(s, 0, joules, run_months(s, 0))
    assert lb.largest_run_flop(0, joules) == cap
    # the cap grows with campus power and run length
    assert lb.largest_run_flop(12, joules) == pytest.approx(
        cap * s.campus_power_growth * min(1.4, MAX_TRAINING_RUN_MONTHS / s.training_run_months)
    )
    small = FrontierLab(s)
    for _ in range(12):
        small.record_training(1e20)
    assert small.largest_run_flop(0, joules) == pytest.approx(1e20 * run_months(s, 0))


def test_no_training_without_a_training_budget():
    m = make_model(training_revenue_share=0.0, counterfactual="none")
    m.run_for(6)
    df = frame(m)
    assert (df["training_flops"] == 0).all()
    assert (df["largest_training_run_flop"] == 0).all()


def test_training_spend_responds_to_the_revenue_that_efficiency_brings():
    """Elastic demand: efficiency raises token revenue, and with it training spend (the
    investment rebound channel); the twin without efficiency trains less. Capacity is
    unlimited so that rationing (beyond MAX_SCARCITY) does not cap the run's revenue."""
    m = make_model(
        demand_model="constant_elasticity",
        price_elasticity=2.0,
        marginal=False,
        n_firms=200,
        capacity_limited=False,
    )
    m.run_for(36)
    run, twin = frame(m), frame(m.twin)
    assert run["provider_revenue"].iloc[-1] > twin["provider_revenue"].iloc[-1]
    assert run["training_spend_usd"].iloc[-1] > twin["training_spend_usd"].iloc[-1]
