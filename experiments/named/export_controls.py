"""Named experiment `export_controls`: export controls slow but don't stop China; US vendors lose
China.
"""

from __future__ import annotations

from experiments.analysis import (
    headline_table,
    value_at,
)
from experiments.named.common import Experiment, findings, panels, sweep_spec

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
            ("adoption_rate_cn", "Chinese firms that adopted AI (%)", 100, False),
            ("us_vendor_share_cn", "US vendors' share of chips sold into China (%)", 100, False),
            ("vendor_revenue_cn", "chip revenue from China (USD per month)", 1.0, False),
            ("us_vendor_revenue", "US vendors' revenue (USD per month)", 1.0, False),
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
