"""Firms: many, alike in their rule, so their state lives in arrays updated at once.

``FirmPopulation`` owns the arrays and the vectorized monthly update (adopt, choose a
provider, demand tokens). ``Firm`` is a Mesa agent that is a view of one row, so
``model.agents_by_type[Firm]`` and ``firm.adopted``, ``firm.tokens``, ``firm.provider``
work as for any Mesa agent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mesa
import numpy as np
from mesa.agentset import _HardKeyAgentSet
from scipy.special import ndtr, ndtri

from model.calibration import (
    FIRM_SIZE_MAX,
    MONTHLY_WAGE_USD,
    REAL_EMPLOYMENT,
    REAL_FIRMS,
    REGION_ACCESS,
    SECTORS,
    TASK_CLASSES,
    WORK_HOURS_PER_MONTH,
)
from model.parameters import ParameterError

SECTOR_NAMES = tuple(SECTORS)
#: Firm size and wage of the analytic limit's identical firms.
IDENTICAL_EMPLOYEES = 20.0
IDENTICAL_EXPOSURE = 0.3
WAGE_DISPERSION = 0.3  # log-normal sigma of firm wages around the regional mean (assumption)
WAGE_BANDS = 8  # distinct wage levels per region (equally likely bands of the log-normal)


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


def pareto_mean(alpha: float, top: float) -> float:
    """Mean of a Pareto(alpha) on [1, top] (employees)."""
    if abs(alpha - 1.0) < 1e-9:
        return math.log(top) / (1.0 - 1.0 / top)
    return alpha / (alpha - 1.0) * (1.0 - top ** (1.0 - alpha)) / (1.0 - top**-alpha)


def fit_pareto_alpha(mean_size: float, top: float = FIRM_SIZE_MAX) -> float:
    """The tail exponent whose truncated Pareto on [1, top] has mean ``mean_size``."""
    low, high = 0.05, 20.0  # the mean falls as alpha rises
    for _ in range(80):
        mid = 0.5 * (low + high)
        if pareto_mean(mid, top) > mean_size:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def power_law(u: np.ndarray, b: float, top: float):
    """Draws (inverse CDF of uniforms ``u``) from the density proportional to x^-b on
    [1, top], and that density at the draws."""
    if abs(b - 1.0) < 1e-9:
        x = np.exp(u * np.log(top))
        return x, power_law_pdf(x, b, top)
    x = (1.0 + u * (top ** (1.0 - b) - 1.0)) ** (1.0 / (1.0 - b))
    return x, power_law_pdf(x, b, top)


def sample_firm_sizes(region: np.ndarray, rng: np.random.Generator, alphas: np.ndarray):
    """Employees of each firm agent, and its importance weight (mean 1 within a region).

    Sizes are heavy-tailed (truncated Pareto on [1, FIRM_SIZE_MAX] with the region's
    exponent ``alphas[r]``), so a plain sample leaves the few large firms that hold most
    of the work to chance. Half the agents of each region are drawn from the Pareto (as
    firms are counted) and half from the employment-weighted Pareto (as workers are
    counted: density x times the Pareto's), each stratified; the weight p(x)/q(x),
    normalised to mean 1 within the region, keeps totals unbiased while large firms are
    well represented.
    """
    top = FIRM_SIZE_MAX
    employees = np.empty(len(region))
    importance = np.empty(len(region))
    for r in np.unique(region):
        a = alphas[r]
        idx = np.flatnonzero(region == r)
        half = len(idx) // 2
        by_firm, firm_pdf = power_law(stratified_uniform(len(idx) - half, rng), a + 1.0, top)
        by_worker, _ = power_law(stratified_uniform(half, rng), a, top)
        x = np.concatenate([by_firm, by_worker])
        pareto_pdf = np.concatenate([firm_pdf, power_law_pdf(by_worker, a + 1.0, top)])
        worker_pdf = power_law_pdf(x, a, top)
        share = (len(idx) - half) / len(idx)
        w = pareto_pdf / (share * pareto_pdf + (1 - share) * worker_pdf)
        order = rng.permutation(len(idx))
        employees[idx] = x[order]
        importance[idx] = (w / w.mean())[order]
    return employees, importance


def power_law_pdf(x: np.ndarray, b: float, top: float) -> np.ndarray:
    """The density proportional to x^-b on [1, top] at ``x``."""
    if abs(b - 1.0) < 1e-9:
        return 1.0 / (x * np.log(top))
    return (1.0 - b) * x**-b / (top ** (1.0 - b) - 1.0)


def wage_bands(z: np.ndarray) -> np.ndarray:
    """Relative wage (mean 1) of firms with standard-normal draws ``z``: log-normal with
    sigma WAGE_DISPERSION, in WAGE_BANDS equally likely bands, each at its conditional mean
    (a few distinct wages, so the task economics are computed per band, not per firm)."""
    sigma, bands = WAGE_DISPERSION, WAGE_BANDS
    band = np.minimum((ndtr(z) * bands).astype(np.int64), bands - 1)
    edges = ndtri(np.arange(bands + 1) / bands)
    level = (ndtr(edges[1:] - sigma) - ndtr(edges[:-1] - sigma)) * bands
    return level[band]


#: constant_elasticity: a demand factor above e^this (~1e120) cannot be represented with
#: the model's totals (tokens x FLOPs x prices) in floating point: refused, not clipped.
MAX_LOG_DEMAND_FACTOR = 120 * math.log(10)


def token_demand_factor(price: float, reference_price: float, scenario) -> float:
    """constant_elasticity: a firm's tokens at ``price`` relative to its tokens at
    ``reference_price`` (USD per Mtok), (price / reference)^-epsilon."""
    log_factor = -scenario.price_elasticity * math.log(price / reference_price)
    if log_factor > MAX_LOG_DEMAND_FACTOR:
        raise ParameterError(
            f"token demand would grow {reference_price / price:.3g}-fold in price to the "
            f"power price_elasticity={scenario.price_elasticity:g}, beyond what the model "
            "can represent (1e120): use a lower price_elasticity, smaller efficiency gains "
            "or fewer steps."
        )
    return (price / reference_price) ** -scenario.price_elasticity


#: Task classes (model/calibration.py): human minutes, and tasks per exposed worker-month.
TASK_MINUTES = np.array([minutes for minutes, _ in TASK_CLASSES])
TASKS_PER_WORKER = np.array(
    [WORK_HOURS_PER_MONTH * 60.0 * share / minutes for minutes, share in TASK_CLASSES]
)


@dataclass
class TaskEconomics:
    """What firms' tasks give and cost at each provider, per AI-exposed worker-month.

    Arrays (cells, slots); a cell is a (region, wage band) pair; slot 0 (no provider) is 0.

    Attributes:
        tokens: tokens of the tasks done.
        value: USD of value of the tasks done (capped at the worker's wage).
        bill: USD paid for them.
        class_tokens: (cells, slots, task classes) tokens by task class.
    """

    tokens: np.ndarray
    value: np.ndarray
    bill: np.ndarray
    class_tokens: np.ndarray


def task_shares_done(log_median: np.ndarray, log_price: np.ndarray, sigma: float) -> np.ndarray:
    """Share of tasks whose log-normal value (median exp(log_median), spread sigma)
    exceeds the price exp(log_price): 1 - Phi((ln P - ln m) / sigma); 0 at an infinite
    price (no tier can do the task)."""
    return ndtr((log_median - log_price) / sigma)


class FirmPopulation:
    """The state of every firm agent, one row each, and their vectorized monthly update.

    Arrays (length n_firms): ``region`` (index into ``regions``), ``sector``, ``weight``
    (real firms represented), ``employees``, ``wage`` (USD per employee-month, one of a few
    bands per region), ``exposure`` (share of work AI can do), ``workers`` (AI-exposed
    workers: employees x exposure), ``cell`` (index of the firm's (region, wage) pair),
    ``adopted``, ``slot`` (chosen provider index + 1; 0 = none).

    constant_elasticity: ``ref_tokens`` (tokens per month at the step-0 price if adopted)
    and a fixed ``gain_usd``; adoption pays when the gain net of the amortised integration
    cost exceeds the token bill at the expected price. task_value: tokens, value and bill
    follow from the tasks done at each provider's prices (``TaskEconomics``); adoption
    pays when the surplus (value - bill) at the region's expected prices exceeds the
    amortised integration cost.
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
            alphas = np.array(
                [fit_pareto_alpha(REAL_EMPLOYMENT[r] / REAL_FIRMS[r]) for r in regions]
            )
            self.employees, importance = sample_firm_sizes(self.region, rng, alphas)
            self.weight = self.weight * importance
            self.wage = mean_wage * wage_bands(rng.standard_normal(n))
            self.exposure = np.clip(exposures[self.sector] * rng.uniform(0.5, 1.5, n), 0.0, 1.0)
        self.n_sectors = len(shares)
        self.group = self.region * self.n_sectors + self.sector
        self.n_slots = n_providers + 1
        self.derive(s)
        n_groups = len(regions) * self.n_sectors
        self.weight_by_group = np.bincount(self.group, self.weight, n_groups)
        self.adopted = np.zeros(n, dtype=bool)
        self.adopted_weight_by_group = np.zeros(n_groups)
        self.slot = np.zeros(n, dtype=np.int64)
        self.key = self.cell * self.n_slots  # cell x slot, for one-pass aggregation
        # per (cell, slot), this month: tokens asked per exposed worker, value per exposed
        # worker at full service; per slot: share of demand served
        self.tokens_per_worker = np.zeros((len(self.cell_wage), self.n_slots))
        self.value_per_worker = np.zeros_like(self.tokens_per_worker)
        self.served_share = np.ones(self.n_slots)
        self.probs = np.zeros((len(regions), n_providers))
        self.workers_cs = np.zeros_like(self.tokens_per_worker)
        self.economics: TaskEconomics | None = None
        # what a worker of each (cell, slot) got where it bought when customers spilled
        # over between providers this month (model/spillover.py); None: nobody moved
        self.spilled = None

    def derive(self, scenario) -> None:
        """Recompute what follows from size, wage and exposure (call after editing them)."""
        s = scenario
        pairs = np.stack([self.region.astype(float), self.wage])
        unique, self.cell = np.unique(pairs, axis=1, return_inverse=True)
        self.cell = self.cell.ravel()
        self.cell_region = unique[0].astype(np.int64)
        self.cell_wage = unique[1]
        self.workers = self.employees * self.exposure
        self.weighted_workers = self.weight * self.workers
        self.integration_per_month = s.integration_cost / s.integration_amortization
        # constant_elasticity: tokens at the step-0 price and a fixed gain
        work = self.wage * self.workers  # USD per month of AI-exposed work
        self.ref_tokens = s.tokens_per_worker * self.workers
        self.gain_usd = s.productivity_gain * work
        self.weighted_gain_usd = self.weight * self.gain_usd
        value = self.gain_usd - self.integration_per_month
        with np.errstate(divide="ignore", invalid="ignore"):
            # USD per million reference tokens a firm can pay and still gain from adopting
            self.break_even_price = np.where(
                self.ref_tokens > 0,
                1e6 * value / self.ref_tokens,
                np.where(value > 0, np.inf, -np.inf),
            )
        # task_value: log median value of a task of each class, per cell (USD)
        human_cost = self.cell_wage[:, None] / (WORK_HOURS_PER_MONTH * 60.0) * TASK_MINUTES
        with np.errstate(divide="ignore"):
            self.log_task_value = np.log(s.task_value_median * human_cost)
        self._value_scale = None  # see task_economics
        if hasattr(self, "key"):
            self.key = self.cell * self.n_slots + self.slot

    @property
    def n(self) -> int:
        return len(self.region)

    # --- what tasks give and cost
    def task_economics(self, providers, scenario) -> TaskEconomics:
        """Tokens, value and bill per exposed worker-month of each cell at each provider's
        posted per-class task prices (task_value)."""
        sigma = scenario.task_value_sigma
        cells = len(self.cell_wage)
        price = np.array([p.class_task_price for p in providers])  # (P, J), inf: no tier
        with np.errstate(divide="ignore"):
            log_price = np.log(price)
        paid = np.where(np.isfinite(price), price, 0.0)
        tokens_per_task = np.array([p.class_tokens_per_task for p in providers])
        z = (self.log_task_value[:, None, :] - log_price[None]) / sigma
        done = ndtr(z)  # task_shares_done
        tasks = TASKS_PER_WORKER * done  # (cells, P, J) tasks done per exposed worker-month
        class_tokens = np.zeros((cells, self.n_slots, len(TASK_MINUTES)))
        class_tokens[:, 1:] = tasks * tokens_per_task
        cached = self._value_scale  # tasks x median value x e^(sigma^2/2)
        if cached is None or cached[0] is not self.log_task_value or cached[1] != sigma:
            median = np.exp(self.log_task_value)[:, None, :]
            cached = (
                self.log_task_value,
                sigma,
                TASKS_PER_WORKER * median * math.exp(sigma**2 / 2),
            )
            self._value_scale = cached
        value = cached[2] * ndtr(z + sigma)
        economics = TaskEconomics(
            tokens=class_tokens.sum(axis=2),
            value=np.zeros((cells, self.n_slots)),
            bill=np.zeros((cells, self.n_slots)),
            class_tokens=class_tokens,
        )
        # value capped at the exposed wage bill: AI cannot be worth more than the work
        economics.value[:, 1:] = np.minimum(value.sum(axis=2), self.cell_wage[:, None])
        economics.bill[:, 1:] = (tasks * paid).sum(axis=2)
        return economics

    # --- the monthly decision
    def eligible(self, expected_price: np.ndarray) -> np.ndarray:
        """Firms for which adopting pays at their region's expected prices.

        constant_elasticity: ``expected_price`` (R,) in USD per Mtok; net benefit positive.
        task_value: the surplus of tasks (value - bill) at the region's expected provider
        mix exceeds the amortised integration cost (``expected_price`` is ignored: the
        prices are the providers' per-class prices this month)."""
        if self.economics is None:
            return self.break_even_price > expected_price[self.region]
        e = self.economics
        surplus = ((e.value - e.bill)[:, 1:] * self.probs[self.cell_region]).sum(axis=1)
        return self.workers * surplus[self.cell] > self.integration_per_month

    def price(self, providers, scenario) -> None:
        """This month's provider choice probabilities and, for task_value, what tasks give
        and cost at every provider (read by adoption, demand and clearing)."""
        self.probs = self.provider_probabilities(providers, scenario)
        if scenario.demand_model == "task_value":
            self.economics = self.task_economics(providers, scenario)

    def adopt_initial(self, share: float, expected_price, choice_cdf, rng) -> None:
        """Step-0 adopters: ``share`` of the firms for which adopting pays."""
        new = self.eligible(expected_price) & (rng.random(self.n) < share)
        v = rng.random(self.n)  # one draw per firm whatever its state (common random numbers)
        self._adopt(np.flatnonzero(new), v[new], choice_cdf)

    def provider_probabilities(self, providers, scenario) -> np.ndarray:
        """(regions, providers) logit choice probabilities: quality minus price sensitivity x
        log task price, among the providers a region's firms may buy from."""
        beta = scenario.price_sensitivity
        utility = np.array([p.quality - beta * math.log(p.task_price) for p in providers])
        access = np.array(
            [[p.region in REGION_ACCESS[region] for p in providers] for region in self.regions]
        )
        return logit_probabilities(np.where(access, utility, -np.inf))

    @staticmethod
    def expected_price(probs: np.ndarray, providers) -> np.ndarray:
        """Task price (USD per million GPT-4-task tokens) a firm of each region expects to
        pay (inf where no provider serves)."""
        prices = np.array([p.task_price for p in providers])
        has = probs.sum(axis=1) > 0
        return np.where(has, (probs * prices).sum(axis=1), np.inf)

    def demand(self, providers, reference_price: float, scenario) -> np.ndarray:
        """Tokens per month asked of each provider at its posted prices, by (firm region,
        slot): shape (R, n_slots); slot 0 (no provider) asks nothing.

        constant_elasticity: reference tokens x (task price / reference)^-e x the tier
        mix's tokens per task. task_value: the tokens of the tasks done at the provider's
        per-class prices (``task_economics``)."""
        if scenario.demand_model == "task_value":
            if self.economics is None:
                self.price(providers, scenario)
            self.tokens_per_worker = self.economics.tokens
            self.value_per_worker = self.economics.value.copy()
        else:
            factor = np.zeros(self.n_slots)
            factor[1:] = [
                scenario.tokens_per_worker
                * token_demand_factor(p.task_price, reference_price, scenario)
                * p.tokens_per_task
                for p in providers
            ]
            self.tokens_per_worker = np.broadcast_to(factor, (len(self.cell_wage), self.n_slots))
        self.workers_cs = self.workers_by_cell_slot()  # this month's, after the decisions
        return self._to_regions(self.workers_cs * self.tokens_per_worker)

    def class_tokens(self, workers: np.ndarray | None = None) -> np.ndarray:
        """(providers, task classes) tokens per month asked by task class (task_value), of
        the workers who chose each provider or of ``workers`` (cells, providers) buying
        there."""
        if workers is not None:
            return np.einsum("cj,cjq->jq", workers, self.economics.class_tokens[:, 1:])
        return np.einsum("cs,csj->sj", self.workers_cs, self.economics.class_tokens)[1:]

    def demand_response(
        self, providers, index: int, reference_price: float, scenario, workers=None
    ):
        """response(m): firms' tokens asked at m x the posted prices of ``providers[index]``
        over tokens asked at its posted prices (the same for constant_elasticity at every
        provider: m^-e); ``workers`` (cells,): those buying there, if not those who chose
        it."""
        if scenario.demand_model == "constant_elasticity":
            eps = scenario.price_elasticity
            return lambda m: m**-eps
        if workers is None:
            workers = self.workers_cs[:, index + 1]
        provider = providers[index]
        price, per_task = provider.class_task_price, provider.class_tokens_per_task
        sigma = scenario.task_value_sigma
        log_value = self.log_task_value
        base = []  # log prices, weights and tokens at m = 1, on the first call

        def tokens(m: float) -> float:
            log_price, weights = base[0], base[1]
            done = task_shares_done(log_value, log_price + math.log(m), sigma)
            return float((weights * done).sum())

        def response(m: float) -> float:  # evaluated only when clearing asks for it
            if not base:
                with np.errstate(divide="ignore"):
                    base.append(np.log(price))
                base.append(workers[:, None] * TASKS_PER_WORKER * per_task)
                base.append(tokens(1.0))
            return tokens(m) / base[2] if base[2] > 0 else 0.0

        return response

    def value_at_clearing(
        self, providers, index: int, multiplier: float, scenario, workers=None
    ) -> None:
        """When ``providers[index]`` clears at ``multiplier`` x its posted prices, the tasks
        still done are the ones worth more than the higher price: their value, per unit of
        the share served (gains = value_per_worker x served share), replaces the value at
        the posted prices (task_value). ``workers`` (cells,): those buying there, if not
        those who chose it."""
        provider, slot = providers[index], index + 1
        sigma = scenario.task_value_sigma
        with np.errstate(divide="ignore"):
            log_price = np.log(provider.class_task_price) + math.log(multiplier)
        z = (self.log_task_value - log_price) / sigma
        value = TASKS_PER_WORKER * np.exp(self.log_task_value + sigma**2 / 2) * ndtr(z + sigma)
        value = np.minimum(value.sum(axis=1), self.cell_wage)
        weights = TASKS_PER_WORKER * provider.class_tokens_per_task
        if workers is None:
            workers = self.workers_cs[:, slot]
        asked = (workers * self.tokens_per_worker[:, slot]).sum()
        cleared = (workers * (weights * ndtr(z)).sum(axis=1)).sum()
        if cleared > 0:
            self.value_per_worker[:, slot] = value * asked / cleared

    def step(self, scenario, providers, rng) -> None:
        """This month's decisions at the providers' posted prices: adopt and choose."""
        self.price(providers, scenario)
        self.adopt_and_choose(
            scenario,
            self.eligible(self.expected_price(self.probs, providers)),
            choice_cdf(self.probs),
            rng,
        )

    def adopt_and_choose(self, scenario, eligible, choice_cdf, rng) -> None:
        """Adopt (Bass hazard among the firms for which adoption pays) and re-choose
        providers.

        The imitation term is the adopted share of the peers (same region and sector) that
        have adopted or for which adoption pays now: firms that could never gain are no
        part of the market potential. A firm adopts only while adoption pays for it.
        One uniform draw per firm decides both margins of choice: a non-adopter adopts if
        u < hazard; an adopter reconsiders its provider if u < switching_rate; u rescaled
        to [0, 1) then picks the provider from the region's logit choice probabilities.
        """
        potential = np.bincount(
            self.group, self.weight * (eligible | self.adopted), len(self.weight_by_group)
        )
        share = np.minimum(self.adopted_weight_by_group / np.maximum(potential, 1e-300), 1.0)
        hazard_by_group = 1.0 - np.exp(-(scenario.bass_p + scenario.bass_q * share) / 12.0)
        u = rng.random(self.n)
        # the hazard is looked up only for the firms that may adopt (eligible, not adopted)
        candidates = np.flatnonzero(eligible & ~self.adopted)
        hazard = hazard_by_group[self.group[candidates]]
        adopts = u[candidates] < hazard
        new_idx = candidates[adopts]
        rate = scenario.switching_rate
        if rate > 0:
            switch_idx = np.flatnonzero((u < rate) & self.adopted)
            self._choose(switch_idx, u[switch_idx] / rate, choice_cdf)
        self._adopt(new_idx, u[new_idx] / hazard[adopts], choice_cdf)

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
        self.key[idx] = self.cell[idx] * self.n_slots + self.slot[idx]

    # --- aggregates for the market
    def workers_by_cell_slot(self) -> np.ndarray:
        """Weighted AI-exposed workers by (cell, provider slot): shape (cells, n_slots)."""
        size = len(self.cell_wage) * self.n_slots
        return np.bincount(self.key, self.weighted_workers, size).reshape(-1, self.n_slots)

    def _to_regions(self, by_cell: np.ndarray) -> np.ndarray:
        """Sum a (cells, ...) array over the cells of each region: (R, ...)."""
        out = np.zeros((len(self.regions), *by_cell.shape[1:]))
        np.add.at(out, self.cell_region, by_cell)
        return out

    def served_tokens(self) -> np.ndarray:
        """Tokens per month served to each agent's real firms (0 before adoption), wherever
        they bought."""
        if self.spilled is not None:
            return self.weighted_workers * self.spilled.tokens.ravel()[self.key]
        per_worker = (self.tokens_per_worker * self.served_share).ravel()
        return self.weighted_workers * per_worker[self.key]

    def token_bill(self, providers) -> np.ndarray:
        """USD per month each agent's real firms paid for their tokens this month, at the
        prices paid where they bought."""
        if self.spilled is not None:
            return self.weighted_workers * self.spilled.bill.ravel()[self.key]
        prices = np.array([0.0] + [p.price_per_mtok for p in providers])
        return self.served_tokens() * prices[self.slot] / 1e6

    def gains_by_region_slot(self) -> np.ndarray:
        """Weighted productivity gains (USD/month at full service) by (region, slot):
        the fixed gain (constant_elasticity) or the value of the tasks done (task_value).

        Slot 0 (no provider) holds the firms that have not adopted: their column is zeroed.
        """
        if self.economics is None:
            size = len(self.cell_wage) * self.n_slots
            gains = np.bincount(self.key, self.weighted_gain_usd, size).reshape(-1, self.n_slots)
        else:
            gains = self.workers_cs * self.value_per_worker
        gains = self._to_regions(gains)
        gains[:, 0] = 0.0
        return gains

    def adopted_weight_by_region(self) -> np.ndarray:
        return self.adopted_weight_by_group.reshape(len(self.regions), -1).sum(axis=1)

    def weight_by_region(self) -> np.ndarray:
        return self.weight_by_group.reshape(len(self.regions), -1).sum(axis=1)

    def expected_demand(self, providers, reference_price: float, scenario, share: float):
        """Tokens per month each provider expects at step 0: ``share`` of the firms for
        which adoption pays, spread by the regions' choice probabilities (not which
        agents happened to adopt)."""
        eligible = self.eligible(self.expected_price(self.probs, providers))
        workers = np.bincount(self.cell, self.weighted_workers * eligible, len(self.cell_wage))
        if self.economics is not None:
            per_worker = self.economics.tokens[:, 1:]
        else:
            per_worker = np.array(
                [
                    scenario.tokens_per_worker
                    * token_demand_factor(p.task_price, reference_price, scenario)
                    * p.tokens_per_task
                    for p in providers
                ]
            )[None, :]
        return share * (workers[:, None] * self.probs[self.cell_region] * per_worker).sum(axis=0)


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
    positive = probs[:, ::-1] > 0
    last = np.where(positive.any(axis=1), k - 1 - positive.argmax(axis=1), 0)
    return flat, k, last


class Firm(mesa.Agent):
    """One firm agent: a view of row ``index`` of the model's FirmPopulation.

    Each agent stands for ``weight`` real firms; the attributes describe one of them.
    """

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index

    @classmethod
    def create_views(cls, model, n: int) -> None:
        """Firm agents of rows 0..n-1, registered as ``Firm(model, i)`` one by one would
        register them (the same unique ids, order in ``model.agents`` and agent set), in
        one pass over Mesa's registries (Mesa 3.5): creating 10,000 agents one by one
        took ~8% of a 144-month run. One by one when the model already has firms, or
        anything (a data set, an observer of ``agents``) watches registrations."""
        registry = getattr(model, "_agents_by_type", None)
        everyone = getattr(model, "_all_agents", None)
        subscribers = getattr(model, "subscribers", None)
        watched = (
            cls._datasets or subscribers is None or any(key[0] == "agents" for key in subscribers)
        )
        if (
            watched
            or not isinstance(registry, dict)
            or cls in registry
            or not isinstance(everyone, _HardKeyAgentSet)
            or getattr(model, "_batch_context", None) is not None
        ):
            for i in range(n):
                cls(model, i)
            return
        first = model.agent_id_counter
        agents = [cls.__new__(cls) for _ in range(n)]
        for i, agent in enumerate(agents):
            agent.model, agent.unique_id, agent.pos, agent.index = model, first + i, None, i
        model.agent_id_counter = first + n
        everyone._agents.update(dict.fromkeys(agents))
        if agents:
            registry[cls] = _HardKeyAgentSet(agents, random=model.random)

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
        per_worker = pop.tokens_per_worker[pop.cell[self.index], pop.slot[self.index]]
        return float(pop.workers[self.index] * per_worker)

    @property
    def tokens(self) -> float:
        """Tokens per month this firm is served (after rationing; at other providers too
        when it spilled over)."""
        pop = self._pop
        if pop.spilled is not None:
            return float(
                pop.workers[self.index]
                * pop.spilled.tokens[pop.cell[self.index], pop.slot[self.index]]
            )
        return self.demand * float(pop.served_share[pop.slot[self.index]])

    @property
    def productivity_gain(self) -> float:
        """USD per month this firm gains from AI (0 before adoption)."""
        pop = self._pop
        if not self.adopted:
            return 0.0
        i, slot = self.index, pop.slot[self.index]
        if pop.spilled is not None:
            return float(pop.workers[i] * pop.spilled.value[pop.cell[i], slot])
        if pop.economics is None:
            gain = pop.gain_usd[i]
        else:
            gain = pop.workers[i] * pop.value_per_worker[pop.cell[i], slot]
        return float(gain * pop.served_share[slot])
