"""FirmPopulation: the state of every firm agent in arrays, and their vectorized monthly
update (adopt, choose a provider, demand tokens)."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, ndtri

from jevons_compute.agents.firm.choice import choice_cdf, logit_probabilities
from jevons_compute.agents.firm.synthesis import (
    IDENTICAL_EMPLOYEES,
    IDENTICAL_EXPOSURE,
    allocate,
    fit_pareto_alpha,
    sample_firm_sizes,
    stratified_by,
    stratify_sectors,
    wage_bands,
)
from jevons_compute.agents.firm.tasks import (
    TASK_MINUTES,
    TaskEconomics,
    task_shares_done,
    token_demand_factor,
)
from jevons_compute.world.facts import (
    MONTHLY_WAGE_USD,
    REAL_EMPLOYMENT,
    REAL_FIRMS,
    REGION_ACCESS,
    SECTORS,
    WORK_HOURS_PER_MONTH,
)

#: An agent's adopted real firms below this count as none.
MIN_ADOPTED_FIRMS = 1e-6


class FirmPopulation:
    """The state of every firm agent, one row each, and their vectorized monthly update.

    Arrays (length n_firms): ``region`` (index into ``regions``), ``sector``, ``weight``
    (real firms represented), ``employees``, ``wage`` (USD per employee-month, one of a few
    bands per region), ``exposure`` (share of work AI can do), ``workers`` (AI-exposed
    workers: employees x exposure), ``cell`` (index of the firm's (region, wage) pair),
    ``share`` (the adopted share of the agent's real firms), ``adopted`` (share > 0),
    ``slot`` (the provider of the agent's adopted firms, index + 1; 0 = none).

    Adoption is a share within each agent, not a coin flip per agent: the agent's real
    firms adopt at the Bass hazard of their (region, sector) group, so its adopted share
    follows the expected path, (1 - share) x hazard a month. A whole agent flipping at
    once made the imitation term follow a noisy adopted share, and since the hazard's
    effect on the next month's adopters is concave in that share (adopters cannot adopt
    again), fewer agents meant slower adoption on average: firms' tokens and adoption
    ~10% low at 2,000 agents against 20,000 (benchmarks/invariance.py).

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
            self.sector, self.weight = stratify_sectors(counts, regions, shares)
            stratum = self.region * len(shares) + self.sector
            alphas = np.array(
                [fit_pareto_alpha(REAL_EMPLOYMENT[r] / REAL_FIRMS[r]) for r in regions]
            )
            self.employees, importance = sample_firm_sizes(
                stratum, rng, np.repeat(alphas, len(shares))
            )
            self.weight = self.weight * importance
            self.wage = mean_wage * wage_bands(ndtri(stratified_by(stratum, rng)))
            spread = 0.5 + stratified_by(stratum, rng)  # uniform on [0.5, 1.5)
            self.exposure = np.clip(exposures[self.sector] * spread, 0.0, 1.0)
        self.n_sectors = len(shares)
        self.group = self.region * self.n_sectors + self.sector
        # agents lie in (region, sector) order: sums by group are np.add.reduceat over runs
        # (~30x faster than a weighted bincount a month)
        runs = np.flatnonzero(np.r_[True, self.group[1:] != self.group[:-1]]) if n else None
        self._runs = runs if n and (np.diff(self.group) >= 0).all() else None
        self.n_slots = n_providers + 1
        self.derive(s)
        n_groups = len(regions) * self.n_sectors
        self.weight_by_group = np.bincount(self.group, self.weight, n_groups)
        self.share = np.zeros(n)
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
        # over between providers this month (model/market/spillover.py); None: nobody moved
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
        self.workers_by_cell = np.bincount(self.cell, self.weighted_workers, len(self.cell_wage))
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
    def edge_log_value(self, offers) -> np.ndarray:
        """(cells, edges) log median task value at each (class, tier) edge of ``offers``
        (``model.task_offers``, ``price_task_classes``)."""
        return self.log_task_value[:, offers.edge_class]

    def task_economics(self, providers, scenario) -> TaskEconomics:
        """Tokens, value and bill per exposed worker-month of each cell at each provider's
        offers (task_value): a task worth v is done on the tier that pays most, v x success
        - cost, if it pays (``price_task_classes``); v is log-normal about the class's
        median with spread ``task_value_sigma``."""
        sigma = scenario.task_value_sigma
        cells = len(self.cell_wage)
        offers = providers[0].model.task_offers  # (providers, edges), providers' order
        log_value = self.edge_log_value(offers)
        z = (log_value[:, None, :] - offers.log_value[None]) / sigma
        above = ndtr(z)  # share of tasks worth more than each edge (0 at an infinite edge)
        mean_above = np.exp(log_value + sigma**2 / 2)[:, None, :] * ndtr(z + sigma)
        tokens = (above * offers.tokens[None]).sum(axis=2)
        bill = (above * offers.bill[None]).sum(axis=2)
        value = (mean_above * offers.success[None]).sum(axis=2)
        # tasks and tokens by tier: the share of values in each tier's interval [lo, hi),
        # hi the lower bound of the next tier on the class's envelope
        n_edges = above.shape[2]
        flat = np.concatenate([above.reshape(cells, -1), np.zeros((cells, 1))], axis=1)
        rows = np.arange(len(providers))[:, None] * n_edges
        index = np.where(offers.next_on >= 0, rows + offers.next_on, flat.shape[1] - 1)
        following = flat[:, index]  # (cells, P, edges): the next tier's share, 0 if none
        in_tier = (above - following) * offers.on[None] * offers.volume[None]
        tier_tasks = in_tier @ offers.tier_of
        tier_tokens = (in_tier * offers.k) @ offers.tier_of
        n = offers.tier_of.shape[1]
        economics = TaskEconomics(
            tokens=np.zeros((cells, self.n_slots)),
            value=np.zeros((cells, self.n_slots)),
            bill=np.zeros((cells, self.n_slots)),
            tier_tokens=np.zeros((cells, self.n_slots, n)),
            tier_tasks=np.zeros((cells, self.n_slots, n)),
        )
        economics.tokens[:, 1:] = tokens
        # value capped at the exposed wage bill: AI cannot be worth more than the work
        economics.value[:, 1:] = np.minimum(value, self.cell_wage[:, None])
        economics.bill[:, 1:] = bill
        economics.tier_tokens[:, 1:] = tier_tokens
        economics.tier_tasks[:, 1:] = tier_tasks
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
        """Step-0 adopters: ``share`` of the firms of every agent for which adopting pays."""
        hazard = np.where(self.eligible(expected_price), min(share, 1.0), 0.0)
        v = rng.random(self.n)  # one draw per firm whatever its state (common random numbers)
        self._adopt(hazard, v, choice_cdf)

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

    def tier_demand(self, workers: np.ndarray | None = None):
        """(tokens, tasks), each (providers, tiers): what firms ask of each provider by
        tier this month (task_value), the workers who chose each provider or ``workers``
        (cells, providers) buying there."""
        e = self.economics
        if workers is None:
            workers = self.workers_cs[:, 1:]
        return (
            np.einsum("cj,cjt->jt", workers, e.tier_tokens[:, 1:]),
            np.einsum("cj,cjt->jt", workers, e.tier_tasks[:, 1:]),
        )

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
        offers = providers[0].model.task_offers
        sigma = scenario.task_value_sigma
        base = []  # log values, edges and weights at m = 1, on the first call

        def tokens(m: float) -> float:
            log_value, edges, weights = base[0], base[1], base[2]
            done = task_shares_done(log_value, edges + math.log(m), sigma)
            return float((weights * done).sum())

        def response(m: float) -> float:  # evaluated only when clearing asks for it
            if not base:
                base.extend(
                    [
                        self.edge_log_value(offers),
                        offers.log_value[index],
                        workers[:, None] * offers.tokens[index][None, :],
                    ]
                )
                base.append(tokens(1.0))
            return tokens(m) / base[3] if base[3] > 0 else 0.0

        return response

    def value_at_clearing(
        self, providers, index: int, multiplier: float, scenario, workers=None
    ) -> None:
        """When ``providers[index]`` clears at ``multiplier`` x its posted prices, the tasks
        still done are the ones worth more than the higher price: their value, per unit of
        the share served (gains = value_per_worker x served share), replaces the value at
        the posted prices (task_value). ``workers`` (cells,): those buying there, if not
        those who chose it."""
        offers, slot = providers[0].model.task_offers, index + 1
        sigma = scenario.task_value_sigma
        log_value = self.edge_log_value(offers)
        z = (log_value - (offers.log_value[index] + math.log(multiplier))) / sigma
        value = (np.exp(log_value + sigma**2 / 2) * ndtr(z + sigma)) @ offers.success[index]
        value = np.minimum(value, self.cell_wage)
        weights = offers.tokens[index]
        if workers is None:
            workers = self.workers_cs[:, slot]
        asked = (workers * self.tokens_per_worker[:, slot]).sum()
        cleared = (workers * (ndtr(z) @ weights)).sum()
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
        part of the market potential. An agent's firms adopt only while adoption pays for
        them: its adopted share grows by (1 - share) x hazard. One uniform draw per agent
        decides its provider: an agent adopting for the first time picks it with u from
        its region's logit choice probabilities; an adopter reconsiders its provider if
        u < switching_rate, picking with u / switching_rate.
        """
        adopted = self.weight * self.share  # real firms adopted
        potential = self.sum_by_group(adopted + eligible * (self.weight - adopted))
        share = np.minimum(self.adopted_weight_by_group / np.maximum(potential, 1e-300), 1.0)
        hazard_by_group = 1.0 - np.exp(-(scenario.bass_p + scenario.bass_q * share) / 12.0)
        u = rng.random(self.n)
        rate = scenario.switching_rate
        if rate > 0:
            switch_idx = np.flatnonzero((u < rate) & self.adopted)
            self._choose(switch_idx, u[switch_idx] / rate, choice_cdf)
        self._adopt(np.where(eligible, hazard_by_group[self.group], 0.0), u, choice_cdf)

    def _adopt(self, hazard: np.ndarray, v: np.ndarray, choice_cdf) -> None:
        """``hazard`` (one per agent) of each agent's firms not yet adopted adopt; agents
        adopting for the first time pick a provider with their uniform ``v``."""
        share = self.share + (1.0 - self.share) * hazard
        # under a millionth of a real firm is none (a share of 1e-300 is no adopter, and
        # tokens per adopter would overflow)
        adopted = self.weight * share
        keep = adopted >= MIN_ADOPTED_FIRMS
        share *= keep
        adopted *= keep
        self.share = share
        self.adopted_weight_by_group = self.sum_by_group(adopted)
        new = np.flatnonzero(keep > self.adopted)
        self.adopted[new] = True
        self._choose(new, v[new], choice_cdf)

    def sum_by_group(self, values: np.ndarray) -> np.ndarray:
        """Sums of ``values`` (one per agent) by (region, sector) group."""
        n_groups = len(self.weight_by_group)
        if self._runs is None:
            return np.bincount(self.group, values, n_groups)
        out = np.zeros(n_groups)
        out[self.group[self._runs]] = np.add.reduceat(values, self._runs)
        return out

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
        """Weighted AI-exposed workers by (cell, provider slot): shape (cells, n_slots);
        slot 0 holds those of firms that have not adopted."""
        size = len(self.cell_wage) * self.n_slots
        out = np.bincount(self.key, self.weighted_workers * self.share, size)
        out = out.reshape(-1, self.n_slots)
        out[:, 0] += np.maximum(self.workers_by_cell - out.sum(axis=1), 0.0)
        return out

    def _to_regions(self, by_cell: np.ndarray) -> np.ndarray:
        """Sum a (cells, ...) array over the cells of each region: (R, ...)."""
        out = np.zeros((len(self.regions), *by_cell.shape[1:]))
        np.add.at(out, self.cell_region, by_cell)
        return out

    def served_tokens(self, share: np.ndarray | None = None) -> np.ndarray:
        """Tokens per month served to each agent's adopted real firms (0 before adoption),
        wherever they bought; to ``share`` of its firms if given (as if that share had
        adopted)."""
        workers = self.weighted_workers * (self.share if share is None else share)
        if self.spilled is not None:
            return workers * self.spilled.tokens.ravel()[self.key]
        per_worker = (self.tokens_per_worker * self.served_share).ravel()
        return workers * per_worker[self.key]

    def token_bill(self, providers) -> np.ndarray:
        """USD per month each agent's real firms paid for their tokens this month, at the
        prices paid where they bought."""
        if self.spilled is not None:
            return self.weighted_workers * self.share * self.spilled.bill.ravel()[self.key]
        prices = np.array([0.0] + [p.price_per_mtok for p in providers])
        return self.served_tokens() * prices[self.slot] / 1e6

    def gains_by_region_slot(self) -> np.ndarray:
        """Weighted productivity gains (USD/month at full service) by (region, slot):
        the fixed gain (constant_elasticity) or the value of the tasks done (task_value).

        Slot 0 (no provider) holds the firms that have not adopted: their column is zeroed.
        """
        if self.economics is None:
            size = len(self.cell_wage) * self.n_slots
            gains = np.bincount(self.key, self.weighted_gain_usd * self.share, size)
            gains = gains.reshape(-1, self.n_slots)
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
