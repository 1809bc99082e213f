"""Physical supply: grid power, packaging-limited vendors, prices, clearing (tiny worlds)."""

import math

import numpy as np
import pytest
from conftest import frame, make_model

from jevons_compute.agents import Firm
from jevons_compute.agents.grid import data_centre_watts
from jevons_compute.agents.vendor import packaging_capacity
from jevons_compute.model.market.pricing import mix_tasks
from jevons_compute.world.facts import DATA_CENTRE_TWH, H100_FLOPS, HOURS_PER_YEAR
from jevons_compute.world.parameters import ParameterError


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


def test_vendor_keeps_the_order_a_powerless_provider_cannot_take():
    model = make_model(n_firms=50, marginal=False)
    p = us_provider(model)
    p.power_watts = p.facility_watts
    vendor = model.vendors[0]
    chip = vendor.offer("US", 0)
    vendor.take_order(p, chip, 500.0, -model.scenario.chip_lead_time, "inference")
    vendor.ship(0)
    assert vendor.backlog[-1].units == 500.0 and not vendor.units_by_region
    p.power_watts += 100 * chip.facility_watts(model.scenario)  # the grid connects more
    vendor.backlog.rotate(1)  # its order first
    vendor.ship(1)
    assert vendor.units_by_region["US"] == pytest.approx(100.0)


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


def test_a_vendors_backlog_lengthens_its_lead_time():
    model = make_model(n_firms=50, marginal=False)
    vendor = model.vendors[0]
    vendor.backlog.clear()
    vendor.backlog_units = 0.0
    quoted = vendor.lead_time(0)
    assert quoted == model.scenario.chip_lead_time
    chip = vendor.offer("US", 0)
    vendor.take_order(us_provider(model), chip, 3 * vendor.production(0), 0, "training")
    assert vendor.lead_time(0) == pytest.approx(quoted + 3.0)


def test_packaging_capacity_follows_cowos_and_vendor_output_grows_with_it():
    assert packaging_capacity(23) == pytest.approx(37.5)
    assert packaging_capacity(35) / packaging_capacity(23) == pytest.approx(77.5 / 37.5)
    assert packaging_capacity(59, 1.3) == pytest.approx(125.0 * 1.3)
    model = make_model(n_firms=50, marginal=False)
    vendor = model.vendors[0]
    assert vendor.production(24) / vendor.production(12) > 1.5  # ~2x a year, less area


def test_vendor_price_is_unit_cost_over_one_minus_margin():
    low, high = (make_model(n_firms=50, marginal=False, vendor_margin=m) for m in (0.5, 0.75))
    price = [m.metrics["vendor_price"] for m in (low, high)]
    assert price[1] / price[0] == pytest.approx((1 - 0.5) / (1 - 0.75))


def test_scarcity_multiplier_clears_a_providers_demand_to_its_capacity():
    model = make_model(
        n_firms=50,
        marginal=False,
        demand_model="constant_elasticity",
        price_elasticity=0.8,
        training_revenue_share=0,
    )
    p = us_provider(model)
    s = model.scenario
    capacity_tokens = p.capacity_flops * 2_629_800 * s.inference_mfu / p.flops_per_token
    p.price_per_mtok /= p.scarcity  # no premium carried from step 0
    p.scarcity = 1.0
    posted = p.price_per_mtok
    served = p.serve(2 * capacity_tokens, lambda m: m**-s.price_elasticity)
    assert p.scarcity == pytest.approx(2 ** (1 / 0.8))  # below MAX_SCARCITY
    assert p.cleared_tokens == pytest.approx(capacity_tokens)
    assert p.served_tokens == pytest.approx(p.cleared_tokens)  # nothing left to ration
    assert served == pytest.approx(1 / 2)
    assert p.price_per_mtok == pytest.approx(posted * p.scarcity)


def test_energy_rebound_is_one_when_power_binds_in_run_and_twin():
    model = make_model(
        n_firms=300,
        marginal=False,
        regions="US",
        n_providers=2,
        ai_share_of_grid=0.002,
        demand_model="constant_elasticity",
        price_elasticity=1.5,
        bass_p=0.5,
        grid_lead_time=12,
    )
    model.run_for(48)
    run, twin = frame(model), model.twin.datacollector.get_model_vars_dataframe()
    binds = np.isclose(run["power_gw"], run["power_limit_gw"], rtol=1e-9) & np.isclose(
        twin["power_gw"].to_numpy(), run["power_limit_gw"], rtol=1e-9
    )
    assert binds[24:].all()  # the grid binds in both from year 3 on
    np.testing.assert_allclose(run["energy_jevons_ratio"][binds], 1.0, rtol=1e-9)
    np.testing.assert_allclose(run["energy_rebound"][binds].dropna(), 1.0, rtol=1e-6)
    assert run["energy_rebound"][binds].notna().sum() >= 12
    assert (run["jevons_ratio"][24:] != 1.0).any()  # compute still differs: not a no-op


def test_default_run_stays_within_the_grids_and_power_grows():
    model = make_model(n_firms=1000, counterfactual="none", preset="default")
    model.run_for(144)
    df = frame(model)
    for region in ("us", "eu", "cn"):
        limit = df[f"power_limit_gw_{region}"] * (1 + 1e-9)  # at the limit, to rounding
        assert (df[f"power_gw_{region}"] <= limit).all()
    twh_a_year = df["energy_mwh"] * 12 / 1e6
    assert (twh_a_year <= df["power_limit_gw"] * 8.766).all()
    assert df["power_gw"].iloc[-1] > df["power_gw"].iloc[0]
    assert (df["power_limit_gw"].diff().iloc[1:] > 0).all()


def test_grid_limit_follows_iea_levels():
    for region, (twh_2024, twh_2030) in DATA_CENTRE_TWH.items():
        assert data_centre_watts(region, 2024.5) * HOURS_PER_YEAR / 1e12 == pytest.approx(twh_2024)
        assert data_centre_watts(region, 2030.5) * HOURS_PER_YEAR / 1e12 == pytest.approx(twh_2030)
    model = make_model(n_firms=50, marginal=False, power_limited=False)
    assert math.isnan(model.metrics["power_limit_gw"])
    assert all(p.power_watts == math.inf for p in model.providers)


def test_us_share_of_chinese_chips_falls_below_30_percent_by_2026_and_xpu_share_is_smooth():
    model = make_model(seed=2, n_firms=2000, marginal=False, counterfactual="none")
    model.run_for(48)
    df = frame(model)
    assert df["us_vendor_share_cn"].iloc[23] > 0.3  # before the domestic preference
    assert df["us_vendor_share_cn"].iloc[47] < 0.3  # export_controls='capped' by default
    assert np.abs(np.diff(df["xpu_share"])).max() < 0.1


def test_bad_grid_parameter_is_one_sentence():
    with pytest.raises(ParameterError, match=r"^grid_lead_time=-1 is not allowed: .*\.$"):
        make_model(grid_lead_time=-1)


def test_limits_experiment_quick_shows_power_binding_holds_energy(tmp_path):
    from jevons_compute.experiments.analysis.tables import load
    from jevons_compute.experiments.named import EXPERIMENTS
    from jevons_compute.experiments.sweeps.runner import run_sweep

    experiment = EXPERIMENTS["limits"]
    spec = experiment.make_spec(True)
    spec.marginal = False
    spec.fixed["n_firms"] = 200
    assert run_sweep(spec, tmp_path / "limits", workers=1, progress=False).ok
    manifest, runs, series = load(tmp_path / "limits")
    text = experiment.analyze(tmp_path / "limits", manifest, runs, series)
    assert text.startswith("# limits") and "backfire in" in text
    elastic = runs[runs["price_elasticity"] == 1.5]
    limited = elastic[elastic["power_limited"]]["jevons_ratio"]
    unlimited = elastic[~elastic["power_limited"]]["jevons_ratio"]
    # at elasticity 1.5 efficiency backfires in compute whether power binds or not (what
    # power moves is energy); binding power in run and twin holds energy where it was
    # (within what idle chips draw)
    assert (unlimited > 1).all() and (limited > 1).all()
    bound_energy = elastic[elastic["power_limited"]]["energy_jevons_ratio"]
    unbound_energy = elastic[~elastic["power_limited"]]["energy_jevons_ratio"]
    assert bound_energy.to_numpy() == pytest.approx(1.0, abs=0.06)
    assert unbound_energy.min() > bound_energy.max()
    last = series[series["step"] == spec.steps].merge(runs[["run_id", "power_limited"]])
    bound = last[last["power_limited"]]
    assert (bound["power_gw"] <= bound["power_limit_gw"] * (1 + 1e-9)).all()


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
        for provider, tokens in zip(model.providers, model.firms.class_tokens()):
            mix_tasks([provider], tokens[None])
    flat = model.consumers.ask(s, model.providers, model.firms.probs).sum(axis=0)
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
    from jevons_compute.model.market.clearing import clear

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
    from jevons_compute.model.market.clearing import clear

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
    served_flat = flat @ firms.served_share[1:]
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


def test_an_order_two_generations_old_ships_as_the_newest_chip_at_the_same_flops():
    """Vendors make their two newest generations: an order the backlog held past both
    ships in the chip now on sale, at the FLOP/s ordered; one generation late ships as
    ordered."""
    model = make_model(n_firms=50, marginal=False, power_limited=False)
    provider = us_provider(model)
    vendor = next(v for v in model.vendors if v.region == "US" and v.kind == "gpu")
    interval = model.scenario.generation_interval
    old = vendor.offer("US", 0)
    for late, expected in ((interval, old), (2 * interval, vendor.offer("US", 2 * interval))):
        vendor.backlog.clear()
        units = 0.1 * vendor.production(late)
        vendor.take_order(provider, old, units, 0, "inference")
        flops_before = provider.capacity_flops
        vendor.ship(late)
        installed = provider.fleet[-1]
        assert installed.chip == expected
        assert provider.capacity_flops - flops_before == pytest.approx(units * old.flops)
        assert not vendor.backlog
    assert expected.flops > old.flops  # the newest chip: fewer units for the same FLOP/s


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
