"""Scenario discovery over a sweep folder (``jevons-compute discover``): PRIM's box or
CART's leaves where a condition over runs.parquet holds, written as discovery.png,
discovery.json and discovery.md."""

from __future__ import annotations

import json
from pathlib import Path

from jevons_compute.experiments.analysis.tables import check_sweep_dir, varied_names
from jevons_compute.experiments.discovery.cart import cart, cart_figure
from jevons_compute.experiments.discovery.prim import markdown, prim, trajectory_figure
from jevons_compute.experiments.runs.schema import read_runs
from jevons_compute.experiments.runs.storage import prepare_out_dir, write_atomic, write_json
from jevons_compute.experiments.sweeps.spec import SpecError


def discover(
    sweep: str | Path,
    where: str,
    inputs: list[str] | None = None,
    min_coverage: float = 0.8,
    out: str | Path | None = None,
    method: str = "prim",
):
    """PRIM (or CART, ``method='cart'``) over a sweep folder; writes discovery.png,
    discovery.json and discovery.md into ``out`` (default: SWEEP/discovery). Returns what
    was found (with ``text()``) and the output folder."""
    sweep = check_sweep_dir(sweep)
    manifest = json.loads((sweep / "manifest.json").read_text())
    runs = read_runs(sweep)
    inputs = inputs or varied_names(manifest)
    if not inputs:
        raise SpecError(
            f"{sweep} varied no parameter: give --inputs NAME,... or discover over a sweep "
            "with a grid or sample."
        )
    if method == "cart":
        found = cart(runs, where, inputs)
        figure, text = cart_figure(found), found.markdown()
    else:
        found = prim(runs, where, inputs, min_coverage)
        figure, text = trajectory_figure(found, runs), markdown(found)
    target = prepare_out_dir(out if out is not None else sweep / "discovery")
    write_atomic(target / "discovery.png", figure)
    write_json(target / "discovery.json", found.to_dict(), sort_keys=False)
    write_atomic(target / "discovery.md", text)
    return found, target
