"""Consumers and platforms (agents/consumer.py): users diffuse (Bass); platforms earn a
revenue per user by region and over time and spend a serving budget s0 R (c/c0)^(1 - eps_s)
on their users; their tokens are served by the same providers."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents.consumer import ConsumerMarket, revenue_per_user
from jevons_compute.world.facts import INTERNET_USERS
from jevons_compute.world.scenario import JevonsScenario


class Platform:
    """A provider as consumers see it: a cost per useful FLOP (USD) and its tiers' FLOPs
    per token (one tier of 1 FLOP by default, so ``cost`` is the cost per token)."""

    def __init__(self, cost: float, tier_flops=(1.0,)):
        self.inference_cost_per_flop = cost
        self.tier_flops = np.array(tier_flops, dtype=float)

    @property
    def cost(self) -> float:
        return self.inference_cost_per_flop

    @cost.setter
    def cost(self, value: float) -> None:
        self.inference_cost_per_flop = value


def a_market(regions=("US",), users=(1e6,), **params):
    """A ConsumerMarket of ``users`` per region on the table's defaults and ``params``."""
    s = JevonsScenario(rng=1, n_firms=50, regions=",".join(regions), **params)
    market = ConsumerMarket(s, regions)
    market.users = np.array(users, dtype=float)
    return s, market


def test_users_diffuse_by_bass_toward_the_ceiling():
    model = make_model(n_firms=100, counterfactual="none")
    s = model.scenario
    ceiling = s.consumer_ceiling * np.array([INTERNET_USERS[r] for r in model.regions])
    users = s.consumer_initial_share * ceiling
    model.run_for(60)
    expected = [users.sum()]
    for _ in range(60):
        hazard = 1 - np.exp(-(s.consumer_bass_p + s.consumer_bass_q * users / ceiling) / 12)
        users = users + hazard * (ceiling - users)
        expected.append(users.sum())
    df = frame(model)
    np.testing.assert_allclose(df["consumer_users"], expected, rtol=1e-12)
    assert (np.diff(df["consumer_users"]) > 0).all() and expected[-1] < ceiling.sum()


def test_with_a_constant_share_doubling_the_cost_halves_tokens_and_keeps_the_spend():
    s, market = a_market(consumer_serving_elasticity=1.0, consumer_serving_share=0.6)
    platform = Platform(1e-6)
    one = [[1.0]]
    tokens = market.ask(s, [platform], np.array(one), 0).sum()
    revenue = market.revenue()[0]
    assert market.budget[0] == pytest.approx(0.6 * revenue)  # s0 R at the step-0 cost
    assert tokens == pytest.approx(0.6 * revenue / 1e-6)  # tokens = budget / cost
    assert market.per_user[0] == pytest.approx(tokens / 1e6)
    platform.cost = 2e-6
    doubled = market.ask(s, [platform], np.array(one), 0).sum()
    assert doubled == pytest.approx(tokens / 2)
    assert doubled * platform.cost == pytest.approx(tokens * 1e-6)  # the same spend


@pytest.mark.parametrize("eps", [0.5, 1.5])
def test_spend_falls_as_cost_falls_below_a_unit_elasticity_and_rises_above(eps):
    s, market = a_market(consumer_serving_elasticity=eps)
    platform = Platform(1e-6)
    market.ask(s, [platform], np.array([[1.0]]), 0)
    spend, per_user = market.budget[0], market.per_user[0]
    platform.cost = 1e-7  # ten times cheaper
    market.ask(s, [platform], np.array([[1.0]]), 0)
    assert market.budget[0] == pytest.approx(spend * 0.1 ** (1 - eps))
    assert market.per_user[0] == pytest.approx(per_user * 10**eps)  # tokens ~ c^-eps
    assert (market.budget[0] < spend) == (eps < 1)


def test_revenue_per_user_is_us_above_eu_above_china_and_grows_by_the_rate():
    regions = ("US", "EU", "CN")
    s, market = a_market(regions, (1e6, 1e6, 1e6), consumer_revenue_growth=0.2)
    # one platform every region uses: the same users earn it least in China
    market.ask(s, [Platform(1e-6)], np.ones((3, 1)), 0)
    us, eu, cn = market.revenue_at[:, 0]
    assert us > eu > cn > 0
    # the 2024 levels in mid-2024 (start_year 2023: month 18 is July 2024, its middle
    # half a month past mid-year), a year later x 1.2
    mid_2024 = revenue_per_user(s, regions, 18) / 1.2 ** (0.5 / 12)
    assert mid_2024 == pytest.approx([1.5, 0.75, 0.1])
    assert revenue_per_user(s, regions, 30) == pytest.approx(1.2 * revenue_per_user(s, regions, 18))
    # a platform's users share its budget: US users' revenue buys Chinese users' tokens too
    assert market.per_user[0] == pytest.approx(
        s.consumer_serving_share * (us + eu + cn) / 3e6 / 1e-6
    )


def test_no_users_no_tokens_and_no_spend():
    s, market = a_market(users=(0.0,))
    assert market.ask(s, [Platform(1e-6)], np.array([[1.0]]), 0).sum() == 0.0
    assert market.budget[0] == 0.0 and market.per_user[0] == 0.0


def test_in_the_model_tokens_follow_each_platforms_budget_and_cost():
    model = make_model(n_firms=100, counterfactual="none", consumer_serving_elasticity=0.7)
    model.run_for(24)
    c = model.consumers
    cost = np.array([p.consumer_cost_per_token for p in model.providers])
    budget = model.scenario.consumer_serving_share * c.revenue() * (cost / c.reference_cost) ** 0.3
    assert c.budget == pytest.approx(budget, rel=1e-12)
    assert c.demand.sum(axis=0) == pytest.approx(budget / cost, rel=1e-12)
    assert all(cost < c.reference_cost)  # serving got cheaper: the budget fell (eps_s < 1)
    df = frame(model)
    served = df["consumer_serving_usd"].iloc[-1]
    assert served == pytest.approx(budget.sum(), rel=0.05) and served <= budget.sum() * (1 + 1e-9)


def test_users_stay_with_their_platform_and_new_users_choose_by_the_logit():
    """A month after the choice probabilities flip, only switching_rate of the users who
    were there move; new users follow the new probabilities."""
    s = make_model(n_firms=50, switching_rate=0.1).scenario
    market = ConsumerMarket(s, ("US",))
    market.users = np.array([100.0])
    providers = [Platform(1.0)] * 2
    market.ask(s, providers, np.array([[1.0, 0.0]]), 0)
    assert market.shares == pytest.approx(np.array([[1.0, 0.0]]), 0)
    market.diffuse(s, np.array([[0.0, 1.0]]))  # the second provider is now the choice
    new = market.users[0] - 100.0
    assert new > 0
    market.ask(s, providers, np.array([[0.0, 1.0]]), 0)
    stayed_first = 100.0 * 0.9  # 10% of the first 100 switch; the new ones choose
    assert market.users_at == pytest.approx([stayed_first, market.users[0] - stayed_first])
    again = market.ask(s, providers, np.array([[0.0, 1.0]]), 0)  # asking twice moves nobody
    assert again == pytest.approx(market.demand)
    assert market.users_at[0] == pytest.approx(stayed_first)


def test_consumer_tokens_add_to_what_providers_serve():
    kw = dict(n_firms=300, capacity_limited=False, counterfactual="none")
    with_consumers = make_model(**kw)
    without = make_model(consumer_ceiling=0.0, **kw)
    with_consumers.run_for(12)
    without.run_for(12)
    a, b = frame(with_consumers), frame(without)
    assert (b["consumer_tokens"] == 0).all() and (a["consumer_tokens"] > 0).all()
    np.testing.assert_allclose(a["tokens"] - a["consumer_tokens"], b["tokens"], rtol=1e-9)


@pytest.mark.parametrize("eps", [0.5, 1.0, 1.5])
def test_consumers_compute_ignores_algorithmic_efficiency_at_a_unit_elasticity(eps):
    """Consumers' compute is their budget / cost per FLOP: with eps_s = 1 (and no quality
    response) the twin without algorithmic progress spends the same and buys the same
    FLOPs; below 1 the run spends less on cheaper tokens (fewer FLOPs), above 1 more. A
    quality response makes cheaper tokens earn more revenue, so more compute."""
    kw = dict(n_firms=300, marginal=False, consumer_serving_elasticity=eps)
    model = make_model(consumer_quality_response=0.0, **kw)
    model.run_for(24)
    ratio = frame(model)["jevons_ratio_consumers"].iloc[-1]
    if eps == 1.0:
        assert ratio == pytest.approx(1.0, rel=1e-6)
        responding = make_model(consumer_quality_response=0.3, **kw)
        responding.run_for(24)
        assert frame(responding)["jevons_ratio_consumers"].iloc[-1] > 1.05
    else:
        assert (ratio < 0.9) if eps < 1 else (ratio > 1.1)


@pytest.mark.parametrize("eta", [0.0, 0.5])
def test_revenue_per_user_answers_last_months_quality_by_the_quality_response(eta):
    s, market = a_market(consumer_quality_response=eta, consumer_revenue_growth=0.0)
    platform, one = Platform(1e-6), np.array([[1.0]])
    market.ask(s, [platform], one, 0)
    base = market.revenue()[0]
    platform.cost = 1e-7  # ten times cheaper: ten times the tokens per user (eps_s = 1)
    market.ask(s, [platform], one, 1)
    assert market.revenue()[0] == pytest.approx(base)  # quality is last month's
    assert market.per_user[0] == pytest.approx(10 * market.reference_per_user[0])
    market.ask(s, [platform], one, 2)
    assert market.quality() == pytest.approx([10.0])
    assert market.revenue()[0] == pytest.approx(base * 10**eta)
    again = market.ask(s, [platform], one, 2).copy()  # asking twice in a month: the same
    assert market.ask(s, [platform], one, 2) == pytest.approx(again)


def test_a_vanishing_number_of_users_asks_finite_tokens():
    """Users so few that users x cost per token underflows still get their budget's tokens
    (found by the property tests: consumer_ceiling=5e-324)."""
    s, market = a_market(users=(5e-324 * 3.1e8,))
    demand = market.ask(s, [Platform(1e-10)], np.array([[1.0]]), 0)
    assert np.isfinite(demand).all() and np.isfinite(market.per_user).all()
    assert market.per_user[0] > 0


def test_a_platform_serves_the_most_capable_tier_its_budget_per_user_affords():
    """Tiers of 1, 10 and 100 FLOPs per token at 1e-6 USD a FLOP: last month's budget per
    user buys the tokens floor on tier 1 (10 FLOPs) but not on tier 2, so tier 1 is
    served, and tokens per user are the budget over tier 1's cost per token."""
    s, market = a_market(consumer_tokens_floor=1e3)
    platform = Platform(1e-6, tier_flops=(1.0, 10.0, 100.0))
    market.ask(s, [platform], np.ones((1, 1)), 0)
    assert market.tier.tolist() == [0]  # nothing known yet: the first tier
    per_user = market.budget[0] / market.users_at[0]
    floor = per_user / (1e-6 * 50.0)  # affords 50 FLOPs a token at the floor
    s, market = a_market(consumer_tokens_floor=floor)
    market.ask(s, [platform], np.ones((1, 1)), 0)
    market.ask(s, [platform], np.ones((1, 1)), 1)
    assert market.tier.tolist() == [1]
    np.testing.assert_allclose(
        market.per_user[0], market.budget[0] / market.users_at[0] / 1e-5, rtol=1e-12
    )
    # a third of the floor affords 150 FLOPs a token: the top tier
    s, market = a_market(consumer_tokens_floor=floor / 3)
    market.ask(s, [platform], np.ones((1, 1)), 0)
    market.ask(s, [platform], np.ones((1, 1)), 1)
    assert market.tier.tolist() == [2]
