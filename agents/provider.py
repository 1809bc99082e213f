"""CloudProvider: a fleet of chips, models to serve, a price, chip orders, training."""

from __future__ import annotations

import math
from collections import deque
from itertools import takewhile

import mesa
import numpy as np

from agents.firm import TASK_MINUTES
from agents.lab import FrontierLab
from model.calibration import (
    H100_FLOPS,
    IDLE_POWER_SHARE,
    JOULES_PER_MWH,
    SECONDS_PER_MONTH,
    SERVER_POWER_PER_CHIP_POWER,
)
from model.technology import Chip

#: At most this share of a provider's GPU capacity goes to training in a month.
MAX_TRAINING_SHARE = 0.6
#: Highest monthly demand growth a provider extrapolates when planning its fleet.
MAX_PLANNED_GROWTH = 1.1
#: Highest scarcity premium on the cost-based price; beyond it providers ration (rate
#: limits, waitlists) rather than reprice: in the 2023 shortage OpenAI capped GPT-4 at 25
#: messages per 3 hours and kept its list prices (assumption: at most 3x).
MAX_SCARCITY = 3.0
#: Months of backlog that cost a chip one unit of utility in providers' orders (logit).
MAX_ACCEPTABLE_WAIT = 6.0
#: Vendors whose logit share of an order is below this get none of it.
MIN_ORDER_SHARE = 1e-3
#: Target share of tokens served by the open model once adopted, and the monthly speed of
#: moving toward it (assumption: aggressive clouds switch most of their traffic).
OPEN_SHARE_TARGET = {"premium": 0.3, "aggressive": 0.8}
OPEN_SHARE_SPEED = 0.15
#: The step-0 fleet was installed evenly over this many months before the start.
SEED_FLEET_MONTHS = 24


def price_task_classes(providers, model) -> None:
    """Every provider's prices per task class j (model/calibration.py TASK_CLASSES): the
    nested logit over the released tiers able to do the class (horizon >= its human
    time), from the tier utilities of ``set_prices`` (one pass over all providers).

    The logit (capability value and log price per task, as in ``set_prices``) splits a
    class's tasks over the tiers; the price a firm weighs against a task's value is what it
    pays for the task at that mix. (The logsum's capability term is utility, not money:
    a one-minute task is worth no more done by a tier with a 40-hour horizon, so weighing
    the logsum price would make firms pay for tasks worth less than their bill.)

    Sets on each provider ``class_task_price`` (USD paid per task at the class's tier
    mix; inf when no released tier can do it), ``class_tokens_per_task`` and
    ``class_tier_tasks`` (share of the class's tasks on each tier)."""
    s = model.scenario
    utility = np.array([p.tier_utility for p in providers])  # (providers, tiers)
    prices = np.array([p.tier_prices for p in providers])
    n = utility.shape[1]
    k = model.tiers.tokens_per_task[:n]
    required = model.class_required_tier  # first tier whose horizon covers each class
    feasible = required < n
    able = np.arange(n)[None, :] >= required[:, None]  # (classes, tiers)
    # log-sum over tiers c >= r of exp(utility_c), for every r
    suffix = np.logaddexp.accumulate(utility[:, ::-1], axis=1)[:, ::-1]
    log_sum = np.where(feasible, suffix[:, np.minimum(required, n - 1)], 0.0)  # (P, classes)
    centred = np.where(able, utility[:, None, :] - log_sum[:, :, None], 0.0)
    shares = np.where(able, np.exp(centred), 0.0)  # (P, classes, tiers)
    minute_tokens = s.tokens_per_task_minute * TASK_MINUTES  # tokens of a tier-0 task
    paid = minute_tokens / 1e6 * np.einsum("pjc,pc->pj", shares, prices * k)
    task_price = np.where(feasible, paid, np.inf)
    tokens = minute_tokens * (shares @ k)
    for i, p in enumerate(providers):
        p.class_tier_tasks = shares[i]
        p.class_task_price = task_price[i]
        p.class_tokens_per_task = tokens[i]


def set_prices(providers, step: int) -> None:
    """Each provider's prices of every released tier in month ``step``, and what a firm's
    tasks cost there (elementwise over (providers, tiers); a row's sums and products are
    those of one provider alone).

    Price per million tokens of tier c = its FLOPs per token x cost per useful FLOP x
    (1 + markup) x scarcity, the markup being ``open_model_markup`` for tiers released
    ``open_catchup_months`` ago or more when tiers are on (open weights have caught up
    with them, so they are a commodity; without tiers the one tier keeps the provider's
    markup, as in the analytic limit); in the tier the open-weight model lands in, its
    share of tokens needs ``shock_factor`` times fewer FLOPs (the efficiency the shock twin
    freezes) and carries ``open_model_markup`` instead of the provider's (competition among
    hosts of open weights: in run and twin alike). Tasks split over tiers by a logit on log
    price per task plus the tier's capability value (nested in the firm's choice of
    provider); ``task_price`` is the inclusive price of a task in USD per million
    GPT-4-task tokens (the tier-0 price when only tier 0 is released), ``tokens_per_task``
    and ``flops_per_token`` the tier mix's.
    """
    m = providers[0].model
    s = m.scenario
    n = len(m.tier_flops)
    f = np.repeat(m.tier_flops[None, :], len(providers), axis=0)
    markup = np.array([p.markup for p in providers])
    # FLOPs per token x (1 + markup), by tier; a tier open weights have caught up with is
    # a commodity, served at the open-model markup
    commodity = s.capability_tiers & (m.tiers.release[:n] + s.open_catchup_months <= step)
    priced = f * np.where(commodity[None, :], 1.0 + s.open_model_markup, (1.0 + markup)[:, None])
    share = np.array([p.open_share for p in providers])
    if m.open_tier < n and (share > 0).any():
        c, o, hosts = m.open_tier, share[share > 0], share > 0
        open_f = f[0, c] / m.paths.shock_flops_factor
        priced[hosts, c] = (1.0 - o) * priced[hosts, c] + o * open_f * (1.0 + s.open_model_markup)
        f[hosts, c] = (1.0 - o) * f[hosts, c] + o * open_f
    cost = np.array([p.inference_cost_per_flop for p in providers])
    scarcity = np.array([p.scarcity for p in providers])
    unit = 1e6 * cost * scarcity
    prices = unit[:, None] * priced  # USD per million tokens, by tier
    k = m.tiers.tokens_per_task[:n]
    beta = s.tier_price_sensitivity
    utility = m.tier_quality[:n] - beta * np.log(prices * k)
    rows = np.arange(len(providers))
    best = utility.argmax(axis=1)
    top = utility[rows, best]
    spread = np.array([math.log(x) for x in np.exp(utility - top[:, None]).sum(axis=1).tolist()])
    task_shares = np.exp(utility - (top + spread)[:, None])
    tokens = task_shares * k
    per_task = tokens.sum(axis=1)
    token_shares = tokens / per_task[:, None]
    flops = np.matmul(token_shares[:, None, :], f[:, :, None])[:, 0, 0].tolist()
    paid = np.matmul(token_shares[:, None, :], prices[:, :, None])[:, 0, 0].tolist()
    # the logsum price exp(-log_sum / beta), written around the best tier c so that a
    # single tier's task price is its price per task to the last bit (plain floats: the
    # same products as numpy's)
    at_best = zip(prices[rows, best].tolist(), k[best].tolist(), m.tier_quality[best].tolist())
    task_price = [
        price * k_c * math.exp(-(quality + x) / beta)
        for (price, k_c, quality), x in zip(at_best, spread.tolist())
    ]
    per_task, hedonic, tasks = per_task.tolist(), prices[:, 0].tolist(), np.zeros_like(f)
    for i, p in enumerate(providers):
        p.tokens_per_task = per_task[i]
        p.tier_token_shares = token_shares[i]
        p.flops_per_token = flops[i]
        p.price_per_mtok = paid[i]
        p.task_price = task_price[i]
        p.hedonic_price = hedonic[i]
        p.tier_prices, p.tier_flops = prices[i], f[i]
        p.tier_tasks = tasks[i]
        p.tier_utility = utility[i]


def mix_tasks(providers, class_tokens: np.ndarray) -> None:
    """``CloudProvider.mix_tasks`` of every provider at once: ``class_tokens`` (providers,
    task classes) the tokens each is asked by task class (task_value). Stacked matrix
    products (one BLAS call per provider, as provider by provider: the same numbers)."""
    total = class_tokens.sum(axis=1)
    mixed = [i for i, t in enumerate(total) if t > 0]
    if not mixed:
        return
    providers = [providers[i] for i in mixed]
    n = len(providers[0].tier_prices)
    if any(len(p.tier_prices) != n for p in providers):  # tier counts differ: one by one
        for i, p in zip(mixed, providers):
            mix_tasks([p], class_tokens[i : i + 1])
        return
    per_task = np.array([p.class_tokens_per_task for p in providers])
    tier_shares = np.array([p.class_tier_tasks for p in providers])  # (P, classes, tiers)
    tasks = class_tokens[mixed] / np.where(per_task > 0, per_task, 1.0)
    model = providers[0].model
    k = model.tiers.tokens_per_task[:n]
    minute_tokens = model.scenario.tokens_per_task_minute * TASK_MINUTES
    # tasks by tier: a product per provider with its own array (BLAS or not by its layout)
    tier_tasks = np.array([t @ p.class_tier_tasks for t, p in zip(tasks, providers)])
    tier_tokens = np.matmul((tasks * minute_tokens)[:, None, :], tier_shares * k)[:, 0]
    token_shares = tier_tokens / tier_tokens.sum(axis=1, keepdims=True)
    flops = np.matmul(
        token_shares[:, None, :], np.array([p.tier_flops for p in providers])[..., None]
    )
    prices = np.matmul(
        token_shares[:, None, :], np.array([p.tier_prices for p in providers])[..., None]
    )
    counted = tier_tasks.sum(axis=1).tolist()
    flops, prices = flops[:, 0, 0].tolist(), prices[:, 0, 0].tolist()
    for i, p in enumerate(providers):
        if not counted[i] > 0:  # tokens too few to make a task (underflow): last mix stays
            continue
        p.tier_tasks = tier_tasks[i]
        p.tier_token_shares = token_shares[i]
        p.flops_per_token = flops[i]
        p.price_per_mtok = prices[i]
        p.tokens_per_task = float(tier_tasks[i] @ k) / counted[i]


class Cohort:
    """Chips of one model installed in one month.

    Attributes:
        install: month installed; chip: the Chip; units: chips (setting it refreshes
        ``totals``).
        totals: (peak FLOP/s, board W, reference board W) of the cohort as plain floats,
            whether the chip is a GPU, and a bit mask of which of the three products are
            numpy scalars (bit 0, 1, 2): what ``CloudProvider._recount`` adds up.
    """

    __slots__ = ("install", "chip", "_units", "totals")

    def __init__(self, install: int, chip: Chip, units: float):
        self.install = install
        self.chip = chip
        self.units = units

    @property
    def units(self) -> float:
        return self._units

    @units.setter
    def units(self, units: float) -> None:
        self._units = units
        chip = self.chip
        flops, watts = units * chip.flops, units * chip.watts
        reference = units * chip.reference_watts
        numpy = (
            isinstance(flops, np.floating)
            | isinstance(watts, np.floating) << 1
            | isinstance(reference, np.floating) << 2
        )
        self.totals = (float(flops), float(watts), float(reference), chip.kind == "gpu", numpy)

    def __repr__(self) -> str:
        return f"Cohort(install={self.install!r}, chip={self.chip!r}, units={self.units!r})"


class CloudProvider(mesa.Agent):
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
        self.inference_cost_per_flop = self.training_cost_per_peak_flop = 0.0
        self.gpu_joules_per_flop: float | None = None
        self.demand_tokens = self.cleared_tokens = self.served_tokens = self.revenue = 0.0
        self.training_flops = self.inference_flops = 0.0
        self.training_peak_seconds = self.inference_peak_seconds = 0.0
        self.energy_mwh = self.inference_energy_mwh = 0.0
        self.peak_demand_history: list[float] = []
        self.lab = FrontierLab(s)

    # --- fleet
    def install(self, chip: Chip, units: float, step: int, from_vendor: bool = True) -> None:
        """Add ``units`` chips to the fleet (called by the vendor that ships them)."""
        self.fleet.append(Cohort(step, chip, units))
        self._add_capacity(chip, units)
        if from_vendor:
            self.units_installed += units
            self.pipeline_flops = max(0.0, self.pipeline_flops - units * chip.flops)
            self.pipeline_watts = max(0.0, self.pipeline_watts - units * chip.watts)

    @property
    def facility_watts(self) -> float:
        """Facility power of the fleet at full load (W): board power x server overhead x PUE."""
        return self.watts * SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue

    def accept(self, chip: Chip, units: float, step: int) -> float:
        """Install what a vendor ships, as far as the power held can run it; returns the
        units installed (the rest waits at the vendor). When power binds, old chips whose
        power would earn more in new ones are retired first (``retire_for``)."""
        per_unit = chip.facility_watts(self.model.scenario)
        room = self.power_watts - self.facility_watts
        if units * per_unit > room:
            self.retire_for(chip, units * per_unit - room)
            room = self.power_watts - self.facility_watts
        units = min(units, max(0.0, room) / per_unit)
        if units > 0:
            self.install(chip, units, step)
        return units

    def replaceable(self, cohort: Cohort, chip: Chip) -> bool:
        """Whether power running ``cohort`` earns more in ``chip``: a watt of the new chip
        adds (1 - x_old / x_new) of its FLOP/s, worth the rent of those FLOP/s x (1 +
        markup) x scarcity, against the new chip's rent; x is FLOP/s per watt."""
        ratio = (cohort.chip.flops / cohort.chip.watts) / (chip.flops / chip.watts)
        return (1.0 + self.markup) * self.scarcity * (1.0 - ratio) > 1.0

    def replaceable_watts(self, chip: Chip) -> float:
        """Facility watts of the fleet that ``chip`` would replace when power binds."""
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        board = sum(c.units * c.chip.watts for c in self.fleet if self.replaceable(c, chip))
        return board * overhead

    def retire_for(self, chip: Chip, watts: float) -> None:
        """Retire replaceable chips, least efficient first, to free ``watts`` at the facility."""
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        candidates = sorted(
            (c for c in self.fleet if self.replaceable(c, chip)),
            key=lambda c: c.chip.flops / c.chip.watts,
        )
        if not candidates:
            return
        for cohort in candidates:  # partly, for the last one needed
            if watts <= 0:
                break
            units = min(cohort.units, watts / (cohort.chip.watts * overhead))
            cohort.units -= units
            watts -= units * cohort.chip.watts * overhead
        self.fleet = deque(c for c in self.fleet if c.units > 0)
        self._recount()

    def _add_capacity(self, chip: Chip, units: float) -> None:
        self.capacity_flops += units * chip.flops
        self.watts += units * chip.watts
        self.reference_watts += units * chip.reference_watts
        if chip.kind == "gpu":
            self.gpu_flops += units * chip.flops
        else:
            self.xpu_flops += units * chip.flops

    def retire_chips(self, step: int) -> None:
        """Remove cohorts that reached the end of their life."""
        lifetime = self.model.scenario.chip_lifetime
        retired = False
        while self.fleet and self.fleet[0].install <= step - lifetime:
            self.fleet.popleft()
            retired = True
        if retired:
            self._recount()

    def scale_fleet(self, factor: float) -> None:
        """Keep ``factor`` of every cohort (a fleet cut to the power it holds, or a test's
        shortage)."""
        for cohort in self.fleet:
            cohort.units *= factor
        self._recount()

    def _recount(self) -> None:
        """Fleet totals re-added from scratch: no rounding residue from subtraction."""
        # as _add_capacity cohort by cohort (the same sums in the same order), in plain
        # floats from the cohorts' totals; a total is a numpy scalar, as adding the
        # cohorts' products would make it, when any of its terms is one
        capacity = gpu = xpu = watts = reference = 0.0
        numpy = gpu_numpy = xpu_numpy = 0
        for flops, board, board_reference, is_gpu, wide in [c.totals for c in self.fleet]:
            capacity += flops
            watts += board
            reference += board_reference
            numpy |= wide
            if is_gpu:
                gpu += flops
                gpu_numpy |= wide
            else:
                xpu += flops
                xpu_numpy |= wide
        self.capacity_flops = np.float64(capacity) if numpy & 1 else capacity
        self.gpu_flops = np.float64(gpu) if gpu_numpy & 1 else gpu
        self.xpu_flops = np.float64(xpu) if xpu_numpy & 1 else xpu
        self.watts = np.float64(watts) if numpy & 2 else watts
        self.reference_watts = np.float64(reference) if numpy & 4 else reference

    def capacity_retiring_by(self, step: int) -> float:
        """Peak FLOP/s of the current fleet retired by month ``step``."""
        return sum(c.units * c.chip.flops for c in self._retiring_by(step))

    def _retiring_by(self, step: int):
        """The cohorts retired by month ``step``: the first ones (the fleet is oldest first)."""
        cutoff = step - self.model.scenario.chip_lifetime
        return takewhile(lambda c: c.install <= cutoff, self.fleet)

    def seed_fleet(self, tokens: float, flat: tuple[float, float] = (0.0, 0.0)) -> None:
        """The fleet the provider holds at step 0: what ``tokens`` a month (its expected
        step-0 demand at its price) and their training need at the target utilisation
        (``flat``: consumers' tokens and flat revenue among them, as in ``serve``).

        Cheapest GPUs on sale at step 0 (2023 fleets were GPUs; custom inference chips
        enter through later orders), installed over the previous 24 months so retirements
        are spread out. The fleet predates the simulation: not counted as sales.
        """
        s = self.model.scenario
        revenue = max(0.0, tokens - flat[0]) * self.price_per_mtok / 1e6 + flat[1]
        training_peak = self.lab.budget(revenue) / self.training_cost_per_peak_flop
        inference_peak = tokens * self.flops_per_token / s.inference_mfu
        offers = self.model.offers[self.region]
        choice = self.choose_chip(offers, 0, gpu_only=True)
        if choice is None:  # no GPU on sale to this region: the cheapest chip
            choice = self.choose_chip(offers, 0, gpu_only=False)
        chip = choice[1]
        units = (
            (training_peak + inference_peak)
            / SECONDS_PER_MONTH
            / s.target_utilization
            / chip.flops
            / SEED_FLEET_MONTHS
        )
        for month in range(1 - SEED_FLEET_MONTHS, 1):
            self.install(chip, units, month, from_vendor=False)
        self.revenue = revenue

    # --- costs and prices
    def update_costs(self, offers) -> None:
        """Replacement cost of compute from the chips on sale to this region.

        ``offers`` lists (vendor, chip, rent per peak FLOP-second) available here.
        """
        s = self.model.scenario
        self.inference_cost_per_flop = min(rent for _, _, rent in offers) / s.inference_mfu
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

    def mix_tasks(self, class_tokens: np.ndarray) -> None:
        """The tier mix of this month's firm demand (task_value): tokens by task class
        ``class_tokens`` set tokens and tasks by tier, the average FLOPs per token, price
        per token and tokens per task (GPT-4 = 1) served. No demand: the ``set_prices`` mix.
        (``mix_tasks`` for one provider.)"""
        mix_tasks([self], class_tokens[None])

    def cost_per_token(self) -> float:
        """USD of compute per token served at this month's tier mix (no markup)."""
        return self.inference_cost_per_flop * self.flops_per_token

    # --- serving
    def training_budget(self) -> float:
        """USD for training runs this month: the lab's spend (agents/lab.py)."""
        return self.lab.budget(self.revenue)

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
        planned_training = max(
            want_training_peak, self.lab.target(self.revenue) / self.training_cost_per_peak_flop
        )
        self.peak_demand_history.append(demand_flops / s.inference_mfu + planned_training)
        self.training_peak_seconds = training_peak
        self.inference_peak_seconds = served_flops / s.inference_mfu
        mwh_per_peak_flop = self.joules_per_peak_flop() / JOULES_PER_MWH
        busy = training_peak + self.inference_peak_seconds
        idle = max(0.0, peak_seconds - busy) if s.capacity_limited else 0.0
        self.energy_mwh = (busy + IDLE_POWER_SHARE * idle) * mwh_per_peak_flop
        self.inference_energy_mwh = self.inference_peak_seconds * mwh_per_peak_flop
        self.lab.record_training(self.training_flops)
        self.lab.observe(self.revenue)
        return served_share

    def capacity_split(self) -> tuple[float, float, float]:
        """(training peak FLOP-seconds wanted, training peak FLOP-seconds granted, useful
        inference FLOPs available) this month: training takes its share of GPUs first."""
        s = self.model.scenario
        want_training_peak = self.training_budget() / self.training_cost_per_peak_flop
        if not s.capacity_limited:
            return want_training_peak, want_training_peak, math.inf
        training_peak = min(
            want_training_peak, MAX_TRAINING_SHARE * self.gpu_flops * SECONDS_PER_MONTH
        )
        peak_seconds = self.capacity_flops * SECONDS_PER_MONTH
        return want_training_peak, training_peak, (peak_seconds - training_peak) * s.inference_mfu

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
        log_low, log_high = math.log(low), math.log(high)
        for _ in range(60):  # bisection on log m: demand falls as the price rises
            mid = 0.5 * (log_low + log_high)
            if demand_flops * response(math.exp(mid)) > capacity_flops:
                log_low = mid
            else:
                log_high = mid
        return math.exp(log_high)

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

    # --- investment
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

    def order_chips(self, step: int) -> None:
        """Order chips when expected utilisation after the lead time exceeds the target.

        Expected demand (inference, and the training the lab's target spend buys)
        extrapolates the last six months' growth over the lead time; the
        order brings planned utilisation back to the target. GPUs cover the training part;
        the inference part goes to the cheapest chip per useful FLOP (GPU or XPU) whose
        vendor can deliver within a few months.
        """
        s = self.model.scenario
        history = self.peak_demand_history
        if not history:
            return
        need = history[-1] / SECONDS_PER_MONTH  # peak FLOP/s
        growth = 1.0
        if len(history) >= 7 and history[-7] > 0:
            ratio = history[-1] / max(history[-7], 1e-12 * history[-1])  # bounded: no overflow
            growth = min(MAX_PLANNED_GROWTH, max(0.9, ratio ** (1 / 6)))
        lead = s.chip_lead_time
        offers = self.model.offers[self.region]
        self.request_power(need * growth ** (s.grid_lead_time + 1), offers, step)
        forecast = need * growth ** (lead + 1)
        future = self.capacity_flops + self.pipeline_flops - self.capacity_retiring_by(step + lead)
        gap = forecast / s.target_utilization - future
        if gap <= 0:
            return
        want_training = self.training_budget() / self.training_cost_per_peak_flop
        training_share = min(1.0, want_training / history[-1]) if history[-1] > 0 else 0.0
        parts = ((gap * training_share, "training"), (gap * (1 - training_share), "inference"))
        orders = [
            (vendor, chip, share * part / chip.flops, purpose)
            for part, purpose in parts
            if part > 0
            for vendor, chip, share in self.chip_shares(offers, step, purpose == "training")
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

    def chip_shares(self, offers, step: int, gpu_only: bool) -> list[tuple]:
        """How an order splits over the chips on sale: a logit on cost per useful FLOP.

        Utility = -chip_price_sensitivity x ln(rent per peak FLOP-second) - backlog in
        months / MAX_ACCEPTABLE_WAIT; for a home-region vendor when this provider's region
        is under US export controls (from ``domestic_preference_step`` on), plus
        ``domestic_preference`` and no wait penalty (policy makes buyers queue for home
        chips rather than turn to foreign ones: after April 2025 Chinese buyers waited
        for Ascend supply instead of buying H20s). Returns
        (vendor, chip, share) with shares summing to 1 (shares below MIN_ORDER_SHARE
        dropped); empty when no usable chip is on sale.
        """
        s = self.model.scenario
        usable = [o for o in offers if o[1].kind == "gpu" or not gpu_only]
        if not usable:
            return []
        controlled = self.prefers_domestic(step)
        utility = np.array(
            [
                -s.chip_price_sensitivity * math.log(rent)
                + (
                    s.domestic_preference  # and it queues for home chips: no wait penalty
                    if controlled and vendor.region == self.region
                    else -vendor.wait_months(step) / MAX_ACCEPTABLE_WAIT
                )
                for vendor, _, rent in usable
            ]
        )
        weights = np.exp(utility - utility.max())
        shares = weights / weights.sum()
        keep = shares >= MIN_ORDER_SHARE
        shares = shares[keep] / shares[keep].sum()
        chosen = [o for o, k in zip(usable, keep) if k]
        return [(vendor, chip, float(share)) for (vendor, chip, _), share in zip(chosen, shares)]

    def choose_chip(self, offers, step: int, gpu_only: bool):
        """Cheapest chip per peak FLOP-second among vendors that can deliver soon."""
        usable = [o for o in offers if o[1].kind == "gpu" or not gpu_only]
        if not usable:
            return None
        prompt = [o for o in usable if o[0].wait_months(step) <= MAX_ACCEPTABLE_WAIT]
        vendor, chip, _ = min(prompt or usable, key=lambda o: o[2])
        return vendor, chip
