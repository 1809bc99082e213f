"""FrontierLab: a provider's training investment (the frontier-lab role) and its largest run.

Training is a financed frontier race. The lab wants the training compute of the race: its
step-0 training FLOPs growing ``frontier_race_growth`` a year (Epoch AI: frontier training
compute 4-5x a year), bought at this month's cost per FLOP. What it can spend is bounded by
finance: outside capital priced on its own forecast of token revenue, F = theta x R x
g_e^H (R this month's token revenue, g_e the expected yearly revenue growth, H years of it
that the valuation prices in), cut by ``financing_shock`` from ``financing_shock_step``.
The target is the smaller of the two; spend adjusts partially toward it,
S_t = S_{t-1}^(1 - lambda) x S*^lambda, and never falls faster than commitments unwind
(multi-year construction and leases: at most 1 / COMMITMENT_MONTHS of it a month).

Expectations update slowly and shrink toward a prior: each month g_e moves a twelfth of
the way (in logs) toward a blend of the observed 12-month growth and the step-0
expectation ``initial_revenue_growth`` (weight ``growth_prior_weight`` on the prior). So
efficiency moves training only where finance binds: through revenue, hence the demand
elasticity, pass-through and markups; where the race binds, training is the race's and
``training_finance_bound`` (the share of training spend that finance limits) reads 0.
"""

from __future__ import annotations

import math
from collections import deque

from jevons_compute.world.facts import (
    MAX_TRAINING_RUN_MONTHS,
    REVENUE_GROWTH_BOUNDS,
    SECONDS_PER_MONTH,
    SERVER_POWER_PER_CHIP_POWER,
    TRAINING_RUN_GROWTH,
)

#: Weight of the latest 12-month revenue growth in the smoothed expectation (per month):
#: expectations move over about a year (assumption: labs re-plan yearly and raise funds
#: on their latest annualised revenue).
GROWTH_SMOOTHING = 1.0 / 12.0
#: Months over which a lab's training commitments unwind: spend falls at most 1/36 a month
#: (~29% a year). Data-centre leases run 5-15 years and campuses take ~2 years to build
#: (hyperscalers' 10-K filings 2024); compute contracts of labs run several years
#: (OpenAI-Microsoft, Anthropic-Amazon): assumption, 3 years.
COMMITMENT_MONTHS = 36.0


class FrontierLab:
    """How much one provider spends on training each month, and how large its largest
    run is.

    Attributes:
        spend: USD of training this month (the budget its training capacity is bought
            with); None until the first revenue is seen.
        expected_growth: g_e, expected yearly growth of token revenue.
        race_base: peak FLOP-seconds a month of training at step 0 (the race grows it);
            None until the first budget.
        finance_bound: whether finance, not the race, set this month's target.
        flops_history: the provider's useful training FLOPs of recent months, newest last.
    """

    def __init__(self, scenario):
        self.scenario = scenario
        lo, hi = REVENUE_GROWTH_BOUNDS
        self.prior_growth = min(max(scenario.initial_revenue_growth, lo), hi)
        self.expected_growth = self.prior_growth
        self.spend: float | None = None
        self.race_base: float | None = None
        self.finance_bound = False
        self.revenue_history: deque[float] = deque(maxlen=13)
        self.flops_history: deque[float] = deque(maxlen=MAX_TRAINING_RUN_MONTHS)

    def finance(self, revenue: float, step: int) -> float:
        """F = theta x R x g_e^H x (1 - financing_shock once it has struck), USD a month."""
        s = self.scenario
        shock = s.financing_shock if step >= s.financing_shock_step else 0.0
        return (
            s.training_revenue_share
            * revenue
            * self.expected_growth**s.training_horizon
            * (1.0 - shock)
        )

    def race(self, cost_per_peak_flop: float, step: int) -> float:
        """USD a month the race asks for: the step-0 training compute grown
        ``frontier_race_growth`` a year, at this month's cost (inf before the first
        budget, or with no GPU on sale)."""
        if self.race_base is None or not math.isfinite(cost_per_peak_flop):
            return math.inf
        growth = self.scenario.frontier_race_growth ** (step / 12.0)
        return self.race_base * growth * cost_per_peak_flop

    def target(self, revenue: float, cost_per_peak_flop: float, step: int) -> float:
        """S* = min(race, finance), in USD a month."""
        return min(self.race(cost_per_peak_flop, step), self.finance(revenue, step))

    def budget(self, revenue: float, cost_per_peak_flop: float, step: int) -> float:
        """USD for training this month (before any revenue is seen: the finance on
        ``revenue``, the provider's expected step-0 revenue, which sets the race's
        starting compute)."""
        if self.spend is not None:
            return self.spend
        first = self.finance(revenue, step)
        if self.race_base is None and first > 0 and math.isfinite(cost_per_peak_flop):
            self.race_base = first / cost_per_peak_flop
        return first

    def observe(self, revenue: float, cost_per_peak_flop: float, step: int) -> None:
        """End of the month: update the growth expectation and adjust the spend."""
        s = self.scenario
        self.revenue_history.append(revenue)
        first = self.revenue_history[0]
        if len(self.revenue_history) == 13 and first > 0 and revenue > 0:
            lo, hi = REVENUE_GROWTH_BOUNDS
            observed = math.log(min(max(revenue / first, lo), hi))
            w = s.growth_prior_weight
            belief = (1.0 - w) * observed + w * math.log(self.prior_growth)
            log_g = math.log(self.expected_growth)
            self.expected_growth = math.exp(log_g + GROWTH_SMOOTHING * (belief - log_g))
        race = self.race(cost_per_peak_flop, step)
        finance = self.finance(revenue, step)
        target = min(race, finance)
        self.finance_bound = finance < race
        if self.spend is None or self.spend <= 0 or target <= 0:
            self.spend = target
            return
        if step == s.financing_shock_step and s.financing_shock > 0:
            # the capital withdrawn takes its commitments with it (cancelled contracts)
            self.spend *= 1.0 - s.financing_shock
        lam = s.training_adjustment
        adjusted = math.exp((1 - lam) * math.log(self.spend) + lam * math.log(target))
        # commitments unwind slowly: spend falls at most 1 / COMMITMENT_MONTHS a month
        self.spend = max(adjusted, self.spend * (1.0 - 1.0 / COMMITMENT_MONTHS))

    def record_training(self, useful_flops: float) -> None:
        self.flops_history.append(useful_flops)

    def largest_run_flop(self, step: int, joules_per_peak_flop: float) -> float:
        """FLOPs of the largest run now finishing: ``frontier_run_share`` of the training
        FLOPs of the last d months (d = run length, ~1.4x longer a year), capped by what
        one campus's power can compute over d months."""
        s = self.scenario
        months = run_months(s, step)
        recent = list(self.flops_history)[-max(1, round(months)) :]
        budgeted = s.frontier_run_share * sum(recent) * months / max(1, len(recent))
        return min(budgeted, campus_flop(s, step, joules_per_peak_flop, months))


def run_months(s, step: int) -> float:
    """Length of a frontier training run in months at ``step``."""
    return min(s.training_run_months * TRAINING_RUN_GROWTH ** (step / 12), MAX_TRAINING_RUN_MONTHS)


def campus_flop(s, step: int, joules_per_peak_flop: float, months: float) -> float:
    """Useful FLOPs one campus's power computes in ``months`` on chips drawing
    ``joules_per_peak_flop`` at the board: facility power / (PUE x server overhead) is
    chip power."""
    if not math.isfinite(joules_per_peak_flop) or joules_per_peak_flop <= 0:
        return math.inf
    facility = s.campus_power_mw * 1e6 * s.campus_power_growth ** (step / 12)
    watts = facility / (s.pue * SERVER_POWER_PER_CHIP_POWER)
    return watts / joules_per_peak_flop * s.training_mfu * SECONDS_PER_MONTH * months
