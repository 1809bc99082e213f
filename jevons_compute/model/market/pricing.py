"""Providers' prices each month, for all providers at once (arrays over providers and
tiers): price per million tokens of every released tier, a firm task's inclusive price
and tier mix (``set_prices``), prices per task class (``price_task_classes``) and the tier
mix of the tasks firms actually bought (``mix_tasks``).

They write the results onto each provider (``price_per_mtok``, ``task_price``,
``tier_prices``, ``class_task_price`` ...), which the agents' own rules then read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from jevons_compute.agents.firm import TASK_MINUTES, TASKS_PER_WORKER


def price_task_classes(providers, model) -> None:
    """Every provider's offer to firms for each task class j (world/facts.py
    TASK_CLASSES), by tier choice on money (DESIGN v3.3).

    A task of human length L done on tier c succeeds with p_c(L) = 1 / (1 + (L / H_c)^b)
    (H_c the tier's 50% time horizon, b = ``task_success_slope``) and costs
    price_c x k_c(L) (k_c(L) = tokens_per_task_minute x L x the tier's tokens per task);
    a task worth v is done on the tier maximising v p_c(L) - price_c k_c(L), if that is
    positive. The payoffs are lines in v, so each tier is chosen on one interval of values
    [lo_c, hi_c) (empty for a tier no task prefers): the upper envelope of the lines
    (``tier_intervals``). A tier with a longer horizon is worth more for long tasks and
    chosen by the valuable ones; cheap tokens move tasks up the tiers.

    Task volume: a class's tasks per worker grow as its entry cost (the lowest value at
    which a task is done) falls below its level at step 0, by (cost / cost_0)^-eta
    (eta = ``task_creation_elasticity``): work never done because it cost too much.

    Sets ``model.task_offers`` (``TaskOffers``: every provider's offers over the (class,
    tier) edges some provider's tasks choose, rows in the providers' order) and on each
    provider ``task_on`` ((J, tiers): the tiers on each class's envelope) and
    ``task_volume`` ((J,): the creation factor)."""
    s = model.scenario
    prices = np.array([p.tier_prices for p in providers])  # (P, tiers)
    n = prices.shape[1]
    success, tokens = _tier_tasks(model, n)
    cost = prices[:, None, :] * tokens[None] / 1e6  # (P, J, tiers) USD per task
    lo, hi = tier_intervals(success, cost)
    on = lo < hi
    entry = np.where(on, lo, np.inf).min(axis=2)  # (P, J)
    if model.class_entry_reference is None:
        model.class_entry_reference = entry.min(axis=0)
    volume = np.maximum(1.0, (entry / model.class_entry_reference) ** -s.task_creation_elasticity)
    with np.errstate(divide="ignore"):
        log_lo = np.where(on, np.log(np.where(on, lo, 1.0)), np.inf)
    # the edges of tiers some provider's tasks choose (the others add nothing anywhere)
    used = on.any(axis=0).ravel()
    classes = len(TASK_MINUTES)
    edge_class = np.repeat(np.arange(classes), n)[used]
    per_task = np.repeat(TASKS_PER_WORKER * volume, n, axis=1)[:, used]  # (P, edges)
    flat = lambda a: a.reshape(len(providers), -1)[:, used]  # (P, J, tiers) -> (P, edges)
    edge_on = flat(on)
    k = np.broadcast_to(tokens, on.shape[1:]).ravel()[used]
    gained, paid, took = edge_weights(edge_on, edge_class, success.ravel()[used], flat(cost), k)
    model.task_offers = TaskOffers(
        log_value=flat(log_lo),
        on=edge_on,
        next_on=_next_on(edge_on, edge_class),
        success=per_task * gained,
        bill=per_task * paid,
        tokens=per_task * took,
        volume=per_task,
        k=k,
        edge_class=edge_class,
        tier_of=np.eye(n)[np.tile(np.arange(n), classes)[used]],
    )
    for i, p in enumerate(providers):
        p.task_on, p.task_volume = on[i], volume[i]


@dataclass(frozen=True)
class TaskOffers:
    """Every provider's offers to firms over the edges (class, tier) that some provider's
    tasks choose (``price_task_classes``), arrays (providers, edges) unless said.

    Attributes:
        log_value: log USD of the edge's lower bound lo_c (+inf where the tier is off the
            class's envelope at that provider).
        on: whether the tier is on the envelope there; next_on: the index of the next
            edge of the same class on the envelope (-1: none; its lower bound is the
            tier's upper one).
        success, bill, tokens: increments of success, cost and tokens per task from the
            previous tier on the envelope, times tasks per worker-month.
        volume: tasks per worker-month of the edge's class (with task creation).
        k: (edges,) tokens per task of the edge's tier on its class.
        edge_class: (edges,) the edge's class; tier_of: (edges, tiers) one-hot of its tier.
    """

    log_value: np.ndarray
    on: np.ndarray
    next_on: np.ndarray
    success: np.ndarray
    bill: np.ndarray
    tokens: np.ndarray
    volume: np.ndarray
    k: np.ndarray
    edge_class: np.ndarray
    tier_of: np.ndarray


def _tier_tasks(model, n: int):
    """(success, tokens), each (J, tiers): a tier's success on each class's tasks and the
    tokens a task takes there (the same every month while ``n`` tiers are released: kept
    on the model by ``n``)."""
    cached = model.tier_task_cache.get(n)
    if cached is None:
        s = model.scenario
        horizon = model.tiers.horizon_minutes[:n]
        success = 1.0 / (1.0 + (TASK_MINUTES[:, None] / horizon[None, :]) ** s.task_success_slope)
        k = s.tokens_per_task_minute * TASK_MINUTES[:, None] * model.tiers.tokens_per_task[:n]
        cached = model.tier_task_cache[n] = (success, k)
    return cached


def _next_on(on: np.ndarray, edge_class: np.ndarray) -> np.ndarray:
    """(P, edges) index of the next edge of the same class that is on, -1 where none."""
    n_edges = on.shape[1]
    index = np.where(on, np.arange(n_edges), n_edges)
    # the smallest on index after each edge: a reversed running minimum, shifted by one
    after = np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1]
    after = np.concatenate([after[:, 1:], np.full((on.shape[0], 1), n_edges)], axis=1)
    same = (after < n_edges) & (edge_class[np.minimum(after, n_edges - 1)] == edge_class)
    return np.where(same, after, -1)


def tier_intervals(success: np.ndarray, cost: np.ndarray):
    """The interval of task values [lo, hi) on which each tier pays most (the upper
    envelope of v x success_c - cost_c over the tiers and not doing the task, 0).

    Args:
        success: (J, tiers) success probability, rising with the tier.
        cost: (..., J, tiers) USD per task.

    Returns:
        (lo, hi) of cost's shape: tier c is chosen for lo_c <= v < hi_c (lo >= hi: never);
        hi is inf for the last tier chosen."""
    da = success[:, :, None] - success[:, None, :]  # [c, d] = a_c - a_d
    db = cost[..., :, None] - cost[..., None, :]
    below, above = _triangles(cost.shape[-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = db / da  # value at which c and d pay the same
    lo = np.maximum(cost / success, np.where(below, cross, -np.inf).max(axis=-1))
    hi = np.where(above, cross, np.inf).min(axis=-1)
    return lo, hi


@lru_cache(maxsize=64)
def _triangles(n: int):
    """(below, above) boolean (n, n) masks: [c, d] true where d < c, and where d > c."""
    below = np.tril(np.ones((n, n), dtype=bool), -1)
    return below, below.T.copy()


def edge_weights(on, edge_class, success, cost, tokens):
    """Per (provider, edge): the increments of success, cost and tokens per task from the
    previous tier on the class's envelope to this one (0 off it), so that a sum over the
    edges of increment x P(v >= lo) is the expectation over the envelope.

    Args:
        on: (P, edges) whether the edge's tier is on its class's envelope there.
        edge_class: (edges,) each edge's class (edges run over tiers within a class).
        success, tokens: (edges,); cost: (P, edges)."""
    n_providers, n_edges = on.shape
    prev = _prev_on(on, edge_class)
    x = np.stack(
        [np.broadcast_to(success, cost.shape), cost, np.broadcast_to(tokens, cost.shape)]
    ).reshape(3, -1)
    rows = np.arange(n_providers)[:, None] * n_edges
    before = np.where(prev >= 0, x[:, np.where(prev >= 0, rows + prev, 0)], 0.0)
    return list(np.where(on, x.reshape(3, n_providers, n_edges) - before, 0.0))


def _prev_on(on: np.ndarray, edge_class: np.ndarray) -> np.ndarray:
    """(P, edges) index of the previous edge of the same class that is on, -1 where none."""
    n_edges = on.shape[1]
    index = np.where(on, np.arange(n_edges), -1)
    before = np.maximum.accumulate(index, axis=1)
    before = np.concatenate([np.full((on.shape[0], 1), -1), before[:, :-1]], axis=1)
    same = (before >= 0) & (edge_class[np.maximum(before, 0)] == edge_class)
    return np.where(same, before, -1)


def set_prices(providers, step: int) -> None:
    """Each provider's prices of every released tier in month ``step``, and what a firm's
    tasks cost there (elementwise over (providers, tiers); a row's sums and products are
    those of one provider alone).

    Price per million tokens of tier c = its FLOPs per token x cost per useful FLOP x
    (1 + markup) x scarcity, the markup being ``open_model_markup`` for tiers released
    ``open_catchup_months`` ago or more when tiers are on (open weights have caught up
    with them, so they are a commodity; without tiers the one tier keeps the provider's
    markup, as in the analytic limit); in the tier the open-weight model lands in, its
    share of tokens needs ``shock_factor`` times fewer FLOPs (the efficiency the shock twin
    freezes) and carries ``open_model_markup`` instead of the provider's (competition among
    hosts of open weights: in run and twin alike). Tasks split over tiers by a logit on log
    price per task plus the tier's capability value (nested in the firm's choice of
    provider); ``task_price`` is the inclusive price of a task in USD per million
    GPT-4-task tokens (the tier-0 price when only tier 0 is released), ``tokens_per_task``
    and ``flops_per_token`` the tier mix's.
    """
    m = providers[0].model
    s = m.scenario
    n = len(m.tier_flops)
    f = np.repeat(m.tier_flops[None, :], len(providers), axis=0)
    markup = np.array([p.markup for p in providers])
    # FLOPs per token x (1 + markup), by tier; a tier open weights have caught up with is
    # a commodity, served at the open-model markup
    commodity = s.capability_tiers & (m.tiers.release[:n] + s.open_catchup_months <= step)
    priced = f * np.where(commodity[None, :], 1.0 + s.open_model_markup, (1.0 + markup)[:, None])
    share = np.array([p.open_share for p in providers])
    if m.open_tier < n and (share > 0).any():
        c, o, hosts = m.open_tier, share[share > 0], share > 0
        open_f = f[0, c] / m.paths.shock_flops_factor
        priced[hosts, c] = (1.0 - o) * priced[hosts, c] + o * open_f * (1.0 + s.open_model_markup)
        f[hosts, c] = (1.0 - o) * f[hosts, c] + o * open_f
    cost = np.array([p.inference_cost_per_flop for p in providers])
    scarcity = np.array([p.scarcity for p in providers])
    unit = 1e6 * cost * scarcity
    prices = unit[:, None] * priced  # USD per million tokens, by tier
    k = m.tiers.tokens_per_task[:n]
    beta = s.tier_price_sensitivity
    utility = m.tier_quality[:n] - beta * np.log(prices * k)
    rows = np.arange(len(providers))
    best = utility.argmax(axis=1)
    top = utility[rows, best]
    spread = np.array([math.log(x) for x in np.exp(utility - top[:, None]).sum(axis=1).tolist()])
    task_shares = np.exp(utility - (top + spread)[:, None])
    tokens = task_shares * k
    per_task = tokens.sum(axis=1)
    token_shares = tokens / per_task[:, None]
    flops = np.matmul(token_shares[:, None, :], f[:, :, None])[:, 0, 0].tolist()
    paid = np.matmul(token_shares[:, None, :], prices[:, :, None])[:, 0, 0].tolist()
    # the logsum price exp(-log_sum / beta), written around the best tier c so that a
    # single tier's task price is its price per task to the last bit (plain floats: the
    # same products as numpy's)
    at_best = zip(prices[rows, best].tolist(), k[best].tolist(), m.tier_quality[best].tolist())
    task_price = [
        price * k_c * math.exp(-(quality + x) / beta)
        for (price, k_c, quality), x in zip(at_best, spread.tolist())
    ]
    per_task, hedonic, tasks = per_task.tolist(), prices[:, 0].tolist(), np.zeros_like(f)
    # the GPT-4-class tier's price in parts: FLOPs per token (the open model's share
    # blended in) x cost per useful FLOP x the markup factor of that blend x scarcity
    hedonic_flops, hedonic_markup = f[:, 0].tolist(), (priced[:, 0] / f[:, 0]).tolist()
    for i, p in enumerate(providers):
        p.tokens_per_task = per_task[i]
        p.tier_token_shares = token_shares[i]
        p.flops_per_token = flops[i]
        p.price_per_mtok = paid[i]
        p.task_price = task_price[i]
        p.hedonic_price = hedonic[i]
        p.hedonic_flops, p.hedonic_markup = hedonic_flops[i], hedonic_markup[i]
        p.tier_prices, p.tier_flops = prices[i], f[i]
        p.tier_tasks = tasks[i]
        p.tier_utility = utility[i]


def mix_tasks(providers, tier_tokens: np.ndarray, tier_tasks: np.ndarray) -> None:
    """The tier mix of this month's firm demand at every provider (task_value):
    ``tier_tokens`` and ``tier_tasks`` (providers, tiers), the tokens and tasks each is
    asked on each tier, set its tasks and tokens by tier, average FLOPs per token, price
    per token and tokens per task (GPT-4 = 1); a provider asked nothing keeps the
    ``set_prices`` mix."""
    total = tier_tokens.sum(axis=1)
    counted = tier_tasks.sum(axis=1)
    model = providers[0].model
    for i, p in enumerate(providers):
        n = len(p.tier_prices)
        if not (total[i] > 0 and counted[i] > 0):  # nothing asked (or underflow): mix stays
            continue
        shares = tier_tokens[i, :n] / total[i]
        p.tier_tasks = tier_tasks[i, :n]
        p.tier_token_shares = shares
        p.flops_per_token = float(shares @ p.tier_flops)
        p.price_per_mtok = float(shares @ p.tier_prices)
        p.tokens_per_task = float(tier_tasks[i, :n] @ model.tiers.tokens_per_task[:n]) / float(
            counted[i]
        )


def blend_consumers(providers, firm_tokens: np.ndarray, consumer_tokens: np.ndarray) -> None:
    """Each provider serves its firms' tier mix and its consumers' tier
    (``consumer_tier``): its FLOPs per token and token shares by tier become the blend of
    both, weighted by the tokens each asks at posted prices (the price per token stays the
    firms', who pay by the token)."""
    for p, f, c in zip(providers, firm_tokens.tolist(), consumer_tokens.tolist()):
        if not c > 0:
            continue
        w = c / (f + c)
        shares = (1.0 - w) * np.asarray(p.tier_token_shares, dtype=float)
        shares[p.consumer_tier] += w
        p.tier_token_shares = shares
        p.flops_per_token = (1.0 - w) * p.flops_per_token + w * p.consumer_flops_per_token
