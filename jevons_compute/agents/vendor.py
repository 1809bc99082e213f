"""ChipVendor: sells chip generations under limited production and export policy.

Supply is inelastic in the short run and elastic in the long run. A backlog longer than
a normal wait raises the vendor's price (a scarcity premium on list prices, the rent
NVIDIA's allocation and the 2023 grey market priced), which reaches token prices through
providers' replacement cost and so rations demand by price, not only by queue. Packaging
capacity follows TSMC's committed CoWoS path to the end of 2026; after it, capacity grows
faster when the premium of a year earlier was high (capacity is built for the rent), so a
world that wants more compute gets more chips, with a lag.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import mesa

from jevons_compute.world.facts import COWOS_KWAFERS_PER_MONTH, PACKAGE_AREA_GROWTH
from jevons_compute.world.technology import Chip, chip_generation, release_month

#: Months of production a backlog may hold before the vendor charges a scarcity premium
#: (H100 lead times were ~6 months in normal supply, 9-12 at the 2023 peak: press).
NORMAL_WAIT_MONTHS = 6.0
#: Highest scarcity premium on list prices (H100 resale ~1.5-2x list in 2023; H100 rental
#: ~8 USD/h in 2023 against ~2 USD/h in 2025: press).
MAX_CHIP_PREMIUM = 4.0
#: Share of the gap to its target premium a vendor closes each month (prices re-set
#: within a quarter: assumption).
PREMIUM_SPEED = 1.0 / 3.0
#: Months from a capacity decision to output (a CoWoS line: ~1 year, TSMC 2023-24).
CAPACITY_BUILD_LAG = 12
#: Fastest yearly growth of packaging capacity (CoWoS ~2.7x in 2024, TSMC).
MAX_PACKAGING_GROWTH = 2.7


@dataclass(slots=True)
class Order:
    """Chips ordered by a provider, shippable from month ``due``."""

    provider: object
    chip: Chip
    units: float
    due: int
    purpose: str  # "training" or "inference": what the provider bought it for


class ChipVendor(mesa.Agent):
    """A chip vendor: one product line (GPU or XPU) from a home region.

    Attributes:
        name: e.g. "US-GPU".
        kind: "gpu" (trains and serves) or "xpu" (custom inference chip, cannot train).
        region: home region, "US" or "CN".
        line: the roadmap entry (world/facts.py VENDORS).
        backlog: orders not yet shipped, first come first served.
        units_shipped: chips shipped since step 0 (cumulative).
        revenue_by_region: USD of chips shipped this month, by buyer region.
        units_by_region: chips shipped this month, by buyer region.
        revenue_by_purpose: USD of chips shipped this month, by what they were bought for
            ("training" or "inference").
        premium: scarcity premium on list prices this month (>= 1; what buyers pay, and
            what their replacement cost counts).
        expansion: packaging capacity built for the premium, over the committed path (>= 1).
    """

    def __init__(self, model, line: dict):
        super().__init__(model)
        self.line = line
        self.name = line["name"]
        self.kind = line["kind"]
        self.region = line["region"]
        self.margin = float(line["margin"])
        self.backlog: deque[Order] = deque()
        self.backlog_units = 0.0  # units in the backlog (kept as orders come and go)
        self._production: tuple[int, float] | None = None
        self._chips: dict[int, Chip] = {}  # current_chip by release month
        self._offers: dict[tuple[str, int], Chip | None] = {}  # offer by (region, release)
        self.units_shipped = 0.0
        self.revenue_by_region: dict[str, float] = {}
        self.units_by_region: dict[str, float] = {}
        self.revenue_by_purpose: dict[str, float] = {}
        self.premium = 1.0
        self.expansion = 1.0
        self._premiums: deque[float] = deque([1.0], maxlen=CAPACITY_BUILD_LAG)

    # --- what is on sale
    def current_chip(self, step: int) -> Chip | None:
        """Newest generation released by month ``step`` (one Chip per generation: the
        model's scenario and efficiency paths are fixed for its life)."""
        release = release_month(self.line, step, self.model.scenario)
        if release is None:
            return None
        chip = self._chips.get(release)
        if chip is None:
            chip = chip_generation(self.line, step, self.model.scenario, self.model.paths)
            self._chips[release] = chip
        return chip

    def offer(self, buyer_region: str, step: int) -> Chip | None:
        """The chip this vendor may sell to a buyer in ``buyer_region``, or None.

        US vendors selling into China obey ``export_controls``: ``strict`` refuses the sale,
        ``capped`` offers only the derated (H20-like) version.
        """
        release = release_month(self.line, step, self.model.scenario)
        if release is None:
            return None
        key = (buyer_region, release)
        try:
            return self._offers[key]
        except KeyError:
            pass
        chip = self.current_chip(step)
        if self.region == "US" and buyer_region == "CN":
            policy = self.model.scenario.export_controls
            if policy == "strict":
                chip = None
            elif policy == "capped":
                chip = chip.derated()
        self._offers[key] = chip  # one Chip per generation and region, as current_chip
        return chip

    def production(self, step: int) -> float:
        """Chips this vendor can ship in month ``step``: its January 2023 output grown
        with packaging capacity, over the silicon each package holds."""
        if self._production is not None and self._production[0] == step:
            return self._production[1]
        packaging = packaging_capacity(step, self.model.scenario.chip_production_growth)
        chips_per_wafer = PACKAGE_AREA_GROWTH ** (-step / 12.0)
        units = self.line["units_per_month"] * packaging / packaging_capacity(0) * chips_per_wafer
        units *= self.expansion
        self._production = (step, units)
        return units

    def wait_months(self, step: int) -> float:
        """Months of production the current backlog represents."""
        return self.backlog_units / self.production(step)

    def lead_time(self, step: int) -> float:
        """Months until an order placed now ships: the quoted lead time plus the months
        of production the backlog ahead of it takes (a backlog lengthens lead times)."""
        return self.model.scenario.chip_lead_time + self.wait_months(step)

    # --- actions
    def take_order(
        self, provider, chip: Chip, units: float, step: int, purpose: str, due: int | None = None
    ) -> None:
        """Book an order; it ships after the lead time (or from ``due``: an order placed
        before the start), as production allows."""
        order = Order(provider, chip, units, step + self.model.scenario.chip_lead_time, purpose)
        if due is None:
            self.backlog.append(order)
        else:  # ahead of the orders due later (they ship first come first served)
            order.due = due
            later = next((i for i, o in enumerate(self.backlog) if o.due > due), len(self.backlog))
            self.backlog.insert(later, order)
        self.backlog_units += units

    def cancel_orders(self, provider) -> list[Order]:
        """Drop ``provider``'s undelivered orders; returns them."""
        kept, cancelled = deque(), []
        for order in self.backlog:
            (cancelled if order.provider is provider else kept).append(order)
        self.backlog = kept
        self.backlog_units = sum(o.units for o in kept)
        return cancelled

    def trim_orders(self, provider, purpose: str, share: float) -> list[tuple[Order, float]]:
        """Cancel ``share`` of ``provider``'s undelivered orders bought for ``purpose``;
        returns (order, units cancelled) for each."""
        cancelled = []
        for order in self.backlog:
            if order.provider is provider and order.purpose == purpose:
                cut = order.units * share
                order.units -= cut
                cancelled.append((order, cut))
        if cancelled:
            self.backlog = deque(o for o in self.backlog if o.units > 0)
            self.backlog_units = sum(o.units for o in self.backlog)
        return cancelled

    def ship(self, step: int) -> None:
        """Ship due orders first come first served, up to this month's production.

        A provider takes only the chips its power can run (see CloudProvider.accept); the
        rest of its order waits in the backlog while later orders ship."""
        self.revenue_by_region = {}
        self.units_by_region = {}
        self.revenue_by_purpose = {}
        room = self.production(step)
        interval = self.model.scenario.generation_interval
        newest = {}  # the chip offered to each buyer region this month (renew's test)
        for order in self.backlog:
            if order.due > step or room <= 0:
                break
            provider = order.provider
            region = provider.region
            if region not in newest:
                newest[region] = self.offer(region, step)
            chip = newest[region]
            if chip is not None and order.chip.release + interval < chip.release:
                self.renew(order, step)
            units = provider.accept(order.chip, min(order.units, room), step)
            if units > 0:
                self.record_sale(region, order.chip, units, order.purpose)
                room -= units
                order.units -= units
        if any(o.units <= 0 for o in self.backlog):
            self.backlog = deque(o for o in self.backlog if o.units > 0)
        self.backlog_units = sum(o.units for o in self.backlog)
        self.reprice(step)
        self.expand(step)

    def reprice(self, step: int) -> None:
        """Move the scarcity premium toward (wait / NORMAL_WAIT_MONTHS)^chip_price_response
        (1 for a normal queue, at most MAX_CHIP_PREMIUM), PREMIUM_SPEED of the way; none
        without capacity limits (nothing is scarce)."""
        s = self.model.scenario
        if s.chip_price_response <= 0 or not s.capacity_limited:
            return
        response = s.chip_price_response
        wait = self.wait_months(step)
        target = min(MAX_CHIP_PREMIUM, max(1.0, wait / NORMAL_WAIT_MONTHS) ** response)
        log_premium = math.log(self.premium)
        self.premium = math.exp(log_premium + PREMIUM_SPEED * (math.log(target) - log_premium))

    def expand(self, step: int) -> None:
        """After the committed CoWoS path, capacity decided a year ago for that month's
        premium comes on line: a month's extra growth premium^(chip_supply_elasticity / 12),
        total growth at most MAX_PACKAGING_GROWTH a year."""
        s = self.model.scenario
        lagged = self._premiums[0]  # the premium CAPACITY_BUILD_LAG months ago
        self._premiums.append(self.premium)
        if step < COWOS_KWAFERS_PER_MONTH[-1][0] or s.chip_supply_elasticity <= 0:
            return
        room = max(1.0, MAX_PACKAGING_GROWTH / s.chip_production_growth) ** (1.0 / 12.0)
        self.expansion *= min(room, lagged ** (s.chip_supply_elasticity / 12.0))

    def renew(self, order: Order, step: int) -> None:
        """A vendor makes its two newest generations: an order of an older one ships as
        the chip now offered to the buyer, at the same FLOP/s (and that chip's price and
        power), so a backlog years long does not deliver years-old chips."""
        interval = self.model.scenario.generation_interval
        newest = self.offer(order.provider.region, step)
        if newest is None or order.chip.release + interval >= newest.release:
            return
        units = order.units * order.chip.flops / newest.flops
        order.provider.order_renewed(order.chip, order.units, newest, units)
        order.chip, order.units = newest, units

    def record_sale(self, buyer_region: str, chip: Chip, units: float, purpose: str) -> None:
        """Book a shipment at this month's price: list price x the scarcity premium."""
        paid = units * chip.price * self.premium
        self.units_shipped += units
        self.revenue_by_purpose[purpose] = self.revenue_by_purpose.get(purpose, 0.0) + paid
        self.units_by_region[buyer_region] = self.units_by_region.get(buyer_region, 0.0) + units
        self.revenue_by_region[buyer_region] = self.revenue_by_region.get(buyer_region, 0.0) + paid


def packaging_capacity(step: float, growth_after: float = 1.0) -> float:
    """CoWoS packaging capacity (thousand wafers a month) in month ``step``: constant
    growth between the points of COWOS_KWAFERS_PER_MONTH (the first segment's rate
    before them), ``growth_after`` a year after the last."""
    points = COWOS_KWAFERS_PER_MONTH
    (s0, v0), (s1, v1) = points[0], points[1]
    for (a, va), (b, vb) in zip(points, points[1:]):
        if step <= b:
            (s0, v0), (s1, v1) = (a, va), (b, vb)
            break
    else:
        last, value = points[-1]
        return value * growth_after ** ((step - last) / 12.0)
    return v0 * (v1 / v0) ** ((step - s0) / (s1 - s0))
