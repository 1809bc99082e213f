"""Named experiment `wages`: productivity gains largest where wages are high."""

from __future__ import annotations

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    value_at,
)
from jevons_compute.experiments.named.common import Experiment, sweep_spec

CLAIM = "productivity gains largest where wages are high"


def make_spec(quick):
    return sweep_spec("wages", quick, 144, 5, n_firms=20_000)


def analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "wages",
        runs,
        series,
        [
            "adoption_rate_us",
            "adoption_rate_eu",
            "adoption_rate_cn",
            ("productivity_gain_us", "US gains"),
            ("productivity_gain_eu", "EU gains"),
            ("productivity_gain_cn", "Chinese gains"),
        ],
        "wages",
    )
    steps = manifest["spec"]["steps"]
    from jevons_compute.world.facts import MONTHLY_WAGE_USD, REAL_FIRMS

    lines = []
    for region in ("us", "eu", "cn"):
        a = value_at(runs, series, f"adoption_rate_{region}", steps).iloc[0]["mean"]
        g = value_at(runs, series, f"productivity_gain_{region}", steps).iloc[0]["mean"]
        per_firm = g / (REAL_FIRMS[region.upper()] * max(a, 1e-12))
        lines.append(
            f"- {region.upper()} (mean wage ${MONTHLY_WAGE_USD[region.upper()]:,.0f}"
            f"/month): {100 * a:.1f}% of firms adopted; gains ${g / 1e9:.2f}bn a "
            f"month, ${per_firm:,.0f} per adopting firm."
        )
    return findings(
        "wages",
        CLAIM,
        [
            "Adoption and productivity gains by region at month "
            f"{steps}: a firm adopts when gain x wage bill x exposure exceeds the "
            "token bill and the amortised integration cost.",
            "",
        ]
        + lines,
        [fig],
    )


EXPERIMENT = Experiment("wages", CLAIM, make_spec, analyze)
