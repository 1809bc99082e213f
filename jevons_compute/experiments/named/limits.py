"""Named experiment `limits`: what stops the Jevons effect? Power binding vs not."""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    describe,
    headline_table,
    share_of_seeds,
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "what stops the Jevons effect: power and chip supply binding vs not"
#: In the default calibration demand stays below the IEA-based grid limit to 2030; the
#: experiment tightens the AI share of data-centre power so that power binds from ~2025.
TIGHT_GRID = 0.05


def make_spec(quick):
    return sweep_spec(
        "limits",
        quick,
        96,
        10,
        grid={"power_limited": [True, False], "price_elasticity": [0.7, 1.5]},
        # one capability tier and constant-elasticity demand: the unlimited case is the
        # textbook one (backfire iff elasticity > 1), so what power changes is plain
        fixed={
            "ai_share_of_grid": TIGHT_GRID,
            "demand_model": "constant_elasticity",
            "capability_tiers": False,
        },
    )


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "limits",
        runs,
        series,
        [
            (
                "jevons_ratio_12m",
                "compute, trailing 12 months, with / without algorithmic progress",
            ),
            ("energy_jevons_ratio_12m", "energy, trailing 12 months, with / without"),
            "power_gw",
            "gpu_rental_price_per_hour",
        ],
        "limits",
    )
    steps = manifest["spec"]["steps"]
    power = value_at(runs, series, "power_gw", steps)
    limit = value_at(runs, series, "power_limit_gw", steps)
    ok = runs[runs["status"] == "ok"]
    lines = []
    for label, part in ok.groupby("label", sort=False):
        share, n = share_of_seeds(part["backfire"])
        used = power.loc[label, "mean"]
        cap = limit.loc[label, "mean"]
        binding = f"{used:.3g} GW of {cap:.3g} GW allowed" if cap == cap else f"{used:.3g} GW"
        lines.append(
            f"- {label}: jevons_ratio_12m {describe(part['jevons_ratio_12m'], ratio=True)}, "
            f"energy_jevons_ratio_12m "
            f"{describe(part['energy_jevons_ratio_12m'], ratio=True)}; backfire (trailing 12 "
            f"months) in {100 * share:.0f}% of {n} seeds; power at month {steps}: {binding}."
        )
    body = [
        "Algorithmic progress against its frozen twin, with the grid's AI power limited "
        f"(AI share of data-centre power {TIGHT_GRID:g}, IEA path, interconnection queue) "
        "or unlimited, at inelastic and elastic demand; ratios of the trailing 12 months' "
        "flows to the last month. When power binds in both run and twin, energy is the "
        "same with and without efficiency (energy_jevons_ratio_12m 1): "
        "efficiency then moves what the power buys, not how much power is used.",
        "",
    ] + lines
    return findings("limits", CLAIM, body, [fig], headline_table(runs))


EXPERIMENT = Experiment("limits", CLAIM, make_spec, analyze)
