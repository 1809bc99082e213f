"""The page's parts in-process: controls from the parameter table, when they are
disabled, presets, the reproducing command, the answer's words, the plots' specifications,
and the whole page rendered with solara.render (Step, pending changes, Apply and reset)."""

import csv
import io
import shlex

import ipyvuetify as v
import numpy as np
import pytest
import solara

from jevons_compute.experiments.runs.single import run_scenario, timeseries_csv
from jevons_compute.experiments.ui import charts, controls, page, views
from jevons_compute.experiments.ui.controls import (
    CONTROLS,
    disabled_reason,
    initial_settings,
    with_preset,
)
from jevons_compute.world.parameters import BY_NAME, PARAMETERS
from jevons_compute.world.presets import PRESET_NOTES, PRESETS
from jevons_compute.world.scenario import JevonsScenario


def test_every_control_comes_from_its_row_of_the_parameter_table():
    settings = initial_settings()
    assert {c.name for c in CONTROLS} <= set(BY_NAME)  # every control names a parameter
    for c in CONTROLS:
        p = BY_NAME[c.name]
        assert p.doc[1:] in c.help() and p.source in c.help()
        if c.name != "n_firms":  # the page starts with fewer firms than a run
            # the default preset's value (the calibrated best member's, where installed)
            assert settings[c.name] == PRESETS["default"].get(c.name, p.default)
        if c.kind == "slider":
            low, high = c.range
            assert p.low <= low < high <= p.high and low <= settings[c.name] <= high
            # the default sits on the slider's grid: opening the page changes nothing
            assert c.snapped(p.default) == pytest.approx(p.default), c.name
            assert c.snapped(low + 3 * c.step + 1e-9) == pytest.approx(low + 3 * c.step)
        elif c.kind == "select":
            assert p.choices and settings[c.name] in p.choices
        else:
            assert p.type is bool


def test_slider_values_are_shown_with_their_unit():
    by = controls.BY_CONTROL
    assert by["algo_efficiency_gain"].shown(2.8) == "x2.8 per year"
    assert by["shock_step"].shown(24) == "24 (Jan 2025)"
    assert by["n_firms"].shown(5000) == "5,000 agents"
    assert by["price_elasticity"].shown(1.1) == "1.1"
    assert by["ai_share_of_grid"].shown(0.01) == "1%"
    assert by["grid_lead_time"].shown(36) == "36 months"


def test_every_labelled_parameter_gets_a_control_under_a_heading():
    labelled = {p.name for p in PARAMETERS if p.label}
    assert labelled <= {c.name for c in CONTROLS}
    headings = [h for h, _ in controls.GROUPS]
    assert headings[0] == "Efficiency" and {"Consumers", "Training", "Chips and power"} <= set(
        headings
    )
    power = dict(controls.GROUPS)["Chips and power"]
    assert [c.name for c in power][1:] == ["power_limited", "ai_share_of_grid", "grid_lead_time"]
    names = [c.name for c in CONTROLS]
    assert len(names) == len(set(names))
    assert all(len(c.label) <= 45 for c in CONTROLS)  # a name, not the whole meaning
    assert controls.BY_CONTROL["grid_lead_time"].label == "Grid connection lead time"
    fake = controls._automatic(BY_NAME["consumer_revenue_per_user_eu"])  # a parameter not named
    assert fake.kind == "slider" and fake.range == (0.0, 100.0)


def test_controls_that_do_not_apply_are_disabled_with_a_reason():
    settings = initial_settings()
    demand = {"price_elasticity", "task_value_median", "task_value_sigma"}
    assert all(disabled_reason(c.name, settings) is None for c in CONTROLS if c.name not in demand)
    task_value = {**settings, "demand_model": "task_value"}
    assert "constant-elasticity" in disabled_reason("price_elasticity", task_value)
    assert disabled_reason("task_value_median", task_value) is None
    elastic = {**settings, "demand_model": "constant_elasticity"}
    assert "task-value" in disabled_reason("task_value_sigma", elastic)
    assert disabled_reason("price_elasticity", elastic) is None
    unlimited = {**settings, "power_limited": False}
    for name in ("ai_share_of_grid", "grid_lead_time"):
        assert disabled_reason(name, settings) is None
        assert "power limits are off" in disabled_reason(name, unlimited)
    no_consumers = {**settings, "consumer_ceiling": 0.0}
    assert "ceiling is 0" in disabled_reason("consumer_serving_elasticity", no_consumers)
    off = {**settings, "shock": False}
    assert disabled_reason("shock_step", off) == disabled_reason("shock_factor", off)
    assert "off" in disabled_reason("shock_factor", off)
    analytic = with_preset(settings, "analytic")  # regions = US: no China to control
    assert disabled_reason("export_controls", analytic) is not None
    # hosting the open-weight model abroad needs the shock (off in the analytic preset)
    assert disabled_reason("cross_region_hosting", analytic) == "The shock is off."
    assert disabled_reason("algo_efficiency_gain", analytic) is None


@pytest.mark.parametrize("preset", list(PRESETS))
def test_a_preset_sets_the_controls_it_names(preset):
    settings = with_preset({**initial_settings(), "seed": "7"}, preset)
    values = controls.scenario_values(settings)
    for key, value in PRESETS[preset].items():
        assert values[key] == value
    assert settings["seed"] == "7" and settings["n_firms"] == controls.UI_DEFAULT_FIRMS
    shock = PRESETS[preset].get("shock_factor", BY_NAME["shock_factor"].default)
    assert settings["shock"] == (shock != 1.0)
    controls.build_scenario(settings)  # every preset runs


def test_the_command_reproduces_the_scenario():
    settings = with_preset(initial_settings(), "inelastic_demand")
    settings.update(shock=False, algo_efficiency_gain=4.0, seed="9", counterfactual="shock")
    words = shlex.split(controls.run_command(settings, 12))
    assert words[:4] == ["jevons-compute", "run", "--preset", "inelastic_demand"]
    sets = dict(words[i + 1].split("=") for i, w in enumerate(words) if w == "--set")
    assert sets == {"algo_efficiency_gain": "4", "shock_factor": "1", "n_firms": "5000"}
    assert words[words.index("--steps") + 1] == "12" and words[-1] == "shock"
    from_cli = JevonsScenario.from_preset("inelastic_demand", rng=9, **sets)
    assert from_cli.parameters() == controls.build_scenario(settings).parameters()
    assert "--steps 144" in controls.run_command(settings, 0)  # nothing shown yet: the horizon


def test_the_scenario_file_holds_every_parameter_exactly():
    settings = initial_settings()
    scenario = controls.build_scenario(settings)
    text = controls.scenario_csv(settings, scenario, 3)
    rows = {name: value for name, value, _ in list(csv.reader(io.StringIO(text)))[1:]}
    for name, value in scenario.parameters().items():
        assert BY_NAME[name].coerce(rows[name]) == value, name
    assert rows["seed"] == "42" and rows["steps"] == "3"
    assert rows["command"] == controls.run_command(settings, 3)


def test_pending_changes_are_listed_in_words():
    before = initial_settings()
    after = {**before, "price_elasticity": 3.0, "shock": False}
    assert controls.changes(before, before) == []
    assert set(controls.changes(after, before)) == {
        "Price elasticity of token demand: 1.1 -> 3",
        "shock: on -> off",
    }


def test_the_export_is_the_run_commands_time_series():
    settings = {**initial_settings(), "n_firms": 300, "seed": "5"}
    model, _ = controls.build_model(settings)
    model.run_for(4)
    scenario = controls.build_scenario(settings)
    assert timeseries_csv(views.frame(model)) == timeseries_csv(run_scenario(scenario, 4))


def test_the_answer_never_says_nan():
    model, _ = controls.build_model({**initial_settings(), "n_firms": 300})
    text = views.answer(views.frame(model), "algo")
    assert "Month 0" in text and "nan" not in text.lower()
    model.run_for(24)
    df = views.frame(model)
    ratio = df["jevons_ratio_12m"].iloc[-1]
    text = views.answer(df, "algo")
    assert ("**raised**" in text) == (ratio > 1) and f"x{ratio:.3g}" in text
    assert "nan" not in text.lower()
    none, _ = controls.build_model({**initial_settings(), "n_firms": 300, "counterfactual": "none"})
    none.run_for(2)
    assert "no verdict" in views.answer(views.frame(none), "none")
    assert "The change is carried by" in text  # the channel that carries it
    df = df.assign(jevons_ratio_12m=np.nan, energy_jevons_ratio_12m=np.nan)
    assert "no verdict (-)" in views.answer(df, "algo")


def test_monitors_print_every_recorded_metric_and_a_dash_when_undefined():
    model, _ = controls.build_model({**initial_settings(), "n_firms": 300})
    df = views.frame(model)
    shown = dict(views.monitors(df))
    assert shown["compute / twin"] == "x1" and shown["rebound"] == "-"
    assert len(shown) == sum(c in df.columns for c, _, _ in views.MONITORS)
    assert "power" not in dict(views.monitors(df.drop(columns=["power_gw"])))


def test_every_panel_is_drawn_from_step_zero_in_vega_lite_5():
    model, _ = controls.build_model({**initial_settings(), "n_firms": 300})
    df = views.frame(model)
    panels = charts.shown_panels(df.columns)
    assert [p.key for p in panels][:2] == ["jevons", "compute"]
    for panel in panels:
        spec = charts.panel_spec(df, panel, page.HORIZON_MONTH)
        assert spec["$schema"].endswith("/v5.json") and spec["width"] == "container"
        marks = [layer["mark"]["type"] for layer in spec["layer"]]
        assert "line" in marks or "text" in marks, panel.key  # a line, or why there is none
        assert "nan" not in str(spec).lower()
    by_key = {p.key: p for p in charts.PANELS}
    rebound = charts.panel_spec(df, by_key["rebound"], page.HORIZON_MONTH)  # NaN at month 0
    assert [layer["mark"]["type"] for layer in rebound["layer"]] == ["rule", "text"]
    model.run_for(2)
    df = views.frame(model)
    prices = charts.panel_spec(df, by_key["price"], page.HORIZON_MONTH)["layer"][0]
    tooltip = prices["encoding"]["tooltip"][0]
    assert tooltip == {"field": "month", "type": "nominal", "title": "month"}  # not epoch ms
    assert prices["data"]["values"][0]["month"] == "2023-01"
    legend = prices["encoding"]["color"]["scale"]["domain"]
    assert set(legend) == {r["series"] for r in prices["data"]["values"]}  # no empty entry
    jevons = charts.panel_spec(df, panels[0], page.HORIZON_MONTH)
    assert 1.0 in jevons["layer"][0]["encoding"]["y"]["axis"]["values"]
    assert charts.log_ticks(0.3, 40) == [0.5, 1, 2, 5, 10, 20]
    assert charts.log_ticks(1e-3, 1e4) == [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10000]


def test_a_panel_of_a_metric_not_yet_recorded_is_left_out():
    model, _ = controls.build_model({**initial_settings(), "n_firms": 300})
    columns = set(views.frame(model).columns) - {"power_gw"}
    assert "power" not in [p.key for p in charts.shown_panels(columns)]
    metrics = {m for p in charts.PANELS for m in p.series}
    assert metrics <= set(views.frame(model).columns) | {"power_gw"}


def test_the_network_explains_every_agent_kind():
    model, _ = controls.build_model({**initial_settings(), "n_firms": 400})
    model.run_for(30)
    nodes, edges = views.network_data(model)
    assert set(nodes["kind"]) == set(charts.SHAPES)
    assert (nodes["kind"] == "firm").sum() == views.FIRMS_SHOWN
    adopted = nodes[(nodes["kind"] == "firm") & (nodes["status"] == "adopted")]
    assert len(edges) >= len(adopted) + 1
    spec = charts.network_spec(nodes, edges)
    assert spec["$schema"].endswith("/v5.json")
    for word in ("Squares", "diamonds", "circles", "faded", "region"):
        assert word in views.NETWORK_CAPTION


def render_page():
    box, rc = solara.render(page.Page(), handle_error=False)
    return rc


def click(rc, label):
    rc.find(v.Btn, children=[label]).widget.click()


def month_text(rc):
    return str([w.children for w in rc.find(v.Html, class_="jv-month").widgets])


def test_page_steps_and_applies_changes_only_on_reset():
    rc = render_page()
    assert "month 0 of 144" in month_text(rc)
    click(rc, "Step")
    click(rc, "Step")
    assert "month 2 of 144" in month_text(rc)
    slider = rc.find(v.Slider, class_="jv-slider jv-input-price_elasticity").widget
    slider.v_model = 2.9500000000000002
    warning = rc.find(v.Alert).widget
    assert "Price elasticity of token demand: 1.1 -> 2.95" in str(warning.children)
    assert "month 2 of 144" in month_text(rc)  # not applied yet
    click(rc, "Apply and reset")
    assert "month 0 of 144" in month_text(rc)
    assert not rc.find(v.Alert).widgets
    rc.find(v.Select, class_="jv-input-demand_model").widget.v_model = "task_value"
    assert rc.find(v.Slider, class_="jv-slider jv-input-price_elasticity").widget.disabled
    rc.find(v.Switch, class_="jv-input-shock").widget.v_model = False
    for name in ("shock_step", "shock_factor"):
        assert rc.find(v.Slider, class_=f"jv-slider jv-input-{name}").widget.disabled


def test_page_speed_is_a_choice_of_months_per_second():
    rc = render_page()
    speed = rc.find(v.Select, class_="jv-speed").widget
    assert speed.v_model == page.PLAY_RATE
    assert [i["value"] for i in speed.items] == list(page.SPEEDS)


def test_page_preset_moves_the_controls():
    rc = render_page()
    rc.find(v.Select, class_="jv-input-preset").widget.v_model = "hardware_only"
    assert rc.find(v.Slider, class_="jv-slider jv-input-algo_efficiency_gain").widget.v_model == 1.0
    assert rc.find(v.Switch, class_="jv-input-shock").widget.v_model is False
    notes = str([w.children for w in rc.find(v.Html, class_="jv-sub jv-preset-note").widgets])
    assert PRESET_NOTES["hardware_only"] in notes


def test_page_shows_a_bad_seed_in_one_sentence_and_keeps_working():
    model, error = controls.build_model({**initial_settings(), "seed": "forty-two"})
    assert error.startswith("These settings cannot run: seed 'forty-two' is not a whole number")
    assert model.scenario.rng == 42  # the default scenario runs instead
    model.step()
    rc = render_page()
    rc.find(v.TextField, class_="jv-input-seed").widget.v_model = "forty-two"
    click(rc, "Apply and reset")
    alerts = str([w.children for w in rc.find(v.Alert).widgets])
    assert "seed 'forty-two' is not a whole number: use 0 or more." in alerts
    click(rc, "Step")
    assert "month 1 of 144" in month_text(rc)


def test_the_power_bound_preset_makes_power_bind():
    settings = {**with_preset(initial_settings(), "power_bound"), "n_firms": 500}
    model, error = controls.build_model(settings)
    assert error is None and model.scenario.ai_share_of_grid == 0.01
    model.run_for(12)
    df = views.frame(model)
    held = df[["power_gw_eu", "power_gw_cn"]].to_numpy()
    limit = df[["power_limit_gw_eu", "power_limit_gw_cn"]].to_numpy()
    assert (held >= 0.95 * limit).any()  # some grid binds within the first year


def write_band(folder, n_firms=300, steps=6):
    """A real band.csv: the format `jevons-compute run --preset ensemble` writes, from two
    seeds."""
    import pandas as pd

    from jevons_compute.experiments.calibration.ensemble import PROJECTION_METRICS, band

    runs = [
        run_scenario(JevonsScenario(rng=seed, n_firms=n_firms), steps).assign(seed=seed)
        for seed in (1, 2)
    ]
    series = pd.concat(runs, ignore_index=True)
    metrics = [m for m in PROJECTION_METRICS if series[m].notna().any()]
    bands = pd.concat([band(series, m).assign(metric=m) for m in metrics], ignore_index=True)
    path = folder / "band.csv"
    bands.to_csv(path, index=False)
    return path


def vega_specs(rc):
    from solara.widgets import VegaLite

    return [w.spec for w in rc.find(VegaLite).widgets]


def test_page_band_switch_overlays_the_ensemble_band(tmp_path, monkeypatch):
    path = write_band(tmp_path)
    bands = charts.load_bands(path)
    assert {"jevons_ratio_12m", "tokens", "adoption_rate"} <= set(bands)
    monkeypatch.setattr(charts, "BAND_PATH", path)
    rc = render_page()
    switch = rc.find(v.Switch, class_="jv-input-band").widget
    assert not switch.disabled and switch.v_model is False
    assert charts.BAND_NAME not in str(vega_specs(rc))
    assert not rc.find(v.Html, class_="jv-code").widgets
    switch.v_model = True
    specs = vega_specs(rc)
    with_band = [s for s in specs if charts.BAND_NAME in str(s)]
    assert len(with_band) == sum(p.band is not None for p in charts.PANELS)
    area = with_band[0]["layer"][0]
    assert area["mark"]["type"] == "area" and len(area["data"]["values"]) == 7  # months 0-6
    assert "nan" not in str(with_band).lower()
    (index,) = [p for p in charts.PANELS if p.band_index]
    compute = next(s for s in with_band if index.y_title in str(s))  # the index: 1 at month 0
    assert compute["layer"][0]["data"]["values"][0]["mean"] == pytest.approx(1.0)
    click(rc, "Step")
    assert len([s for s in vega_specs(rc) if charts.BAND_NAME in str(s)]) == len(with_band)
    switch.v_model = False
    assert charts.BAND_NAME not in str(vega_specs(rc))
    # the tokens panel draws its band on its log scale
    (tokens,) = [p for p in charts.PANELS if p.band == "tokens"]
    model, _ = controls.build_model({**initial_settings(), "n_firms": 300})
    model.run_for(2)
    spec = charts.panel_spec(views.frame(model), tokens, page.HORIZON_MONTH, bands["tokens"])
    assert charts.BAND_NAME in str(spec) and "'type': 'log'" in str(spec)


def test_page_band_switch_is_disabled_with_the_command_when_there_is_no_band(tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "BAND_PATH", tmp_path / "band.csv")
    assert charts.load_bands() is None
    rc = render_page()
    assert rc.find(v.Switch, class_="jv-input-band").widget.disabled
    hint = [w.children for w in rc.find(v.Html, class_="jv-code").widgets]
    assert hint == [[charts.BAND_COMMAND]] and "--preset ensemble" in charts.BAND_COMMAND


def test_page_halts_a_run_whose_state_leaves_the_finite_range(monkeypatch):
    made = []
    real = page.new_run
    monkeypatch.setattr(page, "new_run", lambda settings: made.append(real(settings)) or made[-1])
    rc = render_page()
    click(rc, "Step")
    made[-1].model.providers[0].watts = float("inf")  # the model's state leaves the range
    click(rc, "Step")
    alerts = str([w.children for w in rc.find(v.Alert).widgets])
    assert "The run stopped: the run left the finite range in month 2" in alerts
    assert rc.find(v.Btn, children=["Step"]).widget.disabled
    assert rc.find(v.Btn, children=["Play"]).widget.disabled
    assert "month 1 of 144" in month_text(rc)
    click(rc, "Reset")  # a fresh run of the same settings steps again
    click(rc, "Step")
    assert "month 1 of 144" in month_text(rc)
    assert not rc.find(v.Alert).widgets
