"""Consumers and platforms: people using AI at a flat or zero marginal price.

Chat, search and assistants are paid for by subscription or advertising, so a user's
tokens do not respond to the price per token. One small vectorized block per region:
users diffuse (Bass) toward a ceiling, a share of the region's internet users, and split
over the providers their region may use by the firms' provider logit. Users stay with their
platform: each month a ``switching_rate`` share of them re-choose by the logit, as firms do,
and new users choose by it (without this inertia a scarcity premium at one provider would
move a region's users to another in one month and back the next).

Platforms earn a revenue per user that depends on the user's region (subscriptions, paid
share, advertising: US several USD a month, the EU about half, China a small fraction) and
grows over time (``revenue_per_user``). Each platform (provider j) spends a serving budget
B = s0 R (c / c0)^(1 - eps_s) on its users, R its consumer revenue, c its cost per token
(c0 at step 0): s0 = ``consumer_serving_share``, eps_s = ``consumer_serving_elasticity``.
Its users get tokens per user B / (users x c), the same for each of its users: cheaper
tokens reach consumers as longer and better answers. With eps_s = 1 the platform spends a
constant share of revenue, so its consumers' compute (tokens x FLOPs per token = B / cost
per FLOP) does not move with FLOPs per token: algorithmic efficiency leaves it unchanged
by construction. Their tokens add to the providers' demand before clearing.

Quality reaches users' revenue only through an explicit response: revenue per user at a
platform is multiplied by q^eta, q its tokens per user last month over its tokens per user
at step 0 and eta = ``consumer_quality_response`` (small by default and uncalibrated).
"""

from __future__ import annotations

import numpy as np

from jevons_compute.world.facts import INTERNET_USERS

#: The year (its middle) in which the regions' revenue per user is given.
REVENUE_YEAR = 2024.5


def revenue_per_user(scenario, regions: tuple[str, ...], step: int) -> np.ndarray:
    """(R,) USD a month a platform earns per consumer user of each region in month ``step``:
    the region's 2024 level x (1 + consumer_revenue_growth)^(years from mid-2024)."""
    s = scenario
    level = np.array([getattr(s, f"consumer_revenue_per_user_{r.lower()}") for r in regions])
    years = s.start_year + (step + 0.5) / 12.0 - REVENUE_YEAR
    return level * (1.0 + s.consumer_revenue_growth) ** years


class ConsumerMarket:
    """Consumer users by region and their tokens by provider.

    Attributes:
        ceiling: (R,) users at saturation (consumer_ceiling x internet users).
        users: (R,) users this month.
        reference_cost: (providers,) each provider's cost per token at step 0 (USD).
        demand: (R, providers) tokens per month asked of each provider this month.
        users_at: (providers,) users each provider serves this month.
        shares: (R, providers) how each region's users split over providers.
        revenue_at: (R, providers) USD a month each provider's platform earns from each
            region's users this month (before rationing).
        budget: (providers,) each platform's serving budget this month (USD, before
            rationing); per_user: (providers,) tokens a month each gives a user.
    """

    def __init__(self, scenario, regions: tuple[str, ...]):
        s = scenario
        self.ceiling = s.consumer_ceiling * np.array([INTERNET_USERS[r] for r in regions])
        self.users = s.consumer_initial_share * self.ceiling
        self.reference_cost = np.zeros(0)
        self.demand = np.zeros((len(regions), 0))
        self.users_at = np.zeros(0)
        self.shares = np.zeros((len(regions), 0))
        self.regions = regions
        self.revenue_at = np.zeros((len(regions), 0))
        self.budget = self.per_user = np.zeros(0)
        self.reference_per_user = np.zeros(0)
        self._month = -1  # the month ``ask`` last priced
        self._last_per_user = np.zeros(0)  # tokens per user in the month before it
        self._last_budget = (np.zeros(0), np.zeros(0))  # budget and users, month before
        self.tier = np.zeros(0, dtype=np.int64)  # each platform's tier served

    def diffuse(self, scenario, probs: np.ndarray) -> None:
        """One month of Bass diffusion toward the ceiling (deterministic: no draws), and of
        platform choice: ``switching_rate`` of the users re-choose by ``probs`` (R,
        providers), the regions' provider choice probabilities this month, and the new
        users choose by them."""
        s = scenario
        share = np.divide(
            self.users, self.ceiling, out=np.zeros_like(self.users), where=self.ceiling > 0
        )
        hazard = 1.0 - np.exp(-(s.consumer_bass_p + s.consumer_bass_q * share) / 12.0)
        old = self.users
        self.users = old + hazard * (self.ceiling - old)
        if self.shares.shape != probs.shape:  # no split yet: ``ask`` sets the first
            return
        moved = self.shares + s.switching_rate * (probs - self.shares)
        new = self.users - old
        with np.errstate(divide="ignore", invalid="ignore"):
            self.shares = np.where(
                self.users[:, None] > 0,
                (old[:, None] * moved + new[:, None] * probs) / self.users[:, None],
                probs,
            )

    def ask(self, scenario, providers, probs: np.ndarray, step: int) -> np.ndarray:
        """Tokens per month asked of each provider, by (region, provider), in month ``step``:
        each platform's serving budget over its users at its cost per token (also sets
        this month's ``revenue_at`` and ``budget``; asking twice in a month changes
        nothing).

        Args:
            probs: (R, providers) the regions' provider choice probabilities, which set
                how users split over providers the first time (later ``diffuse`` moves
                the split).
        """
        s = scenario
        if step != self._month:  # a new month: last month's tokens per user set the quality
            self._last_per_user = self.per_user
            self._last_budget = (self.budget, self.users_at)
            self._month = step
        self.tier, cost = self.serve_tiers(scenario, providers)
        if len(self.reference_cost) == 0:
            self.reference_cost = cost
        if self.shares.shape != probs.shape:
            self.shares = probs.copy()
        users = self.users[:, None] * self.shares
        self.users_at = users.sum(axis=0)
        per_region = revenue_per_user(s, self.regions, step)[:, None]
        self.revenue_at = (
            users * per_region * self.quality()[None, :] ** s.consumer_quality_response
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            relative = np.where(self.reference_cost > 0, cost / self.reference_cost, 1.0)
            self.budget = (
                s.consumer_serving_share
                * self.revenue_at.sum(axis=0)
                * relative ** (1.0 - s.consumer_serving_elasticity)
            )
            # budget per user first, then per token: users x cost may underflow
            per_user = np.where(
                (self.users_at > 0) & (cost > 0), self.budget / self.users_at / cost, 0.0
            )
        self.per_user = per_user
        if len(self.reference_per_user) == 0:
            self.reference_per_user = per_user
        self.demand = users * per_user[None, :]
        return self.demand

    def serve_tiers(self, scenario, providers):
        """(tier, cost): each platform's tier for its users this month and its cost per
        token (USD): the most capable released tier on which last month's serving budget
        per user buys ``consumer_tokens_floor`` tokens a month, else the cheapest (the
        step-0 tier when nothing is known yet). A tier's cost per token is its FLOPs per
        token (the open-weight share blended in) x the provider's cost per useful FLOP."""
        floor = scenario.consumer_tokens_floor
        budget, users = self._last_budget
        flops = np.array([p.tier_flops for p in providers], dtype=float)  # (P, tiers)
        per_token = np.array([p.inference_cost_per_flop for p in providers])[:, None] * flops
        tiers = np.zeros(len(providers), dtype=np.int64)
        if len(budget) == len(providers):
            known = users > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                afford = np.where(known, budget / np.where(known, users, 1.0) / floor, 0.0)
            able = per_token <= afford[:, None]
            n = flops.shape[1]
            top = n - 1 - able[:, ::-1].argmax(axis=1)  # the last tier it affords
            tiers = np.where(known, np.where(able.any(axis=1), top, per_token.argmin(axis=1)), 0)
        rows = np.arange(len(providers))
        costs = per_token[rows, tiers]
        for p, c, f, cost in zip(providers, tiers.tolist(), flops[rows, tiers].tolist(), costs):
            p.consumer_tier, p.consumer_flops_per_token = c, f
            p.consumer_cost_per_token = float(cost)
        return tiers, costs

    def quality(self) -> np.ndarray:
        """(providers,) each platform's quality this month: its tokens per user last month
        over its tokens per user at step 0 (1 where either is undefined or zero)."""
        last, first = self._last_per_user, self.reference_per_user
        if len(last) == 0 or len(first) != len(last):
            return np.ones(len(self.reference_cost))
        ok = (first > 0) & (last > 0)
        return np.where(ok, last / np.where(ok, first, 1.0), 1.0)

    def revenue(self) -> np.ndarray:
        """(providers,) USD a month each provider's platform earns from its users this month
        (set by ``ask``): revenue per user of their region, whatever the tokens cost."""
        return self.revenue_at.sum(axis=0)
