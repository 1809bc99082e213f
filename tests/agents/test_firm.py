"""Firms' tasks (demand_model='task_value'): task classes, adoption against the price,
the market elasticity from the task values, value capped at the wage bill."""

import math

import numpy as np
import pytest
from conftest import frame, make_model
from scipy.special import ndtr
from scipy.stats import norm

from jevons_compute.agents import Firm
from jevons_compute.agents.firm import TASK_MINUTES, TASKS_PER_WORKER, fit_pareto_alpha, pareto_mean
from jevons_compute.world.facts import REAL_EMPLOYMENT, REAL_FIRMS, WORK_HOURS_PER_MONTH

ONE_FIRM = dict(
    n_firms=1,
    regions="US",
    n_providers=1,
    identical_firms=True,
    initial_adoption=0.0,
    bass_p=100.0,  # adopts within the month once adoption pays
    capacity_limited=False,
    consumer_ceiling=0.0,
    shock_factor=1.0,
    counterfactual="none",
    marginal=False,
)


def surplus_per_month(model) -> float:
    """The one firm's surplus (value - bill) at the provider's posted prices, recomputed
    here from the task rule: tasks of class j worth LogNormal(ln(median x wage x h_j),
    sigma), done when worth more than their price."""
    s = model.scenario
    firms, provider = model.firms, model.providers[0]
    median = s.task_value_median * firms.wage[0] / (WORK_HOURS_PER_MONTH * 60) * TASK_MINUTES
    price = provider.class_task_price
    total = 0.0
    for j, (m, p) in enumerate(zip(median, price)):
        if not np.isfinite(p):
            continue
        z = (math.log(m) - math.log(p)) / s.task_value_sigma
        value = m * math.exp(s.task_value_sigma**2 / 2) * norm.cdf(z + s.task_value_sigma)
        total += TASKS_PER_WORKER[j] * (value - p * norm.cdf(z))
    return total * firms.workers[0]


def test_a_firm_adopts_when_the_price_falls_below_its_task_value_and_not_before():
    probe = make_model(algo_efficiency_gain=20.0, **ONE_FIRM)
    start = surplus_per_month(probe)
    assert start > 0
    # an integration cost 50% above the surplus at the step-0 prices: adoption waits
    # until prices have fallen enough for the surplus to grow by half
    cost = 1.5 * start * probe.scenario.integration_amortization
    model = make_model(algo_efficiency_gain=20.0, integration_cost=cost, **ONE_FIRM)
    firm = next(iter(model.agents_by_type[Firm]))
    per_month = cost / model.scenario.integration_amortization
    adopted_at = None
    for month in range(1, 37):
        model.step()
        pays = surplus_per_month(model) > per_month
        if adopted_at is None:
            assert firm.adopted == pays, month  # adopts the month it pays, not before
            if firm.adopted:
                adopted_at = month
    assert adopted_at is not None and adopted_at > 1
    assert frame(model)["adoption_rate"].iloc[adopted_at - 1] == 0.0


def test_adoption_does_not_happen_at_any_price_when_tasks_are_worthless():
    model = make_model(task_value_median=1e-6, algo_efficiency_gain=20.0, **ONE_FIRM)
    model.run_for(24)
    assert not model.firms.adopted.any()


def test_more_firms_find_adoption_pays_when_prices_fall():
    model = make_model(n_firms=2000, counterfactual="none")
    firms = model.firms
    before = firms.eligible(None).mean()
    for p in model.providers:
        p.class_task_price = p.class_task_price / 100
    firms.price(model.providers, model.scenario)
    after = firms.eligible(None).mean()
    assert after > before + 0.05


@pytest.mark.parametrize("median", [1e-3, 1e-2, 1e-1])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0, 3.0])
def test_the_market_elasticity_follows_from_the_task_value_median_and_sigma(median, sigma):
    """Tokens asked at m x the posted prices: d ln tokens / d ln m equals the log-normal
    hazard formula summed over the task classes, for any median and sigma."""
    model = make_model(task_value_median=median, task_value_sigma=sigma, **ONE_FIRM)
    model.firms.adopted[:] = True
    model.firms.slot[:] = 1
    model.firms.key[:] = model.firms.cell * model.firms.n_slots + 1
    model.step()
    provider = model.providers[0]
    response = model.firms.demand_response(
        model.providers, 0, model.reference_price, model.scenario
    )
    h = 1e-4
    simulated = -(math.log(response(1 + h)) - math.log(response(1 - h))) / (
        math.log(1 + h) - math.log(1 - h)
    )
    wage = model.firms.wage[0]
    m = median * wage / (WORK_HOURS_PER_MONTH * 60) * TASK_MINUTES
    ok = np.isfinite(provider.class_task_price)
    z = (np.log(m[ok]) - np.log(provider.class_task_price[ok])) / sigma
    weight = TASKS_PER_WORKER[ok] * provider.class_tokens_per_task[ok]
    expected = (weight * norm.pdf(z) / sigma).sum() / (weight * ndtr(z)).sum()
    assert simulated == pytest.approx(expected, rel=1e-5)


def test_elasticity_is_high_while_ai_is_dear_and_falls_as_tasks_get_done():
    elasticities = []
    for median in (1e-4, 1e-2, 1.0, 100.0):  # tasks worth more: more are done at a given price
        model = make_model(task_value_median=median, task_value_sigma=1.0, **ONE_FIRM)
        model.firms.slot[:] = 1
        model.firms.key[:] = model.firms.cell * model.firms.n_slots + 1
        model.step()
        response = model.firms.demand_response(
            model.providers, 0, model.reference_price, model.scenario
        )
        elasticities.append(-math.log(response(1.01)) / math.log(1.01))
    assert elasticities[0] > 1.5 and elasticities[-1] < 0.1
    assert all(a > b for a, b in zip(elasticities, elasticities[1:]))


def test_productivity_gain_is_the_value_of_tasks_done_capped_at_the_exposed_wage_bill():
    model = make_model(
        n_firms=500, task_value_median=100.0, capacity_limited=False, counterfactual="none"
    )
    model.run_for(3)
    adopted = [f for f in model.agents_by_type[Firm] if f.adopted]
    assert adopted
    for f in adopted:
        wage_bill = f.wage * f.employees * f.exposure
        assert f.productivity_gain <= wage_bill * (1 + 1e-12)
    # worth 100x the human cost at the median: the cap binds for every adopter
    capped = [f.productivity_gain / (f.wage * f.employees * f.exposure) for f in adopted]
    assert min(capped) > 0.99


def test_firm_surplus_is_value_minus_token_bill_minus_amortised_integration():
    model = make_model(n_firms=800, counterfactual="none")
    model.run_for(6)
    last = frame(model).iloc[-1]
    firms = model.firms
    bill = firms.token_bill(model.providers).sum()
    integration = (firms.weight * firms.adopted).sum() * firms.integration_per_month
    assert last["firm_token_bill_usd"] == pytest.approx(bill, rel=1e-9)
    assert last["firm_surplus_usd"] == pytest.approx(
        last["productivity_gain_usd"] - bill - integration, rel=1e-9
    )
    assert 0 < last["firm_token_bill_usd"] < last["productivity_gain_usd"]


def test_tokens_and_tasks_by_tier_add_up_and_long_tasks_wait_for_their_tier():
    model = make_model(n_firms=600, capability_tiers=True, counterfactual="none")
    model.run_for(40)
    df = frame(model)
    tiers = df[[f"tokens_tier_{k}" for k in range(5)]].sum(axis=1)
    np.testing.assert_allclose(tiers, df["tokens"], rtol=1e-9)
    assert (df["tasks_tier_1"].iloc[:17] == 0).all() and df["tasks_tier_1"].iloc[-1] > 0
    # a 16-hour task class has no tier until the horizon reaches it
    provider = model.providers[0]
    horizon = model.tiers.horizon_minutes[: model.tiers.released(40)]
    for j, minutes in enumerate(TASK_MINUTES):
        assert np.isfinite(provider.class_task_price[j]) == (horizon >= minutes).any()
        able = horizon >= minutes
        assert (provider.class_tier_tasks[j][~able] == 0).all()


@pytest.mark.parametrize("region", ["US", "EU", "CN"])
def test_firm_sizes_match_each_regions_firm_count_and_employment(region):
    mean = REAL_EMPLOYMENT[region] / REAL_FIRMS[region]
    assert pareto_mean(fit_pareto_alpha(mean), 1e5) == pytest.approx(mean, rel=1e-6)
    model = make_model(n_firms=30_000, counterfactual="none")
    firms = model.firms
    r = model.regions.index(region)
    here = firms.region == r
    assert firms.weight[here].sum() == pytest.approx(REAL_FIRMS[region], rel=1e-9)
    employment = (firms.weight * firms.employees)[here].sum()
    assert employment == pytest.approx(REAL_EMPLOYMENT[region], rel=0.15)


def test_firms_never_pay_more_for_tasks_than_they_are_worth_even_with_many_tiers():
    """A task is done only when worth more than what is paid for it at its tier mix (the
    tier logit's capability term is utility, not money), so the token bill stays below
    the value of the tasks done as capable tiers arrive."""
    model = make_model(
        n_firms=400, capability_tiers=True, capacity_limited=False, counterfactual="none"
    )
    model.run_for(72)
    df = frame(model)
    assert (df["firm_token_bill_usd"] < df["productivity_gain_usd"]).all()
    assert df["tasks_tier_4"].iloc[-1] > 0  # the late tiers did take tasks
