"""Firms' choice of provider: logit probabilities by region and the per-region CDFs that
one ``searchsorted`` over all firms reads."""

from __future__ import annotations

import numpy as np


def logit_probabilities(utilities: np.ndarray) -> np.ndarray:
    """Logit choice probabilities per region.

    Args:
        utilities: (R, K) utility of each provider for firms of each region; -inf where a
            provider is not accessible.

    Returns:
        (R, K) probabilities; a row of zeros for a region with no accessible provider.
    """
    finite = np.isfinite(utilities)
    top = np.where(finite, utilities, -np.inf).max(axis=1, initial=-np.inf)
    top = np.where(np.isfinite(top), top, 0.0)
    weights = np.where(finite, np.exp(np.where(finite, utilities, 0.0) - top[:, None]), 0.0)
    totals = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)


def choice_cdf(probs: np.ndarray):
    """Per-region CDFs flattened for one ``searchsorted`` over all firms.

    Returns:
        (flat, K, last): ``flat[r*K + j] = r + P(choice <= j | region r)``; ``last[r]`` the
        last provider with positive probability (guards rounding at the top).
    """
    regions, k = probs.shape
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = np.where(probs.sum(axis=1) > 0, 1.0, 0.0)
    flat = (cdf + np.arange(regions)[:, None]).ravel()
    positive = probs[:, ::-1] > 0
    last = np.where(positive.any(axis=1), k - 1 - positive.argmax(axis=1), 0)
    return flat, k, last
