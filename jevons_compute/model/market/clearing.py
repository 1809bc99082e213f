"""Market clearing: firms' and consumers' demand at each provider's price, scarcity
multipliers with spill-over between providers (``spillover``), service up to
capacity, rationing. The decisions live with the agents (agents/firm,
agents/consumer.py, agents/provider)."""

from __future__ import annotations

import numpy as np

from jevons_compute.model.market.pricing import blend_consumers, mix_tasks
from jevons_compute.model.market.spillover import Spilled, spill_over


def clear(model) -> dict[str, np.ndarray]:
    """Match this month's demand with each provider's capacity and record who got what.

    Firms say what they ask of each provider at its posted prices (task_value: by task
    class, which sets the provider's tier mix), consumers add their tokens. Each provider's
    price moves by a scarcity multiplier that brings the firms' demand it faces down to its
    capacity (consumers pay a flat price and do not respond); when a provider is short at
    posted prices its firm customers spill over to the others through the logit and the
    multipliers are solved jointly (``spill_over``); when every provider's demand fits,
    nobody moves and each clears alone. What the capped multiplier cannot clear is
    rationed, the same share for everyone buying there; firms learn what they got.
    Firms' served share at a provider is what they got over what they asked at posted
    prices (the price response and rationing); consumers' is the rationed share alone
    (they do not respond to the price).
    Returns per-region arrays (firm region order): demanded (at posted prices, from the
    chosen provider) and served tokens of firms, consumers' served tokens, realised
    productivity gains (USD per month), and the firms' token bill (USD per month, all
    regions); per provider: consumers' served tokens and their served share.
    """
    firms = model.firms
    providers = model.providers
    s = model.scenario
    demand = firms.demand(providers, model.reference_price, s)
    task_value = s.demand_model == "task_value"
    if task_value:
        mix_tasks(providers, *firms.tier_demand())
    consumer = model.consumers.ask(s, providers, firms.probs, model.steps)
    consumer_revenue = model.consumers.revenue()
    flat = consumer.sum(axis=0)
    splits = [p.capacity_split() for p in providers]
    capacity = np.array([split[2] for split in splits])
    spill = spill_over(model, flat, capacity)
    workers = firms.workers_cs[:, 1:] if spill is None else spill.workers
    if spill is not None and task_value:
        mix_tasks(providers, *firms.tier_demand(workers))  # the mix of the tasks bought there
    if spill is None:
        firm_tokens_at = demand[:, 1:].sum(axis=0)
    else:
        firm_tokens_at = (workers * firms.tokens_per_worker[:, 1:]).sum(axis=0)
    blend_consumers(providers, firm_tokens_at, flat)
    served_share = np.ones(len(providers) + 1)
    consumer_share = np.ones(len(providers))
    elasticity = s.price_elasticity if s.demand_model == "constant_elasticity" else None
    # each provider's column summed over regions, as a row (the same sum as the column's)
    firm_asked = np.ascontiguousarray(demand[:, 1:].T).sum(axis=1).tolist()
    consumer_asked = np.ascontiguousarray(consumer.T).sum(axis=1).tolist()
    for j, provider in enumerate(providers):
        if spill is None:
            firm_tokens = firm_asked[j]
            response = firms.demand_response(providers, j, model.reference_price, s)
        else:
            firm_tokens = float(workers[:, j] @ firms.tokens_per_worker[:, j + 1])
            response = firms.demand_response(providers, j, model.reference_price, s, workers[:, j])
        consumer_tokens = consumer_asked[j]
        if consumer_tokens > 0:
            response = _with_flat(response, firm_tokens, consumer_tokens)
            closed_form = None
        else:
            closed_form = elasticity
        premium = provider.scarcity
        share = provider.serve(
            firm_tokens + consumer_tokens,
            response,
            closed_form,
            flat=(consumer_tokens, float(consumer_revenue[j])),
            split=splits[j],
        )
        served_share[j + 1] = share
        if consumer_tokens > 0 and share != 1.0:  # consumers: the rationed share; firms: the rest
            cleared = provider.cleared_tokens
            consumer_share[j] = provider.served_tokens / cleared if cleared > 0 else 1.0
            if firm_tokens > 0:
                firms_got = provider.served_tokens - consumer_tokens * consumer_share[j]
                served_share[j + 1] = max(0.0, firms_got) / firm_tokens
        if task_value and provider.scarcity != premium:
            firms.value_at_clearing(providers, j, provider.scarcity / premium, s, workers[:, j])
    firms.served_share = served_share
    prices = np.array([p.price_per_mtok for p in providers])
    consumers = {
        "consumer_by_region": (consumer * consumer_share).sum(axis=1),
        "consumer_by_provider": flat * consumer_share,
        "consumer_share": consumer_share,
    }
    if spill is not None:
        return _spilled(model, spill, demand, served_share, prices) | consumers
    firms.spilled = None
    firm_served = demand[:, 1:].sum(axis=0) * served_share[1:]
    return consumers | {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": (demand * served_share).sum(axis=1),
        "gains_by_region": (firms.gains_by_region_slot() * served_share).sum(axis=1),
        "firm_bill": float(firm_served @ prices / 1e6),
    }


def _spilled(model, spill, demand, served_share, prices) -> dict:
    """Firms' tokens, gains and bill where they bought (``spill.moves``), per worker of
    each (cell, chosen slot) in ``firms.spilled`` and by region."""
    firms = model.firms
    share = served_share[1:]
    tokens = firms.tokens_per_worker[:, 1:] * share  # (cells, J): served per worker at k
    if model.scenario.demand_model == "task_value":
        value = firms.value_per_worker[:, 1:] * share
    else:  # the fixed gain, wherever it is bought
        value = np.outer(model.scenario.productivity_gain * firms.cell_wage, share)
    per_worker = [np.zeros_like(firms.tokens_per_worker) for _ in range(3)]
    for out, at_k in zip(per_worker, (tokens, value, tokens * prices / 1e6)):
        out[:, 1:] = np.einsum("cjk,ck->cj", spill.moves, at_k)
    firms.spilled = Spilled(*per_worker)
    by_region = lambda a: firms._to_regions(firms.workers_cs * a).sum(axis=1)
    return {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": by_region(firms.spilled.tokens),
        "gains_by_region": by_region(firms.spilled.value),
        "firm_bill": float((spill.workers * tokens).sum(axis=0) @ prices / 1e6),
    }


def _with_flat(response, responsive: float, flat: float):
    """Demand response when ``flat`` tokens (consumers) do not respond to the price."""
    total = responsive + flat
    return lambda m: (responsive * response(m) + flat) / total
