"""Named experiment `sensitivity`: which assumptions drive the Jevons effect (Sobol on log
jevons_ratio_12m, the trailing-12-month ratio), growth and adoption.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jevons_compute.experiments.analysis.findings import findings, save_figure
from jevons_compute.experiments.analysis.tables import (
    RATIO_METRICS,
    describe,
    share_of_seeds,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec
from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.experiments.runs.storage import write_atomic
from jevons_compute.experiments.sweeps.spec import SweepSpec

CLAIM = (
    "which assumptions drive the Jevons effect (Sobol on log jevons_ratio_12m), growth and adoption"
)


SOBOL_RANGES = {
    "price_elasticity": [0.5, 2.0],
    "algo_efficiency_gain": [1.5, 4.0],
    "hardware_efficiency_gain": [1.1, 1.6],
    "bass_q": [0.1, 0.8],
    "shock_factor": [1.0, 30.0],
    "training_revenue_share": [0.1, 0.6],
}
SOBOL_OUTPUTS = ("jevons_ratio_12m", "compute_growth", "adoption_rate")


def make_spec(quick):
    ranges = dict(list(SOBOL_RANGES.items())[:3]) if quick else SOBOL_RANGES
    spec = sweep_spec(
        "sensitivity",
        quick,
        72,
        1,
        quick_steps=12,
        sample={"method": "sobol", "n": 8 if quick else 128, "ranges": ranges},
        n_firms=2000,
    )
    spec.fixed["n_firms"] = 200 if quick else 2000
    spec.fixed["demand_model"] = "constant_elasticity"  # price_elasticity is varied
    spec.fixed["capability_tiers"] = False  # the jevons_map world: one tier, firms only
    spec.fixed["consumer_ceiling"] = 0.0
    spec.replications = 1
    return spec


def analyze(out, manifest, runs, series):
    from SALib.analyze import sobol

    spec = SweepSpec.from_dict(dict(manifest["spec"]))
    problem = spec.salib_problem()
    ordered = runs.sort_values("point")
    results = {}
    for output in SOBOL_OUTPUTS:
        y = ordered[output].to_numpy(dtype=float)
        if output in RATIO_METRICS:
            y = np.log(y)
        y = np.where(np.isfinite(y), y, np.nanmean(y[np.isfinite(y)]))
        res = sobol.analyze(problem, y, calc_second_order=False, seed=spec.base_seed)
        results[output] = pd.DataFrame(
            {
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            },
            index=problem["names"],
        )
    fig, axes = subplots(
        1, len(results), figsize=(5.5 * len(results), 4.5), constrained_layout=True
    )
    for ax, (output, table) in zip(axes, results.items()):
        x = np.arange(len(table))
        ax.bar(x - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], label="first order S1")
        ax.bar(x + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], label="total ST")
        ax.set_xticks(x, table.index, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("Sobol index (share of variance)")
        ax.set_title(f"log {output}" if output in RATIO_METRICS else output)
    axes[0].legend()
    fig.suptitle(f"sensitivity: Sobol indices (Saltelli sample, {len(runs)} runs)")
    figure = save_figure(out, "sensitivity", fig)
    backfire, n = share_of_seeds(runs["backfire"])
    body = [
        f"Sobol indices of log jevons_ratio_12m (the trailing 12 months' compute with / "
        f"without algorithmic progress), "
        f"log compute growth and adoption at month {spec.steps} over "
        f"{len(problem['names'])} parameters ({len(runs)} runs; SALib; 95% confidence "
        f"intervals of the indices by bootstrap in sobol_*.csv). Over the sample, efficiency "
        f"backfired (jevons_ratio_12m > 1) in {100 * backfire:.0f}% of {n} runs; "
        f"jevons_ratio_12m "
        f"{describe(runs['jevons_ratio_12m'], ratio=True).replace('seeds', 'runs')}.",
        "",
    ]
    for output, table in results.items():
        top = table["ST"].idxmax()
        body.append(
            f"- {output}: driven most by {top} (total index {table.loc[top, 'ST']:.2f} "
            f"+- {table.loc[top, 'ST_conf']:.2f}, first order {table.loc[top, 'S1']:.2f})."
        )
        write_atomic(out / f"sobol_{output}.csv", table.to_csv())
    return findings("sensitivity", CLAIM, body, [figure])


EXPERIMENT = Experiment("sensitivity", CLAIM, make_spec, analyze)
