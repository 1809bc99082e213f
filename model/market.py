"""Market clearing: demand at each provider's price, service up to capacity, rationing."""

from __future__ import annotations

import math

import numpy as np

from model.parameters import ParameterError

#: task_value: firms' use when every task is done is at most this multiple of their step-0
#: use (bounds the model when almost no task is worth its price at step 0).
MAX_TASK_EXPANSION = 1e6
#: constant_elasticity: a demand factor above e^this (~1e120) cannot be represented with
#: the model's totals (tokens x FLOPs x prices) in floating point: refused, not clipped.
MAX_LOG_DEMAND_FACTOR = 120 * math.log(10)


def demand_factor(price: float, reference_price: float, scenario) -> float:
    """Tokens demanded at ``price`` relative to tokens at ``reference_price`` (USD per Mtok).

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
        return math.exp(log_factor)
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


def clear(model) -> dict[str, np.ndarray]:
    """Serve this month's demand at every provider and record who got what.

    Returns per-region arrays (firm region order): demanded and served tokens, and
    realised productivity gains (USD per month).
    """
    firms = model.firms
    providers = model.providers
    factor = np.zeros(len(providers) + 1)
    factor[1:] = [
        demand_factor(p.price_per_mtok, model.reference_price, model.scenario) for p in providers
    ]
    demand = firms.tokens_by_region_slot() * factor  # (regions, slots) tokens per month
    served_share = np.ones(len(providers) + 1)
    for j, provider in enumerate(providers):
        served_share[j + 1] = provider.serve(float(demand[:, j + 1].sum()))
    firms.demand_factor = factor
    firms.served_share = served_share
    return {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": (demand * served_share).sum(axis=1),
        "gains_by_region": (firms.gains_by_region_slot() * served_share).sum(axis=1),
    }
