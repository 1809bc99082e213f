"""Training from investment (agents/lab.py): tiny worlds for each rule."""

import math

import pytest
from helpers import frame, make_model

from jevons_compute.agents.lab import COMMITMENT_MONTHS, FrontierLab, campus_flop, run_months
from jevons_compute.world.facts import MAX_TRAINING_RUN_MONTHS
from jevons_compute.world.scenario import JevonsScenario


def lab(**params) -> FrontierLab:
    return FrontierLab(JevonsScenario(rng=1, **params))


COST = 1e-18  # USD per peak FLOP-second: a constant cost, so the race is in FLOPs


def started(lb: FrontierLab, revenue: float = 100.0) -> FrontierLab:
    """The lab after its step-0 budget, which sets the race's starting compute."""
    lb.budget(revenue, COST, 0)
    return lb


def test_spend_adjusts_partially_toward_the_target():
    """With revenue flat and growth expectations fixed, the log gap to the target
    shrinks by (1 - lambda) a month (the race far above finance)."""
    lb = lab(
        training_revenue_share=0.5,
        training_horizon=2.0,
        initial_revenue_growth=2.0,
        training_adjustment=0.25,
        frontier_race_growth=10.0,
    )
    lb.race_base = 1e40  # a race no finance reaches
    lb.spend = 100.0
    target = 0.5 * 100.0 * 2.0**2  # theta x R x g^H, 12 months' history still missing
    for month in range(1, 7):
        lb.observe(100.0, COST, month)
        gap = math.log(lb.spend) - math.log(target)
        assert gap == pytest.approx(math.log(100.0 / target) * 0.75**month, rel=1e-9)
        assert lb.finance_bound


def test_outside_finance_lets_training_exceed_revenue_while_growth_is_expected():
    lb = lab(training_revenue_share=0.3, training_horizon=2.0, initial_revenue_growth=3.0)
    assert lb.budget(1e9, COST, 0) == pytest.approx(0.3 * 1e9 * 9.0)
    assert lb.budget(1e9, COST, 0) > 1e9  # capex above token revenue: funded from outside


def test_the_race_sets_the_target_while_finance_is_ample():
    lb = started(lab(frontier_race_growth=4.0, training_revenue_share=0.3))
    base = lb.race_base
    assert base == pytest.approx(lb.finance(100.0, 0) / COST)
    # revenue far above the step-0 level: finance is ample, the race binds
    assert lb.target(1e12, COST, 24) == pytest.approx(base * 16.0 * COST)  # 4x a year
    lb.observe(1e12, COST, 24)
    assert not lb.finance_bound
    # cheaper compute: the same race costs less
    assert lb.target(1e12, COST / 2, 24) == pytest.approx(base * 16.0 * COST / 2)


def test_spend_never_falls_faster_than_commitments_unwind():
    lb = started(lab(training_adjustment=1.0))
    lb.spend = 1e6
    for month in range(1, 13):
        lb.observe(1e-9, COST, month)  # revenue gone: finance near zero
        assert lb.spend == pytest.approx(1e6 * (1 - 1 / COMMITMENT_MONTHS) ** month)


def test_a_financing_shock_cuts_spend_at_once_and_only_then():
    params = dict(training_adjustment=1.0, financing_shock=0.6, financing_shock_step=5)
    lb = started(lab(**params))
    lb.race_base = 1e40
    for month in range(1, 5):
        lb.observe(100.0, COST, month)
    before = lb.spend
    assert before == pytest.approx(lb.finance(100.0, 4))
    lb.observe(100.0, COST, 5)
    assert lb.spend == pytest.approx(0.4 * before)  # the capital and its commitments left
    assert lb.finance(100.0, 5) == pytest.approx(0.4 * lb.finance(100.0, 4))


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_expectations_shrink_observed_growth_toward_the_prior(weight):
    lb = lab(initial_revenue_growth=4.0, growth_prior_weight=weight)
    for month in range(400):
        lb.observe(1e6 * 1.5 ** (month / 12), COST, month)  # revenue growing 1.5x a year
    belief = math.exp((1 - weight) * math.log(1.5) + weight * math.log(4.0))
    assert lb.expected_growth == pytest.approx(belief, rel=1e-3)


def test_expected_growth_follows_observed_growth_without_a_prior():
    falling = lab(initial_revenue_growth=4.0, growth_prior_weight=0.0)
    for month in range(200):
        falling.observe(1e6, COST, month)  # saturated demand: flat revenue
    assert falling.expected_growth == pytest.approx(1.0, rel=1e-3)
    assert falling.spend == pytest.approx(falling.target(1e6, COST, 200), rel=1e-2)


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
