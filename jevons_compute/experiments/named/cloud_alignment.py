"""Named experiment `cloud_alignment`: US and Chinese interests align: Western clouds host Chinese
open models.
"""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    headline_table,
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "US and Chinese interests align: Western clouds host Chinese open models"


def make_spec(quick):
    return sweep_spec(
        "cloud_alignment",
        quick,
        72,
        5,
        grid={"cross_region_hosting": [True, False]},
        fixed={"shock_step": 12},
    )


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "cloud_alignment",
        runs,
        series,
        [
            "open_model_share",
            "price_per_mtok",
            "tokens",
        ],
        "cloud_alignment",
    )
    steps = manifest["spec"]["steps"]
    share = value_at(runs, series, "open_model_share", steps)
    price = value_at(runs, series, "price_per_mtok", steps)
    lines = [
        f"- {label}: open models {100 * share.loc[label, 'mean']:.0f}% of tokens, price "
        f"${price.loc[label, 'mean']:.3g} per million tokens at month {steps}."
        for label in share.index
    ]
    return findings(
        "cloud_alignment",
        CLAIM,
        ["Western clouds allowed, or not, to host the Chinese open model.", ""] + lines,
        [fig],
        headline_table(runs),
    )


EXPERIMENT = Experiment("cloud_alignment", CLAIM, make_spec, analyze)
