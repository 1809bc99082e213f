"""Firms: many, alike in their rule, so their state lives in arrays updated at once.

``FirmPopulation`` owns the arrays and the vectorized monthly update (adopt, choose a
provider, demand tokens). ``Firm`` is a Mesa agent that is a view of one row, so
``model.agents_by_type[Firm]`` and ``firm.adopted``, ``firm.tokens``, ``firm.provider``
work as for any Mesa agent.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from model.calibration import (
    FIRM_SIZE_MAX,
    FIRM_SIZE_PARETO_ALPHA,
    MONTHLY_WAGE_USD,
    REAL_FIRMS,
    REGION_ACCESS,
    SECTORS,
)
from model.parameters import ParameterError

SECTOR_NAMES = tuple(SECTORS)
#: Firm size and wage of the analytic limit's identical firms.
IDENTICAL_EMPLOYEES = 20.0
IDENTICAL_EXPOSURE = 0.3
WAGE_DISPERSION = 0.3  # log-normal sigma of firm wages around the regional mean (assumption)


def allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` agents by ``shares`` (largest remainder), each at least one if possible."""
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(np.int64)
    if total >= len(shares):
        counts = np.maximum(counts, 1)
    while counts.sum() > total:
        counts[np.argmax(counts)] -= 1
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    for i in order[: total - counts.sum()]:
        counts[i] += 1
    return counts


def stratified_uniform(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniforms, one in each of n equal strata, in random order (less sampling noise)."""
    u = (np.arange(n) + rng.random(n)) / max(n, 1)
    return rng.permutation(u)


def sample_firm_sizes(region: np.ndarray, rng: np.random.Generator):
    """Employees of each firm agent, and its importance weight (mean 1 within a region).

    Sizes are heavy-tailed (truncated Pareto), so a plain sample leaves the few large firms
    that hold most of the work to chance. Half the agents of each region are drawn from the
    Pareto and half log-uniformly over [1, FIRM_SIZE_MAX] (a defensive mixture), each
    stratified; the weight p(x)/q(x), normalised to mean 1 within the region, keeps totals
    unbiased while large firms are well represented.
    """
    a, top = FIRM_SIZE_PARETO_ALPHA, FIRM_SIZE_MAX
    employees = np.empty(len(region))
    importance = np.empty(len(region))
    for r in np.unique(region):
        idx = np.flatnonzero(region == r)
        half = len(idx) // 2
        u_pareto = stratified_uniform(len(idx) - half, rng)
        u_log = stratified_uniform(half, rng)
        x = np.concatenate(
            [(1.0 - u_pareto * (1.0 - top**-a)) ** (-1.0 / a), np.exp(u_log * np.log(top))]
        )
        pareto_pdf = a * x ** (-a - 1) / (1.0 - top**-a)
        log_pdf = 1.0 / (x * np.log(top))
        share = (len(idx) - half) / len(idx)
        w = pareto_pdf / (share * pareto_pdf + (1 - share) * log_pdf)
        order = rng.permutation(len(idx))
        employees[idx] = x[order]
        importance[idx] = (w / w.mean())[order]
    return employees, importance


#: task_value: firms' use when every task is done is at most this multiple of their step-0
#: use (bounds the model when almost no task is worth its price at step 0).
MAX_TASK_EXPANSION = 1e6
#: constant_elasticity: a demand factor above e^this (~1e120) cannot be represented with
#: the model's totals (tokens x FLOPs x prices) in floating point: refused, not clipped.
MAX_LOG_DEMAND_FACTOR = 120 * math.log(10)


def token_demand_factor(price: float, reference_price: float, scenario) -> float:
    """A firm's tokens at ``price`` relative to its tokens at ``reference_price`` (USD per
    Mtok): the intensive margin of its demand.

    ``constant_elasticity``: (price / reference)^-epsilon.
    ``task_value``: share of tasks whose value per token exceeds the price, relative to the
    share at the reference price; task values are log-normal(median, sigma), so demand is
    elastic while AI is dear and saturates as it gets cheap.
    """
    if scenario.demand_model == "constant_elasticity":
        log_factor = -scenario.price_elasticity * math.log(price / reference_price)
        if log_factor > MAX_LOG_DEMAND_FACTOR:
            raise ParameterError(
                f"token demand would grow {reference_price / price:.3g}-fold in price to the "
                f"power price_elasticity={scenario.price_elasticity:g}, beyond what the model "
                "can represent (1e120): use a lower price_elasticity, smaller efficiency gains "
                "or fewer steps."
            )
        return (price / reference_price) ** -scenario.price_elasticity
    done_at_reference = max(_tasks_done(reference_price, scenario), 1e-300)
    return min(_tasks_done(price, scenario) / done_at_reference, MAX_TASK_EXPANSION)


def _tasks_done(price: float, scenario) -> float:
    z = (math.log(price) - math.log(scenario.task_value_median)) / scenario.task_value_sigma
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def task_value_elasticity(price: float, scenario) -> float:
    """Point elasticity of task_value demand at ``price`` (positive number)."""
    sigma = scenario.task_value_sigma
    z = (math.log(price) - math.log(scenario.task_value_median)) / sigma
    density = math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return density / (sigma * max(_tasks_done(price, scenario), 1e-300))


class FirmPopulation:
    """The state of every firm agent, one row each, and their vectorized monthly update.

    Arrays (length n_firms): ``region`` (index into ``regions``), ``sector``, ``weight``
    (real firms represented), ``employees``, ``wage`` (USD per employee-month), ``exposure``
    (share of work AI can do), ``ref_tokens`` (tokens per month at the step-0 price if
    adopted), ``value`` (USD per month gained from adopting, net of amortised integration
    cost), ``adopted``, ``slot`` (chosen provider index + 1; 0 = none).
    """

    def __init__(
        self, scenario, regions: tuple[str, ...], n_providers: int, rng: np.random.Generator
    ):
        s = scenario
        self.regions = regions
        n = s.n_firms
        counts = allocate(n, np.array([REAL_FIRMS[r] for r in regions]))
        self.region = np.repeat(np.arange(len(regions)), counts)
        self.weight = np.repeat(
            [REAL_FIRMS[r] / max(c, 1) for r, c in zip(regions, counts)], counts
        )
        mean_wage = np.array([MONTHLY_WAGE_USD[r] for r in regions])[self.region]
        shares = np.array([v[0] for v in SECTORS.values()])
        exposures = np.array([v[1] for v in SECTORS.values()])
        if s.identical_firms:
            self.sector = np.zeros(n, dtype=np.int64)
            self.employees = np.full(n, IDENTICAL_EMPLOYEES)
            self.wage = mean_wage
            self.exposure = np.full(n, IDENTICAL_EXPOSURE)
        else:
            cdf = np.cumsum(shares) / shares.sum()
            self.sector = np.minimum(np.searchsorted(cdf, stratified_uniform(n, rng)), len(cdf) - 1)
            self.employees, importance = sample_firm_sizes(self.region, rng)
            self.weight = self.weight * importance
            z = rng.standard_normal(n)
            self.wage = mean_wage * np.exp(WAGE_DISPERSION * z - WAGE_DISPERSION**2 / 2)
            self.exposure = np.clip(exposures[self.sector] * rng.uniform(0.5, 1.5, n), 0.0, 1.0)
        self.n_sectors = len(shares)
        self.group = self.region * self.n_sectors + self.sector
        self.derive(s)
        n_groups = len(regions) * self.n_sectors
        self.weight_by_group = np.bincount(self.group, self.weight, n_groups)
        self.adopted = np.zeros(n, dtype=bool)
        self.adopted_weight_by_group = np.zeros(n_groups)
        self.slot = np.zeros(n, dtype=np.int64)
        self.n_slots = n_providers + 1
        self.key = self.region * self.n_slots  # region x slot, for one-pass aggregation
        self.demand_factor = np.zeros(1)  # per slot: demand / ref_tokens this month
        self.served_share = np.ones(1)  # per slot: share of demand served this month

    def derive(self, scenario) -> None:
        """Recompute what follows from size, wage and exposure (call after editing them)."""
        s = scenario
        work = self.wage * self.employees * self.exposure  # USD per month of AI-exposed work
        self.ref_tokens = s.tokens_per_worker * self.employees * self.exposure
        self.weighted_ref_tokens = self.weight * self.ref_tokens
        self.gain_usd = s.productivity_gain * work
        self.weighted_gain_usd = self.weight * self.gain_usd
        self.value = self.gain_usd - s.integration_cost / s.integration_amortization
        with np.errstate(divide="ignore", invalid="ignore"):
            # USD per million reference tokens a firm can pay and still gain from adopting
            self.break_even_price = np.where(
                self.ref_tokens > 0,
                1e6 * self.value / self.ref_tokens,
                np.where(self.value > 0, np.inf, -np.inf),
            )

    @property
    def n(self) -> int:
        return len(self.region)

    # --- the monthly decision
    def eligible(self, expected_price: np.ndarray) -> np.ndarray:
        """Firms whose net benefit of adopting is positive at their region's expected price."""
        return self.break_even_price > expected_price[self.region]

    def adopt_initial(self, share: float, expected_price, choice_cdf, rng) -> None:
        """Step-0 adopters: ``share`` of the firms with positive net benefit."""
        new = self.eligible(expected_price) & (rng.random(self.n) < share)
        v = rng.random(self.n)  # one draw per firm whatever its state (common random numbers)
        self._adopt(np.flatnonzero(new), v[new], choice_cdf)

    def provider_probabilities(self, providers, scenario) -> np.ndarray:
        """(regions, providers) logit choice probabilities: quality minus price sensitivity x
        log task price, among the providers a region's firms may buy from."""
        utilities = np.full((len(self.regions), len(providers)), -np.inf)
        for j, p in enumerate(providers):
            for r, region in enumerate(self.regions):
                if p.region in REGION_ACCESS[region]:
                    utilities[r, j] = p.quality - scenario.price_sensitivity * math.log(
                        p.task_price
                    )
        return logit_probabilities(utilities)

    @staticmethod
    def expected_price(probs: np.ndarray, providers) -> np.ndarray:
        """Task price (USD per million GPT-4-task tokens) a firm of each region expects to
        pay (inf where no provider serves)."""
        prices = np.array([p.task_price for p in providers])
        has = probs.sum(axis=1) > 0
        return np.where(has, (probs * prices).sum(axis=1), np.inf)

    def demand(self, providers, reference_price: float, scenario) -> np.ndarray:
        """Tokens per month asked of each provider at its posted prices, by (firm region,
        slot): shape (R, n_slots); slot 0 (no provider) asks nothing. Tasks respond to the
        provider's task price; each task takes the tokens of its tier mix (GPT-4 = 1, the
        only tier at step 0, when reference tokens are set)."""
        factor = np.zeros(len(providers) + 1)
        factor[1:] = [
            token_demand_factor(p.task_price, reference_price, scenario) * p.tokens_per_task
            for p in providers
        ]
        self.demand_factor = factor
        return self.tokens_by_region_slot() * factor

    @staticmethod
    def demand_response(task_price: float, reference_price: float, scenario):
        """response(m): tokens asked at m x ``task_price`` over tokens asked at
        ``task_price`` (the same for every firm of a provider: it depends on price only)."""
        if scenario.demand_model == "constant_elasticity":
            eps = scenario.price_elasticity
            return lambda m: m**-eps
        base = token_demand_factor(task_price, reference_price, scenario)
        return lambda m: (
            token_demand_factor(task_price * m, reference_price, scenario) / base if base else 0.0
        )

    def step(self, scenario, providers, rng) -> None:
        """This month's decisions at the providers' posted prices: adopt and choose."""
        probs = self.provider_probabilities(providers, scenario)
        self.adopt_and_choose(
            scenario, self.expected_price(probs, providers), choice_cdf(probs), rng
        )

    def adopt_and_choose(self, scenario, expected_price, choice_cdf, rng) -> None:
        """Adopt (Bass hazard among peers, gated by net benefit) and re-choose providers.

        One uniform draw per firm decides both margins of choice: a non-adopter adopts if
        u < hazard; an adopter reconsiders its provider if u < switching_rate; u rescaled
        to [0, 1) then picks the provider from the region's logit choice probabilities.
        """
        share = self.adopted_weight_by_group / np.maximum(self.weight_by_group, 1e-300)
        hazard_by_group = 1.0 - np.exp(-(scenario.bass_p + scenario.bass_q * share) / 12.0)
        u = rng.random(self.n)
        hazard = hazard_by_group[self.group]
        new = (u < hazard) & ~self.adopted
        new_idx = np.flatnonzero(new)
        new_idx = new_idx[self.break_even_price[new_idx] > expected_price[self.region[new_idx]]]
        rate = scenario.switching_rate
        if rate > 0:
            switch_idx = np.flatnonzero((u < rate) & self.adopted)
            self._choose(switch_idx, u[switch_idx] / rate, choice_cdf)
        self._adopt(new_idx, u[new_idx] / hazard[new_idx], choice_cdf)

    def _adopt(self, idx: np.ndarray, v: np.ndarray, choice_cdf) -> None:
        self.adopted[idx] = True
        self.adopted_weight_by_group += np.bincount(
            self.group[idx], self.weight[idx], len(self.adopted_weight_by_group)
        )
        self._choose(idx, v, choice_cdf)

    def _choose(self, idx: np.ndarray, v: np.ndarray, choice_cdf) -> None:
        """Provider for firms ``idx`` from uniforms ``v`` by inverse CDF of their region's logit."""
        if len(idx) == 0:
            return
        flat, k, last = choice_cdf
        region = self.region[idx]
        pos = np.searchsorted(flat, region + v, side="right") - region * k
        self.slot[idx] = np.minimum(pos, last[region]) + 1
        self.key[idx] = region * self.n_slots + self.slot[idx]

    # --- aggregates for the market
    def tokens_by_region_slot(self) -> np.ndarray:
        """Weighted reference tokens by (firm region, provider slot): shape (R, n_slots)."""
        return self._by_region_slot(self.weighted_ref_tokens)

    def served_tokens(self) -> np.ndarray:
        """Tokens per month served to each agent's real firms (0 before adoption)."""
        return self.weighted_ref_tokens * (self.demand_factor * self.served_share)[self.slot]

    def gains_by_region_slot(self) -> np.ndarray:
        """Weighted productivity gains (USD/month at full service) by (region, slot).

        Slot 0 (no provider) holds the firms that have not adopted: their column is zeroed.
        """
        gains = self._by_region_slot(self.weighted_gain_usd)
        gains[:, 0] = 0.0
        return gains

    def _by_region_slot(self, values: np.ndarray) -> np.ndarray:
        size = len(self.regions) * self.n_slots
        return np.bincount(self.key, values, size).reshape(len(self.regions), -1)

    def adopted_weight_by_region(self) -> np.ndarray:
        return self.adopted_weight_by_group.reshape(len(self.regions), -1).sum(axis=1)

    def weight_by_region(self) -> np.ndarray:
        return self.weight_by_group.reshape(len(self.regions), -1).sum(axis=1)


def logit_probabilities(utilities: np.ndarray) -> np.ndarray:
    """Logit choice probabilities per region.

    Args:
        utilities: (R, K) utility of each provider for firms of each region; -inf where a
            provider is not accessible.

    Returns:
        (R, K) probabilities; a row of zeros for a region with no accessible provider.
    """
    finite = np.isfinite(utilities)
    top = np.where(finite, utilities, -np.inf).max(axis=1, initial=-np.inf)
    top = np.where(np.isfinite(top), top, 0.0)
    weights = np.where(finite, np.exp(np.where(finite, utilities, 0.0) - top[:, None]), 0.0)
    totals = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)


def choice_cdf(probs: np.ndarray):
    """Per-region CDFs flattened for one ``searchsorted`` over all firms.

    Returns:
        (flat, K, last): ``flat[r*K + j] = r + P(choice <= j | region r)``; ``last[r]`` the
        last provider with positive probability (guards rounding at the top).
    """
    regions, k = probs.shape
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = np.where(probs.sum(axis=1) > 0, 1.0, 0.0)
    flat = (cdf + np.arange(regions)[:, None]).ravel()
    last = np.array([np.flatnonzero(p > 0)[-1] if (p > 0).any() else 0 for p in probs])
    return flat, k, last


class Firm(mesa.Agent):
    """One firm agent: a view of row ``index`` of the model's FirmPopulation.

    Each agent stands for ``weight`` real firms; the attributes describe one of them.
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _pop(self) -> FirmPopulation:
        return self.model.firms

    @property
    def region(self) -> str:
        return self._pop.regions[self._pop.region[self.index]]

    @property
    def sector(self) -> str:
        return SECTOR_NAMES[self._pop.sector[self.index]]

    @property
    def weight(self) -> float:
        """Real firms this agent stands for."""
        return float(self._pop.weight[self.index])

    @property
    def employees(self) -> float:
        return float(self._pop.employees[self.index])

    @property
    def wage(self) -> float:
        """USD per employee-month."""
        return float(self._pop.wage[self.index])

    @property
    def exposure(self) -> float:
        """Share of the firm's work AI can do."""
        return float(self._pop.exposure[self.index])

    @property
    def adopted(self) -> bool:
        return bool(self._pop.adopted[self.index])

    @property
    def provider(self):
        """The chosen CloudProvider agent, or None before adoption."""
        slot = self._pop.slot[self.index]
        return self.model.providers[slot - 1] if slot > 0 else None

    @property
    def demand(self) -> float:
        """Tokens per month this firm asks for at its provider's price."""
        pop = self._pop
        return float(pop.ref_tokens[self.index] * pop.demand_factor[pop.slot[self.index]])

    @property
    def tokens(self) -> float:
        """Tokens per month this firm is served (after rationing)."""
        return self.demand * float(self._pop.served_share[self._pop.slot[self.index]])

    @property
    def productivity_gain(self) -> float:
        """USD per month this firm gains from AI (0 before adoption)."""
        pop = self._pop
        if not self.adopted:
            return 0.0
        return float(pop.gain_usd[self.index] * pop.served_share[pop.slot[self.index]])
