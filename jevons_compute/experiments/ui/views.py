"""What the page says and draws about a model, as plain text and tables (no widgets)."""

from __future__ import annotations

import math

import pandas as pd

from jevons_compute.agents import Firm
from jevons_compute.experiments.runs.single import WITHOUT
from jevons_compute.experiments.ui.controls import month_name
from jevons_compute.model.metrics.counterfactual import channel_words

FIRMS_SHOWN = 40  # firm agents drawn in the market network

QUESTION = "When AI gets cheaper to run, does the world use less compute, or more?"


def frame(model) -> pd.DataFrame:
    """The model's time series so far (one row per month, step 0 included)."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def fmt(x) -> str:
    """A number in three significant figures; a dash when it is undefined."""
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def answer(df: pd.DataFrame, counterfactual: str) -> str:
    """The answer so far against the twin, in one Markdown paragraph (never 'nan')."""
    last = df.iloc[-1]
    step = int(last["step"])
    efficiency = fmt(last["efficiency_index"])
    grown = fmt(last["compute_index"])
    since = f"since {month_name(0)}"
    if counterfactual == "none":
        return (
            f"Efficiency x{efficiency} {since}; compute x{grown}. There is no twin without "
            "efficiency, so no verdict: choose a twin and reset."
        )
    without = WITHOUT[counterfactual]
    ratio = float(last["jevons_ratio_12m"])
    if step == 0:
        return (
            f"Month 0 ({month_name(0)}): the run and its twin without {without} start "
            "equal (compute x1 against the twin). Press **Step** or **Play** to see whether "
            "efficiency raises or lowers compute."
        )
    head = (
        f"Efficiency x{efficiency} {since} (tokens per dollar of compute); compute "
        f"x{grown} with it, x{fmt(last['compute_index_cf'])} without {without}: "
    )
    if not math.isfinite(ratio):
        return head + "no verdict (-): the twin used no compute, so there is no ratio."
    if abs(ratio - 1.0) < 1e-9:
        return head + "efficiency has not changed compute yet (x1 against the twin)."
    energy = float(last["energy_jevons_ratio_12m"])
    energy_words = (
        f" Energy x{fmt(energy)} against the twin." if math.isfinite(energy) else " Energy: -."
    )
    gaps = {k: float(v) for k, v in last.items() if str(k).startswith("compute_gap")}
    channel = channel_words(gaps)
    channel = f" The change is {channel}." if channel else ""
    over = "over the last 12 months" if step >= 11 else "so far"
    if ratio > 1:
        verdict = f"efficiency **raised** compute {over}, x{ratio:.3g} (backfire)."
    else:
        verdict = f"efficiency **lowered** compute {over}, x{ratio:.3g} (no backfire)."
    return head + verdict + channel + energy_words


#: The monitors under the answer (NetLogo's readouts): column, label, how to print it.
MONITORS: tuple[tuple[str, str, str], ...] = (
    ("jevons_ratio_12m", "compute / twin", "x{:.3g}"),
    ("jevons_ratio_inference", "inference / twin", "x{:.3g}"),
    ("jevons_ratio_training", "training / twin", "x{:.3g}"),
    ("energy_jevons_ratio_12m", "energy / twin", "x{:.3g}"),
    ("rebound", "rebound", "{:.3g}"),
    ("price_per_mtok", "price per Mtok", "${:.3g}"),
    ("adoption_rate", "firms adopted", "{:.1%}"),
    ("power_gw", "power", "{:.3g} GW"),
)


def monitors(df: pd.DataFrame) -> list[tuple[str, str]]:
    """(label, value) of each monitor whose metric the model records; '-' if undefined."""
    last = df.iloc[-1]
    out = []
    for column, label, pattern in MONITORS:
        if column in df.columns:
            x = float(last[column])
            out.append((label, pattern.format(x) if math.isfinite(x) else "-"))
    return out


def network_data(model) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the market: vendors -> providers -> an even sample of firms.

    Nodes: x (0 vendors, 1 providers, 2 firms), y in (0, 1), region, kind, status (firms:
    adopted or not), size (vendors fixed; providers by capacity, firms by tokens, log),
    info for the tooltip. Edges: a vendor that supplies a provider's fleet, a provider
    that serves a firm.
    """
    nodes, edges = [], []
    n_vendors = len(model.vendors)
    for i, v in enumerate(model.vendors):
        nodes.append(
            dict(
                id=v.name,
                kind="chip vendor",
                x=0.0,
                y=_spread(i, n_vendors),
                region=v.region,
                status="adopted",
                size=300.0,
                info=f"{v.kind.upper()}; shipped {v.units_shipped:,.0f} chips",
            )
        )
    positions = {}
    for j, p in enumerate(model.providers):
        y = _spread(j, len(model.providers))
        positions[j] = y
        nodes.append(
            dict(
                id=f"provider {j}",
                kind="cloud provider",
                x=1.0,
                y=y,
                region=p.region,
                status="adopted",
                size=80.0 + 40.0 * math.log10(1.0 + p.capacity_flops / 1e18),
                info=f"{p.strategy}; ${p.price_per_mtok:.3g}/Mtok; capacity "
                f"{p.capacity_flops:.3g} FLOP/s; open share {p.open_share:.0%}",
            )
        )
        vendors = {c.chip.vendor for c in p.fleet}
        for i, v in enumerate(model.vendors):
            if v.name in vendors:
                edges.append(dict(x=0.0, y=_spread(i, n_vendors), x2=1.0, y2=y))
    firms = sorted(model.agents_by_type[Firm], key=lambda f: f.index)
    shown = firms[:: max(1, len(firms) // FIRMS_SHOWN)][:FIRMS_SHOWN]
    for k, f in enumerate(shown):
        y = _spread(k, len(shown))
        nodes.append(
            dict(
                id=f"firm {f.index}",
                kind="firm",
                x=2.0,
                y=y,
                region=f.region,
                status="adopted" if f.adopted else "not adopted",
                size=20.0 + 25.0 * math.log10(1.0 + f.tokens / 1e6),
                info=(f"{f.adopted_share:.1%} of its firms adopted" if f.adopted else "not adopted")
                + f"; {f.weight:,.0f} firms of"
                f" {f.employees:,.0f} employees; {f.tokens:.3g} tokens/month each",
            )
        )
        if f.provider is not None:
            edges.append(dict(x=1.0, y=positions[model.providers.index(f.provider)], x2=2.0, y2=y))
    return pd.DataFrame(nodes), pd.DataFrame(edges, columns=["x", "y", "x2", "y2"])


NETWORK_CAPTION = (
    "Squares: chip vendors; diamonds: cloud providers, sized by installed capacity; "
    f"circles: an even sample of {FIRMS_SHOWN} firms, sized by tokens used, faded until they "
    "adopt AI. Colour: region (blue US, green EU, red China). A line joins a vendor to a "
    "provider whose fleet holds its chips, and a provider to each firm it serves. Hover a "
    "point for details."
)


def _spread(i: int, n: int) -> float:
    return (i + 0.5) / max(n, 1)
