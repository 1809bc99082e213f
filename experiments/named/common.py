"""What every named experiment shares: its record, its sweep spec, figures, findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.analysis import (  # noqa: E402
    band_plot,
    markdown_table,
)
from experiments.plots import _png  # noqa: E402
from experiments.spec import SweepSpec  # noqa: E402
from experiments.storage import write_atomic  # noqa: E402


@dataclass
class Experiment:
    """A named experiment: one sweep (``make_spec``) and its analysis, or, with ``run``, a
    procedure of several sweeps (``run(out, quick, sweep, **options)`` returns the findings
    text; ``sweep(spec, folder)`` runs one sweep on the command's executor)."""

    name: str
    claim: str
    make_spec: Callable[[bool], SweepSpec] | None
    analyze: Callable[[Path, dict, pd.DataFrame, pd.DataFrame], str] | None
    run: Callable[..., str] | None = None


def sweep_spec(
    name,
    quick,
    steps,
    replications,
    grid=None,
    fixed=None,
    quick_steps=None,
    quick_grid=None,
    n_firms=4000,
    sample=None,
):
    return SweepSpec(
        name=name,
        steps=(quick_steps or min(steps, 36)) if quick else steps,
        replications=2 if quick else replications,
        fixed={"n_firms": 400 if quick else n_firms, **(fixed or {})},
        grid=(quick_grid if quick and quick_grid is not None else grid) or {},
        sample=sample or {},
    )


def save_figure(out: Path, name: str, fig) -> str:
    (out / "figures").mkdir(exist_ok=True)
    write_atomic(out / "figures" / f"{name}.png", _png(fig))
    return f"figures/{name}.png"


def panels(
    out: Path, name: str, runs, series, specs: list[tuple], title: str, labels: dict | None = None
) -> str:
    """A row of band plots: specs are (metric, y label, scale, log)."""
    fig, axes = plt.subplots(
        1, len(specs), figsize=(5.2 * len(specs), 4.2), constrained_layout=True, squeeze=False
    )
    for ax, (metric, ylabel, scale, log) in zip(axes[0], specs):
        band_plot(ax, runs, series, metric, scale=scale, log=log, labels=labels)
        ax.set_ylabel(ylabel)
        ax.set_title(metric)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"{title} (mean and 90% band over seeds)")
    return save_figure(out, name, fig)


def findings(
    title: str,
    claim: str,
    body: list[str],
    figures: list[str],
    table=None,
    caption: str = "Headline numbers by design point (over seeds; geometric means of ratios):",
) -> str:
    text = [f"# {title}", "", f"Claim tested: {claim}", ""] + body + [""]
    if table is not None:
        text += [
            caption,
            "",
            markdown_table(table),
            "",
        ]
    text += ["Figures: " + ", ".join(f"[{f}]({f})" for f in figures), ""]
    return "\n".join(text)
