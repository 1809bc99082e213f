"""The page's plots as Vega-Lite 5 specifications (the version Solara's browser code draws).

``PANELS`` is the one table of plots: each row names the metrics it draws (columns of the
time series; units and scales from model/metrics/display.py), how to scale them and what a
reader should look for. A panel whose metrics the model does not (yet) record is left
out, so a new metric becomes a plot by adding one row. A panel may name the metric of the
calibrated ensemble's band (results/ensemble/band.csv, written by `jevons-compute run --preset
ensemble`) that the page overlays on it when the band exists and its switch is on.
Specifications are plain dicts: no Altair, so the charts carry Vega-Lite 5's schema and
build in well under a millisecond.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from jevons_compute.experiments.runs.figures import REGION_COLOURS
from jevons_compute.model.metrics.display import Shown, display

#: The ensemble's band file; JEVONS_UI_BAND names another (tests, a band elsewhere).
BAND_PATH = Path(os.environ.get("JEVONS_UI_BAND", Path("results") / "ensemble" / "band.csv"))
BAND_COMMAND = "jevons-compute run --preset ensemble"
BAND_COLOUR = "#2ca02c"
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
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
        series: column of the time series -> its legend entry; the first one's display
            (``model.metrics.display``) gives the unit, scale and axis of the plot.
        caption: one line: how to read it.
        label: the axis's name for the quantity (the first metric's label when None).
        axis_log: a logarithmic y axis or not (the display's choice when None; values not
            positive are left out of a log axis).
        rule: a dashed reference line at this value (e.g. 1: backfire).
        empty: why the plot has no line yet, shown in place of one.
        colours: legend entry -> colour; others get LINE_COLOURS in order.
        band: the metric of the ensemble's band drawn on this plot (None: no band), in the
            first series' units.
        band_index: draw the band over its own mean at month 0 (for an index plot).
    """

    key: str
    title: str
    series: dict[str, str]
    caption: str
    label: str | None = None
    axis_log: bool | None = None
    rule: float | None = None
    empty: str = "no value yet"
    colours: dict[str, str] = field(default_factory=dict)
    band: str | None = None
    band_index: bool = False

    @property
    def shown(self) -> Shown:
        """How the plot's values are shown: the first metric's display, with the panel's
        label and axis."""
        shown = display(next(iter(self.series)))
        log = shown.log if self.axis_log is None else self.axis_log
        return replace(shown, label=self.label or shown.label, log=log)

    @property
    def scale(self) -> float:
        return self.shown.scale

    @property
    def log(self) -> bool:
        return self.shown.log

    @property
    def y_title(self) -> str:
        return self.shown.axis_title


PANELS: tuple[Panel, ...] = (
    Panel(
        "jevons",
        "The answer: use with / without efficiency",
        {"jevons_ratio_12m": "compute", "energy_jevons_ratio_12m": "energy"},
        "The trailing 12 months. Above the dashed line at 1, efficiency raised use "
        "(backfire); below it, saved.",
        label="use with / without efficiency",
        rule=1.0,
        empty="no twin: choose a counterfactual",
        band="jevons_ratio_12m",
    ),
    Panel(
        "compute",
        "Total compute: the run and its twin",
        {"compute_index": "with efficiency", "compute_index_cf": "twin without"},
        "Growth since January 2023 in this run and in its twin without efficiency.",
        band="total_compute",
        band_index=True,
    ),
    Panel(
        "channels",
        "Which channel: compute with / without efficiency, by use",
        {
            "jevons_ratio_training": "training",
            "jevons_ratio_firms": "firms' inference",
            "jevons_ratio_consumers": "consumers' inference",
        },
        "The trailing 12 months of each channel; the summary says which carries the verdict.",
        label="compute with / without efficiency",
        rule=1.0,
        empty="no twin: choose a counterfactual",
    ),
    Panel(
        "rebound",
        "Rebound: the saving demand took back",
        {"rebound": "compute", "energy_rebound": "energy"},
        "1 (dashed) means demand took back the whole saving; above it, backfire.",
        rule=1.0,
        empty="undefined while efficiency saves under 5% of the twin's compute",
    ),
    Panel(
        "energy",
        "Electricity: the run and its twin",
        {"energy_mwh": "with efficiency", "energy_cf": "twin without"},
        "Electricity of inference and training, cooling included, with and without.",
        band="energy_mwh",
    ),
    Panel(
        "tokens",
        "Tokens served: the run and its twin",
        {"tokens": "with efficiency", "tokens_cf": "twin without"},
        "Demand's answer to cheaper tokens: how much more the run serves than its twin.",
        band="tokens",
    ),
    Panel(
        "consumers",
        "Tokens served: all and consumers'",
        {"tokens": "all", "consumer_tokens": "consumers"},
        "Consumers' share of the tokens served (chat, search, assistants); firms use the rest.",
    ),
    Panel(
        "price",
        "Price of tokens",
        {"hedonic_price_index": "GPT-4-class tier", "price_per_mtok": "average price paid"},
        "The 2023 tier's price (quality held fixed) and the average paid over all tiers.",
        label="price",
        band="hedonic_price_index",
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
        "Share of firms using AI, by the region they are in.",
        colours={"all": "#222222", **REGION_LABELS},
        band="adoption_rate",
    ),
    Panel(
        "shares",
        "Inference, custom chips, open models",
        {
            "inference_share": "inference share of compute",
            "xpu_share": "XPU share of capacity",
            "open_model_share": "open-model share of tokens",
        },
        "Where compute goes, what it runs on and whose models serve the tokens.",
        label="share",
    ),
    Panel(
        "vendors",
        "Chip vendor revenue by buyer region",
        {"vendor_revenue_us": "US", "vendor_revenue_eu": "EU", "vendor_revenue_cn": "CN"},
        "Chip sales by the region of the buyer (export controls cut CN).",
        label="chip revenue",
        colours=REGION_LABELS,
    ),
    Panel(
        "power",
        "Power: held by AI data centres and the grids' limit",
        {"power_gw": "power held", "power_limit_gw": "grids' limit for AI"},
        "Where the lines meet, power binds: chips wait for grid connections.",
        label="power",
        axis_log=True,
        colours={"grids' limit for AI": "#d62728"},
    ),
    Panel(
        "training",
        "The largest training run",
        {"largest_training_run_flop": "largest run"},
        "The largest frontier run finishing each month (GPT-4: ~2e25 FLOP).",
    ),
    Panel(
        "gpu_rent",
        "GPU rental price",
        {"gpu_rental_price_per_hour": "H100-equivalent hour"},
        "What an hour of an H100-class GPU rents for: it rises when chips or power are short.",
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


BAND_NAME = "ensemble: mean, 90% band"


def load_bands(path: str | Path | None = None) -> dict[str, pd.DataFrame] | None:
    """The ensemble's bands by metric (columns step, date, mean, low, high), or None when
    the band file does not exist (or cannot be read)."""
    path = Path(path or BAND_PATH)
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    needed = {"metric", "step", "date", "mean", "low", "high"}
    if not needed <= set(table.columns) or table.empty:
        return None
    return {m: g.sort_values("step").reset_index(drop=True) for m, g in table.groupby("metric")}


def band_rows(band: pd.DataFrame, panel: Panel) -> list[dict]:
    """Rows (date, month, series, low, high, mean) of a band in the panel's units."""
    scale = panel.scale
    if panel.band_index:
        first = float(band["mean"].iloc[0])
        scale = scale / first if math.isfinite(first) and first > 0 else math.nan
    rows = []
    for date, low, high, mean in zip(band["date"], band["low"], band["high"], band["mean"]):
        values = [float(x) * scale for x in (low, high, mean)]
        if all(math.isfinite(v) and (v > 0 or not panel.log) for v in values):
            lo, hi, me = values
            rows.append(
                {
                    "date": str(date),
                    "month": str(date),
                    "series": BAND_NAME,
                    "low": lo,
                    "high": hi,
                    "mean": me,
                }
            )
    return rows


def panel_spec(
    df: pd.DataFrame, panel: Panel, horizon_month: dict, band: pd.DataFrame | None = None
) -> dict:
    """The Vega-Lite 5 specification of one panel, drawn even with one month or no value;
    with ``band`` (the ensemble's band of the panel's band metric), the band shaded and its
    mean dashed behind the lines."""
    rows = long_rows(df, panel)
    shaded = band_rows(band, panel) if band is not None and panel.band else []
    names = [n for n in panel.series.values() if any(r["series"] == n for r in rows)]
    free = iter(c for c in LINE_COLOURS if c not in panel.colours.values())
    colours = [panel.colours.get(n) or next(free) for n in names]
    if shaded:
        names, colours = [*names, BAND_NAME], [*colours, BAND_COLOUR]
    y = {"field": "value", "type": "quantitative", "title": panel.y_title}
    if panel.log:
        values = [r["value"] for r in rows] + ([panel.rule] if panel.rule else [])
        values += [v for r in shaded for v in (r["low"], r["high"])]
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
    if shaded:
        color = lines["encoding"]["color"]
        tip = [{"field": "month", "type": "nominal", "title": "month"}] + [
            {"field": f, "type": "quantitative", "format": ".3~g", "title": f"ensemble {f}"}
            for f in ("mean", "low", "high")
        ]
        data = {"values": shaded}
        layers[:0] = [
            {
                "data": data,
                "mark": {"type": "area", "opacity": 0.18},
                "encoding": {
                    "x": x,
                    "y": {**y, "field": "low"},
                    "y2": {"field": "high"},
                    "color": color,
                    "tooltip": tip,
                },
            },
            {
                "data": data,
                "mark": {"type": "line", "strokeDash": [5, 3], "strokeWidth": 1.5},
                "encoding": {"x": x, "y": {**y, "field": "mean"}, "color": color, "tooltip": tip},
            },
        ]
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
