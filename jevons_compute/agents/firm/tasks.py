"""Firms' tasks: task classes by human time, what tasks give and cost at a provider's
prices, and the constant-elasticity demand of the analytic limit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from jevons_compute.world.facts import TASK_CLASSES, WORK_HOURS_PER_MONTH
from jevons_compute.world.parameters import ParameterError

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


#: Task classes (world/facts.py): human minutes, and tasks per exposed worker-month.
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
        value: USD of expected value of the tasks done (value x success probability,
            capped at the worker's wage).
        bill: USD paid for them.
        tier_tokens, tier_tasks: (cells, slots, tiers) tokens and tasks by tier.
    """

    tokens: np.ndarray
    value: np.ndarray
    bill: np.ndarray
    tier_tokens: np.ndarray
    tier_tasks: np.ndarray


def task_shares_done(log_median: np.ndarray, log_price: np.ndarray, sigma: float) -> np.ndarray:
    """Share of tasks whose log-normal value (median exp(log_median), spread sigma)
    exceeds the price exp(log_price): 1 - Phi((ln P - ln m) / sigma); 0 at an infinite
    price (no tier can do the task)."""
    return ndtr((log_median - log_price) / sigma)
