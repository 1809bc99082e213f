"""ChipVendor: sells chip generations under limited production and export policy."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import mesa

from model.technology import Chip, chip_generation


@dataclass
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
        line: the roadmap entry (model/calibration.py VENDORS).
        backlog: orders not yet shipped, first come first served.
        units_shipped: chips shipped since step 0 (cumulative).
        revenue_by_region: USD of chips shipped this month, by buyer region.
        units_by_region: chips shipped this month, by buyer region.
        revenue_by_purpose: USD of chips shipped this month, by what they were bought for
            ("training" or "inference").
    """

    def __init__(self, model, line: dict):
        super().__init__(model)
        self.line = line
        self.name = line["name"]
        self.kind = line["kind"]
        self.region = line["region"]
        self.margin = float(line["margin"])
        self.backlog: deque[Order] = deque()
        self.units_shipped = 0.0
        self.revenue_by_region: dict[str, float] = {}
        self.units_by_region: dict[str, float] = {}
        self.revenue_by_purpose: dict[str, float] = {}

    # --- what is on sale
    def current_chip(self, step: int) -> Chip | None:
        """Newest generation released by month ``step``."""
        return chip_generation(self.line, step, self.model.scenario, self.model.paths)

    def offer(self, buyer_region: str, step: int) -> Chip | None:
        """The chip this vendor may sell to a buyer in ``buyer_region``, or None.

        US vendors selling into China obey ``export_controls``: ``strict`` refuses the sale,
        ``capped`` offers only the derated (H20-like) version.
        """
        chip = self.current_chip(step)
        if chip is None:
            return None
        if self.region == "US" and buyer_region == "CN":
            policy = self.model.scenario.export_controls
            if policy == "strict":
                return None
            if policy == "capped":
                return chip.derated()
        return chip

    def production(self, step: int) -> float:
        """Chips this vendor can ship in month ``step``."""
        growth = self.model.scenario.chip_production_growth ** (step / 12.0)
        return self.line["units_per_month"] * growth

    def wait_months(self, step: int) -> float:
        """Months of production the current backlog represents."""
        return sum(o.units for o in self.backlog) / self.production(step)

    # --- actions
    def take_order(self, provider, chip: Chip, units: float, step: int, purpose: str) -> None:
        """Book an order; it ships after the lead time, as production allows."""
        due = step + self.model.scenario.chip_lead_time
        self.backlog.append(Order(provider, chip, units, due, purpose))

    def cancel_orders(self, provider) -> float:
        """Drop ``provider``'s undelivered orders; returns the peak FLOP/s cancelled."""
        kept, cancelled = deque(), 0.0
        for order in self.backlog:
            if order.provider is provider:
                cancelled += order.units * order.chip.flops
            else:
                kept.append(order)
        self.backlog = kept
        return cancelled

    def ship(self, step: int) -> None:
        """Ship due orders first come first served, up to this month's production."""
        self.revenue_by_region = {}
        self.units_by_region = {}
        self.revenue_by_purpose = {}
        room = self.production(step)
        while self.backlog and self.backlog[0].due <= step and room > 0:
            order = self.backlog[0]
            units = min(order.units, room)
            order.provider.install(order.chip, units, step)
            self.record_sale(order.provider.region, order.chip, units, order.purpose)
            room -= units
            order.units -= units
            if order.units <= 0:
                self.backlog.popleft()

    def record_sale(self, buyer_region: str, chip: Chip, units: float, purpose: str) -> None:
        self.units_shipped += units
        self.revenue_by_purpose[purpose] = (
            self.revenue_by_purpose.get(purpose, 0.0) + units * chip.price
        )
        self.units_by_region[buyer_region] = self.units_by_region.get(buyer_region, 0.0) + units
        self.revenue_by_region[buyer_region] = (
            self.revenue_by_region.get(buyer_region, 0.0) + units * chip.price
        )
