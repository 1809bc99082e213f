"""Figures a reader understands without the code: labelled axes, units, reference lines.

One function per panel of a run's overview.png (the browser UI draws the same views with
Vega-Lite, in experiments/ui/charts.py, so the browser renders them). Figures are built
without pyplot (``subplots`` below): no backend is chosen and nothing global changes, so
importing the package leaves a notebook's matplotlib as it was.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

REGION_COLOURS = {"us": "#1f77b4", "eu": "#2ca02c", "cn": "#d62728"}


def years(df: pd.DataFrame) -> np.ndarray:
    """Decimal calendar years of each row (from the 'date' column: YYYY-MM text, or dates
    as sweeps' Parquet files hold them)."""
    parts = df["date"].astype(str).str.split("-", expand=True).iloc[:, :2].astype(int)
    return (parts[0] + (parts[1] - 1) / 12.0).to_numpy()


def draw_with_without(ax, df) -> None:
    t = years(df)
    ax.semilogy(t, df["compute_index"], color="black", label="total compute, with efficiency")
    if df["compute_index_cf"].notna().any():
        ax.semilogy(t, df["compute_index_cf"], color="tab:blue", ls="--", label="twin without")
    ax.semilogy(t, df["energy_index"], color="tab:orange", label="energy, with efficiency")
    ax.set_xlabel("year")
    ax.set_ylabel("index (run's step 0 = 1, log scale)")
    ax.set_title("Compute with and without efficiency")
    ax.legend()


def draw_price(ax, df) -> None:
    ax.semilogy(years(df), df["price_per_mtok"])
    ax.set_xlabel("year")
    ax.set_ylabel("price (USD per million tokens, log scale)")
    ax.set_title("Price of tokens (demand-weighted)")


def draw_adoption(ax, df) -> None:
    t = years(df)
    ax.plot(t, 100 * df["adoption_rate"], color="black", label="all regions")
    for region, colour in REGION_COLOURS.items():
        col = f"adoption_rate_{region}"
        if df[col].notna().any():
            ax.plot(t, 100 * df[col], color=colour, label=region.upper())
    ax.set_xlabel("year")
    ax.set_ylabel("firms that adopted AI (%)")
    ax.set_title("Adoption by region")
    ax.legend()


def draw_shares(ax, df) -> None:
    t = years(df)
    ax.plot(t, 100 * df["inference_share_gpu_hours"], label="inference share of accelerator time")
    ax.plot(t, 100 * df["xpu_share"], label="XPU share of installed capacity")
    ax.plot(t, 100 * df["open_model_share"], label="open-model share of tokens")
    ax.set_ylim(0, 100)
    ax.set_xlabel("year")
    ax.set_ylabel("share (%)")
    ax.set_title("Inference, custom chips and open models")
    ax.legend()


def draw_jevons(ax, df) -> None:
    t = years(df)
    ax.semilogy(t, df["jevons_ratio_12m"], label="compute: run / twin, trailing 12 months")
    ax.semilogy(t, df["energy_jevons_ratio_12m"], label="energy: run / twin, 12 months")
    ax.semilogy(t, df["jevons_ratio"], ":", lw=1, label="compute: one month's ratio")
    ax.axhline(1.0, color="red", ls="--", lw=1, label="above: efficiency backfired")
    ax.set_xlabel("year")
    ax.set_ylabel("with / without efficiency (log scale)")
    ax.set_title("The Jevons effect against the twin")
    ax.legend()


def draw_tokens(ax, df) -> None:
    t = years(df)
    growth = df["tokens_extensive"] + df["tokens_intensive"]
    with np.errstate(invalid="ignore", divide="ignore"):
        extensive = np.where(growth != 0, 100 * df["tokens_extensive"] / growth, np.nan)
    ax.semilogy(t, df["tokens"], color="black", label="tokens served")
    ax.set_xlabel("year")
    ax.set_ylabel("tokens per month (log scale)")
    ax.set_title("Token use and its sources")
    right = ax.twinx()
    right.plot(t, extensive, color="tab:orange", label="growth from new adopters (%)")
    right.set_ylim(0, 100)
    right.set_ylabel("share of token growth from new adopters (%)")
    lines, more = ax.get_legend_handles_labels(), right.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left")


OVERVIEW = (draw_with_without, draw_jevons, draw_price, draw_adoption, draw_shares, draw_tokens)


def panel_figure(
    df: pd.DataFrame, panels, columns: int, title: str = "", width: float = 16, height: float = 9.5
) -> Figure:
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(width, height), constrained_layout=True)
    axes = fig.subplots(rows, columns).ravel()
    for ax, draw in zip(axes, panels):
        draw(ax, df)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig


def overview_figure(df: pd.DataFrame, title: str = "") -> bytes:
    """The six-panel overview of one run, as PNG bytes."""
    fig = panel_figure(df, OVERVIEW, 3, f"Jevons compute-market model: {title}" if title else "")
    return png(fig)


def subplots(nrows: int = 1, ncols: int = 1, *, figsize=None, constrained_layout=True, **kw):
    """A figure and its axes as ``pyplot.subplots`` gives them, without pyplot."""
    fig = Figure(figsize=figsize, constrained_layout=constrained_layout)
    return fig, fig.subplots(nrows, ncols, **kw)


def png(fig) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()
