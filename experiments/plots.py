"""Figures a reader understands without the code: labelled axes, units, reference lines."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REGION_COLOURS = {"us": "#1f77b4", "eu": "#2ca02c", "cn": "#d62728"}


def years(df: pd.DataFrame) -> np.ndarray:
    """Decimal calendar years of each row (from the 'date' column, YYYY-MM)."""
    parts = df["date"].str.split("-", expand=True).astype(int)
    return (parts[0] + (parts[1] - 1) / 12.0).to_numpy()


def overview_figure(df: pd.DataFrame, title: str = "") -> bytes:
    """The six-panel overview of one run, as PNG bytes."""
    t = years(df)
    fig, axes = plt.subplots(2, 3, figsize=(16, 9.5), constrained_layout=True)
    (a_eff, a_price, a_adopt), (a_share, a_rebound, a_decomp) = axes

    a_eff.loglog(df["efficiency_index"], df["compute_index"], label="total compute")
    a_eff.loglog(df["efficiency_index"], df["energy_index"], label="energy")
    a_eff.axhline(1.0, color="grey", lw=0.8, ls=":")
    a_eff.set_xlabel("efficiency index: tokens per $ of compute (step 0 = 1)")
    a_eff.set_ylabel("index (step 0 = 1)")
    a_eff.set_title("Compute and energy as AI gets cheaper")
    a_eff.legend()

    a_price.semilogy(t, df["price_per_mtok"])
    a_price.set_xlabel("year")
    a_price.set_ylabel("price (USD per million tokens, log scale)")
    a_price.set_title("Price of tokens (demand-weighted)")

    a_adopt.plot(t, 100 * df["adoption_rate"], color="black", label="all regions")
    for region, colour in REGION_COLOURS.items():
        col = f"adoption_rate_{region}"
        if df[col].notna().any():
            a_adopt.plot(t, 100 * df[col], color=colour, label=region.upper())
    a_adopt.set_xlabel("year")
    a_adopt.set_ylabel("firms that adopted AI (%)")
    a_adopt.set_title("Adoption by region")
    a_adopt.legend()

    a_share.plot(t, 100 * df["inference_share"], label="inference share of compute")
    a_share.plot(t, 100 * df["xpu_share"], label="XPU share of installed capacity")
    a_share.plot(t, 100 * df["open_model_share"], label="open-model share of tokens")
    a_share.set_ylim(0, 100)
    a_share.set_xlabel("year")
    a_share.set_ylabel("share (%)")
    a_share.set_title("Inference, custom chips and open models")
    a_share.legend()

    a_rebound.plot(t, df["rebound"], label="compute rebound")
    a_rebound.plot(t, df["energy_rebound"], label="energy rebound")
    a_rebound.axhline(1.0, color="red", ls="--", lw=1, label="backfire line (rebound = 1)")
    top = np.nanmax(np.abs(df[["rebound", "energy_rebound"]].to_numpy(dtype=float)), initial=1.0)
    if top > 20:
        a_rebound.set_yscale("symlog", linthresh=1.0)
    low = np.nanmin(df[["rebound", "energy_rebound"]].to_numpy(dtype=float), initial=0.0)
    a_rebound.set_ylim(bottom=min(0.0, low * 1.1))
    a_rebound.set_xlabel("year")
    a_rebound.set_ylabel("rebound (1 = savings fully offset)")
    a_rebound.set_title("Jevons rebound (above 1: backfire)")
    a_rebound.legend()

    growth = df["tokens_extensive"] + df["tokens_intensive"]
    with np.errstate(invalid="ignore", divide="ignore"):
        extensive = np.where(growth != 0, 100 * df["tokens_extensive"] / growth, np.nan)
    a_decomp.semilogy(t, df["tokens"], color="black", label="tokens served")
    a_decomp.set_xlabel("year")
    a_decomp.set_ylabel("tokens per month (log scale)")
    a_decomp.set_title("Token use and its sources")
    right = a_decomp.twinx()
    right.plot(t, extensive, color="tab:orange", label="growth from new adopters (%)")
    right.set_ylim(0, 100)
    right.set_ylabel("share of token growth from new adopters (%)")
    lines = a_decomp.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    a_decomp.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left")

    if title:
        fig.suptitle(f"Jevons compute-market model: {title}")
    return _png(fig)


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()
