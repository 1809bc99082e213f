"""The report of one output folder: a named experiment's own analysis, or a sweep's
headline figure and table."""

from __future__ import annotations

from pathlib import Path

from jevons_compute.experiments.analysis.findings import findings, panels
from jevons_compute.experiments.analysis.tables import (
    check_some_ok,
    check_sweep_dir,
    check_writable,
    headline_table,
    load,
)
from jevons_compute.experiments.named import EXPERIMENTS
from jevons_compute.experiments.runs.storage import write_atomic


def report(out: str | Path) -> Path:
    """Rebuild the figures and findings.md of one output folder."""
    out = check_sweep_dir(out)
    check_writable(out)
    manifest, runs, series = load(out)
    check_some_ok(out, runs)
    name = manifest.get("experiment")
    if name in EXPERIMENTS:
        text = EXPERIMENTS[name].analyze(out, manifest, runs, series)
    else:
        figure = panels(
            out,
            "sweep",
            runs,
            series,
            ["compute_index", "price_per_mtok", "adoption_rate", "rebound"],
            manifest["spec"].get("name", "sweep"),
        )
        failed = int((runs["status"] == "failed").sum())
        body = [f"{len(runs)} runs, {failed} failed, {manifest['spec']['steps']} months each."]
        text = findings(
            manifest["spec"].get("name", "sweep"),
            "a parameter sweep",
            body,
            [figure],
            headline_table(runs),
        )
    write_atomic(out / "findings.md", text)
    return out / "findings.md"
