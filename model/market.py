"""Market clearing: firms' demand at each provider's price, service up to capacity,
rationing. The decisions live with the agents (agents/firm.py, agents/provider.py)."""

from __future__ import annotations

import numpy as np


def clear(model) -> dict[str, np.ndarray]:
    """Match this month's demand with each provider's capacity and record who got what.

    Firms say what they ask of each provider at its posted price; each provider clears
    its market (a scarcity multiplier on price brings demand down to capacity; what the
    capped multiplier cannot clear is rationed); firms learn the share served. Returns
    per-region arrays (firm region order): demanded and served tokens, and realised
    productivity gains (USD per month).
    """
    firms = model.firms
    providers = model.providers
    s = model.scenario
    demand = firms.demand(providers, model.reference_price, s)
    served_share = np.ones(len(providers) + 1)
    for j, provider in enumerate(providers):
        response = firms.demand_response(provider.task_price, model.reference_price, s)
        served_share[j + 1] = provider.serve(float(demand[:, j + 1].sum()), response)
    firms.served_share = served_share
    return {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": (demand * served_share).sum(axis=1),
        "gains_by_region": (firms.gains_by_region_slot() * served_share).sum(axis=1),
    }
