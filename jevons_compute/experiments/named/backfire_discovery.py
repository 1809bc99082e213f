"""Where efficiency backfires: PRIM over a Latin hypercube of the uncertain parameters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jevons_compute.experiments.analysis.findings import findings
from jevons_compute.experiments.discovery.prim import prim, trajectory_figure
from jevons_compute.experiments.named.common import Experiment
from jevons_compute.experiments.runs.storage import write_atomic, write_json
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec

CLAIM = "where efficiency backfires: PRIM over a Latin hypercube of the uncertain parameters"
#: The uncertain parameters and their plausible ranges.
UNCERTAIN = {
    "price_elasticity": [0.3, 2.0],
    "algo_efficiency_gain": [1.5, 6.0],
    "hardware_efficiency_gain": [1.05, 2.0],
    "bass_q": [0.1, 1.0],
    "shock_factor": [1.0, 30.0],
    "training_revenue_share": [0.1, 0.6],
}


def backfire_condition(runs: pd.DataFrame) -> str:
    """Backfire as runs.parquet measures it: the trailing-12-month counterfactual-twin
    ratio where present."""
    return "jevons_ratio_12m > 1" if "jevons_ratio_12m" in runs.columns else "rebound > 1"


def make_spec(quick: bool) -> SweepSpec:
    return SweepSpec(
        name="backfire_discovery",
        steps=24 if quick else 72,
        replications=1,
        fixed={"n_firms": 400 if quick else 3000, "demand_model": "constant_elasticity"},
        sample={"method": "lhs", "n": 24 if quick else 200, "ranges": UNCERTAIN},
    )


def analyze(out: Path, manifest: dict, runs: pd.DataFrame, series: pd.DataFrame) -> str:
    where = backfire_condition(runs)
    ok = runs[runs["status"] == "ok"]
    spec = manifest["spec"]
    body = [
        f"{len(ok)} runs over a Latin hypercube of {len(UNCERTAIN)} uncertain parameters "
        f"({spec['steps']} months, {spec['fixed'].get('n_firms')} firm agents); backfire is "
        f'"{where}" (the trailing 12 months\' compute with / without efficiency).',
        "",
    ]
    try:
        found = prim(runs, where, list(spec["sample"]["ranges"]))
    except SpecError as exc:
        return findings("backfire_discovery", CLAIM, body + [f"PRIM not run: {exc}"], [])
    (out / "figures").mkdir(exist_ok=True)
    write_atomic(out / "figures" / "discovery.png", trajectory_figure(found, runs))
    write_json(out / "discovery.json", found.to_dict(), sort_keys=False)
    body += ["```", found.text(), "```"]
    return findings("backfire_discovery", CLAIM, body, ["figures/discovery.png"])


EXPERIMENT = Experiment("backfire_discovery", CLAIM, make_spec, analyze)
