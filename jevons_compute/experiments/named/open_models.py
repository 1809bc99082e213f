"""Named experiment `open_models`: open-source R-1 spawns thousands of derivatives; open models'
share of tokens.
"""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    bands,
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "open-source R-1 spawns thousands of derivatives; open models' share of tokens"


def make_spec(quick):
    return sweep_spec(
        "open_models",
        quick,
        72,
        5,
        grid={"open_adoption_q": [0.1, 0.4, 1.0]},
        fixed={"shock_step": 12},
        quick_grid={"open_adoption_q": [0.1, 1.0]},
    )


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "open_models",
        runs,
        series,
        [
            "open_model_share",
            "open_derivatives",
            "price_per_mtok",
        ],
        "open_models",
    )
    steps = manifest["spec"]["steps"]
    share = value_at(runs, series, "open_model_share", steps)
    deriv = value_at(runs, series, "open_derivatives", steps)
    mean_share = bands(runs, series, "open_model_share")
    half = {}
    for label, part in mean_share.groupby("label"):
        above = part.loc[part["mean"] >= 0.5, "step"]
        half[label] = f"month {int(above.min())}" if len(above) else "never"
    lines = [
        f"- {label}: open models pass half of all tokens at {half[label]}; they serve "
        f"{100 * share.loc[label, 'mean']:.0f}% of tokens, with "
        f"{deriv.loc[label, 'mean']:.0f} derivatives, at month {steps}."
        for label in share.index
    ]
    return findings(
        "open_models",
        CLAIM,
        [
            "Diffusion of the open-weight model among providers (imitation rate "
            "varied) after its release at month 12.",
            "",
        ]
        + lines,
        [fig],
    )


EXPERIMENT = Experiment("open_models", CLAIM, make_spec, analyze)
