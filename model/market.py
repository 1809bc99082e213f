"""Market clearing: firms' and consumers' demand at each provider's price, service up to
capacity, rationing. The decisions live with the agents (agents/firm.py,
agents/consumer.py, agents/provider.py)."""

from __future__ import annotations

import numpy as np


def clear(model) -> dict[str, np.ndarray]:
    """Match this month's demand with each provider's capacity and record who got what.

    Firms say what they ask of each provider at its posted prices (task_value: by task
    class, which sets the provider's tier mix), consumers add their tokens; each provider
    clears its market (a scarcity multiplier on price brings the firms' demand down until
    the total fits capacity; consumers pay a flat price and do not respond; what the capped
    multiplier cannot clear is rationed, the same share for everyone); firms learn the
    share served. Returns per-region arrays (firm region order): demanded and served
    tokens of firms, consumers' served tokens, realised productivity gains (USD per
    month), and the firms' token bill (USD per month, all regions).
    """
    firms = model.firms
    providers = model.providers
    s = model.scenario
    demand = firms.demand(providers, model.reference_price, s)
    if s.demand_model == "task_value":
        for provider, tokens in zip(providers, firms.class_tokens()):
            provider.mix_tasks(tokens)
    consumer = model.consumers.ask(s, providers, firms.probs)
    consumer_revenue = model.consumers.revenue(s)
    served_share = np.ones(len(providers) + 1)
    elasticity = s.price_elasticity if s.demand_model == "constant_elasticity" else None
    for j, provider in enumerate(providers):
        firm_tokens = float(demand[:, j + 1].sum())
        consumer_tokens = float(consumer[:, j].sum())
        response = firms.demand_response(providers, j, model.reference_price, s)
        if consumer_tokens > 0:
            response = _with_flat(response, firm_tokens, consumer_tokens)
            closed_form = None
        else:
            closed_form = elasticity
        premium = provider.scarcity
        served_share[j + 1] = provider.serve(
            firm_tokens + consumer_tokens,
            response,
            closed_form,
            flat=(consumer_tokens, float(consumer_revenue[j])),
        )
        if s.demand_model == "task_value" and provider.scarcity != premium:
            firms.value_at_clearing(providers, j, provider.scarcity / premium, s)
    firms.served_share = served_share
    firm_served = demand[:, 1:].sum(axis=0) * served_share[1:]
    prices = np.array([p.price_per_mtok for p in providers])
    return {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": (demand * served_share).sum(axis=1),
        "consumer_by_region": (consumer * served_share[1:]).sum(axis=1),
        "gains_by_region": (firms.gains_by_region_slot() * served_share).sum(axis=1),
        "firm_bill": float(firm_served @ prices / 1e6),
    }


def _with_flat(response, responsive: float, flat: float):
    """Demand response when ``flat`` tokens (consumers) do not respond to the price."""
    total = responsive + flat
    return lambda m: (responsive * response(m) + flat) / total
