"""Several output folders on shared axes: the metrics' bands over seeds, and their
headline numbers side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from jevons_compute.experiments.analysis.findings import save_figure
from jevons_compute.experiments.analysis.tables import (
    band_plot,
    check_some_ok,
    check_sweep_dir,
    headline_table,
    load,
    markdown_table,
)
from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.experiments.runs.storage import prepare_out_dir, write_atomic
from jevons_compute.experiments.sweeps.spec import SpecError
from jevons_compute.model.metrics.table import METRICS

DEFAULT_COMPARE = ("compute_index", "price_per_mtok", "adoption_rate", "rebound")


def compare(dirs: list[str | Path], metrics: list[str], out: str | Path) -> tuple[Path, str]:
    """Draw ``metrics`` of several folders on shared axes; return (figure path, table)."""
    for metric in metrics:
        if metric not in METRICS or metric in ("step", "date"):
            raise SpecError(
                f"--metric {metric!r} is not a metric: use one of "
                + ", ".join(m for m in METRICS if m not in ("step", "date"))
                + "."
            )
    loaded = [(Path(d), *load(check_sweep_dir(d))) for d in dirs]
    for path, _, runs, _ in loaded:
        check_some_ok(path, runs)
    out = prepare_out_dir(out)
    fig, axes = subplots(
        1, len(metrics), figsize=(5.5 * len(metrics), 4.5), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes[0], metrics):
        for path, _, runs, series in loaded:
            band_plot(ax, runs, series, metric, prefix=f"{path.name}: ")
        ax.set_title(metric)
        if metric == "rebound":
            ax.axhline(1.0, color="red", ls="--", lw=1)
    axes[0][0].legend(fontsize=7)
    fig.suptitle("comparison (mean and 90% band over seeds)")
    figure = Path(save_figure(out, "compare", fig))
    tables = []
    for path, _, runs, _ in loaded:
        table = headline_table(runs)
        table.index = [f"{path.name}: {label}" for label in table.index]
        tables.append(table)
    table = pd.concat(tables)
    table.index.name = "sweep: design point"
    text = markdown_table(table)
    write_atomic(out / "compare.md", text + "\n")
    write_atomic(
        out / "compare.json",
        json.dumps({"dirs": [str(d) for d in dirs], "metrics": metrics}) + "\n",
    )
    return out / figure, text
