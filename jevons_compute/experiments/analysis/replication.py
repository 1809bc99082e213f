"""How many seeds? The replication diagnostic of Lee et al. (2015, JASSS 18(4) 4).

For growing numbers of seeds n, the coefficient of variation and the half-width of the
90% confidence interval of the mean (Student t) of each headline number; ratios are taken
in logs, so their half-width reads as a relative error. The recommended number of seeds
is the smallest n from which the relative half-width stays under the target for every
number studied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from jevons_compute.experiments.analysis.tables import RATIO_METRICS
from jevons_compute.experiments.runs.figures import subplots

DEFAULT_METRICS = ("jevons_ratio_12m", "rebound", "compute_growth", "adoption_rate")


def diagnostic(runs: pd.DataFrame, metrics, confidence: float = 0.9) -> pd.DataFrame:
    """One row per (metric, n seeds): mean, CV and relative CI half-width of the first n."""
    ordered = runs[runs["status"] == "ok"].sort_values("replication")
    rows = []
    for metric in metrics:
        values = ordered[metric].to_numpy(dtype=float)
        ratio = metric in RATIO_METRICS
        x = np.log(values) if ratio else values
        for n in range(2, len(x) + 1):
            part = x[:n]
            part = part[np.isfinite(part)]
            if len(part) < 2:
                continue
            mean, sd = float(part.mean()), float(part.std(ddof=1))
            t = stats.t.ppf(0.5 + confidence / 2, len(part) - 1)
            half = t * sd / np.sqrt(len(part))
            if ratio:
                level, cv, relative = float(np.exp(mean)), sd, float(np.expm1(half))
            else:
                level = mean
                cv = sd / abs(mean) if mean else np.nan
                relative = half / abs(mean) if mean else np.nan
            rows.append(
                {
                    "metric": metric,
                    "seeds": n,
                    "mean": level,
                    "cv": cv,
                    "ci_relative_half_width": relative,
                }
            )
    return pd.DataFrame(rows)


def recommended_seeds(table: pd.DataFrame, target: float) -> int | None:
    """Smallest n from which every metric's relative half-width stays <= target."""
    worst = table.groupby("seeds")["ci_relative_half_width"].max()
    ok = worst.fillna(np.inf) <= target
    for n in ok.index:
        if ok.loc[n:].all():
            return int(n)
    return None


def figure(table: pd.DataFrame, target: float):
    """CV and relative CI half-width against the number of seeds, one line per metric."""

    fig, axes = subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for metric, part in table.groupby("metric", sort=False):
        axes[0].plot(part["seeds"], part["cv"], marker=".", label=metric)
        axes[1].plot(part["seeds"], 100 * part["ci_relative_half_width"], marker=".", label=metric)
    axes[0].set_ylabel("coefficient of variation (sd of log for ratios)")
    axes[1].set_ylabel("90% CI half-width of the mean (% of the mean)")
    axes[1].axhline(100 * target, color="black", ls=":", label=f"target {100 * target:g}%")
    for ax in axes:
        ax.set_xlabel("number of seeds")
    axes[1].legend(fontsize=8)
    fig.suptitle("Replication diagnostic (Lee et al. 2015): how many seeds are enough")
    return fig
