"""Market clearing: firms' demand at each provider's price, scarcity multipliers with
spill-over between providers, service up to capacity, rationing. The decisions live with
the agents (agents/firm.py, agents/provider.py)."""

from __future__ import annotations

import numpy as np

#: Damping of the fixed-point iteration on log multipliers (halved whenever the gap grows),
#: its most rounds and its tolerance.
DAMPING = 0.7
MAX_ROUNDS = 50
TOLERANCE = 1e-5


def clear(model) -> dict[str, np.ndarray]:
    """Match this month's demand with each provider's capacity and record who got what.

    Firms say what they ask of each provider at its posted price. Each provider's price
    then moves by a scarcity multiplier m_j that brings the demand it faces down to its
    capacity (``CloudProvider.serve``); customers of a provider whose price rose spill
    over to the others through the firms' logit: in region r a share P_rj(m) / P_rj(1) of
    provider j's customers stays (P the logit choice probability, with utility falling by
    price_sensitivity x ln m), and the rest choose among the other providers in proportion
    to P_rk(m), buying what they would at k's price. The multipliers are solved jointly
    (damped fixed point); what the capped multiplier cannot clear is rationed pro rata.
    Returns per-region arrays (firm region order): demanded and served tokens, and
    realised productivity gains (USD per month).
    """
    firms = model.firms
    providers = model.providers
    s = model.scenario
    demand = firms.demand(providers, model.reference_price, s)  # (R, 1 + J)
    factor = firms.demand_factor[1:]
    reference = firms.tokens_by_region_slot()[:, 1:]  # reference tokens, (R, J)
    responses = [firms.demand_response(p.task_price, model.reference_price, s) for p in providers]
    flows = _spill_over(model, reference, factor, responses)
    # flows[r, j, k]: reference tokens of region r's customers of j buying at k
    asked = flows.sum(axis=(0, 1)) * factor
    served_share = np.array(
        [p.serve(float(d), response) for p, d, response in zip(providers, asked, responses)]
    )
    received = (flows * (factor * served_share)).sum(axis=2)  # (R, J): by origin provider
    posted = demand[:, 1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_by_slot = np.where(posted.sum(axis=0) > 0, received.sum(0) / posted.sum(0), 1.0)
        share = np.where(posted > 0, received / posted, 1.0)
    firms.served_share = np.concatenate(([1.0], share_by_slot))
    gains = firms.gains_by_region_slot()[:, 1:]
    return {
        "demand_by_region": demand.sum(axis=1),
        "served_by_region": received.sum(axis=1),
        "gains_by_region": (gains * share).sum(axis=1),
    }


def _spill_over(model, reference: np.ndarray, factor: np.ndarray, responses) -> np.ndarray:
    """(R, J, J) reference tokens of region r's customers of provider j who buy at
    provider k this month, at the clearing multipliers (diagonal only when no provider is
    short of capacity at posted prices: nobody spills)."""
    providers = model.providers
    flows = np.zeros((*reference.shape, reference.shape[1]))
    idx = np.arange(reference.shape[1])
    flows[:, idx, idx] = reference
    capacity = [p.capacity_split()[2] for p in providers]

    def log_multipliers(asked: np.ndarray) -> np.ndarray:
        return np.log(
            [
                p.multiplier_for(float(d), r, c)
                for p, d, r, c in zip(providers, asked, responses, capacity)
            ]
        )

    log_m = log_multipliers(reference.sum(axis=0) * factor)
    if len(providers) < 2 or not (log_m > 0).any():
        return flows  # no provider is short of capacity: nobody is turned away
    probs = model.firms.provider_probabilities(providers, model.scenario)
    beta = model.scenario.price_sensitivity
    damping, last_gap = DAMPING, np.inf
    for _ in range(MAX_ROUNDS):
        target = log_multipliers(_bought_at(reference, probs, beta * log_m).sum(0) * factor)
        gap = np.abs(target - log_m).max()
        if gap < TOLERANCE:
            break
        if gap > last_gap:  # overshooting: smaller steps
            damping *= 0.5
        last_gap = gap
        log_m = log_m + damping * (target - log_m)
    return _flows(reference, probs, beta * log_m)


def _new_choice(probs: np.ndarray, utility_loss: np.ndarray):
    """Logit choice probabilities after the utility losses, and the share of each
    provider's customers who stay with it: min(1, P_rj(new) / P_rj(old))."""
    weights = probs * np.exp(-(utility_loss - utility_loss.min()))
    totals = weights.sum(axis=1, keepdims=True)
    new = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        stay = np.where(probs > 0, np.minimum(1.0, new / probs), 1.0)
    return new, stay


def _bought_at(reference: np.ndarray, probs: np.ndarray, utility_loss: np.ndarray):
    """(R, J) reference tokens of region r bought at provider k: ``_flows`` summed over
    the providers the customers come from, in O(R x J)."""
    new, stay = _new_choice(probs, utility_loss)
    elsewhere = 1.0 - new  # choice probability of the other providers
    leaving = np.where(elsewhere > 1e-12, reference * (1.0 - stay), 0.0)
    per_unit = np.divide(leaving, elsewhere, out=np.zeros_like(leaving), where=elsewhere > 1e-12)
    return reference - leaving + new * (per_unit.sum(axis=1, keepdims=True) - per_unit)


def _flows(reference: np.ndarray, probs: np.ndarray, utility_loss: np.ndarray) -> np.ndarray:
    """Where region r's customers of j buy when provider k's utility falls by
    ``utility_loss[k]``: stay with probability min(1, P_rj(new) / P_rj(old)), else move to
    k != j in proportion to P_rk(new)."""
    new, stay = _new_choice(probs, utility_loss)
    others = new[:, None, :] * (1.0 - np.eye(len(utility_loss)))[None, :, :]
    other_totals = others.sum(axis=2, keepdims=True)
    to = np.divide(others, other_totals, out=np.zeros_like(others), where=other_totals > 0)
    leaving = reference * (1.0 - stay)
    leaving = np.where(other_totals[:, :, 0] > 0, leaving, 0.0)  # nowhere to go: stays
    flows = leaving[:, :, None] * to
    idx = np.arange(len(utility_loss))
    flows[:, idx, idx] = reference - leaving
    return flows
