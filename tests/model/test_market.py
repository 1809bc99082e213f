"""The market (model/market): prices per tier and per task class and the tier mix of what
firms buy (pricing), a shortage cleared by the price (clearing), and the customers a full
provider turns away spilling over to the others (spill-over)."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents import Firm
from jevons_compute.agents.firm import TASK_MINUTES
from jevons_compute.model.market.clearing import clear
from jevons_compute.model.market.pricing import mix_tasks
from jevons_compute.world.facts import SECONDS_PER_MONTH


# --- pricing: tiers and task classes ---------------------------------------------------
def test_demand_moves_to_new_tiers_so_the_price_paid_falls_less_than_the_hedonic_index():
    model = make_model(seed=2, n_firms=1000, counterfactual="none", capability_tiers=True)
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


def test_tokens_and_tasks_by_tier_add_up_and_long_tasks_buy_the_long_horizons():
    model = make_model(n_firms=600, capability_tiers=True, counterfactual="none")
    model.run_for(40)
    df = frame(model)
    tiers = df[[f"tokens_tier_{k}" for k in range(5)]].sum(axis=1)
    np.testing.assert_allclose(tiers, df["tokens"], rtol=1e-9)
    assert (df["tasks_tier_1"].iloc[:17] == 0).all() and df["tasks_tier_1"].iloc[-1] > 0
    # the tiers chosen for a class never go down as its tasks get longer, and the longest
    # class buys a later tier than the shortest
    provider = model.providers[0]
    top = [np.flatnonzero(on).max() for on in provider.task_on]
    low = [np.flatnonzero(on).min() for on in provider.task_on]
    assert top == sorted(top) and low == sorted(low) and top[-1] > low[0]
    assert len(TASK_MINUTES) == len(top)


# --- clearing ----------------------------------------------------------------------------
def test_a_shortage_in_the_model_raises_prices_and_cuts_tokens():
    # consumers pay a flat price and do not respond: firms only, so the price can clear
    model = make_model(n_firms=300, consumer_ceiling=0.0)
    for p in model.providers:
        p.capacity_flops *= 0.15
        p.gpu_flops *= 0.15
        p.xpu_flops *= 0.15
    posted = [p.price_per_mtok for p in model.providers]
    model.step()
    df = frame(model)
    # (some customers of the short providers find room at the others: spill-over)
    assert df["tokens"].iloc[-1] < 0.7 * df["tokens_demanded"].iloc[-1]
    assert df["rationed_share"].iloc[-1] < 1e-9  # the price cleared it, nobody was turned away
    short = [p for p in model.providers if p.cleared_tokens < p.demand_tokens * (1 - 1e-9)]
    assert short and all(p.scarcity > 1 for p in short)  # a price rise cleared each shortage
    mfu = model.scenario.inference_mfu
    for p in model.providers:  # short, or with room for the customers who spilled over to it
        room = (p.capacity_flops * SECONDS_PER_MONTH - p.training_peak_seconds) * mfu
        assert p.scarcity > 1 or p.inference_flops < room
    assert sum(p.price_per_mtok > q for p, q in zip(model.providers, posted)) >= 1


# --- spill-over --------------------------------------------------------------------------
def a_full_provider(demand_model: str, cut: float = 0.5, **params):
    """Two US providers three months in, the first cut to ``cut`` of its capacity, the
    other with room to spare; posted demand, consumers' tokens, and the multiplier the
    first would clear at alone (no spill-over)."""
    model = make_model(
        n_firms=400,
        marginal=False,
        regions="US",
        n_providers=2,
        bass_p=5.0,
        demand_model=demand_model,
        **params,
    )
    model.run_for(3)
    full, other = model.providers
    for provider, factor in ((full, cut), (other, 10.0)):
        provider.scale_fleet(factor)
    s = model.scenario
    posted = model.firms.demand(model.providers, model.reference_price, s)
    if s.demand_model == "task_value":
        mix_tasks(model.providers, *model.firms.tier_demand())
    flat = model.consumers.ask(s, model.providers, model.firms.probs, model.steps).sum(axis=0)
    response = model.firms.demand_response(model.providers, 0, model.reference_price, s)
    firm_tokens = posted[0, 1]
    alone = full.multiplier_for(
        firm_tokens + flat[0],
        lambda m: (firm_tokens * response(m) + flat[0]) / (firm_tokens + flat[0]),
    )
    return model, posted, flat, alone


def share_that_left(model, premiums):
    """(measured, logit) share of the full provider's customers who bought at the other:
    from what its choosers got per worker, and 1 - P_1(m) / P_1(1) at the multipliers m
    the providers cleared at (one region)."""
    firms = model.firms
    m = np.array([p.scarcity for p in model.providers]) / premiums
    probs = firms.probs[0]
    weights = probs * m**-model.scenario.price_sensitivity
    stay = min(1.0, weights[0] / weights.sum() / probs[0])
    cells = firms.workers_cs[:, 1] > 0
    there = firms.tokens_per_worker[cells, 1:] * firms.served_share[1:]
    left = (firms.spilled.tokens[cells, 1] - there[:, 0]) / np.diff(there)[:, 0]
    return left, 1.0 - stay


def test_demand_a_full_provider_turns_away_spills_over_to_the_others():
    model, posted, _, alone = a_full_provider("constant_elasticity", cut=0.3, consumer_ceiling=0.0)
    full, other = model.providers
    premium = full.scarcity
    premiums = np.array([p.scarcity for p in model.providers])
    cleared = clear(model)
    left, logit = share_that_left(model, premiums)  # the joint fixed point
    assert 0.0 < logit < 1.0 and left == pytest.approx(np.full(len(left), logit), rel=1e-4)
    assert full.scarcity > premium and full.cleared_tokens == pytest.approx(
        full.capacity_split()[2] / full.flops_per_token
    )
    assert 1.0 < full.scarcity / premium < alone  # customers left: a smaller rise than alone
    assert other.demand_tokens > posted[0, 2] * 1.01  # customers of the full one came over
    served = model.firms.served_tokens().sum()
    assert served == pytest.approx(full.served_tokens + other.served_tokens)
    assert cleared["served_by_region"].sum() == pytest.approx(served)
    bill = full.served_tokens * full.price_per_mtok + other.served_tokens * other.price_per_mtok
    assert cleared["firm_bill"] == pytest.approx(bill / 1e6)
    assert model.firms.token_bill(model.providers).sum() == pytest.approx(bill / 1e6)


def test_task_demand_spills_over_at_the_other_providers_task_prices():
    # half its capacity: more than its consumers ask, who stay; short enough that it
    # clears below MAX_SCARCITY once customers have left
    model, posted, flat, alone = a_full_provider("task_value")
    full, other = model.providers
    firms = model.firms
    premium = full.scarcity
    premiums = np.array([p.scarcity for p in model.providers])
    cleared = clear(model)
    # a worker who chose the full provider buys there or, with the same logit chance in
    # every wage band (one region), what it would at the other provider's per-class prices
    left, logit = share_that_left(model, premiums)
    assert 0.0 < logit < 1.0 and left == pytest.approx(np.full(len(left), logit), rel=1e-4)
    cells = firms.workers_cs[:, 1] > 0
    value_there = firms.value_per_worker[cells, 1:] * firms.served_share[1:]
    value = value_there[:, 0] + left[0] * np.diff(value_there)[:, 0]
    assert firms.spilled.value[cells, 1] == pytest.approx(value)
    assert flat.sum() > 0  # consumers stay where they are and share the rationing
    assert 1.0 < full.scarcity / premium < alone
    assert full.cleared_tokens == pytest.approx(full.capacity_split()[2] / full.flops_per_token)
    assert other.demand_tokens - flat[1] > posted[0, 2] * 1.01
    # firms' tokens, gains and bill where they bought add up to the providers' and the totals
    agents = list(model.agents_by_type[Firm])
    tokens = sum(f.tokens * f.weight for f in agents)
    assert other.served_tokens == pytest.approx(other.cleared_tokens)  # room to spare
    # the full provider clears by its price, rationing nobody: its consumers (who do not
    # respond to the price) get all they ask, its firms less than they asked at posted prices
    rationed = np.array([p.served_tokens / p.cleared_tokens for p in model.providers])
    assert rationed == pytest.approx(1.0) and firms.served_share[1] < 0.99
    served_flat = flat @ rationed
    assert tokens + served_flat == pytest.approx(full.served_tokens + other.served_tokens)
    assert tokens == pytest.approx(firms.served_tokens().sum())
    assert cleared["served_by_region"].sum() == pytest.approx(tokens)
    assert cleared["consumer_by_region"].sum() == pytest.approx(served_flat)
    gains = sum(f.productivity_gain * f.weight for f in agents)
    assert cleared["gains_by_region"].sum() == pytest.approx(gains)
    assert cleared["firm_bill"] == pytest.approx(firms.token_bill(model.providers).sum())
    # a firm that chose the full provider got more than the full provider's share served
    chose_full = [f for f in agents if f.provider is full and f.demand > 0]
    assert chose_full and all(
        f.tokens > f.demand * firms.served_share[1] * (1 + 1e-9) for f in chose_full
    )


def test_nobody_spills_over_while_every_provider_has_room():
    model = make_model(n_firms=200, marginal=False, capacity_limited=False)
    model.run_for(3)
    assert model.firms.spilled is None and model.twin.firms.spilled is None
    assert (model.firms.served_share == 1.0).all()
