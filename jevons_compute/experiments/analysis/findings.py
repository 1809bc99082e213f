"""What every analysis writes: figures saved under figures/, a row of band plots over
seeds, and findings.md."""

from __future__ import annotations

from pathlib import Path

from jevons_compute.experiments.analysis.tables import band_plot, markdown_table
from jevons_compute.experiments.runs.figures import png, subplots
from jevons_compute.experiments.runs.storage import write_atomic


def save_figure(out: Path, name: str, fig) -> str:
    (out / "figures").mkdir(exist_ok=True)
    write_atomic(out / "figures" / f"{name}.png", png(fig))
    return f"figures/{name}.png"


def panels(
    out: Path, name: str, runs, series, metrics: list, title: str, labels: dict | None = None
) -> str:
    """A row of band plots, one per metric (a name, or (name, label) for another label
    of the quantity), in the metrics' display units; returns the figure's path."""
    fig, axes = subplots(1, len(metrics), figsize=(5.2 * len(metrics), 4.2), squeeze=False)
    for ax, spec in zip(axes[0], metrics):
        metric, label = (spec, None) if isinstance(spec, str) else spec
        band_plot(ax, runs, series, metric, labels=labels, label=label)
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
