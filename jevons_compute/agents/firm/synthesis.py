"""Synthetic firms: how many agents per region, their sizes (heavy-tailed, with importance
weights that keep totals unbiased), sectors and wages."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, ndtri

from jevons_compute.world.facts import FIRM_SIZE_MAX, REAL_FIRMS, SECTORS

SECTOR_NAMES = tuple(SECTORS)
#: Firm size and wage of the analytic limit's identical firms.
IDENTICAL_EMPLOYEES = 20.0
IDENTICAL_EXPOSURE = 0.3
WAGE_DISPERSION = 0.3  # log-normal sigma of firm wages around the regional mean (assumption)
WAGE_BANDS = 8  # distinct wage levels per region (equally likely bands of the log-normal)


def allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Split ``total`` agents by ``shares`` (largest remainder), each at least one if possible."""
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(np.int64)
    if total >= len(shares):
        counts = np.maximum(counts, 1)
    while counts.sum() > total:
        counts[np.argmax(counts)] -= 1
    order = np.argsort(-(raw - np.floor(raw)), kind="stable")
    for i in order[: total - counts.sum()]:
        counts[i] += 1
    return counts


def stratified_uniform(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniforms, one in each of n equal strata, in random order (less sampling noise)."""
    u = (np.arange(n) + rng.random(n)) / max(n, 1)
    return rng.permutation(u)


def stratified_by(stratum: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A stratified uniform for each agent, stratified within each of its ``stratum``."""
    u = np.empty(len(stratum))
    for k in np.unique(stratum):
        idx = np.flatnonzero(stratum == k)
        u[idx] = stratified_uniform(len(idx), rng)
    return u


def stratify_sectors(counts: np.ndarray, regions, shares: np.ndarray):
    """Sector of each agent (regions in order, ``counts`` agents each, split among sectors
    by ``shares``, largest remainder) and the real firms each stands for: a (region,
    sector) stratum's agents share its REAL_FIRMS x share exactly (a region's firms among
    the sectors it has agents in, when it has fewer agents than sectors)."""
    sector, weight = [], []
    for r, count in zip(regions, counts):
        split = allocate(int(count), shares)
        present = split > 0
        firms = REAL_FIRMS[r] * shares / shares[present].sum()
        sector.append(np.repeat(np.arange(len(shares)), split))
        weight.append(np.repeat(firms[present] / split[present], split[present]))
    return np.concatenate(sector).astype(np.int64), np.concatenate(weight)


def pareto_mean(alpha: float, top: float) -> float:
    """Mean of a Pareto(alpha) on [1, top] (employees)."""
    if abs(alpha - 1.0) < 1e-9:
        return math.log(top) / (1.0 - 1.0 / top)
    return alpha / (alpha - 1.0) * (1.0 - top ** (1.0 - alpha)) / (1.0 - top**-alpha)


def fit_pareto_alpha(mean_size: float, top: float = FIRM_SIZE_MAX) -> float:
    """The tail exponent whose truncated Pareto on [1, top] has mean ``mean_size``."""
    low, high = 0.05, 20.0  # the mean falls as alpha rises
    for _ in range(80):
        mid = 0.5 * (low + high)
        if pareto_mean(mid, top) > mean_size:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def power_law(u: np.ndarray, b: float, top: float):
    """Draws (inverse CDF of uniforms ``u``) from the density proportional to x^-b on
    [1, top], and that density at the draws."""
    if abs(b - 1.0) < 1e-9:
        x = np.exp(u * np.log(top))
        return x, power_law_pdf(x, b, top)
    x = (1.0 + u * (top ** (1.0 - b) - 1.0)) ** (1.0 / (1.0 - b))
    return x, power_law_pdf(x, b, top)


def sample_firm_sizes(region: np.ndarray, rng: np.random.Generator, alphas: np.ndarray):
    """Employees of each firm agent, and its importance weight (mean 1 within a stratum).

    ``region``: each agent's stratum (a region, or a (region, sector) pair); sizes are
    heavy-tailed (truncated Pareto on [1, FIRM_SIZE_MAX] with the stratum's exponent
    ``alphas[r]``), so a plain sample leaves the few large firms that hold most
    of the work to chance. Half the agents of each region are drawn from the Pareto (as
    firms are counted) and half from the employment-weighted Pareto (as workers are
    counted: density x times the Pareto's), each stratified; the weight p(x)/q(x),
    normalised to mean 1 within the region, keeps totals unbiased while large firms are
    well represented.
    """
    top = FIRM_SIZE_MAX
    employees = np.empty(len(region))
    importance = np.empty(len(region))
    for r in np.unique(region):
        a = alphas[r]
        idx = np.flatnonzero(region == r)
        half = len(idx) // 2
        by_firm, firm_pdf = power_law(stratified_uniform(len(idx) - half, rng), a + 1.0, top)
        by_worker, _ = power_law(stratified_uniform(half, rng), a, top)
        x = np.concatenate([by_firm, by_worker])
        pareto_pdf = np.concatenate([firm_pdf, power_law_pdf(by_worker, a + 1.0, top)])
        worker_pdf = power_law_pdf(x, a, top)
        share = (len(idx) - half) / len(idx)
        w = pareto_pdf / (share * pareto_pdf + (1 - share) * worker_pdf)
        order = rng.permutation(len(idx))
        employees[idx] = x[order]
        importance[idx] = (w / w.mean())[order]
    return employees, importance


def power_law_pdf(x: np.ndarray, b: float, top: float) -> np.ndarray:
    """The density proportional to x^-b on [1, top] at ``x``."""
    if abs(b - 1.0) < 1e-9:
        return 1.0 / (x * np.log(top))
    return (1.0 - b) * x**-b / (top ** (1.0 - b) - 1.0)


def wage_bands(z: np.ndarray) -> np.ndarray:
    """Relative wage (mean 1) of firms with standard-normal draws ``z``: log-normal with
    sigma WAGE_DISPERSION, in WAGE_BANDS equally likely bands, each at its conditional mean
    (a few distinct wages, so the task economics are computed per band, not per firm)."""
    sigma, bands = WAGE_DISPERSION, WAGE_BANDS
    band = np.minimum((ndtr(z) * bands).astype(np.int64), bands - 1)
    edges = ndtri(np.arange(bands + 1) / bands)
    level = (ndtr(edges[1:] - sigma) - ndtr(edges[:-1] - sigma)) * bands
    return level[band]
