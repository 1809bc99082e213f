"""The browser page: the question and its answer first, then the plots; controls from the
parameter table on the left (below the plots on a phone); one model per browser tab.

Every piece of state lives in ``Page`` (``solara.use_reactive``), which Solara renders
once per browser tab, so each tab has its own model: a new tab starts at month 0.
"""

from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import reacton.ipyvuetify as rv
import solara
from solara.widgets import VegaLite

from jevons_compute.experiments.runs.single import timeseries_csv
from jevons_compute.experiments.ui import charts
from jevons_compute.experiments.ui.charts import (
    BAND_COMMAND,
    network_spec,
    panel_spec,
    shown_panels,
)
from jevons_compute.experiments.ui.controls import (
    GROUPS,
    HORIZON,
    PRESET_LINES,
    TWINS,
    build_model,
    changes,
    disabled_reason,
    initial_settings,
    month_name,
    run_command,
    scenario_csv,
    with_preset,
)
from jevons_compute.experiments.ui.views import (
    NETWORK_CAPTION,
    QUESTION,
    answer,
    frame,
    monitors,
    network_data,
)
from jevons_compute.model.model import JevonsModel, NonFiniteError

TAB_TITLE = "Jevons compute market: does cheaper AI use more compute?"
PLAY_RATE = 10.0  # months per second while playing (default): the 144-month run in ~15 s
SPEEDS = (2.0, 5.0, 10.0, 20.0)  # the speed control's choices, months per second
HORIZON_MONTH = {"year": 2023 + HORIZON // 12, "month": HORIZON % 12 + 1, "utc": True}

CSS = Path(__file__).with_name("page.css")


@dataclass(frozen=True)
class Run:
    """What a tab shows: the model, the settings it was built from, and any error;
    ``halted``: the model stopped (its state left the finite range) and takes no step."""

    model: JevonsModel
    settings: dict
    error: str | None
    halted: bool = False


def new_run(settings: dict) -> Run:
    model, error = build_model(settings)
    return Run(model, initial_settings() if error else settings, error)


def _bold(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))


@solara.component
def Page():
    first = solara.use_memo(lambda: new_run(initial_settings()), [])
    run = solara.use_reactive(first)
    pending = solara.use_reactive(first.settings)
    months = solara.use_reactive(0)  # the model's step, set after each step: redraws
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(PLAY_RATE)
    lock = solara.use_memo(threading.Lock, [])
    plays = solara.use_memo(lambda: {"latest": 0}, [])
    bands = solara.use_memo(charts.load_bands, [])  # read once per tab: reload for a new one
    show_band = solara.use_reactive(False)

    def advance(model: JevonsModel, until: int) -> bool:
        """Step ``model`` to month ``until``; False (the run halted, and says why) if its
        state left the finite range."""
        try:
            while model.steps < min(until, HORIZON):
                model.step()
        except NonFiniteError as exc:
            run.set(Run(model, run.value.settings, f"The run stopped: {exc}", halted=True))
            return False
        return True

    def step():
        with lock:
            model = run.value.model
            if not run.value.halted:
                advance(model, model.steps + 1)
        months.set(model.steps)

    def reset():
        playing.set(False)
        with lock:
            fresh = new_run(pending.value)
        run.set(fresh)
        pending.set(fresh.settings)
        months.set(0)

    def play():
        # a new call (Play, Pause or a new speed) supersedes the loop that is running
        plays["latest"] += 1
        mine = plays["latest"]
        if not playing.value:
            return
        model, rate = run.value.model, speed.value
        start, first_month = time.perf_counter(), model.steps
        while (
            mine == plays["latest"]
            and playing.value
            and model is run.value.model
            and not run.value.halted
            and model.steps < HORIZON
        ):
            due = first_month + 1 + int((time.perf_counter() - start) * rate)
            with lock:
                going = advance(model, due)
            months.set(model.steps)
            if not going:
                break
            ahead = (model.steps - first_month) / rate - (time.perf_counter() - start)
            if ahead > 0:
                time.sleep(ahead)
        if mine == plays["latest"]:
            playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value, speed.value], prefer_threaded=True)

    solara.Title(TAB_TITLE)
    solara.Style(CSS)
    model = run.value.model
    df = frame(model)
    with solara.Div(classes=["jv-page"]):
        with solara.Div(classes=["jv-answer"]):
            AnswerCard(run.value, df, playing, speed, step, reset)
            BandSwitch(bands is not None, show_band)
        with solara.Div(classes=["jv-controls"]):
            ControlPanel(pending, run.value.settings, reset)
        with solara.Div(classes=["jv-views"]):
            for panel in shown_panels(df.columns):
                band = bands.get(panel.band) if bands and show_band.value and panel.band else None
                PlotCard(panel, df, band)
            NetworkCard(model, months.value)
            ExportCard(run.value, df)


@solara.component
def AnswerCard(run: Run, df, playing, speed, on_step, on_reset):
    """The question, the answer so far against the twin, monitors, and Step / Play / Reset
    with the playing speed."""
    steps = int(df["step"].iloc[-1])
    with solara.Card(margin=0, classes=["jv-answer-card"]):
        solara.HTML(tag="h1", unsafe_innerHTML=html.escape(QUESTION), classes=["jv-question"])
        solara.Text(
            "The model runs firms, cloud providers and chip vendors from January 2023 beside a "
            "twin that is identical but for the efficiency progress it goes without; the "
            "Jevons effect is their ratio of compute.",
            classes=["jv-sub"],
        )
        if run.error:
            solara.Error(run.error)
        solara.HTML(
            tag="p",
            unsafe_innerHTML=_bold(answer(df, run.model.counterfactual)),
            classes=["jv-answer-text"],
        )
        with solara.Div(classes=["jv-monitors"]):
            for label, value in monitors(df):
                with solara.Div(classes=["jv-monitor"]):
                    solara.Text(label, classes=["jv-monitor-label"])
                    solara.Text(value, classes=["jv-monitor-value"])
        with solara.Div(classes=["jv-runbar"]):
            at_end = steps >= HORIZON or run.halted
            solara.Button(
                "Step", on_click=on_step, disabled=playing.value or at_end, color="primary"
            )
            solara.Button(
                "Pause" if playing.value else "Play",
                on_click=lambda: playing.set(not playing.value),
                disabled=at_end and not playing.value,
                color="primary",
                outlined=True,
            )
            solara.Button("Reset", on_click=on_reset, outlined=True)
            with solara.Tooltip("Months a second while playing"):
                rv.Select(
                    v_model=speed.value,
                    items=[{"text": f"{s:g} months/s", "value": s} for s in SPEEDS],
                    on_v_model=speed.set,
                    dense=True,
                    hide_details=True,
                    outlined=True,
                    class_="jv-speed",
                    style_="max-width: 180px",
                )
            solara.Text(
                f"{month_name(steps)}: month {steps} of {HORIZON}",
                classes=["jv-month"],
            )
            solara.HTML(
                tag="a",
                unsafe_innerHTML="Scenario controls below",
                attributes={"href": "#jv-controls"},
                classes=["jv-phone-only"],
            )


@solara.component
def BandSwitch(exists: bool, show):
    """The switch that overlays the calibrated ensemble's 90% band on the plots that have
    one; disabled, with the command that computes it, while the band file does not exist."""
    with solara.Div(classes=["jv-bandbar"]):
        with solara.Tooltip(
            "The calibrated ensemble (data/ensemble.csv: every member x 3 seeds, 10,000 "
            f"firms): its mean (dashed) and 90% band (shaded), read from {charts.BAND_PATH}."
        ):
            rv.Switch(
                v_model=show.value and exists,
                on_v_model=show.set,
                label="Show the ensemble's 90% band",
                disabled=not exists,
                dense=True,
                hide_details=True,
                class_="jv-input-band",
            )
        if not exists:
            with solara.Div(classes=["jv-band-hint"]):
                solara.Text("No band yet: run ", classes=["jv-note"])
                solara.Text(BAND_COMMAND, classes=["jv-code"])
                solara.Text(" and reload.", classes=["jv-note"])


@solara.component
def ControlPanel(pending, applied: dict, on_apply):
    """The scenario's controls; changes wait for Reset, and say so."""
    settings = pending.value

    def setter(key):
        return lambda value: pending.set({**pending.value, key: value})

    waiting = changes(settings, applied)
    with solara.Card("Scenario", margin=0, classes=["jv-controls-card"]):
        solara.HTML(tag="span", attributes={"id": "jv-controls"})
        if waiting:
            with solara.Div(classes=["jv-pending"]):
                solara.Warning(
                    "Not applied yet (" + "; ".join(waiting) + "). The run shows the old "
                    "settings until you apply them."
                )
                solara.Button("Apply and reset", on_click=on_apply, color="warning")
        else:
            solara.Text("Changes apply on Reset (the run restarts at month 0).", classes=["jv-sub"])
        Choice(
            "preset",
            "Preset",
            settings["preset"],
            {name: name.replace("_", " ") for name in PRESET_LINES},
            lambda name: pending.set(with_preset(pending.value, name)),
            "A named scenario (world/presets.py); choosing one sets the controls below.",
        )
        solara.Text(PRESET_LINES[settings["preset"]], classes=["jv-sub", "jv-preset-note"])
        Choice(
            "counterfactual",
            "Measure against a twin",
            settings["counterfactual"],
            TWINS,
            setter("counterfactual"),
            "The twin runs the same world with the same random draws but goes without this "
            "efficiency progress; the Jevons ratio is the run's compute over the twin's.",
        )
        for heading, group in GROUPS:
            solara.HTML(tag="h3", unsafe_innerHTML=html.escape(heading), classes=["jv-group"])
            for control in group:
                if control.name == "shock_step":
                    Switch(
                        "shock",
                        "DeepSeek-style shock",
                        settings["shock"],
                        setter("shock"),
                        "A cheap open-weight model released in the shock month, needing "
                        "several times fewer FLOPs per token. Off: shock_factor = 1.",
                    )
                ParameterControl(
                    control,
                    settings[control.name],
                    setter(control.name),
                    disabled_reason(control.name, settings),
                )
        with solara.Div(classes=["jv-control", "jv-control-seed"]):
            with solara.Div(classes=["jv-control-head"]):
                with solara.Tooltip(
                    "The random seed: the same seed and settings give the same run."
                ):
                    solara.Text("Seed", classes=["jv-label"])
            rv.TextField(
                v_model=settings["seed"],
                on_v_model=setter("seed"),
                dense=True,
                hide_details=True,
                outlined=True,
                class_="jv-input-seed",
            )


@solara.component
def Head(label: str, help: str, value: str | None = None):
    with solara.Div(classes=["jv-control-head"]):
        with solara.Tooltip(help):
            solara.Text(label, classes=["jv-label"])
        if value is not None:
            solara.Text(value, classes=["jv-value"])


@solara.component
def ParameterControl(control, value, on_value, reason: str | None):
    """One parameter's control: its name (help on hover), its value and unit, the widget,
    and why it is disabled when it does not apply."""
    p = control.parameter
    label = control.label

    def slid(x):
        # a value off the slider's steps (a calibrated preset's) comes back snapped when
        # the slider is drawn: that is no change, and must not show as one waiting
        if control.snapped(x) != control.snapped(value):
            on_value(control.snapped(x))

    with solara.Div(classes=["jv-control", f"jv-control-{control.kind}", f"jv-c-{control.name}"]):
        if control.kind == "slider":
            Head(label, control.help(), control.shown(value))
            low, high = control.range
            rv.Slider(
                v_model=value,
                on_v_model=slid,
                min=low,
                max=high,
                step=control.step,
                disabled=reason is not None,
                hide_details=True,
                dense=True,
                class_=f"jv-slider jv-input-{control.name}",
            )
        elif control.kind == "select":
            Head(label, control.help())
            rv.Select(
                v_model=value,
                items=[{"text": c.replace("_", " "), "value": c} for c in p.choices],
                on_v_model=on_value,
                disabled=reason is not None,
                dense=True,
                hide_details=True,
                outlined=True,
                class_=f"jv-input-{control.name}",
            )
        else:
            Head(label, control.help())
            rv.Switch(
                v_model=value,
                on_v_model=on_value,
                label="yes" if value else "no",
                disabled=reason is not None,
                dense=True,
                hide_details=True,
                class_=f"jv-input-{control.name}",
            )
        if reason:
            solara.Text(reason, classes=["jv-note"])


@solara.component
def Choice(key: str, label: str, value: str, items: dict, on_value, help: str):
    with solara.Div(classes=["jv-control", f"jv-c-{key}"]):
        Head(label, help)
        rv.Select(
            v_model=value,
            items=[{"text": text, "value": name} for name, text in items.items()],
            on_v_model=on_value,
            dense=True,
            hide_details=True,
            outlined=True,
            class_=f"jv-input-{key}",
        )


@solara.component
def Switch(key: str, label: str, value: bool, on_value, help: str):
    with solara.Div(classes=["jv-control", f"jv-c-{key}"]):
        Head(label, help)
        rv.Switch(
            v_model=value,
            on_v_model=on_value,
            label="on" if value else "off",
            dense=True,
            hide_details=True,
            class_=f"jv-input-{key}",
        )


@solara.component
def PlotCard(panel, df, band=None):
    """One plot of the PANELS table, with its caption (and the ensemble's band when given)."""
    with solara.Card(panel.title, margin=0, classes=["jv-plot", f"jv-plot-{panel.key}"]):
        VegaLite.element(spec=panel_spec(df, panel, HORIZON_MONTH, band))
        caption = panel.caption
        if band is not None:
            caption += " Green: the calibrated ensemble's mean (dashed) and 90% band."
        solara.Text(caption, classes=["jv-caption"])


@solara.component
def NetworkCard(model, months: int):
    """The market network; ``months`` (the step shown) changes with each step, which
    redraws it."""
    nodes, edges = network_data(model)
    title = "The market: chip vendors -> cloud providers -> firms"
    with solara.Card(title, margin=0, classes=["jv-plot", "jv-plot-network", "jv-wide"]):
        VegaLite.element(spec=network_spec(nodes, edges))
        solara.Text(NETWORK_CAPTION, classes=["jv-caption"])


@solara.component
def ExportCard(run: Run, df):
    """The command that reproduces the run, and the shown data as files."""
    steps = int(df["step"].iloc[-1])
    command = run_command(run.settings, steps)
    with solara.Card("Reproduce and export", margin=0, classes=["jv-plot", "jv-export", "jv-wide"]):
        solara.Text(
            "This command writes the time series shown here (timeseries.csv, the same "
            "text as the download) from the project's folder:",
            classes=["jv-sub"],
        )
        solara.HTML(tag="pre", unsafe_innerHTML=html.escape(command), classes=["jv-command"])
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.FileDownload(
                lambda: timeseries_csv(frame(run.model)),
                filename="timeseries.csv",
                label="Time series (timeseries.csv)",
                icon_name=None,
                mime_type="text/csv",
            )
            solara.FileDownload(
                lambda: scenario_csv(run.settings, run.model.scenario, steps),
                filename="scenario.csv",
                label="Scenario (scenario.csv)",
                icon_name=None,
                mime_type="text/csv",
            )
