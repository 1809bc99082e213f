"""History matching (Andrianakis et al. 2015): rule out parameter space that cannot fit.

For an observation z (in logs) and a parameter set x, the implausibility is

    I(x) = |z - E f(x)| / sqrt(V_obs + V_md + V_s + V_em(x))

with V_obs the observation's variance (measurement and conversion), V_md the model
discrepancy (what the model cannot represent even at its best parameters), V_s the
variance of one run across seeds (the observation is one realisation of a stochastic
world) and V_em the emulator's variance where E f is a Gaussian-process prediction rather
than a simulated mean. x is ruled out when its largest I over the observations exceeds
CUTOFF. Parameters live in the unit cube here (log scale where the range is wide);
``to_params`` maps a point back to parameter values.

Screening (Morris elementary effects, SALib) picks the parameters worth searching; the
emulators are scikit-learn's GaussianProcessRegressor, one per observation.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from jevons_compute.world.parameters import BY_NAME, Uncertain

#: Implausibility above which a parameter set is ruled out (Pukelsheim's three sigma).
CUTOFF = 3.0
#: Model discrepancy, one standard deviation in natural logs (an
#: assumption: at least 0.2-0.3, for what the model leaves out).
DISCREPANCY_LOG_SD = 0.3
#: A parameter is screened in when it moves some output by this share of the output's
#: spread over the screening runs (Morris mu*, normalised).
SCREEN_THRESHOLD = 0.1


def to_params(unit: np.ndarray, uncertain: Sequence[Uncertain]) -> list[dict]:
    """Parameter dicts from points of the unit cube (one row a point, one column a
    parameter of ``uncertain``); integer parameters rounded."""
    unit = np.atleast_2d(unit)
    points = []
    for row in unit:
        point = {}
        for u, x in zip(uncertain, row):
            if u.log:
                value = float(np.exp(np.log(u.low) + x * (np.log(u.high) - np.log(u.low))))
            else:
                value = float(u.low + x * (u.high - u.low))
            point[u.name] = BY_NAME[u.name].coerce(float(f"{value:.6g}"))  # readable values
        points.append(point)
    return points


def to_unit(values: dict, uncertain: Sequence[Uncertain]) -> np.ndarray:
    """The unit-cube coordinates of a parameter dict (the inverse of ``to_params``)."""
    out = []
    for u in uncertain:
        v = float(values[u.name])
        if u.log:
            out.append((np.log(v) - np.log(u.low)) / (np.log(u.high) - np.log(u.low)))
        else:
            out.append((v - u.low) / (u.high - u.low))
    return np.array(out)


def lhs(n: int, d: int, seed: int) -> np.ndarray:
    """A Latin hypercube of ``n`` points in [0, 1]^d (scipy.stats.qmc)."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=d, seed=seed).random(n)


# --- screening -----------------------------------------------------------------------------
def morris_problem(uncertain: Sequence[Uncertain]) -> dict:
    return {
        "num_vars": len(uncertain),
        "names": [u.name for u in uncertain],
        "bounds": [[0.0, 1.0]] * len(uncertain),
    }


def morris_design(uncertain: Sequence[Uncertain], trajectories: int, seed: int) -> np.ndarray:
    """Morris trajectories in the unit cube: trajectories x (d + 1) points (SALib)."""
    from SALib.sample import morris

    return morris.sample(morris_problem(uncertain), trajectories, num_levels=4, seed=seed)


def morris_screen(
    unit: np.ndarray, outputs: pd.DataFrame, uncertain: Sequence[Uncertain]
) -> pd.DataFrame:
    """Normalised Morris mu* (rows: parameters, columns: outputs): the mean absolute
    elementary effect of a full-range move over the output's standard deviation."""
    from SALib.analyze import morris

    problem = morris_problem(uncertain)
    table = {}
    for label in outputs.columns:
        y = outputs[label].to_numpy(float)
        finite = np.isfinite(y)
        if finite.sum() < len(y) / 2 or np.nanstd(y) == 0:
            continue  # too few runs report it, or it never moves
        y = np.where(finite, y, np.nanmedian(y))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = morris.analyze(problem, unit, y, num_levels=4)
        table[label] = np.asarray(result["mu_star"]) / np.std(y)
    return pd.DataFrame(table, index=[u.name for u in uncertain])


def screened_in(importance: pd.DataFrame, minimum: int = 2) -> list[str]:
    """Parameters whose largest normalised mu* reaches SCREEN_THRESHOLD (at least
    ``minimum`` of them: the most important)."""
    score = importance.max(axis=1).sort_values(ascending=False)
    chosen = list(score[score >= SCREEN_THRESHOLD].index)
    return chosen if len(chosen) >= minimum else list(score.index[:minimum])


# --- simulated points ----------------------------------------------------------------------
def point_summary(sim: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(mean over seeds of each output by design point; pooled variance of one run across
    seeds, by output). ``sim``: log outputs, one row a run, indexed by design point."""
    grouped = sim.groupby(level=0)
    means = grouped.mean()
    variance = grouped.var(ddof=1).mean()  # pooled over points
    return means, variance.fillna(0.0)


def implausibility(z, mean, v_obs, v_seeds, v_em=0.0, v_md=DISCREPANCY_LOG_SD**2) -> np.ndarray:
    """I = |z - mean| / sqrt(V_obs + V_md + V_s + V_em), elementwise (NaN mean: inf)."""
    i = np.abs(np.asarray(z) - np.asarray(mean)) / np.sqrt(v_obs + v_md + v_seeds + v_em)
    return np.where(np.isnan(i), np.inf, i)


def simulated_implausibility(
    means: pd.DataFrame, z: np.ndarray, v_obs: np.ndarray, v_seeds: pd.Series, seeds: int
) -> pd.DataFrame:
    """Implausibility of simulated points: the seeds' mean stands for E f, with its own
    sampling variance V_s / seeds as the emulator variance."""
    v_s = v_seeds.reindex(means.columns).to_numpy()
    values = implausibility(z, means.to_numpy(), v_obs, v_s, v_s / seeds)
    return pd.DataFrame(values, index=means.index, columns=means.columns)


# --- emulators -----------------------------------------------------------------------------
class Emulator:
    """One Gaussian process per output, on the screened parameters' unit coordinates:
    a constant times an anisotropic squared-exponential kernel plus a nugget; each training
    point's mean over seeds carries its sampling variance (V_s / seeds) as noise."""

    def __init__(self, seed: int):
        self.seed = seed
        self.models: dict[str, tuple] = {}

    def fit(self, x: np.ndarray, means: pd.DataFrame, v_seeds: pd.Series, seeds: int):
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

        d = x.shape[1]
        for label in means.columns:
            y = means[label].to_numpy(float)
            ok = np.isfinite(y)
            if ok.sum() < max(5, d // 2) or np.std(y[ok]) == 0:
                continue  # not enough finite points to emulate: judged by simulation only
            centre, scale = float(np.mean(y[ok])), float(np.std(y[ok]))
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
                np.full(d, 0.5), (1e-2, 1e2)
            ) + WhiteKernel(1e-3, (1e-8, 1.0))
            gp = GaussianProcessRegressor(
                kernel,
                alpha=float(v_seeds.get(label, 0.0)) / seeds / scale**2 + 1e-8,
                n_restarts_optimizer=2,
                random_state=self.seed,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence notes at the bounds
                gp.fit(x[ok], (y[ok] - centre) / scale)
            self.models[label] = (gp, centre, scale)
        return self

    def predict(self, x: np.ndarray, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(mean, variance) of each output at each point; NaN for outputs not emulated."""
        mean = np.full((len(x), len(labels)), np.nan)
        var = np.full((len(x), len(labels)), np.nan)
        for j, label in enumerate(labels):
            if label in self.models:
                gp, centre, scale = self.models[label]
                m, s = gp.predict(x, return_std=True)
                mean[:, j] = centre + scale * m
                var[:, j] = (scale * s) ** 2
        return mean, var


def emulated_max_implausibility(
    emulator: Emulator,
    x: np.ndarray,
    labels: Sequence[str],
    z: np.ndarray,
    v_obs: np.ndarray,
    v_seeds: pd.Series,
) -> np.ndarray:
    """Largest implausibility over the emulated outputs at each point (0 if none)."""
    mean, var = emulator.predict(x, labels)
    v_s = v_seeds.reindex(list(labels)).astype(float).fillna(0.0).to_numpy()
    i = np.abs(z - mean) / np.sqrt(v_obs + DISCREPANCY_LOG_SD**2 + v_s + var)
    i = np.where(np.isnan(i), 0.0, i)  # an output without emulator rules nothing out
    return i.max(axis=1)


def pick_design(candidates: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` well-spread points from the candidates (greedy maximin from a seeded start)."""
    if len(candidates) <= n:
        return candidates
    rng = np.random.default_rng(seed)
    chosen = [int(rng.integers(len(candidates)))]
    distance = np.linalg.norm(candidates - candidates[chosen[0]], axis=1)
    for _ in range(n - 1):
        nxt = int(np.argmax(distance))
        chosen.append(nxt)
        distance = np.minimum(distance, np.linalg.norm(candidates - candidates[nxt], axis=1))
    return candidates[chosen]
