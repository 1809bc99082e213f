"""Named experiment `inference_shift`: inference demand grows faster than training; custom XPUs."""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "inference demand grows faster than training; custom XPUs"


def make_spec(quick):
    return sweep_spec("inference_shift", quick, 144, 5)


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "inference_shift",
        runs,
        series,
        [
            "inference_share",
            "xpu_share",
            "inference_flops",
            "training_flops",
        ],
        "inference_shift",
    )
    lines = []
    for step in (12, 36, 84, 144):
        if step <= manifest["spec"]["steps"]:
            inf = value_at(runs, series, "inference_share", step).iloc[0]
            xpu = value_at(runs, series, "xpu_share", step).iloc[0]
            lines.append(
                f"- month {step}: inference {100 * inf['mean']:.0f}% of compute "
                f"(90% band {100 * inf['low']:.0f}-{100 * inf['high']:.0f}%), XPUs "
                f"{100 * xpu['mean']:.0f}% of installed capacity."
            )
    return findings(
        "inference_shift",
        CLAIM,
        [
            "Baseline runs: how compute divides between inference and training, "
            "and custom inference chips' share of capacity.",
            "",
        ]
        + lines,
        [fig],
    )


EXPERIMENT = Experiment("inference_shift", CLAIM, make_spec, analyze)
