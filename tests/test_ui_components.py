"""The page's components rendered in-process with solara.render (as Mesa's own
visualization tests do): controls map to parameters, Step, Reset, errors shown."""

import ipyvuetify as v
import numpy as np
import pytest
import solara
from mesa.visualization.solara_viz import ModelController, ModelCreator

import experiments.app as app


def render_controls():
    model = solara.reactive(app.JevonsUIModel(app.JevonsScenario(rng=1, n_firms=300)))
    params = solara.reactive({})

    @solara.component
    def Controls():
        ModelController(
            model,
            model_parameters=params,
            play_interval=solara.reactive(100),
            render_interval=solara.reactive(1),
            use_threads=solara.reactive(False),
        )
        ModelCreator(model, app.MODEL_PARAMS, model_parameters=params)

    _, rc = solara.render(Controls(), handle_error=False)
    return model, params, rc


def click(rc, label):
    rc.find(v.Btn, children=[label]).widget.click()


def label_of(name):
    return app.MODEL_PARAMS[name]["label"]


NEW_VALUES = {
    "algo_efficiency_gain": 4.0,
    "hardware_efficiency_gain": 1.6,
    "price_elasticity": 1.7,
    "shock_step": 30,
    "shock_factor": 20.0,
    "n_firms": 400,
    "demand_model": "task_value",
    "export_controls": "strict",
    "counterfactual": "hardware",
}


@pytest.mark.parametrize("name,value", NEW_VALUES.items())
def test_each_control_sets_the_parameter_it_names_on_reset(name, value):
    model, params, rc = render_controls()
    kind = app.MODEL_PARAMS[name]["type"]
    widget_type = v.Slider if kind.startswith("Slider") else v.Select
    rc.find(widget_type, label=label_of(name)).widget.v_model = value
    assert params.value[name] == value
    if name != "n_firms":
        rc.find(v.Slider, label=label_of("n_firms")).widget.v_model = 300
    click(rc, "Reset")
    owner = model.value if name == "counterfactual" else model.value.scenario
    assert getattr(owner, name) == value
    assert model.value.ui_error is None


def test_checkboxes_seed_and_preset_map_to_the_model():
    model, _, rc = render_controls()
    rc.find(v.Slider, label=label_of("n_firms")).widget.v_model = 300
    rc.find(v.Checkbox, label=label_of("shock")).widget.v_model = False
    rc.find(v.Checkbox, label=label_of("cross_region_hosting")).widget.v_model = False
    seed = rc.find(v.TextField, label=label_of("rng")).widget
    seed.v_model = "7"
    seed.fire_event("keyup.enter", None)
    click(rc, "Reset")
    s = model.value.scenario
    assert s.shock_factor == 1.0 and s.cross_region_hosting is False and s.rng == 7
    rc.find(v.Select, label=label_of("preset")).widget.v_model = "analytic"
    click(rc, "Reset")
    s = model.value.scenario
    assert model.value.preset == "analytic" and s.n_providers == 1 and s.regions == "US"


def test_step_advances_the_model_and_the_headline():
    model, _, rc = render_controls()
    click(rc, "Step")
    click(rc, "Step")
    assert model.value.steps == 2
    _, headline = solara.render(app.Headline(model.value), handle_error=False)
    titles = str([t.widget.children for t in headline.find(v.CardTitle)])
    assert "2023-03 (step 2)" in titles


def test_reset_returns_to_step_zero_with_the_new_values():
    model, _, rc = render_controls()
    click(rc, "Step")
    rc.find(v.Slider, label=label_of("price_elasticity")).widget.v_model = 0.4
    rc.find(v.Slider, label=label_of("n_firms")).widget.v_model = 300
    click(rc, "Reset")
    assert model.value.steps == 0 and model.value.scenario.price_elasticity == 0.4


def test_a_bad_seed_shows_a_message_and_the_page_keeps_working():
    model, _, rc = render_controls()
    seed = rc.find(v.TextField, label=label_of("rng")).widget
    seed.v_model = "forty-two"
    seed.fire_event("keyup.enter", None)
    click(rc, "Reset")
    assert "seed 'forty-two' is not a whole number" in model.value.ui_error
    _, headline = solara.render(app.Headline(model.value), handle_error=False)
    alerts = [a.widget.children for a in headline.find(v.Alert)]
    assert alerts and "forty-two" in str(alerts)
    click(rc, "Step")  # the fallback model still steps
    assert model.value.steps == 1


def test_extreme_controls_keep_every_view_drawable():
    model = app.JevonsUIModel(
        app.JevonsScenario(
            rng=3,
            n_firms=300,
            price_elasticity=3.0,
            algo_efficiency_gain=10.0,
            hardware_efficiency_gain=4.0,
            shock_factor=50.0,
            shock_step=0,
            export_controls="strict",
        )
    )
    model.run_for(143)
    df = app.frame(model)
    numeric = df.drop(columns=["date"]).to_numpy(dtype=float)
    assert not np.isinf(numeric).any()
    for component in (app.Headline, app.LivePlots, app.MarketNetwork):
        _, rc = solara.render(component(model), handle_error=False)
        assert not rc.find(v.Alert).widgets


def test_live_plots_and_network_carry_the_views_the_page_promises():
    model = app.JevonsUIModel(app.JevonsScenario(rng=1, n_firms=400))
    model.run_for(30)
    spec = app.dashboard_chart(app.frame(model)).to_dict()
    titles = str(spec)
    for title in (
        "Total compute, with and without efficiency",
        "Price of tokens",
        "Adoption by region",
        "Inference, custom chips, open models",
        "Chip vendor revenue by buyer region",
        "With / without efficiency",
    ):
        assert title in titles
    assert "'type': 'log'" in titles
    nodes, edges = app.network_data(model)
    assert set(nodes["kind"]) == {"chip vendor", "cloud provider", "firm"}
    assert (nodes["kind"] == "firm").sum() == app.FIRMS_SHOWN
    adopted = nodes[(nodes["kind"] == "firm") & (nodes["opacity"] == 1.0)]
    assert len(edges) >= len(adopted) + 1  # each adopter links to its provider


def test_headline_answers_against_the_twin_and_never_prints_nan():
    model = app.JevonsUIModel(app.JevonsScenario(rng=1, n_firms=300))
    text = app.answer(app.frame(model), model.counterfactual)  # step 0: nothing moved yet
    assert "nan" not in text.lower() and "twin without algorithmic progress" in text
    model.run_for(24)
    text = app.answer(app.frame(model), model.counterfactual)
    ratio = app.frame(model)["jevons_ratio"].iloc[-1]
    assert ("raised" in text) == (ratio > 1) and f"x{ratio:.3g} against the twin" in text
    none = app.JevonsUIModel(app.JevonsScenario(rng=1, n_firms=300), counterfactual="none")
    assert "no verdict" in app.answer(app.frame(none), "none")


def test_controls_come_from_the_parameter_table():
    from model.parameters import BY_NAME

    for name in app.CONTROL_ORDER:
        if name == "shock":
            continue
        control, row = app.MODEL_PARAMS[name], BY_NAME[name]
        assert control["label"] == row.title
        if name != "n_firms":  # the page starts with fewer firms than a run
            assert control["value"] == row.default
        if "min" in control:
            assert row.low <= control["min"] < control["max"] <= row.high
        if row.choices:
            assert control["values"] == list(row.choices)
