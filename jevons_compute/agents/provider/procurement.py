"""A provider's procurement: chip orders for the capacity it plans, split over the chips
on sale by a logit on cost and backlog, within the power it will hold; power requests to
its region's grid; export-control and domestic-preference rules."""

from __future__ import annotations

import math

import numpy as np

from jevons_compute.world.facts import SECONDS_PER_MONTH, SERVER_POWER_PER_CHIP_POWER
from jevons_compute.world.technology import Chip

#: Highest monthly demand growth a provider extrapolates when planning its fleet.
MAX_PLANNED_GROWTH = 1.1
#: Months of backlog that cost a chip one unit of utility in providers' orders (logit).
MAX_ACCEPTABLE_WAIT = 6.0
#: Vendors whose logit share of an order is below this get none of it.
MIN_ORDER_SHARE = 1e-3


class Procurement:
    """The procurement part of a CloudProvider (a mixin: ``self`` is the provider)."""

    def prefers_domestic(self, step: int) -> bool:
        """Whether this provider's region is under US export controls with the domestic
        preference in force this month."""
        s = self.model.scenario
        return (
            self.region == "CN"
            and s.export_controls != "none"
            and s.domestic_preference > 0
            and step >= s.domestic_preference_step
        )

    def cancel_foreign_orders(self, step: int) -> None:
        """When the domestic preference starts, cancel undelivered orders from foreign
        vendors (as H20 orders were written off in April 2025)."""
        if step != self.model.scenario.domestic_preference_step or not self.prefers_domestic(step):
            return
        for vendor in self.model.vendors:
            if vendor.region != self.region:
                for order in vendor.cancel_orders(self):
                    self.pipeline_flops = max(
                        0.0, self.pipeline_flops - order.units * order.chip.flops
                    )
                    self.pipeline_watts = max(
                        0.0, self.pipeline_watts - order.units * order.chip.watts
                    )

    def cancel_financed_orders(self, step: int) -> None:
        """When a financing shock strikes, cancel its share of the undelivered chips
        bought for training (the capital that would pay for them is gone)."""
        s = self.model.scenario
        if step != s.financing_shock_step or s.financing_shock <= 0:
            return
        for vendor in self.model.vendors:
            for order, units in vendor.trim_orders(self, "training", s.financing_shock):
                self.pipeline_flops = max(0.0, self.pipeline_flops - units * order.chip.flops)
                self.pipeline_watts = max(0.0, self.pipeline_watts - units * order.chip.watts)

    def order_chips(self, step: int) -> None:
        """Order chips when expected utilisation after the lead time exceeds the target.

        Expected demand (inference, and the training the lab's target spend buys)
        extrapolates the last twelve months' growth over the lead time (capex is planned
        on a year's growth: six months' made orders overshoot when growth slowed; before a
        year of history, the growth the lab expects: ``planned_growth``); the
        order brings planned utilisation back to the target. GPUs cover the training part;
        the inference part goes to the cheapest chip per useful FLOP (GPU or XPU) whose
        vendor can deliver within a few months.
        """
        s = self.model.scenario
        history = self.peak_demand_history
        if not history:
            return
        need = history[-1] / SECONDS_PER_MONTH  # peak FLOP/s
        growth = self.planned_growth()
        lead = s.chip_lead_time
        offers = self.model.offers[self.region]
        self.request_power(need * growth ** (s.grid_lead_time + 1), offers, step)
        forecast = need * growth ** (lead + 1)
        future = self.capacity_flops + self.pipeline_flops - self.capacity_retiring_by(step + lead)
        gap = forecast / s.target_utilization - future
        if gap <= 0:
            return
        # the order keeps its purpose: the training part of the planned demand (the lab's
        # target, as the history counts it) goes to chips that train
        training_share = min(1.0, self.planned_training / history[-1]) if history[-1] > 0 else 0.0
        parts = ((gap * training_share, "training"), (gap * (1 - training_share), "inference"))
        # every offer's utility, once for both parts, where the inference part asks for all
        utility = self.offer_utility(offers, step) if parts[1][0] > 0 else None
        orders = [
            (vendor, chip, share * part / chip.flops, purpose)
            for part, purpose in parts
            if part > 0
            for vendor, chip, share in self.chip_shares(
                offers, step, purpose == "training", utility
            )
        ]
        # the power it will hold at delivery (the backlog lengthens the vendor's lead time)
        # bounds the order, all of it pro rata
        watts = sum(units * chip.facility_watts(s) for _, chip, units, _ in orders)
        vendor, chip, _ = min(offers, key=lambda o: o[2])
        scale = 1.0
        if watts > self.power_room_now():  # else it fits whatever the grid connects
            room = self.power_room_at(step + math.ceil(vendor.lead_time(step)), chip)
            scale = min(1.0, max(0.0, room) / watts) if watts > 0 else 0.0
        for vendor, chip, units, purpose in orders:
            if units * scale > 0:
                vendor.take_order(self, chip, units * scale, step, purpose)
                self.pipeline_flops += units * scale * chip.flops
                self.pipeline_watts += units * scale * chip.watts

    def planned_growth(self) -> float:
        """Monthly demand growth the provider plans its fleet on: the last twelve months'
        growth of its peak demand, and before it has a year of history the growth its lab
        expects of revenue (``initial_revenue_growth`` at the start: 2023's buyers ordered
        for growth they had not yet seen), within 0.9 and MAX_PLANNED_GROWTH."""
        history = self.peak_demand_history
        if len(history) >= 13 and history[-13] > 0:
            ratio = history[-1] / max(history[-13], 1e-12 * history[-1])  # bounded: no overflow
            monthly = ratio ** (1 / 12)
        else:
            monthly = self.lab.expected_growth ** (1 / 12)
        return min(MAX_PLANNED_GROWTH, max(0.9, monthly))

    def order_renewed(self, old: Chip, old_units: float, new: Chip, units: float) -> None:
        """A vendor ships an order of ``old_units`` ``old`` chips as ``units`` ``new`` ones
        (the same FLOP/s): the chips on order now draw the new chip's power."""
        change = units * new.watts - old_units * old.watts
        self.pipeline_watts = max(0.0, self.pipeline_watts + change)

    def power_room_now(self) -> float:
        """Facility watts held now and not used by the fleet or the chips on order (a lower
        bound of ``power_room_at``; inf without power limits)."""
        if self.grid is None or not self.grid.limited:
            return math.inf
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        return self.power_watts - (self.watts + self.pipeline_watts) * overhead

    def power_room_at(self, step: int, chip: Chip) -> float:
        """Facility watts free for new chips in month ``step``: power held then (what it
        holds now and its requests due by then) minus the fleet still running then and
        the chips on order, plus what ``chip`` would replace (inf without power limits)."""
        if self.grid is None or not self.grid.limited:
            return math.inf
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        retiring = sum(c.units * c.chip.watts for c in self._retiring_by(step))
        held = self.power_watts + self.grid.queued_watts(self, step)
        running = (self.watts - retiring + self.pipeline_watts) * overhead
        return held - running + self.replaceable_watts(chip)

    def request_power(self, peak_flops: float, offers, step: int) -> None:
        """Ask the grid for the facility power ``peak_flops`` of new chips would need at
        target utilisation after the grid's lead time, less what it holds or has queued."""
        if self.grid is None or not self.grid.limited:
            return
        s = self.model.scenario
        best = min(offers, key=lambda o: o[2])[1]
        wanted = peak_flops / s.target_utilization * best.facility_watts(s) / best.flops
        self.grid.request(self, wanted - self.power_watts - self.grid.pending(self), step)

    def chip_shares(self, offers, step: int, gpu_only: bool, utility=None) -> list[tuple]:
        """How an order splits over the chips on sale: a logit on cost per useful FLOP.

        Utility = -chip_price_sensitivity x ln(rent per peak FLOP-second) - backlog in
        months / MAX_ACCEPTABLE_WAIT; for a home-region vendor when this provider's region
        is under US export controls (from ``domestic_preference_step`` on), plus
        ``domestic_preference``, no wait penalty and the list price rather than the
        scarcity premium (policy makes buyers queue for home chips rather than turn to
        foreign ones: after April 2025 Chinese buyers waited for Ascend supply instead of
        buying H20s; they still pay the premium). Returns
        (vendor, chip, share) with shares summing to 1 (shares below MIN_ORDER_SHARE
        dropped); empty when no usable chip is on sale. ``utility``: ``offer_utility``
        of all ``offers`` this month, if already computed.
        """
        usable = [o for o in offers if o[1].kind == "gpu"] if gpu_only else offers
        if not usable:
            return []
        if utility is None:
            utility = self.offer_utility(usable, step)
        elif gpu_only:
            utility = [u for o, u in zip(offers, utility) if o[1].kind == "gpu"]
        top = max(utility)  # the array's max (exact), NaN if any is
        if top != top or any(u != u for u in utility):
            top = math.nan
        weights = np.exp(np.array(utility) - top)
        if len(usable) >= 8:  # numpy sums 8 or more values pairwise
            shares = weights / weights.sum()
            keep = shares >= MIN_ORDER_SHARE
            shares = (shares[keep] / shares[keep].sum()).tolist()
        else:  # fewer: numpy's sums are these left folds, its quotients these divisions
            weights = weights.tolist()
            total = _fold(weights)
            shares = [w / total for w in weights]
            keep = [share >= MIN_ORDER_SHARE for share in shares]
            kept = [share for share, k in zip(shares, keep) if k]
            total = _fold(kept)
            shares = [share / total for share in kept]
        chosen = [o for o, k in zip(usable, keep) if k]
        return [(vendor, chip, share) for (vendor, chip, _), share in zip(chosen, shares)]

    def offer_utility(self, offers, step: int) -> list[float]:
        """Each offer's utility in ``chip_shares``'s logit, this month."""
        s = self.model.scenario
        controlled = self.prefers_domestic(step)
        return [
            (
                # it queues for home chips: no wait penalty, the list price
                -s.chip_price_sensitivity * math.log(chip.rent_per_peak_flop_second(s))
                + s.domestic_preference
                if controlled and vendor.region == self.region
                else -s.chip_price_sensitivity * math.log(rent)
                - vendor.wait_months(step) / MAX_ACCEPTABLE_WAIT
            )
            for vendor, chip, rent in offers
        ]

    def choose_chip(self, offers, step: int, gpu_only: bool):
        """Cheapest chip per peak FLOP-second among vendors that can deliver soon."""
        usable = [o for o in offers if o[1].kind == "gpu" or not gpu_only]
        if not usable:
            return None
        prompt = [o for o in usable if o[0].wait_months(step) <= MAX_ACCEPTABLE_WAIT]
        vendor, chip, _ = min(prompt or usable, key=lambda o: o[2])
        return vendor, chip


def _fold(values: list[float]) -> float:
    """The left fold 0.0 + v0 + v1 + ... (numpy's sum of fewer than 8 doubles; builtin
    ``sum()`` compensates)."""
    total = 0.0
    for v in values:
        total += v
    return total
