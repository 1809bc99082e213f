"""Providers' prices each month, for all providers at once (arrays over providers and
tiers): price per million tokens of every released tier, a firm task's inclusive price
and tier mix (``set_prices``), prices per task class (``price_task_classes``) and the tier
mix of the tasks firms actually bought (``mix_tasks``).

They write the results onto each provider (``price_per_mtok``, ``task_price``,
``tier_prices``, ``class_task_price`` ...), which the agents' own rules then read.
"""

from __future__ import annotations

import math

import numpy as np

from jevons_compute.agents.firm import TASK_MINUTES


def price_task_classes(providers, model) -> None:
    """Every provider's prices per task class j (world/facts.py TASK_CLASSES): the
    nested logit over the released tiers able to do the class (horizon >= its human
    time), from the tier utilities of ``set_prices`` (one pass over all providers).

    The logit (capability value and log price per task, as in ``set_prices``) splits a
    class's tasks over the tiers; the price a firm weighs against a task's value is what it
    pays for the task at that mix. (The logsum's capability term is utility, not money:
    a one-minute task is worth no more done by a tier with a 40-hour horizon, so weighing
    the logsum price would make firms pay for tasks worth less than their bill.)

    Sets on each provider ``class_task_price`` (USD paid per task at the class's tier
    mix; inf when no released tier can do it), ``class_tokens_per_task`` and
    ``class_tier_tasks`` (share of the class's tasks on each tier)."""
    s = model.scenario
    utility = np.array([p.tier_utility for p in providers])  # (providers, tiers)
    prices = np.array([p.tier_prices for p in providers])
    n = utility.shape[1]
    k = model.tiers.tokens_per_task[:n]
    required = model.class_required_tier  # first tier whose horizon covers each class
    feasible = required < n
    able = np.arange(n)[None, :] >= required[:, None]  # (classes, tiers)
    # log-sum over tiers c >= r of exp(utility_c), for every r
    suffix = np.logaddexp.accumulate(utility[:, ::-1], axis=1)[:, ::-1]
    log_sum = np.where(feasible, suffix[:, np.minimum(required, n - 1)], 0.0)  # (P, classes)
    centred = np.where(able, utility[:, None, :] - log_sum[:, :, None], 0.0)
    shares = np.where(able, np.exp(centred), 0.0)  # (P, classes, tiers)
    minute_tokens = s.tokens_per_task_minute * TASK_MINUTES  # tokens of a tier-0 task
    paid = minute_tokens / 1e6 * np.einsum("pjc,pc->pj", shares, prices * k)
    task_price = np.where(feasible, paid, np.inf)
    tokens = minute_tokens * (shares @ k)
    for i, p in enumerate(providers):
        p.class_tier_tasks = shares[i]
        p.class_task_price = task_price[i]
        p.class_tokens_per_task = tokens[i]


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


def mix_tasks(providers, class_tokens: np.ndarray) -> None:
    """The tier mix of this month's firm demand at every provider (task_value):
    ``class_tokens`` (providers, task classes), the tokens each is asked by task class, set
    its tasks and tokens by tier, average FLOPs per token, price per token and tokens per
    task (GPT-4 = 1); a provider asked nothing keeps the ``set_prices`` mix. Stacked matrix
    products (one BLAS call per provider, as provider by provider: the same numbers)."""
    total = class_tokens.sum(axis=1)
    mixed = [i for i, t in enumerate(total) if t > 0]
    if not mixed:
        return
    providers = [providers[i] for i in mixed]
    n = len(providers[0].tier_prices)
    if any(len(p.tier_prices) != n for p in providers):  # tier counts differ: one by one
        for i, p in zip(mixed, providers):
            mix_tasks([p], class_tokens[i : i + 1])
        return
    per_task = np.array([p.class_tokens_per_task for p in providers])
    tier_shares = np.array([p.class_tier_tasks for p in providers])  # (P, classes, tiers)
    tasks = class_tokens[mixed] / np.where(per_task > 0, per_task, 1.0)
    model = providers[0].model
    k = model.tiers.tokens_per_task[:n]
    minute_tokens = model.scenario.tokens_per_task_minute * TASK_MINUTES
    # tasks by tier: a product per provider with its own array (BLAS or not by its layout)
    tier_tasks = np.array([t @ p.class_tier_tasks for t, p in zip(tasks, providers)])
    tier_tokens = np.matmul((tasks * minute_tokens)[:, None, :], tier_shares * k)[:, 0]
    token_shares = tier_tokens / tier_tokens.sum(axis=1, keepdims=True)
    flops = np.matmul(
        token_shares[:, None, :], np.array([p.tier_flops for p in providers])[..., None]
    )
    prices = np.matmul(
        token_shares[:, None, :], np.array([p.tier_prices for p in providers])[..., None]
    )
    counted = tier_tasks.sum(axis=1).tolist()
    flops, prices = flops[:, 0, 0].tolist(), prices[:, 0, 0].tolist()
    for i, p in enumerate(providers):
        if not counted[i] > 0:  # tokens too few to make a task (underflow): last mix stays
            continue
        p.tier_tasks = tier_tasks[i]
        p.tier_token_shares = token_shares[i]
        p.flops_per_token = flops[i]
        p.price_per_mtok = prices[i]
        p.tokens_per_task = float(tier_tasks[i] @ k) / counted[i]
