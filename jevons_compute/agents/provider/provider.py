"""CloudProvider: a fleet of chips, models to serve, a price, chip orders, training."""

from __future__ import annotations

import math
from collections import deque

import mesa
import numpy as np

from jevons_compute.agents.lab import FrontierLab
from jevons_compute.agents.provider.fleet import Cohort, Fleet
from jevons_compute.agents.provider.procurement import Procurement
from jevons_compute.agents.provider.serving import Serving
from jevons_compute.world.facts import H100_FLOPS

#: Target share of tokens served by the open model once adopted, and the monthly speed of
#: moving toward it (assumption: aggressive clouds switch most of their traffic).
OPEN_SHARE_TARGET = {"premium": 0.3, "aggressive": 0.8}
OPEN_SHARE_SPEED = 0.15


class CloudProvider(Fleet, Procurement, Serving, mesa.Agent):
    """A cloud provider serving tokens in one region.

    Attributes:
        region: "US", "EU" or "CN".
        strategy: "premium" (high markup, better model) or "aggressive" (low markup, fast
            to adopt open models).
        markup: price over cost, as a share (price = cost x (1 + markup) x scarcity).
        quality: utility bonus in firms' logit choice.
        fleet: chip cohorts, oldest first.
        capacity_flops: installed peak FLOP/s.
        scarcity: multiplier on price after months of excess demand (>= 1).
        open_adopted, open_share: whether it serves the open model, and its share of tokens.
        price_per_mtok: average USD per million tokens over the tiers it serves (weighted
            by tokens), this month; hedonic_price: the 2023 tier's price.
        task_price: inclusive price of a task (USD per million GPT-4-task tokens) that
            firms weigh; tokens_per_task: tokens per task of its tier mix (GPT-4 = 1);
            tier_token_shares: share of its tokens by released tier.
        flops_per_token: average over the tiers and models it serves this month.
        demand_tokens, served_tokens: tokens asked for and served this month (real units).
        revenue: USD this month from tokens.
        training_flops, inference_flops: useful FLOPs this month.
        energy_mwh, inference_energy_mwh: electricity this month at the facility (all,
            idle draw included; serving only): servers' host and idle power and PUE included.
        power_watts: facility power contracted from the region's grid (W; inf without
            power limits); facility_watts: what the fleet draws at full load (W).
        grid: the RegionGrid it contracts power from.
        units_installed: chips received from vendors since step 0.
    """

    def __init__(self, model, region: str, strategy: str, rng):
        super().__init__(model)
        s = model.scenario
        self.region = region
        self.strategy = strategy
        self.stream = rng  # its own generator (Agent.rng is the model's)
        self.markup = float(s.premium_markup if strategy == "premium" else s.aggressive_markup)
        self.quality = float(s.premium_quality if strategy == "premium" else 0.0)
        self.fleet: deque[Cohort] = deque()
        self.capacity_flops = self.gpu_flops = self.xpu_flops = 0.0
        self.watts = self.reference_watts = 0.0
        self.pipeline_flops = self.pipeline_watts = 0.0
        self.power_watts = math.inf
        self.grid = None
        self.units_installed = 0.0
        self.scarcity = 1.0
        self.open_adopted = False
        self.open_share = 0.0
        self.price_per_mtok = self.flops_per_token = self.task_price = self.hedonic_price = 0.0
        self.tokens_per_task = 1.0
        self.tier_token_shares = np.ones(1)
        self.tier_tasks = np.zeros(1)  # firms' tasks asked by tier this month (task_value)
        self.consumer_tier = 0  # the tier its platform serves consumers (agents/consumer.py)
        self.consumer_flops_per_token = self.consumer_cost_per_token = 0.0
        self.inference_cost_per_flop = self.training_cost_per_peak_flop = 0.0
        self.rent_per_peak_flop = 0.0
        self.hedonic_flops = self.hedonic_markup = 0.0  # the GPT-4-class tier's (set_prices)
        self.gpu_joules_per_flop: float | None = None
        self.demand_tokens = self.cleared_tokens = self.served_tokens = self.revenue = 0.0
        self.training_flops = self.inference_flops = 0.0
        self.training_peak_seconds = self.inference_peak_seconds = 0.0
        self.training_wanted_peak = 0.0  # peak FLOP-seconds the training budget asked for
        self.inference_need = math.inf  # peak FLOP-seconds inference asked for last month
        self.planned_training = 0.0  # peak FLOP-seconds the lab's target spend buys
        self.energy_mwh = self.inference_energy_mwh = 0.0
        self.peak_demand_history: list[float] = []
        self.lab = FrontierLab(s)

    # --- costs and prices
    def update_costs(self, offers) -> None:
        """Replacement cost of compute from the chips on sale to this region.

        ``offers`` lists (vendor, chip, rent per peak FLOP-second) available here.
        """
        #: USD per peak FLOP-second of the cheapest chip on sale (hardware price-performance)
        self.rent_per_peak_flop = min(rent for _, _, rent in offers)
        self.inference_cost_per_flop = self.rent_per_peak_flop / self.model.serving_mfu
        gpus = [(rent, chip) for _, chip, rent in offers if chip.kind == "gpu"]
        self.training_cost_per_peak_flop = min(rent for rent, _ in gpus) if gpus else math.inf
        # joules per FLOP of the most efficient GPU on sale: what a new campus would run
        self.gpu_joules_per_flop = min((c.watts / c.flops for _, c in gpus), default=None)

    def gpu_rental_price_per_hour(self) -> float:
        """USD for an hour of an H100-equivalent GPU here: the cost-based rent of the
        cheapest GPU on sale x (1 + ``gpu_rental_markup``) x scarcity (the visible
        scarcity signal). GPU hours are rented at the rental market's markup, not at the
        provider's markup on tokens."""
        rent = self.training_cost_per_peak_flop * H100_FLOPS * 3600.0
        return rent * (1.0 + self.model.scenario.gpu_rental_markup) * self.scarcity

    def adopt_open_model(self, step: int, adopted_share: float) -> None:
        """Bass-style diffusion of the open model among providers allowed to host it."""
        s = self.model.scenario
        u = self.stream.random()  # drawn every month, used or not (common random numbers)
        if not self.model.open_model_released(step) or not self.may_host_open_model():
            return
        if not self.open_adopted:
            hazard = s.open_adoption_p + s.open_adoption_q * adopted_share
            if self.strategy == "aggressive":
                hazard *= 2.0
            self.open_adopted = bool(u < 1.0 - math.exp(-hazard))
        if self.open_adopted:
            target = OPEN_SHARE_TARGET[self.strategy]
            self.open_share += OPEN_SHARE_SPEED * (target - self.open_share)

    def may_host_open_model(self) -> bool:
        return self.region == "CN" or self.model.scenario.cross_region_hosting

    def cost_per_token(self) -> float:
        """USD of compute per token served at this month's tier mix (no markup)."""
        return self.inference_cost_per_flop * self.flops_per_token
