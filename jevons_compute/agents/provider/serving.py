"""A provider's serving: training takes its capacity, inference the rest; the month's
market clears at this provider with a scarcity multiplier on posted prices; energy used."""

from __future__ import annotations

import math

from jevons_compute.world.facts import IDLE_POWER_SHARE, JOULES_PER_MWH, SECONDS_PER_MONTH

#: Training is sure of this share of a provider's GPU capacity in a month; beyond it, it
#: takes the GPUs that last month's inference demand left idle (a fleet never idles while
#: the lab waits for compute).
MAX_TRAINING_SHARE = 0.6
#: Highest scarcity premium on the cost-based price; beyond it providers ration (rate
#: limits, waitlists) rather than reprice: in the 2023 shortage OpenAI capped GPT-4 at 25
#: messages per 3 hours and kept its list prices (assumption: at most 3x).
MAX_SCARCITY = 3.0
#: The clearing multiplier's root finder: at most this many steps, done when the log of
#: demand over capacity is within the tolerance (a relative 1e-12 of capacity).
ROOT_STEPS = 100
ROOT_TOLERANCE = 1e-12


class Serving:
    """The serving part of a CloudProvider (a mixin: ``self`` is the provider)."""

    def training_budget(self) -> float:
        """USD for training runs this month: the lab's spend (agents/lab.py)."""
        return self.lab.budget(self.revenue, self.training_cost_per_peak_flop, self.model.steps)

    def serve(
        self,
        demand_tokens: float,
        response=None,
        elasticity: float | None = None,
        flat: tuple[float, float] = (0.0, 0.0),
        split: tuple[float, float, float] | None = None,
    ) -> float:
        """Clear this month's market at this provider; return the share of the demand at
        the posted price that is served.

        Training takes its share of GPU capacity first; inference gets the rest. When
        demand exceeds capacity the price rises within the month by the multiplier that
        brings demand down to capacity (``response(m)``: demand at m x the posted price
        over demand at the posted price); when capacity exceeds demand a past scarcity
        premium falls back, never below the cost-based price. Only what remains above
        capacity with the multiplier at MAX_SCARCITY (or with demand that does not respond
        to price) is rationed, pro rata. ``elasticity``: response(m) is m^-elasticity
        (the multiplier then has a closed form). ``flat``: (tokens, USD) of the demand
        that platforms' consumer users bring at a flat revenue per user, not per token.
        ``split``: this month's ``capacity_split()`` if already computed.
        """
        s = self.model.scenario
        want_training_peak, training_peak, inference_capacity = split or self.capacity_split()
        peak_seconds = self.capacity_flops * SECONDS_PER_MONTH
        demand_flops = demand_tokens * self.flops_per_token
        multiplier = self.multiplier_for(demand_tokens, response, inference_capacity, elasticity)
        cleared_flops = demand_flops * (response(multiplier) if multiplier != 1.0 else 1.0)
        served_flops = min(cleared_flops, inference_capacity)
        served_share = served_flops / demand_flops if demand_flops > 0 else 1.0
        self.scarcity *= multiplier
        self.price_per_mtok *= multiplier  # what was paid this month
        self.task_price *= multiplier
        self.hedonic_price *= multiplier
        self.demand_tokens = demand_tokens
        self.cleared_tokens = demand_tokens * (cleared_flops / demand_flops if demand_flops else 1)
        self.served_tokens = demand_tokens * served_share
        # consumers: their tokens do not move with the price, only with rationing, and
        # their platform earns a flat revenue per user, not a price per token
        flat_tokens, flat_revenue = flat
        rationed = served_flops / cleared_flops if cleared_flops > 0 else 1.0
        self.revenue = (
            max(0.0, self.served_tokens - flat_tokens * rationed) * self.price_per_mtok / 1e6
            + flat_revenue * rationed
        )
        self.training_flops = training_peak * s.training_mfu
        self.inference_flops = served_flops
        # fleets are built for the training the lab is heading for (its target spend),
        # not only this month's partially adjusted budget
        cost, step = self.training_cost_per_peak_flop, self.model.steps
        self.planned_training = max(
            want_training_peak, self.lab.target(self.revenue, cost, step) / cost
        )
        self.inference_need = demand_flops / self.model.serving_mfu  # peak FLOP-seconds
        self.peak_demand_history.append(self.inference_need + self.planned_training)
        self.training_peak_seconds = training_peak
        self.training_wanted_peak = want_training_peak
        self.inference_peak_seconds = served_flops / self.model.serving_mfu
        mwh_per_peak_flop = self.joules_per_peak_flop() / JOULES_PER_MWH
        busy = training_peak + self.inference_peak_seconds
        idle = max(0.0, peak_seconds - busy) if s.capacity_limited else 0.0
        self.energy_mwh = (busy + IDLE_POWER_SHARE * idle) * mwh_per_peak_flop
        self.inference_energy_mwh = self.inference_peak_seconds * mwh_per_peak_flop
        self.lab.record_training(self.training_flops)
        self.lab.observe(self.revenue, cost, step)
        return served_share

    def capacity_split(self) -> tuple[float, float, float]:
        """(training peak FLOP-seconds wanted, training peak FLOP-seconds granted, useful
        inference FLOPs available) this month: training takes its share of GPUs first."""
        s = self.model.scenario
        want_training_peak = self.training_budget() / self.training_cost_per_peak_flop
        if not s.capacity_limited:
            return want_training_peak, want_training_peak, math.inf
        peak_seconds = self.capacity_flops * SECONDS_PER_MONTH
        gpu_seconds = self.gpu_flops * SECONDS_PER_MONTH
        # GPUs last month's inference demand would leave idle (after the XPUs serve theirs)
        spare = gpu_seconds - max(0.0, self.inference_need - self.xpu_flops * SECONDS_PER_MONTH)
        training_peak = min(want_training_peak, max(MAX_TRAINING_SHARE * gpu_seconds, spare))
        mfu = self.model.serving_mfu
        return want_training_peak, training_peak, (peak_seconds - training_peak) * mfu

    def multiplier_for(
        self, demand_tokens: float, response, capacity: float | None = None, elasticity=None
    ) -> float:
        """The clearing multiplier on posted prices for ``demand_tokens`` at posted prices
        (1 without capacity limits or demand); changes nothing. ``capacity``: useful
        inference FLOPs if already known (``capacity_split``); ``elasticity``: response(m)
        is m^-elasticity (closed form)."""
        demand_flops = demand_tokens * self.flops_per_token
        if not self.model.scenario.capacity_limited or response is None or demand_flops <= 0:
            return 1.0
        if capacity is None:
            capacity = self.capacity_split()[2]
        return self.clearing_multiplier(demand_flops, capacity, response, elasticity)

    def clearing_multiplier(
        self, demand_flops: float, capacity_flops: float, response, elasticity=None
    ) -> float:
        """The multiplier m on posted prices with demand x response(m) = capacity, within
        [1/scarcity, MAX_SCARCITY/scarcity] (the total premium stays in [1, MAX_SCARCITY])."""
        low, high = 1.0 / self.scarcity, MAX_SCARCITY / self.scarcity
        if capacity_flops <= 0:
            return high
        if demand_flops * (1.0 if low == 1.0 else response(low)) <= capacity_flops:
            return low
        if demand_flops * response(high) >= capacity_flops:
            return high
        if elasticity is not None:  # response(m) = m^-eps: closed form
            return (demand_flops / capacity_flops) ** (1.0 / elasticity)
        # Illinois (regula falsi) on log m for the log excess demand, which falls as the
        # price rises; ends on the side where demand fits (as a bisection would)
        log_capacity = math.log(capacity_flops)

        def excess(log_m: float) -> float:
            return math.log(max(demand_flops * response(math.exp(log_m)), 1e-300)) - log_capacity

        a, b = math.log(low), math.log(high)
        fa, fb = excess(a), excess(b)
        side = 0
        for _ in range(ROOT_STEPS):
            c = b - fb * (b - a) / (fb - fa) if fb != fa else 0.5 * (a + b)
            fc = excess(c)
            if abs(fc) < ROOT_TOLERANCE:
                return math.exp(c)
            if fc > 0:  # demand still above capacity: the root is above c
                a, fa = c, fc
                if side == -1:
                    fb *= 0.5
                side = -1
            else:
                b, fb = c, fc
                if side == 1:
                    fa *= 0.5
                side = 1
            if b - a < 1e-15:
                break
        return math.exp(b)

    def largest_training_run_flop(self, step: int) -> float:
        """The lab's largest run finishing now, on the most efficient GPU on sale here."""
        joules = self.gpu_joules_per_flop
        return self.lab.largest_run_flop(step, joules or self.joules_per_peak_flop())

    def reference_energy_ratio(self) -> float:
        """Energy of this fleet at the run's joules per FLOP of each chip vintage, over its
        actual energy (1 except in a twin whose hardware progress is frozen)."""
        return self.reference_watts / self.watts if self.watts > 0 else 1.0

    def joules_per_peak_flop(self) -> float:
        """Fleet-average facility energy per peak FLOP at full load (J): host power and
        PUE included; the newest chip's if the fleet is empty."""
        if self.capacity_flops > 0:
            return self.facility_watts / self.capacity_flops
        _, chip, _ = min(self.model.offers[self.region], key=lambda o: o[2])
        return chip.facility_watts(self.model.scenario) / chip.flops
