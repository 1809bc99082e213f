"""Chip vendors (agents/vendor.py): export policy, production bounded by packaging
capacity, backlogs and lead times, prices from unit cost and margin, orders a provider
cannot power, orders shipped as a newer generation."""

import pytest
from helpers import frame, make_model

from jevons_compute.agents import ChipVendor, CloudProvider
from jevons_compute.agents.vendor import packaging_capacity
from jevons_compute.world.facts import EXPORT_CAP_FLOPS


def us_provider(model):
    return next(p for p in model.providers if p.region == "US")


def empty(vendor) -> ChipVendor:
    """The vendor without the orders placed before the start (fleet.seed_pipeline)."""
    vendor.backlog.clear()
    vendor.backlog_units = 0.0
    return vendor


# --- export policy -----------------------------------------------------------------------
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


# --- production, backlog, price ---------------------------------------------------------
def test_packaging_capacity_follows_cowos_and_vendor_output_grows_with_it():
    assert packaging_capacity(23) == pytest.approx(37.5)
    assert packaging_capacity(35) / packaging_capacity(23) == pytest.approx(77.5 / 37.5)
    assert packaging_capacity(59, 1.3) == pytest.approx(125.0 * 1.3)
    model = make_model(n_firms=50, marginal=False)
    vendor = model.vendors[0]
    assert vendor.production(24) / vendor.production(12) > 1.5  # ~2x a year, less area


def test_vendor_ships_no_more_than_its_production():
    model = make_model(n_firms=50)
    vendor = empty(model.vendors[0])
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


def test_a_vendors_backlog_lengthens_its_lead_time():
    model = make_model(n_firms=50, marginal=False)
    vendor = empty(model.vendors[0])
    quoted = vendor.lead_time(0)
    assert quoted == model.scenario.chip_lead_time
    chip = vendor.offer("US", 0)
    vendor.take_order(us_provider(model), chip, 3 * vendor.production(0), 0, "training")
    assert vendor.lead_time(0) == pytest.approx(quoted + 3.0)


def test_vendor_price_is_unit_cost_over_one_minus_margin():
    low, high = (make_model(n_firms=50, marginal=False, vendor_margin=m) for m in (0.5, 0.75))
    price = [m.metrics["vendor_price"] for m in (low, high)]
    assert price[1] / price[0] == pytest.approx((1 - 0.5) / (1 - 0.75))


def test_vendor_keeps_the_order_a_powerless_provider_cannot_take():
    model = make_model(n_firms=50, marginal=False)
    p = us_provider(model)
    p.power_watts = p.facility_watts
    vendor = empty(model.vendors[0])
    chip = vendor.offer("US", 0)
    vendor.take_order(p, chip, 500.0, -model.scenario.chip_lead_time, "inference")
    vendor.ship(0)
    assert vendor.backlog[-1].units == 500.0 and not vendor.units_by_region
    p.power_watts += 100 * chip.facility_watts(model.scenario)  # the grid connects more
    vendor.backlog.rotate(1)  # its order first
    vendor.ship(1)
    assert vendor.units_by_region["US"] == pytest.approx(100.0)


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


# --- scarcity premium and long-run supply (v3.4) -------------------------------------------
def queued(model, months: float, step: int = 0):
    """The first vendor with a backlog of ``months`` of its production in month ``step``."""
    vendor = model.vendors[0]
    vendor.backlog.clear()
    vendor.backlog_units = 0.0
    chip = vendor.offer("US", step)
    vendor.take_order(us_provider(model), chip, months * vendor.production(step), step, "training")
    return vendor


@pytest.mark.parametrize("months, premium", [(0.0, 1.0), (6.0, 1.0), (24.0, 2.0), (600.0, 4.0)])
def test_a_backlog_beyond_a_normal_wait_raises_the_vendors_price(months, premium):
    model = make_model(n_firms=50, marginal=False, chip_price_response=0.5)
    vendor = queued(model, months, step=100)  # nothing due: the backlog stays
    for _ in range(60):
        vendor.reprice(100)
    assert vendor.premium == pytest.approx(premium, rel=1e-6)  # (24 / 6)^0.5; cap 4


def test_the_premium_moves_a_third_of_the_way_each_month():
    model = make_model(n_firms=50, marginal=False, chip_price_response=1.0)
    vendor = queued(model, 12.0, step=100)  # target (12 / 6)^1 = 2
    vendor.reprice(100)
    assert vendor.premium == pytest.approx(2.0 ** (1 / 3))


@pytest.mark.parametrize("params", [dict(chip_price_response=0.0), dict(capacity_limited=False)])
def test_no_premium_at_list_price_or_without_capacity_limits(params):
    model = make_model(n_firms=50, marginal=False, **params)
    vendor = queued(model, 120.0, step=100)
    vendor.reprice(100)
    assert vendor.premium == 1.0


def test_buyers_pay_the_premium_and_their_replacement_cost_counts_it():
    model = make_model(n_firms=50, marginal=False)
    s = model.scenario
    vendor, chip = model.vendors[0], model.vendors[0].offer("US", 0)
    vendor.premium = 2.0
    vendor.record_sale("US", chip, 10.0, "inference")
    assert vendor.revenue_by_region["US"] == pytest.approx(10 * chip.price * 2.0)
    # the chip is half the system: a premium p raises the capital rent by (p - 1) / 2
    free_power = make_model(n_firms=50, marginal=False, electricity_price=0.0)
    capital = free_power.vendors[0].offer("US", 0)
    capital_rent = capital.rent_per_peak_flop_second(free_power.scenario)
    list_rent = chip.rent_per_peak_flop_second(s)
    assert chip.rent_per_peak_flop_second(s, 2.0) == pytest.approx(list_rent + 0.5 * capital_rent)
    assert chip.rent_per_peak_flop_second(s, 1.0) == list_rent


def test_capacity_grows_for_the_premium_of_a_year_before_only_after_the_committed_path():
    model = make_model(n_firms=50, marginal=False, chip_supply_elasticity=1.0)
    vendor = model.vendors[0]
    vendor.premium = 2.0
    for step in range(30, 42):  # on the committed CoWoS path (to December 2026)
        vendor.expand(step)
    assert vendor.expansion == 1.0
    for step in range(48, 60):  # a year on: the premium of a year earlier was 2
        vendor.expand(step)
    grown = vendor.expansion
    assert grown == pytest.approx(2.0, rel=1e-9)  # chip_production_growth 1.3 x 2 < 2.7
    assert vendor.production(61) / vendor.production(60) == pytest.approx(
        packaging_capacity(61, 1.3) / packaging_capacity(60, 1.3) * 2 ** (-1 / 24)
    )  # the same expansion both months: only the path and the silicon per package move
    vendor.premium = 4.0
    for step in range(60, 84):
        vendor.expand(step)
    assert vendor.expansion / grown == pytest.approx(2.0 * 2.7 / 1.3, rel=1e-9)  # then the cap


def test_without_supply_elasticity_capacity_follows_the_path():
    model = make_model(n_firms=50, marginal=False, chip_supply_elasticity=0.0)
    vendor = model.vendors[0]
    vendor.premium = 3.0
    for step in range(40, 80):
        vendor.expand(step)
    assert vendor.expansion == 1.0


def test_a_financing_shock_cancels_its_share_of_undelivered_training_orders():
    model = make_model(n_firms=50, marginal=False, financing_shock=0.6, financing_shock_step=3)
    vendor, provider = model.vendors[0], us_provider(model)
    vendor.backlog.clear()
    chip = vendor.offer("US", 0)
    vendor.take_order(provider, chip, 100.0, 0, "training")
    vendor.take_order(provider, chip, 50.0, 0, "inference")
    provider.pipeline_flops = 150.0 * chip.flops
    provider.cancel_financed_orders(2)  # not yet
    assert [o.units for o in vendor.backlog] == [100.0, 50.0]
    provider.cancel_financed_orders(3)
    assert [o.units for o in vendor.backlog] == [pytest.approx(40.0), 50.0]
    assert vendor.backlog_units == pytest.approx(90.0)
    assert provider.pipeline_flops == pytest.approx(90.0 * chip.flops)
