"""Cloud providers (agents/provider) in tiny markets set by hand (in the manner of Mesa's
wolf-sheep behaviour tests): chip orders and the vendors they go to, the domestic
preference, the scarcity multiplier and rationing when demand exceeds capacity, power
limits and the retirement of old chips, GPU rent, open-weight hosting."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents.provider import MAX_SCARCITY
from jevons_compute.agents.provider.procurement import MAX_PLANNED_GROWTH
from jevons_compute.agents.provider.serving import MAX_TRAINING_SHARE
from jevons_compute.world.facts import H100_FLOPS, SECONDS_PER_MONTH


# --- chip orders -----------------------------------------------------------------------
def provider_with_utilisation(utilisation):
    model = make_model(n_firms=50)
    provider = model.providers[0]
    demand = utilisation * provider.capacity_flops * SECONDS_PER_MONTH
    provider.peak_demand_history = [demand] * 8
    provider.revenue = 0.0  # no training part: the whole order is for inference
    provider.lab.expected_growth = 1.0  # no growth planned
    for vendor in model.vendors:  # nothing on order from before the start: empty backlogs
        vendor.backlog.clear()
        vendor.backlog_units = 0.0
    provider.pipeline_flops = provider.pipeline_watts = 0.0
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


def test_before_a_year_of_history_providers_plan_on_their_labs_expected_growth():
    model, provider = provider_with_utilisation(0.7)
    provider.lab.expected_growth = 2.0
    assert provider.planned_growth() == pytest.approx(2.0 ** (1 / 12))
    provider.order_chips(1)  # at target utilisation now, short of it after 7 months' growth
    orders = [o for v in model.vendors for o in v.backlog if o.provider is provider]
    future = provider.capacity_flops + sum(o.units * o.chip.flops for o in orders)
    grown = 0.7 * provider.capacity_flops * 2.0 ** ((model.scenario.chip_lead_time + 1) / 12)
    assert grown / future == pytest.approx(model.scenario.target_utilization, rel=0.05)
    provider.lab.expected_growth = 50.0  # bounded
    assert provider.planned_growth() == pytest.approx(MAX_PLANNED_GROWTH)
    # a year of flat history: its own growth, whatever the lab expects
    provider.peak_demand_history = provider.peak_demand_history[-1:] * 13
    assert provider.planned_growth() == pytest.approx(1.0)


def test_the_step0_fleet_comes_with_the_orders_placed_before_the_start():
    model = make_model(n_firms=200, seed=3)
    lead = model.scenario.chip_lead_time
    for provider in model.providers:
        orders = [o for v in model.vendors for o in v.backlog if o.provider is provider]
        flops = {}
        for o in orders:
            flops[o.due] = flops.get(o.due, 0.0) + o.units * o.chip.flops
        assert sorted(flops) == list(range(1, lead + 1))  # one a month until its own arrive
        g = provider.planned_growth()
        assert g > 1
        # the fleet keeps growing at the planned growth: month k adds (g - 1) g^(k-1) of it
        assert flops[1] == pytest.approx(provider.capacity_flops * (g - 1), rel=1e-9)
        assert flops[lead] / flops[1] == pytest.approx(g ** (lead - 1), rel=1e-9)
        assert provider.pipeline_flops == pytest.approx(sum(flops.values()), rel=1e-9)
        assert {o.purpose for o in orders} == {"training", "inference"}
    for vendor in model.vendors:  # shipped first come first served by due month
        dues = [o.due for o in vendor.backlog]
        assert dues == sorted(dues)
    model.step()
    assert frame(model)["us_vendor_revenue"].iloc[1] > 0  # sales from the first month


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


# --- serving: scarcity and rationing ---------------------------------------------------
def capacity_tokens(model, provider):
    s = model.scenario
    provider.revenue = provider.lab.spend = 0.0  # no training: all capacity serves tokens
    return provider.capacity_flops * SECONDS_PER_MONTH * s.inference_mfu / provider.flops_per_token


@pytest.mark.parametrize("elasticity", [0.8, 1.25])  # both clear below MAX_SCARCITY
def test_the_scarcity_multiplier_clears_a_providers_demand_to_its_capacity(elasticity):
    model = make_model(n_firms=50, demand_model="constant_elasticity", price_elasticity=elasticity)
    provider = model.providers[0]
    capacity = capacity_tokens(model, provider)
    posted, premium = provider.price_per_mtok, provider.scarcity  # premium: from step 0
    response = model.firms.demand_response(
        model.providers, 0, model.reference_price, model.scenario
    )
    share = provider.serve(2.0 * capacity, response)
    multiplier = 2.0 ** (1 / elasticity)  # demand x m^-elasticity = capacity
    assert multiplier < MAX_SCARCITY
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


# --- power and the fleet -----------------------------------------------------------------
def us_provider(model):
    return next(p for p in model.providers if p.region == "US")


def newest_chip(model, provider):
    return min(model.offers[provider.region], key=lambda o: o[2])[1]


def test_provider_at_its_power_limit_cannot_install():
    model = make_model(n_firms=50, marginal=False)
    p = us_provider(model)
    p.power_watts = p.facility_watts  # every watt it holds is in use
    before = (p.capacity_flops, p.units_installed, len(p.fleet))
    chip = newest_chip(model, p)
    assert not any(p.replaceable(c, chip) for c in p.fleet)  # no scarcity: nothing to replace
    assert p.accept(chip, 1000.0, 1) == 0.0
    assert (p.capacity_flops, p.units_installed, len(p.fleet)) == before


def test_power_binding_and_scarcity_retire_the_least_efficient_chips_for_new_ones():
    model = make_model(n_firms=50, marginal=False)
    p = us_provider(model)
    p.power_watts = p.facility_watts
    old = p.fleet[0].chip
    # 10% more FLOP/s per watt: at (1 + markup) x scarcity = 3 not worth new chips
    new = old.__class__(old.vendor, old.kind, 48, old.flops * 1.1, old.price, old.watts, old.watts)
    assert p.markup == 2.0 and not p.replaceable(p.fleet[0], new)
    p.scarcity = 5.0  # demand well above capacity: the power earns more in new chips
    assert p.replaceable(p.fleet[0], new)
    flops_before = p.capacity_flops
    units = p.accept(new, 1000.0, 48)
    assert units > 0
    assert p.facility_watts <= p.power_watts * (1 + 1e-12)
    assert p.capacity_flops > flops_before  # same power, more FLOP/s


# --- GPU rent and open-weight models ---------------------------------------------------
def test_gpu_rent_carries_the_rental_markup_and_scarcity_not_the_token_markup():
    rents = []
    for premium, rental in ((1.0, 0.3), (4.0, 0.3), (1.0, 0.6)):
        model = make_model(
            n_firms=50, marginal=False, premium_markup=premium, gpu_rental_markup=rental
        )
        model.step()
        provider = next(p for p in model.providers if p.strategy == "premium" and p.gpu_flops)
        provider.scarcity = 2.0
        rents.append(provider.gpu_rental_price_per_hour())
    assert rents[1] == pytest.approx(rents[0])  # the token markup does not move it
    assert rents[2] / rents[0] == pytest.approx(1.6 / 1.3)
    cost = provider.training_cost_per_peak_flop * H100_FLOPS * 3600.0
    assert rents[2] == pytest.approx(cost * 1.6 * 2.0)


def test_open_model_is_not_hosted_across_regions_when_forbidden():
    model = make_model(n_firms=100, cross_region_hosting=False, shock_step=1, open_adoption_p=1.0)
    model.run_for(12)
    for p in model.providers:
        assert (p.open_share > 0) == (p.region == "CN")
    assert np.isfinite(frame(model)["open_model_share"]).all()


# --- training and idle fleets (v3.4) -------------------------------------------------------
def test_training_takes_the_gpus_inference_leaves_idle_beyond_its_sure_share():
    model = make_model(n_firms=50, marginal=False)
    p = next(p for p in model.providers if p.gpu_flops > 0)
    month = SECONDS_PER_MONTH
    p.lab.spend = 1e30  # the lab wants more than the whole fleet
    p.inference_need = 0.0  # nobody asked for tokens last month
    want, granted, inference = p.capacity_split()
    assert granted == pytest.approx(p.gpu_flops * month)  # every GPU trains
    p.inference_need = 10 * p.capacity_flops * month  # inference wants more than all of it
    assert p.capacity_split()[1] == pytest.approx(MAX_TRAINING_SHARE * p.gpu_flops * month)
    # in between: inference keeps what it asked for (XPUs first), training the rest
    p.inference_need = p.xpu_flops * month + 0.25 * p.gpu_flops * month
    want, granted, inference = p.capacity_split()
    assert granted == pytest.approx(0.75 * p.gpu_flops * month)
    p.lab.spend = 1.0  # a small budget: only what it pays for
    assert p.capacity_split()[1] == pytest.approx(1.0 / p.training_cost_per_peak_flop)
