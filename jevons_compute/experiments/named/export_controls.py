"""Named experiment `export_controls`: export controls slow but don't stop China; US vendors lose
China.
"""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    headline_table,
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "export controls slow but don't stop China; US vendors lose China"


def make_spec(quick):
    return sweep_spec(
        "export_controls", quick, 96, 5, grid={"export_controls": ["none", "strict", "capped"]}
    )


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "export_controls",
        runs,
        series,
        [
            "adoption_rate_cn",
            "us_vendor_share_cn",
            "vendor_revenue_cn",
            "us_vendor_revenue",
        ],
        "export_controls",
    )
    steps = manifest["spec"]["steps"]
    adoption = value_at(runs, series, "adoption_rate_cn", steps)
    share = value_at(runs, series, "us_vendor_share_cn", steps)
    lines = [
        f"- {label}: Chinese firm adoption {100 * adoption.loc[label, 'mean']:.2f}%, US "
        f"vendors' share of chips sold into China {100 * share.loc[label, 'mean']:.0f}% "
        f"at month {steps}."
        for label in adoption.index
    ]
    return findings(
        "export_controls",
        CLAIM,
        ["US chip sales to China: none, a strict ban, or H20-like capped chips.", ""] + lines,
        [fig],
        headline_table(runs),
    )


EXPERIMENT = Experiment("export_controls", CLAIM, make_spec, analyze)
