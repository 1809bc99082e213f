"""FrontierLab: a provider's training investment (the frontier-lab role) and its largest run.

Target training spend S* = theta x R x g_e^H (R this month's token revenue, g_e the
expected yearly revenue growth, learnt from the last twelve months' growth, H years of
growth the lab invests ahead of); spend adjusts partially toward it each month,
S_t = S_{t-1}^(1 - lambda) x S*^lambda. Nothing ties S to R: outside funding (equity,
the cloud's other businesses) pays whatever revenue does not, so capex can exceed token
revenue while expected growth is high, and falls back toward theta x R as growth slows.
Efficiency raises revenue when demand is elastic, and revenue raises spend: the investment
rebound loop closes (and stays open when demand is inelastic: cheaper tokens then lower
revenue and with it training).
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


class FrontierLab:
    """How much one provider spends on training each month, and how large its largest
    run is.

    Attributes:
        spend: USD of training this month (the budget its training capacity is bought
            with); None until the first revenue is seen.
        expected_growth: g_e, expected yearly growth of token revenue.
        flops_history: the provider's useful training FLOPs of recent months, newest last.
    """

    def __init__(self, scenario):
        self.scenario = scenario
        lo, hi = REVENUE_GROWTH_BOUNDS
        self.expected_growth = min(max(scenario.initial_revenue_growth, lo), hi)
        self.spend: float | None = None
        self.revenue_history: deque[float] = deque(maxlen=13)
        self.flops_history: deque[float] = deque(maxlen=MAX_TRAINING_RUN_MONTHS)

    def target(self, revenue: float) -> float:
        """S* = theta x R x g_e^H, in USD a month."""
        s = self.scenario
        return s.training_revenue_share * revenue * self.expected_growth**s.training_horizon

    def budget(self, revenue: float) -> float:
        """USD for training this month (before any revenue is seen: the target on
        ``revenue``, the provider's expected step-0 revenue)."""
        return self.target(revenue) if self.spend is None else self.spend

    def observe(self, revenue: float) -> None:
        """End of the month: update the growth expectation and adjust the spend."""
        s = self.scenario
        self.revenue_history.append(revenue)
        first = self.revenue_history[0]
        if len(self.revenue_history) == 13 and first > 0 and revenue > 0:
            lo, hi = REVENUE_GROWTH_BOUNDS
            observed = min(max(revenue / first, lo), hi)
            log_g = math.log(self.expected_growth)
            log_g += GROWTH_SMOOTHING * (math.log(observed) - log_g)
            self.expected_growth = math.exp(log_g)
        target = self.target(revenue)
        if self.spend is None or self.spend <= 0 or target <= 0:
            self.spend = target
        else:
            lam = s.training_adjustment
            self.spend = math.exp((1 - lam) * math.log(self.spend) + lam * math.log(target))

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
