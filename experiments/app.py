"""The browser UI: Mesa's SolaraViz page for the Jevons compute-market model.

Start it with ``python run.py ui`` (which sets up the offline front-end cache), or
``solara run experiments/app.py``. Controls on the left (presets, efficiency gains, demand
model and elasticity, the DeepSeek-style shock, export controls, cross-region hosting,
number of firms, seed) apply on Reset; Step, Play and Reset are Mesa's.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402
import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402
from mesa.visualization.utils import update_counter  # noqa: E402

from agents import Firm  # noqa: E402
from experiments.plots import REGION_COLOURS  # noqa: E402
from model import JevonsModel, JevonsScenario, ParameterError, check_scenario  # noqa: E402
from model.presets import PRESETS  # noqa: E402

UI_DEFAULT_FIRMS = 5_000
FIRMS_SHOWN = 40  # firm agents drawn in the market network


class UIScenario(JevonsScenario):
    """The page's scenario: Mesa rebuilds it from the controls, so the seed control's text
    is kept as typed and JevonsUIModel reads it (a bad seed is a message, not a crash)."""

    @staticmethod
    def _checked_rng(rng):
        return rng if isinstance(rng, str) else JevonsScenario._checked_rng(rng)


class JevonsUIModel(JevonsModel):
    """The model as the page builds it from its controls.

    A bad combination of controls does not break the page: the model falls back to the
    default scenario and ``ui_error`` says, in one sentence, what was wrong.
    """

    def __init__(
        self, scenario: JevonsScenario | None = None, preset: str = "default", shock: bool = True
    ):
        params = scenario.parameters() if scenario is not None else {}
        params.setdefault("n_firms", UI_DEFAULT_FIRMS)
        seed = scenario.rng if scenario is not None else 42
        self.ui_error = None
        try:
            seed = parse_seed(seed)
            params = {**params, **PRESETS[preset]}
            if not shock:
                params["shock_factor"] = 1.0
            chosen = UIScenario(rng=seed, **params)
            check_scenario(chosen)
        except (ParameterError, KeyError) as exc:
            self.ui_error = f"These controls cannot run: {exc} Showing the default scenario."
            chosen = UIScenario(rng=42, n_firms=UI_DEFAULT_FIRMS)
        self.preset = preset
        super().__init__(chosen)


def parse_seed(value) -> int:
    """The seed control as an integer, or ParameterError in one sentence."""
    if value is None:
        return 42
    try:
        seed = int(str(value).strip())
    except ValueError:
        raise ParameterError(f"seed {value!r} is not a whole number: use 0 or more.") from None
    if seed < 0:
        raise ParameterError(f"seed {seed} is negative: use 0 or more.")
    return seed


def slider(label, value, low, high, step):
    kind = "SliderInt" if isinstance(value, int) else "SliderFloat"
    return {"type": kind, "value": value, "label": label, "min": low, "max": high, "step": step}


MODEL_PARAMS = {
    "preset": {
        "type": "Select",
        "value": "default",
        "values": list(PRESETS),
        "label": "Preset (its values override the controls below)",
    },
    "algo_efficiency_gain": slider("Algorithmic efficiency gain (x per year)", 2.8, 1.0, 10.0, 0.1),
    "hardware_efficiency_gain": slider(
        "Hardware efficiency gain (x per year)", 1.3, 1.0, 4.0, 0.05
    ),
    "demand_model": {
        "type": "Select",
        "value": "constant_elasticity",
        "values": ["constant_elasticity", "task_value"],
        "label": "Demand model",
    },
    "price_elasticity": slider("Price elasticity of token demand", 1.1, 0.0, 3.0, 0.05),
    "shock": {"type": "Checkbox", "value": True, "label": "DeepSeek-style shock"},
    "shock_step": slider("Shock month (steps from Jan 2023)", 24, 0, 143, 1),
    "shock_factor": slider("Shock: times fewer FLOPs per token", 14.0, 1.0, 50.0, 0.5),
    "export_controls": {
        "type": "Select",
        "value": "capped",
        "values": ["none", "strict", "capped"],
        "label": "US export controls on China",
    },
    "cross_region_hosting": {
        "type": "Checkbox",
        "value": True,
        "label": "Western clouds may host Chinese open models",
    },
    "n_firms": slider("Firm agents", UI_DEFAULT_FIRMS, 100, 50_000, 100),
    "rng": {"type": "InputText", "value": "42", "label": "Seed (whole number)"},
}


def frame(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


@solara.component
def Headline(model):
    """Compute growth so far, rebound, backfire yes or no (and any control error)."""
    update_counter.get()
    if model.ui_error:
        solara.Error(model.ui_error)
    df = frame(model)
    last, first = df.iloc[-1], df.iloc[0]
    growth = last["total_compute"] / first["total_compute"] if first["total_compute"] else math.nan
    rebound = last["rebound"]
    backfire = "not yet defined" if math.isnan(rebound) else ("YES" if rebound > 1 else "no")
    s = model.scenario
    with solara.Card(f"Headline, {last['date']} (step {int(last['step'])})"):
        solara.Text(
            f"Scenario: preset {model.preset}, {s.demand_model} demand, elasticity "
            f"{s.price_elasticity:g}, algorithmic gain {s.algo_efficiency_gain:g}x/yr, hardware "
            f"{s.hardware_efficiency_gain:g}x/yr, shock x{s.shock_factor:g} at month "
            f"{s.shock_step}, export controls {s.export_controls}, {s.n_firms:,} firms, seed "
            f"{s.rng}"
        )
        solara.Markdown(
            f"**Compute growth so far:** {growth:.3g}x  \n"
            f"**Rebound:** {rebound:.3g} (energy {last['energy_rebound']:.3g})  \n"
            f"**Backfire (rebound > 1):** {backfire}  \n"
            f"**Price:** ${last['price_per_mtok']:.3g} per million tokens; "
            f"**adoption** {100 * last['adoption_rate']:.2f}% of firms"
        )


REGION_NAMES = {f"adoption_rate_{r}": r.upper() for r in REGION_COLOURS}


def _long(df: pd.DataFrame, columns: dict[str, str], scale: float = 1.0) -> pd.DataFrame:
    """Rows (date, series, value) for the columns named in ``columns`` (column -> legend)."""
    present = {c: name for c, name in columns.items() if df[c].notna().any()}
    out = df[["date", *present]].melt("date", var_name="series", value_name="value")
    out["series"] = out["series"].map(present)
    out["value"] = out["value"] * scale
    return out


REGION_SCALE = alt.Scale(
    domain=["US", "EU", "CN", "all"], range=[*REGION_COLOURS.values(), "black"]
)


def _lines(
    data,
    title,
    y_title,
    log=False,
    symlog=False,
    x="date:T",
    x_title="month",
    rule=None,
    colours=alt.Undefined,
):
    scale = (
        alt.Scale(type="log") if log else (alt.Scale(type="symlog") if symlog else alt.Undefined)
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=len(data) < 60)
        .encode(
            x=alt.X(
                x,
                title=x_title,
                scale=alt.Scale(type="log") if x.startswith("eff") else alt.Undefined,
            ),
            y=alt.Y("value:Q", title=y_title, scale=scale),
            color=alt.Color("series:N", legend=alt.Legend(title=None, orient="top"), scale=colours),
            tooltip=["date:N", "series:N", alt.Tooltip("value:Q", format=".3~g")],
        )
        .properties(title=title, width=300, height=190)
    )
    if rule is not None:
        chart = chart + alt.Chart(pd.DataFrame({"value": [rule]})).mark_rule(
            color="red", strokeDash=[4, 4]
        ).encode(y="value:Q")
    return chart


def dashboard_chart(df: pd.DataFrame) -> alt.TopLevelMixin:
    """The live plots, drawn in the browser by Vega-Lite (axis titles carry the units)."""
    eff = df[["date", "efficiency_index", "compute_index", "energy_index"]].melt(
        ["date", "efficiency_index"], var_name="series", value_name="value"
    )
    eff["series"] = eff["series"].map({"compute_index": "total compute", "energy_index": "energy"})
    charts = [
        _lines(
            eff,
            "Compute and energy as AI gets cheaper",
            "index (step 0 = 1, log)",
            log=True,
            x="efficiency_index:Q",
            x_title="efficiency index: tokens per $ of compute (step 0 = 1, log)",
        ),
        _lines(
            _long(df, {"price_per_mtok": "price"}),
            "Price of tokens",
            "USD per million tokens (log)",
            log=True,
        ),
        _lines(
            _long(df, {"adoption_rate": "all", **REGION_NAMES}, 100),
            "Adoption by region",
            "firms that adopted AI (%)",
            colours=REGION_SCALE,
        ),
        _lines(
            _long(
                df,
                {
                    "inference_share": "inference share of compute",
                    "xpu_share": "XPU share of capacity",
                    "open_model_share": "open-model share of tokens",
                },
                100,
            ),
            "Inference, custom chips, open models",
            "share (%)",
        ),
        _lines(
            _long(
                df,
                {"vendor_revenue_us": "US", "vendor_revenue_eu": "EU", "vendor_revenue_cn": "CN"},
                1e-9,
            ),
            "Chip vendor revenue by buyer region",
            "USD bn per month",
            colours=REGION_SCALE,
        ),
        _lines(
            _long(df, {"rebound": "compute rebound", "energy_rebound": "energy rebound"}),
            "Jevons rebound (dashed: backfire line at 1)",
            "rebound (symlog)",
            symlog=True,
            rule=1.0,
        ),
    ]
    rows = [alt.hconcat(*charts[i : i + 3]).resolve_scale(color="independent") for i in (0, 3)]
    return alt.vconcat(*rows).resolve_scale(color="independent")


@solara.component
def LivePlots(model):
    """Compute and energy against efficiency, price (log), adoption by region, shares,
    vendor revenue by region, rebound with the backfire line."""
    update_counter.get()
    try:
        chart = dashboard_chart(frame(model))
    except Exception as exc:  # noqa: BLE001 - a plot must never blank the page
        solara.Error(f"The plots could not be drawn: {exc}")
        return
    solara.FigureAltair(chart)


def network_data(model):
    """Nodes and edges of the market: vendors -> providers -> a sample of firms."""
    nodes, edges = [], []
    colour = {r.upper(): c for r, c in REGION_COLOURS.items()}
    for i, v in enumerate(model.vendors):
        nodes.append(
            dict(
                id=v.name,
                kind="chip vendor",
                x=0.0,
                y=_spread(i, len(model.vendors)),
                region=v.region,
                colour=colour[v.region],
                size=300.0,
                opacity=1.0,
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
                colour=colour[p.region],
                size=80.0 + 40.0 * math.log10(1.0 + p.capacity_flops / 1e18),
                opacity=1.0,
                info=f"{p.strategy}; ${p.price_per_mtok:.3g}/Mtok; capacity "
                f"{p.capacity_flops:.3g} FLOP/s; open share {p.open_share:.0%}",
            )
        )
        vendors = {c.chip.vendor for c in p.fleet}
        for i, v in enumerate(model.vendors):
            if v.name in vendors:
                edges.append(dict(x=0.0, y=_spread(i, len(model.vendors)), x2=1.0, y2=y))
    firms = sorted(model.agents_by_type[Firm], key=lambda f: f.index)
    step = max(1, len(firms) // FIRMS_SHOWN)
    shown = firms[::step][:FIRMS_SHOWN]
    for k, f in enumerate(shown):
        y = _spread(k, len(shown))
        tokens = f.tokens
        nodes.append(
            dict(
                id=f"firm {f.index}",
                kind="firm",
                x=2.0,
                y=y,
                region=f.region,
                colour=colour[f.region],
                opacity=1.0 if f.adopted else 0.25,
                size=20.0 + 25.0 * math.log10(1.0 + tokens / 1e6),
                info=f"{'adopted' if f.adopted else 'not adopted'}; "
                f"{f.employees:,.0f} employees; {tokens:.3g} tokens/month",
            )
        )
        if f.provider is not None:
            edges.append(dict(x=1.0, y=positions[model.providers.index(f.provider)], x2=2.0, y2=y))
    return pd.DataFrame(nodes), pd.DataFrame(edges, columns=["x", "y", "x2", "y2"])


def _spread(i: int, n: int) -> float:
    return (i + 0.5) / max(n, 1)


@solara.component
def MarketNetwork(model):
    """Vendors, providers and a sample of firms: coloured by region, faded if not adopted,
    sized by capacity or tokens; hover for details."""
    update_counter.get()
    nodes, edges = network_data(model)
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None)
    links = (
        alt.Chart(edges)
        .mark_rule(opacity=0.25)
        .encode(x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), x2="x2", y2="y2")
    )
    points = (
        alt.Chart(nodes)
        .mark_point(filled=True)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("colour:N", scale=None),
            shape=alt.Shape("kind:N", legend=alt.Legend(title="agent")),
            size=alt.Size("size:Q", scale=None),
            opacity=alt.Opacity("opacity:Q", scale=None),
            tooltip=["id:N", "kind:N", "region:N", "info:N"],
        )
    )
    chart = (links + points).properties(
        width=380,
        height=330,
        title="Market: vendors -> cloud providers -> firms (blue US, green EU, red CN)",
    )
    solara.FigureAltair(chart)


model = JevonsUIModel()
page = SolaraViz(
    model,
    components=[Headline, MarketNetwork, LivePlots],
    model_params=MODEL_PARAMS,
    name="Jevons compute market",
)
