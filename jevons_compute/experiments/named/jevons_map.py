"""Named experiment `jevons_map`: cheaper AI -> more use (Jevons); elasticity x efficiency gain,
the backfire boundary.
"""

from __future__ import annotations

import numpy as np

from jevons_compute.experiments.analysis.findings import findings, save_figure
from jevons_compute.experiments.analysis.tables import (
    verdict_summary,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec
from jevons_compute.experiments.runs.figures import subplots

CLAIM = "cheaper AI -> more use (Jevons); elasticity x efficiency gain, the backfire boundary"


def make_spec(quick):
    return sweep_spec(
        "jevons_map",
        quick,
        72,
        5,
        grid={
            "price_elasticity": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0],
            "algo_efficiency_gain": [1.5, 2.0, 2.8, 4.0, 6.0],
        },
        quick_grid={"price_elasticity": [0.5, 1.5], "algo_efficiency_gain": [2.0, 4.0]},
        # the elasticity is a parameter of constant-elasticity demand (task_value's follows
        # from the task values); one capability tier and no consumers: the map of the
        # textbook question (with tiers, new tiers released at the same FLOPs per token in
        # run and twin dominate demand and within-tier efficiency moves compute little:
        # the default run's verdict is the headline's)
        fixed={
            "shock_factor": 1.0,
            "demand_model": "constant_elasticity",
            "capability_tiers": False,
            "consumer_ceiling": 0.0,
        },
        quick_steps=24,
    )


def analyze(out, manifest, runs, series):
    table = verdict_summary(runs, ["price_elasticity", "algo_efficiency_gain"])
    eps = np.sort(table["price_elasticity"].unique())
    gains = np.sort(table["algo_efficiency_gain"].unique())

    def grid(column):
        return (
            table.pivot(index="algo_efficiency_gain", columns="price_elasticity", values=column)
            .loc[gains, eps]
            .to_numpy()
        )

    ratio, share = grid("jevons_ratio_12m"), grid("backfire_share")
    fig, axes = subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    from matplotlib.colors import TwoSlopeNorm

    log_ratio = np.log10(ratio)
    low, high = np.nanmin(log_ratio), np.nanmax(log_ratio)
    norm = TwoSlopeNorm(0.0, min(low, -1e-9), max(high, 1e-9))
    mesh = axes[0].pcolormesh(eps, gains, log_ratio, shading="nearest", cmap="RdBu_r", norm=norm)
    fig.colorbar(mesh, ax=axes[0], label="log10 jevons_ratio_12m (0: compute unchanged)")
    mesh = axes[1].pcolormesh(
        eps, gains, 100 * share, shading="nearest", cmap="RdBu_r", vmin=0, vmax=100
    )
    fig.colorbar(mesh, ax=axes[1], label="seeds with backfire (%)")
    for ax in axes:
        if len(eps) > 1 and len(gains) > 1:
            contour = ax.contour(eps, gains, ratio, levels=[1.0], colors="black")
            ax.clabel(contour, fmt={1.0: "jevons_ratio_12m = 1"}, fontsize=8)
        ax.axvline(1.0, color="grey", ls=":", lw=1, label="analytic boundary (elasticity 1)")
        ax.set_xlabel("price elasticity of token demand")
        ax.set_ylabel("algorithmic efficiency gain (x per year)")
    axes[0].legend(fontsize=8, loc="upper left")
    axes[0].set_title("Compute of the trailing 12 months, run / twin (geometric mean)")
    axes[1].set_title("Share of seeds where efficiency raised compute")
    steps = manifest["spec"]["steps"]
    fig.suptitle(
        f"jevons_map: where efficiency backfires (the 12 months to month {steps}, against the twin)"
    )
    figure = save_figure(out, "jevons_map", fig)
    lines = []
    for gain in gains:
        row = table[table["algo_efficiency_gain"] == gain].sort_values("price_elasticity")
        backfire = row[row["backfire_share"] >= 0.5]
        below = row[row["backfire_share"] < 0.5]
        lines.append(
            f"- algorithmic gain {gain:g}x/yr: backfire (in at least half the seeds) from "
            f"elasticity {backfire['price_elasticity'].min():g}"
            if len(backfire)
            else f"- algorithmic gain {gain:g}x/yr: no backfire in the grid"
        )
        lines[-1] += (
            f"; highest elasticity without: {below['price_elasticity'].max():g}."
            if len(below)
            else "."
        )
        for _, r in row.iterrows():
            lines.append(
                f"  - elasticity {r['price_elasticity']:g}: jevons_ratio_12m "
                f"{r['jevons_ratio_12m']:.3g} (90% band {r['jevons_ratio_12m_low']:.3g}-"
                f"{r['jevons_ratio_12m_high']:.3g}); backfire in "
                f"{100 * r['backfire_share']:.0f}% "
                f"of {int(r['seeds'])} seeds."
            )
    body = [
        f"Total compute of the trailing 12 months to month {steps} with algorithmic progress "
        f"against its counterfactual twin without it (same seed, every other rule active; no "
        f"open-weight shock), over {len(eps)} elasticities x {len(gains)} efficiency gains, "
        f"{manifest['spec']['replications']} seeds each. Backfire: jevons_ratio_12m > 1 (the "
        "trailing-12-month ratio).",
        "",
        "In the analytic limit backfire needs elasticity > 1. Adoption responds to price "
        "here (new adopters are an extensive margin) and training follows revenue, so the "
        "boundary need not sit exactly at 1:",
        "",
    ] + lines
    shown = table.set_index(["price_elasticity", "algo_efficiency_gain"])
    shown.index = [f"e={a:g}, G={b:g}" for a, b in shown.index]
    return findings("jevons_map", CLAIM, body, [figure], shown)


EXPERIMENT = Experiment("jevons_map", CLAIM, make_spec, analyze)
