"""Firms (agents/firm): sizes fitted to each region, tasks (demand_model='task_value') and
their market elasticity, adoption against the price, demand by the constant elasticity, the
providers a region may use, value capped at the wage bill, and the ``Firm`` views Mesa
registers."""

import math

import numpy as np
import pytest
from helpers import frame, make_model
from scipy.stats import norm

from jevons_compute.agents import Firm
from jevons_compute.agents.firm import TASK_MINUTES, TASKS_PER_WORKER
from jevons_compute.agents.firm.synthesis import fit_pareto_alpha, pareto_mean
from jevons_compute.model.model import JevonsModel
from jevons_compute.world.facts import REAL_EMPLOYMENT, REAL_FIRMS, WORK_HOURS_PER_MONTH
from jevons_compute.world.scenario import JevonsScenario

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


def brute_force(model, multiplier: float = 1.0) -> dict:
    """The one firm's tasks, tokens, bill and value per exposed worker-month at
    ``multiplier`` x the provider's posted tier prices, recomputed here from the rule by
    integrating over a fine grid of task values: a task of class j worth v (log-normal
    about ln(median x wage x h_j), spread sigma) is done on the tier maximising
    v / (1 + (L / H_c)^b) - price_c x tokens_c(L), if positive."""
    s = model.scenario
    firms, provider = model.firms, model.providers[0]
    sigma = s.task_value_sigma
    n = len(provider.tier_prices)
    horizon = model.tiers.horizon_minutes[:n]
    median = s.task_value_median * firms.wage[0] / (WORK_HOURS_PER_MONTH * 60) * TASK_MINUTES
    x = np.linspace(-12, 12, 400_001)  # standard normal grid
    density = norm.pdf(x) * (x[1] - x[0])
    out = dict(tasks=0.0, tokens=0.0, bill=0.0, value=0.0)
    for j, (m, minutes) in enumerate(zip(median, TASK_MINUTES)):
        v = m * np.exp(sigma * x)
        success = 1.0 / (1.0 + (minutes / horizon) ** s.task_success_slope)
        tokens = s.tokens_per_task_minute * minutes * model.tiers.tokens_per_task[:n]
        cost = multiplier * provider.tier_prices * tokens / 1e6
        payoff = v[:, None] * success[None, :] - cost[None, :]
        best = payoff.argmax(axis=1)
        done = payoff.max(axis=1) > 0
        w = TASKS_PER_WORKER[j] * provider.task_volume[j] * density * done
        out["tasks"] += w.sum()
        out["tokens"] += (w * tokens[best]).sum()
        out["bill"] += (w * cost[best]).sum()
        out["value"] += (w * v * success[best]).sum()
    return out


def surplus_per_month(model) -> float:
    """The one firm's surplus (value - bill) at the provider's posted prices, by brute
    force (``brute_force``)."""
    e = brute_force(model)
    return (min(e["value"], model.firms.wage[0]) - e["bill"]) * model.firms.workers[0]


def test_the_tier_envelope_matches_brute_force_for_tasks_tokens_bill_and_value():
    """Five tiers released (month 33): what firms' task economics say per worker equals
    the brute-force choice of the best tier for every task value."""
    model = make_model(capability_tiers=True, task_value_median=0.05, **ONE_FIRM)
    model.run_for(33)
    assert len(model.providers[0].tier_prices) == 5
    e = model.firms.task_economics(model.providers, model.scenario)
    expected = brute_force(model)
    assert e.tokens[0, 1] == pytest.approx(expected["tokens"], rel=1e-3)
    assert e.bill[0, 1] == pytest.approx(expected["bill"], rel=1e-3)
    assert e.value[0, 1] == pytest.approx(min(expected["value"], model.firms.wage[0]), rel=1e-3)
    assert e.tier_tasks[0, 1].sum() == pytest.approx(expected["tasks"], rel=1e-3)
    assert e.tier_tokens[0, 1].sum() == pytest.approx(e.tokens[0, 1], rel=1e-9)
    # several tiers are chosen, and the long tasks go to the long-horizon tiers
    provider = model.providers[0]
    assert provider.task_on.sum(axis=1).max() >= 2
    chosen_top = [np.flatnonzero(on).max() for on in provider.task_on]
    assert chosen_top == sorted(chosen_top)


def test_cheaper_tokens_move_tasks_up_the_tiers():
    """Dividing every tier's price by 100: the share of tasks done on the tiers above the
    first rises (the better tier's success is worth its price for more tasks)."""
    from jevons_compute.model.market.pricing import price_task_classes

    model = make_model(capability_tiers=True, task_value_median=0.05, **ONE_FIRM)
    model.run_for(20)
    tasks = model.firms.task_economics(model.providers, model.scenario).tier_tasks[0, 1]
    for p in model.providers:
        p.tier_prices = p.tier_prices / 100
    price_task_classes(model.providers, model)
    cheap = model.firms.task_economics(model.providers, model.scenario).tier_tasks[0, 1]
    assert cheap[1:].sum() / cheap.sum() > tasks[1:].sum() / tasks.sum() + 0.05
    assert cheap.sum() > tasks.sum()


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
                # it buys from a provider at once; before, it had none and used no tokens
                assert firm.provider is model.providers[0] and firm.tokens > 0
            else:
                assert firm.provider is None and firm.tokens == 0
    assert adopted_at is not None and adopted_at > 1
    assert frame(model)["adoption_rate"].iloc[adopted_at - 1] == 0.0


def test_adoption_does_not_happen_at_any_price_when_tasks_are_worthless():
    model = make_model(task_value_median=1e-6, algo_efficiency_gain=20.0, **ONE_FIRM)
    model.run_for(24)
    assert not model.firms.adopted.any()


def test_more_firms_find_adoption_pays_when_prices_fall():
    from jevons_compute.model.market.pricing import price_task_classes

    model = make_model(n_firms=2000, counterfactual="none")
    firms = model.firms
    before = firms.eligible(None).mean()
    for p in model.providers:
        p.tier_prices = p.tier_prices / 100
    price_task_classes(model.providers, model)
    firms.price(model.providers, model.scenario)
    after = firms.eligible(None).mean()
    assert after > before + 0.05


def all_adopted_at_the_first_provider(firms) -> None:
    firms.share[:] = 1.0
    firms.adopted[:] = True
    firms.slot[:] = 1
    firms.key[:] = firms.cell * firms.n_slots + 1


@pytest.mark.parametrize("median", [1e-3, 1e-2, 1e-1])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0, 3.0])
def test_the_market_elasticity_follows_from_the_task_value_median_and_sigma(median, sigma):
    """Tokens asked at m x the posted prices: d ln tokens / d ln m equals the brute-force
    elasticity of the tier rule, for any median and sigma."""
    model = make_model(task_value_median=median, task_value_sigma=sigma, **ONE_FIRM)
    all_adopted_at_the_first_provider(model.firms)
    model.step()
    provider = model.providers[0]
    response = model.firms.demand_response(
        model.providers, 0, model.reference_price, model.scenario
    )
    h = 0.05  # an arc elasticity: the brute-force grid resolves 5% price steps
    simulated = -(math.log(response(1 + h)) - math.log(response(1 - h))) / (
        math.log(1 + h) - math.log(1 - h)
    )
    up, down = brute_force(model, 1 + h)["tokens"], brute_force(model, 1 - h)["tokens"]
    expected = -(math.log(up) - math.log(down)) / (math.log(1 + h) - math.log(1 - h))
    del provider
    assert simulated == pytest.approx(expected, rel=2e-3)


def test_elasticity_is_high_while_ai_is_dear_and_falls_as_tasks_get_done():
    elasticities = []
    for median in (1e-4, 1e-2, 1.0, 100.0):  # tasks worth more: more are done at a given price
        model = make_model(task_value_median=median, task_value_sigma=1.0, **ONE_FIRM)
        all_adopted_at_the_first_provider(model.firms)
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
        wage_bill = f.wage * f.employees * f.exposure * f.adopted_share  # of its adopters
        assert f.productivity_gain <= wage_bill * (1 + 1e-12)
    # worth 100x the human cost at the median: the cap binds for every adopter
    capped = [
        f.productivity_gain / (f.wage * f.employees * f.exposure * f.adopted_share) for f in adopted
    ]
    assert min(capped) > 0.99


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


# --- demand by the constant elasticity, in a tiny market set by hand ----------------------
def tiny_firm_market(**params):
    """Two US firms, one provider, nobody adopted, an adoption hazard of ~1 a month."""
    model = make_model(
        n_firms=2,
        regions="US",
        n_providers=1,
        initial_adoption=0.0,
        bass_p=100.0,
        identical_firms=True,
        **params,
    )
    firms = model.firms
    # firm 0: 100 employees, high wage, half its work exposed: clearly worth adopting
    # firm 1: a one-person firm with little exposed work: integration cost exceeds the gain
    firms.employees[:] = [100.0, 1.0]
    firms.wage[:] = [6000.0, 1000.0]
    firms.exposure[:] = [0.5, 0.1]
    firms.derive(model.scenario)
    return model


def test_firm_does_not_adopt_when_tokens_cost_more_than_the_gain():
    # the keen firm, but its reference token bill exceeds its productivity gain
    model = tiny_firm_market(demand_model="constant_elasticity", tokens_per_worker=1e9)
    model.step()
    assert not model.firms.adopted.any()


def test_firm_uses_more_tokens_when_price_falls_by_its_elasticity():
    model = tiny_firm_market(
        demand_model="constant_elasticity", price_elasticity=1.5, capacity_limited=False
    )
    model.step()
    keen = next(f for f in model.agents_by_type[Firm] if f.index == 0)
    # tokens per adopted firm (the agent's adopted share still grows a little)
    before, price_before = keen.tokens / keen.adopted_share, model.providers[0].price_per_mtok
    model.step()
    after, price_after = keen.tokens / keen.adopted_share, model.providers[0].price_per_mtok
    assert price_after < price_before
    assert after / before == pytest.approx((price_after / price_before) ** -1.5, rel=1e-9)


def test_firms_only_choose_providers_their_region_may_use():
    model = make_model(n_firms=600, initial_adoption=1.0)
    model.run_for(3)
    for firm in model.agents_by_type[Firm]:
        if firm.adopted:
            assert (
                firm.provider.region
                in {"US": ("US", "EU"), "EU": ("US", "EU"), "CN": ("CN",)}[firm.region]
            )


# --- Firm views: agents created in one pass (Firm.create_views) -------------------------
def model_without_twin(n_firms: int, **options) -> JevonsModel:
    return JevonsModel(JevonsScenario(rng=1, n_firms=n_firms), counterfactual="none", **options)


def registrations(model):
    return [(type(a), a.unique_id, getattr(a, "index", None)) for a in model.agents]


def test_firm_views_register_as_one_by_one():
    fast = model_without_twin(n_firms=50)
    slow = model_without_twin(n_firms=50, firm_agents=False)
    for i in range(slow.firms.n):
        Firm(slow, i)
    assert registrations(fast) == registrations(slow)
    firms = list(fast.agents_by_type[Firm])
    assert [f.index for f in firms] == list(range(50)) and all(f.model is fast for f in firms)
    assert fast.agents_by_type[Firm].random is fast.random
    # the next agent gets the next id, and a firm leaves both registries
    assert Firm(fast, 0).unique_id == Firm(slow, 0).unique_id
    firms[3].remove()
    assert firms[3] not in fast.agents and firms[3] not in fast.agents_by_type[Firm]


def test_firm_views_one_by_one_when_firms_exist():
    model = model_without_twin(n_firms=20)
    Firm.create_views(model, 5)
    assert len(model.agents_by_type[Firm]) == 25
    assert len({a.unique_id for a in model.agents}) == len(model.agents)


@pytest.mark.parametrize("eta", [0.0, 0.25, 1.0])
def test_task_volume_grows_by_the_creation_elasticity_as_entry_costs_fall(eta):
    """Every tier's price divided by 100 divides every class's entry cost by 100: task
    volume grows 100^eta (work never done because it cost too much); prices 10x above
    step 0 create nothing and destroy nothing (volume 1)."""
    from jevons_compute.model.market.pricing import price_task_classes

    model = make_model(capability_tiers=True, task_creation_elasticity=eta, **ONE_FIRM)
    provider = model.providers[0]
    assert provider.task_volume == pytest.approx(np.ones(len(TASK_MINUTES)))
    posted = provider.tier_prices.copy()
    before = model.firms.task_economics(model.providers, model.scenario).tier_tasks.sum()
    provider.tier_prices = posted / 100
    price_task_classes(model.providers, model)
    np.testing.assert_allclose(provider.task_volume, 100.0**eta, rtol=1e-9)
    cheap = model.firms.task_economics(model.providers, model.scenario)
    provider.tier_prices = posted * 10
    price_task_classes(model.providers, model)
    np.testing.assert_allclose(provider.task_volume, 1.0)
    assert cheap.tier_tasks.sum() > before
    if eta > 0:
        with_zero = make_model(capability_tiers=True, task_creation_elasticity=0.0, **ONE_FIRM)
        p0 = with_zero.providers[0]
        p0.tier_prices = posted / 100
        price_task_classes(with_zero.providers, with_zero)
        base = with_zero.firms.task_economics(with_zero.providers, with_zero.scenario)
        assert cheap.tier_tasks.sum() == pytest.approx(base.tier_tasks.sum() * 100.0**eta, rel=1e-9)
