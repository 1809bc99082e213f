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
from experiments.single import WITHOUT  # noqa: E402
from model import JevonsModel, JevonsScenario, ParameterError, check_scenario  # noqa: E402
from model.parameters import BY_NAME as PARAMETERS_BY_NAME  # noqa: E402
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
        self,
        scenario: JevonsScenario | None = None,
        preset: str = "default",
        shock: bool = True,
        counterfactual: str = "algo",
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
        if counterfactual not in WITHOUT:
            counterfactual = "algo"
        super().__init__(chosen, counterfactual=counterfactual)


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


#: The page's controls over model parameters, in order. Default, allowed values and label
#: come from the parameter table (model/parameters.py); here only how a slider moves: its
#: step, and a narrower range than the table allows where the full one is unusable.
SLIDERS = {
    "algo_efficiency_gain": (0.1, (1.0, 10.0)),
    "hardware_efficiency_gain": (0.05, (1.0, 4.0)),
    "price_elasticity": (0.05, (0.0, 3.0)),
    "shock_step": (1, (0, 143)),
    "shock_factor": (0.5, (1.0, 50.0)),
    "n_firms": (100, (100, 50_000)),
}
CONTROL_ORDER = (
    "algo_efficiency_gain",
    "hardware_efficiency_gain",
    "demand_model",
    "price_elasticity",
    "shock",
    "shock_step",
    "shock_factor",
    "export_controls",
    "cross_region_hosting",
    "n_firms",
)


def control(name: str) -> dict:
    """The SolaraViz control of one parameter, from its row of the parameter table."""
    p = PARAMETERS_BY_NAME[name]
    if p.choices:
        return {"type": "Select", "value": p.default, "values": list(p.choices), "label": p.title}
    if p.type is bool:
        return {"type": "Checkbox", "value": p.default, "label": p.title}
    step, (low, high) = SLIDERS[name]
    kind = "SliderInt" if p.type is int else "SliderFloat"
    low, high = max(low, p.low), min(high, p.high)
    return {
        "type": kind,
        "value": p.default,
        "label": p.title,
        "min": low,
        "max": high,
        "step": step,
    }


MODEL_PARAMS = {
    "preset": {
        "type": "Select",
        "value": "default",
        "values": list(PRESETS),
        "label": "Preset (its values override the controls below)",
    },
    "counterfactual": {
        "type": "Select",
        "value": "algo",
        "values": list(WITHOUT),
        "label": "Measure against a twin without: algo, shock, hardware or all progress",
    },
    **{
        name: (
            {"type": "Checkbox", "value": True, "label": "DeepSeek-style shock"}
            if name == "shock"
            else control(name)
        )
        for name in CONTROL_ORDER
    },
    "rng": {"type": "InputText", "value": "42", "label": "Seed (whole number)"},
}
MODEL_PARAMS["n_firms"]["value"] = UI_DEFAULT_FIRMS  # the page starts lighter than a run


def frame(model) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def answer(df: pd.DataFrame, counterfactual: str) -> str:
    """The question's answer so far, against the twin, in one Markdown paragraph."""
    last = df.iloc[-1]
    first = df.iloc[0]
    growth = _fmt(last["compute_index"])
    if counterfactual == "none":
        return f"Compute x{growth} since {first['date']}; no counterfactual twin, so no verdict."
    without = WITHOUT[counterfactual]
    ratio = last["jevons_ratio"]
    grown_cf = _fmt(last["compute_index_cf"])
    if math.isnan(ratio):
        verdict = "- (the twin used no compute: no verdict yet)"
    elif abs(ratio - 1.0) < 1e-12:
        verdict = "efficiency has not changed compute yet (x1 against the twin)"
    elif ratio > 1:
        verdict = f"efficiency **raised** compute (x{ratio:.3g} against the twin): backfire"
    else:
        verdict = f"efficiency **lowered** compute (x{ratio:.3g} against the twin): no backfire"
    return (
        f"Since {first['date']}: compute x{growth} with efficiency, x{grown_cf} in the twin "
        f"without {without}; {verdict}. Rebound {_fmt(last['rebound'])}, energy with / "
        f"without x{_fmt(last['energy_jevons_ratio'])}."
    )


def _fmt(x: float) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.3g}"


@solara.component
def Headline(model):
    """The question and its answer so far against the twin (and any control error)."""
    update_counter.get()
    if model.ui_error:
        solara.Error(model.ui_error)
    df = frame(model)
    last = df.iloc[-1]
    s = model.scenario
    title = f"Does cheaper AI use less compute, or more? {last['date']} (step {int(last['step'])})"
    with solara.Card(title):
        solara.Markdown(answer(df, model.counterfactual))
        solara.Text(
            f"Scenario: preset {model.preset}, {s.demand_model} demand, elasticity "
            f"{s.price_elasticity:g}, algorithmic gain {s.algo_efficiency_gain:g}x/yr, hardware "
            f"{s.hardware_efficiency_gain:g}x/yr, shock x{s.shock_factor:g} at month "
            f"{s.shock_step}, export controls {s.export_controls}, {s.n_firms:,} firms, seed "
            f"{s.rng}. Price ${last['price_per_mtok']:.3g} per million tokens; adoption "
            f"{100 * last['adoption_rate']:.2f}% of firms."
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
    charts = [
        _lines(
            _long(
                df,
                {"compute_index": "with efficiency", "compute_index_cf": "twin without"},
            ),
            "Total compute, with and without efficiency",
            "compute / step-0 compute (log)",
            log=True,
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
            _long(
                df,
                {"jevons_ratio": "compute", "energy_jevons_ratio": "energy"},
            ),
            "With / without efficiency (dashed: backfire above 1)",
            "run / counterfactual twin (log)",
            log=True,
            rule=1.0,
        ),
    ]
    rows = [alt.hconcat(*charts[i : i + 3]).resolve_scale(color="independent") for i in (0, 3)]
    return alt.vconcat(*rows).resolve_scale(color="independent")


@solara.component
def LivePlots(model):
    """Compute with and without efficiency, price (log), adoption by region, shares,
    vendor revenue by region, run / twin with the backfire line."""
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


#: Written by ``run.py run --preset ensemble`` (its default folder).
ENSEMBLE_BAND = Path(__file__).resolve().parent.parent / "results" / "ensemble" / "band.csv"


def ensemble_band_chart(bands: pd.DataFrame) -> alt.TopLevelMixin:
    """The calibrated ensemble's mean and 90% band over members and seeds, per metric
    (``band.csv`` of ``run.py run --preset ensemble``)."""
    from model.metrics import UNITS

    charts = []
    for metric, part in bands.groupby("metric", sort=False):
        log = metric != "adoption_rate" and bool((part["low"] > 0).all())
        y = alt.Scale(type="log") if log else alt.Scale()
        base = alt.Chart(part).encode(x=alt.X("date:T", title="month"))
        area = base.mark_area(opacity=0.3).encode(
            y=alt.Y("low:Q", scale=y, title=f"{UNITS[metric]}" + (" (log)" if log else "")),
            y2="high:Q",
        )
        charts.append((area + base.mark_line().encode(y="mean:Q")).properties(
            width=260, height=170, title=f"{metric}: mean and 90% band"
        ))  # fmt: skip
    rows = [alt.hconcat(*charts[i : i + 3]) for i in range(0, len(charts), 3)]
    return alt.vconcat(*rows)


@solara.component
def EnsembleBand(model):
    """The projection with honest bands: the calibrated ensemble's band, once computed."""
    if not ENSEMBLE_BAND.exists():
        solara.Markdown(
            "Projection band of the calibrated ensemble: run `./dev python run.py run "
            "--preset ensemble` once to show it here."
        )
        return
    solara.FigureAltair(ensemble_band_chart(pd.read_csv(ENSEMBLE_BAND)))


model = JevonsUIModel()
page = SolaraViz(
    model,
    components=[Headline, MarketNetwork, LivePlots, EnsembleBand],
    model_params=MODEL_PARAMS,
    name="Jevons compute market",
)
