"""Named experiment `calibration`: the defaults reproduce observed stylised facts of 2023-2026."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jevons_compute.experiments.analysis.findings import findings, save_figure
from jevons_compute.experiments.analysis.tables import (
    over_seeds,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec
from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.experiments.runs.storage import write_atomic

CLAIM = "the defaults reproduce observed stylised facts of 2023-2026"


def make_spec(quick):
    # 20,000 firms: regional shares of firms (the BTOS facts) need many agents per region
    spec = sweep_spec("calibration", quick, 48, 5, quick_steps=36, n_firms=20_000)
    spec.counterfactual = "none"  # facts of the run itself: no twin needed
    return spec


def fact_value(run_series: pd.DataFrame, how: str, months: tuple[int, int], series: str):
    """One stylised fact from one run's simulated series (NaN past its horizon)."""
    first, last = months
    values = run_series.set_index("step")[series]
    if last > values.index.max():
        return np.nan
    if how == "mean":
        return float(values.loc[first:last].mean())
    ratio = values.loc[last] / values.loc[first]
    years = (last - first) / 12
    return float((ratio if how == "growth" else 1 / ratio) ** (1 / years))


def analyze(out, manifest, runs, series):
    from jevons_compute.world.facts import STYLIZED_FACTS

    steps = manifest["spec"]["steps"]
    ok = series.merge(runs[runs["status"] == "ok"][["run_id"]], on="run_id")
    rows = []
    for fact, (name, how, months, target, (low, high), unit, source) in STYLIZED_FACTS.items():
        per_seed = [fact_value(part, how, months, name) for _, part in ok.groupby("run_id")]
        if fact.startswith("ai_energy_twh"):
            per_seed = [v * 12 / 1e6 for v in per_seed]
        s = over_seeds(per_seed, ratio=how != "mean")
        inside = np.array([low <= v <= high for v in per_seed if np.isfinite(v)])
        rows.append(
            {
                "fact": fact,
                "unit": unit,
                "target": target,
                "band": f"{low:g}-{high:g}",
                "model": s["mean"],
                "model_low": s["low"],
                "model_high": s["high"],
                "inside": bool(low <= s["mean"] <= high)
                if np.isfinite(s["mean"])
                else "n/a (horizon too short)",
                "seeds_inside": float(inside.mean()) if len(inside) else np.nan,
                "source": source,
            }
        )
    table = pd.DataFrame(rows).set_index("fact")
    write_atomic(out / "calibration.csv", table.to_csv())
    fig, ax = subplots(figsize=(9, 4.8), constrained_layout=True)
    finite = table[np.isfinite(table["model"].astype(float))]
    x = np.arange(len(finite))
    ratio = finite["model"].astype(float) / finite["target"]
    errors = [
        ratio - finite["model_low"] / finite["target"],
        finite["model_high"] / finite["target"] - ratio,
    ]
    bands_ = [
        tuple(float(v) / t for v in b.split("-")) for b, t in zip(finite["band"], finite["target"])
    ]
    colours = ["tab:green" if i is True else "tab:red" for i in finite["inside"]]
    ax.bar(x, ratio, color=colours, yerr=errors, capsize=3, label="model (90% band over seeds)")
    ax.errorbar(
        x,
        [1] * len(x),
        yerr=[[1 - lo for lo, _ in bands_], [hi - 1 for _, hi in bands_]],
        fmt="k_",
        capsize=6,
        label="target and its band",
    )
    ax.set_xticks(x, finite.index, rotation=25, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("model / target (log scale; green: mean inside band)")
    ax.legend(fontsize=8)
    ax.set_title("calibration: simulated series against observed stylised facts")
    figure = save_figure(out, "calibration", fig)
    inside = sum(v is True for v in table["inside"])
    body = [
        f"{inside} of {len(table)} stylised facts inside their bands (mean over "
        f"{manifest['spec']['replications']} seeds; {steps} months; every value computed from "
        "the simulated series, none from the inputs). `seeds_inside`: share of seeds whose "
        "own value is inside the band.",
        "",
    ]
    return findings(
        "calibration",
        CLAIM,
        body,
        [figure],
        table[
            ["unit", "target", "band", "model", "model_low", "model_high", "inside", "seeds_inside"]
        ],
        caption="Each fact: target, band, model mean and 90% band over seeds:",
    )


EXPERIMENT = Experiment("calibration", CLAIM, make_spec, analyze)
