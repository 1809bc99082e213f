"""Named experiment `open_models`: open-source R-1 spawns thousands of derivatives; open models'
share of tokens.
"""

from __future__ import annotations

from experiments.analysis import (
    bands,
    value_at,
)
from experiments.named.common import Experiment, findings, panels, sweep_spec

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
            ("open_model_share", "share of tokens served by open models (%)", 100, False),
            ("open_derivatives", "derivative open models published", 1.0, False),
            ("price_per_mtok", "USD per million tokens (log)", 1.0, True),
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
