"""The page's plots as Vega-Lite 5 specifications (the version Solara's browser code draws).

``PANELS`` is the one table of plots: each row names the metrics it draws (columns of the
time series, units from model/metrics.py METRIC_TABLE), how to scale them and what a
reader should look for. A panel whose metrics the model does not (yet) record is left
out, so a new metric becomes a plot by adding one row. Specifications are plain dicts:
no Altair, so the charts carry Vega-Lite 5's schema and build in well under a millisecond.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from experiments.plots import REGION_COLOURS
from model.metrics import METRIC_TABLE

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
UNITS = {m.name: m.unit for m in METRIC_TABLE}
PLOT_HEIGHT = 190  # px; width follows the card
START = {"year": 2023, "month": 1, "utc": True}
LINE_COLOURS = ("#222222", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b")
REGION_LABELS = {"US": REGION_COLOURS["us"], "EU": REGION_COLOURS["eu"], "CN": REGION_COLOURS["cn"]}


@dataclass(frozen=True)
class Panel:
    """One plot: metrics (column -> legend) drawn against the month.

    Attributes:
        key: a short name (the card's test id).
        title: what the plot shows, as a question's part.
        series: column of the time series -> its legend entry.
        y_title: the axis title, with the unit.
        caption: one line: how to read it.
        scale: multiply values by this (e.g. 100 for a share in %).
        log: logarithmic y axis (non-positive values are left out).
        rule: a dashed reference line at this value (e.g. 1: backfire).
        empty: why the plot has no line yet, shown in place of one.
        colours: legend entry -> colour; others get LINE_COLOURS in order.
    """

    key: str
    title: str
    series: dict[str, str]
    y_title: str
    caption: str
    scale: float = 1.0
    log: bool = False
    rule: float | None = None
    empty: str = "no value yet"
    colours: dict[str, str] = field(default_factory=dict)


PANELS: tuple[Panel, ...] = (
    Panel(
        "jevons",
        "The answer: use with / without efficiency",
        {"jevons_ratio": "compute", "energy_jevons_ratio": "energy"},
        "run / twin without efficiency (log)",
        "Above the dashed line at 1, efficiency raised use (backfire); below it, saved.",
        log=True,
        rule=1.0,
        empty="no twin: choose a counterfactual",
    ),
    Panel(
        "compute",
        "Total compute: the run and its twin",
        {"compute_index": "with efficiency", "compute_index_cf": "twin without"},
        "compute / Jan 2023 compute (log)",
        "Growth since January 2023 in this run and in its twin without efficiency.",
        log=True,
    ),
    Panel(
        "rebound",
        "Rebound: the saving demand took back",
        {"rebound": "compute", "energy_rebound": "energy"},
        "share of the engineering saving",
        "1 (dashed) means demand took back the whole saving; above it, backfire.",
        rule=1.0,
        empty="undefined while efficiency saves under 5% of the twin's compute",
    ),
    Panel(
        "energy",
        "Electricity: the run and its twin",
        {"energy_mwh": "with efficiency", "energy_cf": "twin without"},
        "TWh per month (log)",
        "Electricity of inference and training, cooling included, with and without.",
        scale=1e-6,
        log=True,
    ),
    Panel(
        "tokens",
        "Tokens served: the run and its twin",
        {"tokens": "with efficiency", "tokens_cf": "twin without"},
        "trillion tokens per month (log)",
        "Demand's answer to cheaper tokens: how much more the run serves than its twin.",
        scale=1e-12,
        log=True,
    ),
    Panel(
        "price",
        "Price of tokens",
        {"price_per_mtok": "average price", "hedonic_price_index": "GPT-4-class tier"},
        "USD per million tokens (log)",
        "What firms pay per million tokens, all tiers and the 2023 tier alone.",
        log=True,
    ),
    Panel(
        "adoption",
        "Adoption by region",
        {
            "adoption_rate": "all",
            "adoption_rate_us": "US",
            "adoption_rate_eu": "EU",
            "adoption_rate_cn": "CN",
        },
        "firms that adopted AI (%)",
        "Share of firms using AI, by the region they are in.",
        scale=100.0,
        colours={"all": "#222222", **REGION_LABELS},
    ),
    Panel(
        "shares",
        "Inference, custom chips, open models",
        {
            "inference_share": "inference share of compute",
            "xpu_share": "XPU share of capacity",
            "open_model_share": "open-model share of tokens",
        },
        "share (%)",
        "Where compute goes, what it runs on and whose models serve the tokens.",
        scale=100.0,
    ),
    Panel(
        "vendors",
        "Chip vendor revenue by buyer region",
        {"vendor_revenue_us": "US", "vendor_revenue_eu": "EU", "vendor_revenue_cn": "CN"},
        "USD bn per month",
        "Chip sales by the region of the buyer (export controls cut CN).",
        scale=1e-9,
        colours=REGION_LABELS,
    ),
    Panel(
        "power",
        "Power drawn by AI data centres",
        {"power_gw": "power"},
        f"power ({UNITS.get('power_gw', 'GW')})",
        "Average electric power of the installed fleet, cooling included.",
    ),
)


def shown_panels(columns) -> tuple[Panel, ...]:
    """The panels whose metrics all exist in a frame with these columns."""
    return tuple(p for p in PANELS if all(c in columns for c in p.series))


def long_rows(df: pd.DataFrame, panel: Panel) -> list[dict]:
    """Rows (date, month, series, value) of a panel's finite values (positive on a log axis)."""
    rows = []
    for column, name in panel.series.items():
        for date, raw in zip(df["date"], df[column], strict=True):
            value = float(raw) * panel.scale
            if math.isfinite(value) and (value > 0 or not panel.log):
                rows.append({"date": str(date), "month": str(date), "series": name, "value": value})
    return rows


def log_ticks(low: float, high: float) -> list[float]:
    """Readable ticks of a log axis from low to high: 1, 2 and 5 times powers of ten (powers
    of ten alone over a wide range); 1 is always among them when in range."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    steps = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [m * 10.0**k for k in range(first, last + 1) for m in steps]
    return [round(t, 12) for t in ticks if low <= t <= high]


def panel_spec(df: pd.DataFrame, panel: Panel, horizon_month: dict) -> dict:
    """The Vega-Lite 5 specification of one panel, drawn even with one month or no value."""
    rows = long_rows(df, panel)
    names = [n for n in panel.series.values() if any(r["series"] == n for r in rows)]
    free = iter(c for c in LINE_COLOURS if c not in panel.colours.values())
    colours = [panel.colours.get(n) or next(free) for n in names]
    y = {"field": "value", "type": "quantitative", "title": panel.y_title}
    if panel.log:
        values = [r["value"] for r in rows] + ([panel.rule] if panel.rule else [])
        low, high = (min(values), max(values)) if values else (0.5, 2.0)
        if low <= 0 or high <= 0:
            low, high = 0.5, 2.0
        low, high = (low / 1.3, high * 1.3) if high / low < 4 else (low / 1.1, high * 1.1)
        y["scale"] = {"type": "log", "domain": [low, high], "nice": False}
        ticks = log_ticks(low, high)
        wide = max(ticks, default=1.0) >= 1e5 or min(ticks, default=1.0) < 1e-4
        y["axis"] = {"values": ticks, "format": ".0e" if wide else "~g"}
    x = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [START, horizon_month]},
        "axis": {"format": "%Y", "tickCount": 6},
    }
    lines = {
        "data": {"values": rows},
        "mark": {"type": "line", "point": len(df) < 4, "strokeWidth": 2},
        "encoding": {
            "x": x,
            "y": y,
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": names, "range": colours},
                "legend": {
                    "orient": "top",
                    "direction": "horizontal",
                    "columns": 1 if len(names) > 2 and max(map(len, names)) > 12 else 2,
                    "labelLimit": 240,
                }
                if names
                else None,
            },
            "tooltip": [
                {"field": "month", "type": "nominal", "title": "month"},
                {"field": "series", "type": "nominal", "title": "series"},
                {"field": "value", "type": "quantitative", "format": ".3~g", "title": "value"},
            ],
        },
    }
    layers = [lines] if rows else []
    if panel.rule is not None:
        layers.append(
            {
                "data": {"values": [{"value": panel.rule}]},
                "mark": {"type": "rule", "color": "#d62728", "strokeDash": [4, 4]},
                "encoding": {"y": {**y, "field": "value"}},
            }
        )
    if not rows:
        layers.append(
            {
                "data": {"values": [{"text": panel.empty}]},
                "mark": {"type": "text", "align": "left", "color": "#555", "fontSize": 12},
                "encoding": {"text": {"field": "text"}, "x": {"value": 8}, "y": {"value": 20}},
            }
        )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": PLOT_HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": layers,
    }


SHAPES = {"chip vendor": "square", "cloud provider": "diamond", "firm": "circle"}


def network_spec(nodes: pd.DataFrame, edges: pd.DataFrame) -> dict:
    """The market network: chip vendors -> cloud providers -> a sample of firms."""
    axis = {"labels": False, "ticks": False, "grid": False, "domain": False, "title": None}
    x = {"field": "x", "type": "quantitative", "axis": axis, "scale": {"domain": [-0.25, 2.25]}}
    y = {"field": "y", "type": "quantitative", "axis": axis, "scale": {"domain": [0, 1.1]}}
    columns = [
        {"x": float(i), "y": 1.05, "label": label}
        for i, label in enumerate(("chip vendors", "cloud providers", "firms (sample)"))
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "width": "container",
        "height": 300,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": [
            {
                "data": {"values": edges.to_dict("records")},
                "mark": {"type": "rule", "opacity": 0.2},
                "encoding": {"x": x, "y": y, "x2": {"field": "x2"}, "y2": {"field": "y2"}},
            },
            {
                "data": {"values": nodes.to_dict("records")},
                "mark": {"type": "point", "filled": True},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "region",
                        "type": "nominal",
                        "title": "region",
                        "scale": {
                            "domain": list(REGION_LABELS),
                            "range": list(REGION_LABELS.values()),
                        },
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "shape": {
                        "field": "kind",
                        "type": "nominal",
                        "title": "agent",
                        "scale": {"domain": list(SHAPES), "range": list(SHAPES.values())},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "opacity": {
                        "field": "status",
                        "type": "ordinal",
                        "sort": ["adopted", "not adopted"],
                        "title": "firm",
                        "scale": {"domain": ["adopted", "not adopted"], "range": [1.0, 0.25]},
                        "legend": {"orient": "bottom", "direction": "horizontal"},
                    },
                    "size": {"field": "size", "type": "quantitative", "scale": None},
                    "tooltip": [
                        {"field": "id", "type": "nominal"},
                        {"field": "kind", "type": "nominal"},
                        {"field": "region", "type": "nominal"},
                        {"field": "info", "type": "nominal"},
                    ],
                },
            },
            {
                "data": {"values": columns},
                "mark": {"type": "text", "fontWeight": "bold", "color": "#444"},
                "encoding": {"x": x, "y": y, "text": {"field": "label"}},
            },
        ],
    }
