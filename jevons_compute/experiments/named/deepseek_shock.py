"""Named experiment `deepseek_shock`: DeepSeek: ~30x cheaper tokens; shock vs no shock."""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    describe,
    headline_table,
    share_of_seeds,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec
from jevons_compute.world.parameters import BY_NAME

CLAIM = "DeepSeek: ~30x cheaper tokens; shock vs no shock"


def make_spec(quick):
    spec = sweep_spec("deepseek_shock", quick, 72, 10, fixed={"shock_step": 24}, quick_steps=36)
    spec.counterfactual = "shock"  # the twin: the same world without the shock
    return spec


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "deepseek_shock",
        runs,
        series,
        [
            ("jevons_ratio_12m", "compute, trailing 12 months, with / without the shock"),
            ("energy_jevons_ratio_12m", "energy, trailing 12 months, with / without"),
            ("tokens", "tokens per month, with the shock"),
            ("tokens_cf", "tokens per month, without"),
        ],
        "deepseek_shock",
    )
    shock = manifest["spec"]["fixed"].get("shock_step", 24)
    factor = manifest["spec"]["fixed"].get("shock_factor", BY_NAME["shock_factor"].default)
    steps = manifest["spec"]["steps"]
    ok = series.merge(runs[runs["status"] == "ok"][["run_id"]], on="run_id")
    rows = []
    for at in sorted({min(shock + 12, steps), steps}):
        month = ok[ok["step"] == at]
        tokens = month["tokens"] / month["tokens_cf"]
        share, n = share_of_seeds(month["jevons_ratio_12m"] > 1)
        rows += [
            f"- the 12 months to month {at} ({at - shock} months after the release): compute "
            f"with / without the shock (jevons_ratio_12m) "
            f"{describe(month['jevons_ratio_12m'], ratio=True)}; energy "
            f"{describe(month['energy_jevons_ratio_12m'], ratio=True)}; tokens "
            f"{describe(month['tokens_ratio_12m'], ratio=True)} (month {at} alone "
            f"{describe(tokens, ratio=True)}); the shock raised the 12 months' compute in "
            f"{100 * share:.0f}% of {n} seeds.",
        ]
    body = [
        f"An open-weight model needing {factor:g}x fewer FLOPs per "
        f"token released at month {shock}, against the counterfactual twin without it (same "
        "seed and draws; algorithmic and hardware progress in both).",
        "",
    ] + rows
    return findings("deepseek_shock", CLAIM, body, [fig], headline_table(runs))


EXPERIMENT = Experiment("deepseek_shock", CLAIM, make_spec, analyze)
