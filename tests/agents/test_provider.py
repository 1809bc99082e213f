"""Behaviour of each agent kind in a tiny market set by hand (in the manner of Mesa's
wolf-sheep behaviour tests): build, place, one step, assert the decision."""

import numpy as np
import pytest
from conftest import frame, make_model

from jevons_compute.agents import ChipVendor, CloudProvider, Firm
from jevons_compute.agents.provider import MAX_SCARCITY
from jevons_compute.world.facts import EXPORT_CAP_FLOPS, SECONDS_PER_MONTH


# --- Firm -------------------------------------------------------------------------------
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


def test_firm_adopts_when_net_benefit_positive_and_not_otherwise():
    model = tiny_firm_market()
    keen, reluctant = sorted(model.agents_by_type[Firm], key=lambda f: f.index)
    assert not keen.adopted and not reluctant.adopted
    model.step()
    assert keen.adopted and keen.provider is model.providers[0] and keen.tokens > 0
    assert not reluctant.adopted and reluctant.provider is None and reluctant.tokens == 0


def test_firm_does_not_adopt_when_tokens_cost_more_than_the_gain():
    # same keen firm, but its reference token bill exceeds its productivity gain
    model = tiny_firm_market(demand_model="constant_elasticity", tokens_per_worker=1e9)
    model.step()
    assert not model.firms.adopted.any()


def test_firm_uses_more_tokens_when_price_falls_by_its_elasticity():
    model = tiny_firm_market(
        demand_model="constant_elasticity", price_elasticity=1.5, capacity_limited=False
    )
    model.step()
    keen = next(f for f in model.agents_by_type[Firm] if f.index == 0)
    before, price_before = keen.tokens, model.providers[0].price_per_mtok
    model.step()
    after, price_after = keen.tokens, model.providers[0].price_per_mtok
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


# --- CloudProvider ----------------------------------------------------------------------
def provider_with_utilisation(utilisation):
    model = make_model(n_firms=50)
    provider = model.providers[0]
    demand = utilisation * provider.capacity_flops * SECONDS_PER_MONTH
    provider.peak_demand_history = [demand] * 8
    provider.revenue = 0.0  # no training part: the whole order is for inference
    return model, provider


def test_provider_orders_chips_when_utilisation_is_high():
    model, provider = provider_with_utilisation(0.95)
    provider.order_chips(1)
    orders = [o for v in model.vendors for o in v.backlog if o.provider is provider]
    assert orders and all(o.due == 1 + model.scenario.chip_lead_time for o in orders)
    # the order restores planned utilisation to the target
    future = provider.capacity_flops + sum(o.units * o.chip.flops for o in orders)
    assert 0.95 * provider.capacity_flops / future == pytest.approx(
        model.scenario.target_utilization, rel=0.05
    )


def test_provider_orders_nothing_when_utilisation_is_low():
    model, provider = provider_with_utilisation(0.3)
    provider.order_chips(1)
    assert not [o for v in model.vendors for o in v.backlog if o.provider is provider]


def test_provider_splits_orders_by_a_logit_on_cost_per_useful_flop():
    """No all-or-nothing: every chip on sale gets a share, the cheapest the largest, and
    the shares follow exp(-sensitivity x ln cost) between chips with empty backlogs."""
    model, provider = provider_with_utilisation(0.95)
    offers = model.offers[provider.region]
    shares = provider.chip_shares(offers, 1, gpu_only=False)
    assert len(shares) >= 2  # a US provider: the US GPU and XPU (Chinese chips too dear)
    assert sum(s for _, _, s in shares) == pytest.approx(1.0)
    rent = {chip: r for _, chip, r in offers}
    by_rent = sorted((rent[chip], share) for _, chip, share in shares)
    assert by_rent[0][1] == max(s for _, s in by_rent)  # cheapest gets most
    (r0, s0), (r1, s1) = by_rent[0], by_rent[1]
    k = model.scenario.chip_price_sensitivity
    assert s1 / s0 == pytest.approx((r1 / r0) ** -k, rel=1e-9)
    training = provider.chip_shares(offers, 1, gpu_only=True)
    assert training and all(chip.kind == "gpu" for _, chip, _ in training)


def test_a_long_backlog_moves_orders_to_other_vendors():
    model, provider = provider_with_utilisation(0.95)
    offers = model.offers[provider.region]
    before = {v.name: s for v, _, s in provider.chip_shares(offers, 1, gpu_only=False)}
    busy = offers[0][0]
    busy.take_order(provider, offers[0][1], 12 * busy.production(1), 1, "inference")
    after = {v.name: s for v, _, s in provider.chip_shares(offers, 1, gpu_only=False)}
    assert after[busy.name] < before[busy.name] / 5


def test_domestic_preference_cancels_foreign_orders_and_shifts_chinese_purchases():
    # firms only: with Chinese consumers' demand the domestic vendors' capacity binds and
    # their backlog sends orders back to US chips (a question for the supply side)
    no_consumers = dict(consumer_ceiling=0.0)
    model = make_model(
        n_firms=2000, seed=2, domestic_preference_step=12, chip_lead_time=6, **no_consumers
    )
    cn = [p for p in model.providers if p.region == "CN"]
    model.run_for(11)
    assert any(o.provider in cn for v in model.vendors if v.region == "US" for o in v.backlog)
    model.step()  # month 12: the preference starts; orders placed before are cancelled
    us_orders = [o for v in model.vendors if v.region == "US" for o in v.backlog]
    assert not [o for o in us_orders if o.provider in cn and o.due < 12 + 6]
    model.run_for(12)
    without = make_model(n_firms=2000, seed=2, domestic_preference=0.0, **no_consumers)
    without.run_for(24)
    with_preference = frame(model)["us_vendor_share_cn"].iloc[24]
    assert (
        with_preference < 0.3
        and with_preference < frame(without)["us_vendor_share_cn"].iloc[24] / 2
    )
    free = make_model(n_firms=2000, seed=2, export_controls="none", domestic_preference_step=12)
    free.run_for(24)
    assert frame(free)["us_vendor_share_cn"].iloc[-1] > 0.9  # no controls: no preference


def capacity_tokens(model, provider):
    s = model.scenario
    provider.revenue = provider.lab.spend = 0.0  # no training: all capacity serves tokens
    return provider.capacity_flops * SECONDS_PER_MONTH * s.inference_mfu / provider.flops_per_token


def test_the_scarcity_multiplier_clears_a_providers_demand_to_its_capacity():
    model = make_model(n_firms=50, demand_model="constant_elasticity", price_elasticity=1.25)
    provider = model.providers[0]
    capacity = capacity_tokens(model, provider)
    posted, premium = provider.price_per_mtok, provider.scarcity  # premium: from step 0
    response = model.firms.demand_response(
        model.providers, 0, model.reference_price, model.scenario
    )
    share = provider.serve(2.0 * capacity, response)
    multiplier = 2.0 ** (1 / 1.25)  # demand x m^-1.25 = capacity
    assert provider.scarcity == pytest.approx(premium * multiplier)
    assert provider.price_per_mtok == pytest.approx(posted * multiplier)
    assert provider.served_tokens == pytest.approx(capacity)
    assert provider.cleared_tokens == pytest.approx(capacity)  # nothing rationed
    assert share == pytest.approx(0.5)  # of what was asked at the posted price
    assert provider.revenue == pytest.approx(capacity * posted * multiplier / 1e6)


def test_demand_that_does_not_respond_to_price_is_rationed_pro_rata():
    model = make_model(n_firms=50)
    provider = model.providers[0]
    capacity = capacity_tokens(model, provider)
    share = provider.serve(2.0 * capacity, lambda m: 1.0)
    assert share == pytest.approx(0.5) and provider.served_tokens == pytest.approx(capacity)
    assert provider.scarcity == pytest.approx(MAX_SCARCITY)  # the capped multiplier


def test_a_past_scarcity_premium_falls_back_when_capacity_is_ample():
    model = make_model(n_firms=50)
    provider = model.providers[0]
    capacity = capacity_tokens(model, provider)
    provider.scarcity = 3.0
    response = model.firms.demand_response(
        model.providers, 0, model.reference_price, model.scenario
    )
    provider.serve(0.2 * capacity, response)
    assert provider.scarcity == pytest.approx(1.0)  # never below the cost-based price


def test_a_shortage_in_the_model_raises_prices_and_cuts_tokens():
    # consumers pay a flat price and do not respond: firms only, so the price can clear
    model = make_model(n_firms=300, consumer_ceiling=0.0)
    for p in model.providers:
        p.capacity_flops *= 0.2
        p.gpu_flops *= 0.2
        p.xpu_flops *= 0.2
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


# --- ChipVendor -------------------------------------------------------------------------
@pytest.mark.parametrize("policy", ["none", "strict", "capped"])
def test_vendor_obeys_export_policy(policy):
    model = make_model(export_controls=policy)
    us_gpu = next(v for v in model.vendors if v.name == "US-GPU")
    cn_gpu = next(v for v in model.vendors if v.name == "CN-GPU")
    home = us_gpu.offer("US", 12)
    to_china = us_gpu.offer("CN", 12)
    assert home is not None and cn_gpu.offer("CN", 12) is not None
    if policy == "strict":
        assert to_china is None
    elif policy == "capped":
        assert to_china.flops == EXPORT_CAP_FLOPS < home.flops
        assert to_china.price / to_china.flops > home.price / home.flops
    else:
        assert to_china == home


def test_chinese_providers_get_no_us_chips_under_a_strict_ban():
    model = make_model(export_controls="strict", n_firms=400, initial_adoption=0.5)
    model.run_for(36)
    us_vendors = {v.name for v in model.agents_by_type[ChipVendor] if v.region == "US"}
    cn = [p for p in model.agents_by_type[CloudProvider] if p.region == "CN"]
    bought = [c for p in cn for c in p.fleet if c.install > 0]
    assert bought and not any(c.chip.vendor in us_vendors for c in bought)
    assert (frame(model)["us_vendor_share_cn"].iloc[-12:] == 0).all()


def test_vendor_ships_no_more_than_its_production():
    model = make_model(n_firms=50)
    vendor = model.vendors[0]
    provider = model.providers[0]
    chip = vendor.current_chip(0)
    vendor.take_order(
        provider,
        chip,
        3 * vendor.production(0),
        step=-model.scenario.chip_lead_time,
        purpose="inference",
    )
    vendor.ship(0)
    assert sum(vendor.units_by_region.values()) == pytest.approx(vendor.production(0))
    assert vendor.backlog and vendor.backlog[0].units == pytest.approx(2 * vendor.production(0))


def test_open_model_is_not_hosted_across_regions_when_forbidden():
    model = make_model(n_firms=100, cross_region_hosting=False, shock_step=1, open_adoption_p=1.0)
    model.run_for(12)
    for p in model.providers:
        assert (p.open_share > 0) == (p.region == "CN")
    assert np.isfinite(frame(model)["open_model_share"]).all()
