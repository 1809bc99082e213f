"""Spill-over between providers in clearing: where firms buy when a provider is short.

When the demand a provider faces at its posted prices exceeds its capacity, its price rises
by a scarcity multiplier m_j (``CloudProvider.serve``), and some of its customers go
elsewhere through the firms' logit: in region r a share min(1, P_rj(m) / P_rj(1)) of
provider j's customers stays (P the logit choice probability, utility falling by
``price_sensitivity`` x ln m), the rest choose among the other providers in proportion to
P_rk(m). Whole workers move: the exposed workers of a cell (region x wage band) who leave
j for k buy what they would at k's prices (task_value: k's per-class task prices, the
tokens and value of ``tokens_per_worker[cell, k]`` and ``value_per_worker[cell, k]``;
constant_elasticity: k's tokens per worker, the same fixed gain). The multipliers of all
providers are solved jointly, a fixed point on log m (vectorized over cells x providers):
a damped first step, then a secant step per provider on its own gap; each round's
multipliers in closed form (constant_elasticity) or by regula falsi. Consumers pay a flat
price and stay with their provider (a platform's contract does not move within the month):
their tokens are a load the firms' multiplier clears around, and they share the provider's
rationing. No random draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr

from jevons_compute.agents.provider import MAX_SCARCITY

#: Damping of the first step of the fixed-point iteration on log multipliers (then a secant
#: step per provider), its most rounds and its tolerance; most steps and tolerance (on log
#: demand over capacity) of each round's root finding for the multipliers.
DAMPING = 0.7
MAX_ROUNDS = 50
TOLERANCE = 1e-5
ROOT_STEPS = 60
ROOT_TOLERANCE = 1e-10


@dataclass
class Spill:
    """Where firms' exposed workers buy this month, at the clearing multipliers.

    Attributes:
        moves: (cells, J, J) share of a cell's workers at provider j who buy at provider k.
        workers: (cells, J) weighted exposed workers buying at each provider.
    """

    moves: np.ndarray
    workers: np.ndarray


@dataclass
class Spilled:
    """What one exposed worker of each (cell, chosen slot) got after spill-over: tokens
    served, value realised (USD) and bill paid (USD), each (cells, n_slots); slot 0 is 0."""

    tokens: np.ndarray
    value: np.ndarray
    bill: np.ndarray


def spill_over(model, flat: np.ndarray, capacity: np.ndarray) -> Spill | None:
    """Where firms buy when providers clear jointly; None when no provider's price rises at
    posted prices (its demand fits, or its premium is at MAX_SCARCITY: nobody spills, the
    per-provider clearing is the answer).

    Args:
        flat: (J,) consumers' tokens at each provider (flat price: they do not respond).
        capacity: (J,) useful inference FLOPs of each provider this month.
    """
    firms, providers, s = model.firms, model.providers, model.scenario
    workers = firms.workers_cs[:, 1:]
    per_worker = firms.tokens_per_worker[:, 1:]
    f = np.array([p.flops_per_token for p in providers])
    scarcity = np.array([p.scarcity for p in providers])
    short = f * ((workers * per_worker).sum(0) + flat) > capacity
    if len(providers) < 2 or not (short & (scarcity < MAX_SCARCITY)).any():
        return None  # every provider's demand fits at posted prices, or its price is capped
    solve = _Multipliers(firms, providers, s, per_worker, flat, capacity / f, scarcity)
    probs = firms.probs[firms.cell_region]  # (cells, J): rows of each cell's region
    log_m = solve(workers)
    if not (log_m > 0).any():
        return None
    beta = s.price_sensitivity
    last = None
    for _ in range(MAX_ROUNDS):
        gap = solve(_bought_at(workers, probs, beta * log_m)) - log_m
        if np.abs(gap).max() < TOLERANCE:
            break
        step = DAMPING * gap
        if last is not None:
            # secant on each provider's own gap, which falls as its log m rises (slope
            # capped at -1: a step never longer than the gap)
            moved = log_m - last[0]
            slope = np.divide(gap - last[1], moved, out=np.zeros_like(gap), where=moved != 0)
            step = np.where(moved != 0, gap / -np.minimum(slope, -1.0), step)
        last = (log_m, gap)
        log_m = log_m + step
    moves = _moves(probs, beta * log_m)
    return Spill(moves, np.einsum("cj,cjk->ck", workers, moves))


class _Multipliers:
    """Each provider's log multiplier on posted prices that clears its demand, for firms'
    workers (cells, J) at each provider: firms' demand x response(m) + consumers' =
    capacity, within [1/scarcity, MAX_SCARCITY/scarcity]; 0 without demand (as
    ``CloudProvider.multiplier_for``), vectorized over providers."""

    def __init__(self, firms, providers, scenario, per_worker, flat, capacity, scarcity):
        self.flat, self.capacity = flat, capacity  # in tokens at posted mixes
        self.low, self.high = -np.log(scarcity), np.log(MAX_SCARCITY / scarcity)
        self.per_worker = per_worker
        self.eps = scenario.price_elasticity
        self.task_value = scenario.demand_model == "task_value"
        if self.task_value:
            offers = providers[0].model.task_offers
            log_price = offers.log_value  # (J, edges)
            sigma = scenario.task_value_sigma
            self.sigma = sigma
            log_value = firms.edge_log_value(offers)
            self.z = (log_value[:, None, :] - log_price[None]) / sigma
            self.weights = offers.tokens

    def tokens(self, workers: np.ndarray, log_m: np.ndarray, cols=slice(None)) -> np.ndarray:
        """(..., J) firms' tokens at each provider at multipliers exp(log_m) (..., J)
        (task_value); ``cols``: only at these providers (the others' entries are 0)."""
        out = np.zeros(log_m.shape)
        done = ndtr(self.z[:, cols] - log_m[..., None, cols, None] / self.sigma)  # cells, J, edges
        out[..., cols] = np.einsum("cj,...cjq,jq->...j", workers[:, cols], done, self.weights[cols])
        return out

    def __call__(self, workers: np.ndarray) -> np.ndarray:
        asked = (workers * self.per_worker).sum(0)
        if not self.task_value:  # asked x m^-eps + flat = capacity: closed form
            room = self.capacity - self.flat
            with np.errstate(divide="ignore", invalid="ignore"):
                log_m = np.log(asked / room) / self.eps
            log_m = np.where(room > 0, np.where(np.isnan(log_m), -np.inf, log_m), np.inf)
            log_m = np.clip(log_m, self.low, self.high)
            return np.where(asked + self.flat > 0, log_m, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_capacity = np.log(self.capacity)

            def excess(log_m, cols=slice(None)):  # log of demand over capacity: falls w/ price
                tokens = self.tokens(workers, log_m, cols) + self.flat
                return np.log(np.maximum(tokens, 1e-300)) - log_capacity

            low, high = self.low.copy(), self.high.copy()
            g_low, g_high = excess(np.stack([low, high]))
            fits, full = g_low <= 0, (g_high >= 0) | (self.capacity <= 0)
            inner = ~(fits | full)
            for _ in range(ROOT_STEPS):  # Illinois (regula falsi) on [low, high]
                if not inner.any():
                    break
                log_m = np.where(inner, high - g_high * (high - low) / (g_high - g_low), high)
                g = excess(log_m, np.flatnonzero(inner))  # the others' entries are unused
                if np.abs(g[inner]).max() < ROOT_TOLERANCE:
                    high = log_m
                    break
                flip = g * g_high < 0
                low, g_low = np.where(flip, high, low), np.where(flip, g_high, 0.5 * g_low)
                high, g_high = log_m, g
        log_m = np.where(full, self.high, np.where(fits, self.low, high))
        return np.where(asked + self.flat > 0, log_m, 0.0)


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
    """(rows, J) of ``reference`` (rows, J) by where it buys: ``_moves`` applied and summed
    over the providers the customers come from, in O(rows x J)."""
    new, stay = _new_choice(probs, utility_loss)
    elsewhere = 1.0 - new  # choice probability of the other providers
    leaving = np.where(elsewhere > 1e-12, reference * (1.0 - stay), 0.0)
    per_unit = np.divide(leaving, elsewhere, out=np.zeros_like(leaving), where=elsewhere > 1e-12)
    return reference - leaving + new * (per_unit.sum(axis=1, keepdims=True) - per_unit)


def _moves(probs: np.ndarray, utility_loss: np.ndarray) -> np.ndarray:
    """(rows, J, J) share of the customers of j who buy at k when provider k's utility
    falls by ``utility_loss[k]``: stay with probability min(1, P_rj(new) / P_rj(old)),
    else move to k != j in proportion to P_rk(new)."""
    new, stay = _new_choice(probs, utility_loss)
    n = len(utility_loss)
    others = new[:, None, :] * (1.0 - np.eye(n))[None, :, :]
    other_totals = others.sum(axis=2, keepdims=True)
    to = np.divide(others, other_totals, out=np.zeros_like(others), where=other_totals > 0)
    leaving = np.where(other_totals[:, :, 0] > 0, 1.0 - stay, 0.0)  # nowhere to go: stays
    moves = leaving[:, :, None] * to
    idx = np.arange(n)
    moves[:, idx, idx] = 1.0 - leaving
    return moves
