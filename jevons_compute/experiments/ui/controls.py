"""The page's controls and the scenario they make: no widgets here, only data and rules.

Each control is a row of the parameter table (world/parameters: label, unit, meaning,
source, allowed range). Every parameter with a ``label`` gets a control; ``GROUPS`` orders
them under headings and adds only how a slider moves (its step, a narrower range where the
table's is unusable on a slider) and when a control does not apply. A labelled parameter
that ``GROUPS`` does not name yet appears under "Other" with a slider of 100 steps. The
page's settings are one plain dict: the preset, the twin, the shock switch, the seed
text and one value per control.
"""

from __future__ import annotations

import csv
import io
import math
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from jevons_compute.experiments.runs.single import WITHOUT
from jevons_compute.model.model import JevonsModel, check_scenario
from jevons_compute.world.parameters import BY_NAME, PARAMETERS, Parameter, ParameterError, defaults
from jevons_compute.world.parameters.acts import inert_reason
from jevons_compute.world.presets import PRESET_NOTES, PRESETS
from jevons_compute.world.scenario import JevonsScenario

UI_DEFAULT_FIRMS = 5_000  # the page starts lighter than a run (10,000)
HORIZON = 144  # months: January 2023 to January 2035, as `jevons-compute run`
DEFAULT_SEED = "42"
FIRST_YEAR = 2023


def _no_reason(values: dict) -> str | None:
    return None


def _shock_on(values: dict) -> str | None:
    return None if values["shock"] else "The shock is off."


def _acts(name: str) -> Callable[[dict], str | None]:
    """The parameter table's rule for ``name`` (world.parameters.acts), for its control."""
    return lambda values: inert_reason(name, values)


@dataclass(frozen=True)
class Control:
    """How the page shows one parameter: a slider's step and range, and when it applies.

    Attributes:
        name: the parameter (a row of world/parameters).
        step: a slider's step (None for choices and switches).
        low, high: a slider's range, within the parameter's allowed range.
        applies: ``values -> None`` when the control applies to these settings, else one
            sentence saying why it does not (the control is then disabled).
        short: the control's name while the parameter table has no label for it (the
            table's label wins once it has one).
    """

    name: str
    step: float | None = None
    low: float | None = None
    high: float | None = None
    applies: Callable[[dict], str | None] = _no_reason
    short: str | None = None

    @property
    def parameter(self) -> Parameter:
        return BY_NAME[self.name]

    @property
    def label(self) -> str:
        """The control's name: the table's label, else ``short``, else the meaning."""
        p = self.parameter
        return p.label or self.short or p.doc[0].upper() + p.doc[1:]

    @property
    def kind(self) -> str:
        """'select', 'switch' or 'slider'."""
        p = self.parameter
        if p.choices:
            return "select"
        return "switch" if p.type is bool else "slider"

    @property
    def range(self) -> tuple[float, float]:
        p = self.parameter
        return max(self.low, p.low), min(self.high, p.high)

    @property
    def unit(self) -> str:
        unit = self.parameter.unit
        return "" if unit in ("", "1") else unit

    def help(self) -> str:
        """The tooltip: meaning, unit, allowed values and source, from the parameter table."""
        p = self.parameter
        unit = f" Unit: {p.unit}." if self.unit else ""
        return f"{p.doc[0].upper()}{p.doc[1:]}.{unit} Source: {p.source}."

    def shown(self, value) -> str:
        """The value as the page prints it beside the control, with its unit."""
        if self.kind == "switch":
            return "yes" if value else "no"
        if self.kind != "slider":
            return str(value)
        if self.name == "shock_step":
            return f"{value} ({month_name(int(value))})"
        if self.parameter.type is int:
            text = f"{int(value):,}"
        else:
            text = f"{value:g}"
        if self.unit == "per year":
            return f"x{text} per year"
        if self.unit == "share":
            return f"{value * 100:.3g}%"
        return f"{text} {self.unit}".strip()

    def snapped(self, value: float) -> float | int:
        """A slider's value on its step (no 1.1500000000000001)."""
        if self.parameter.type is int:
            return int(round(value))
        decimals = max(0, -math.floor(math.log10(self.step)))
        return round(round(value / self.step) * self.step, decimals + 1)


def _automatic(p: Parameter) -> Control:
    """A control for a labelled parameter that GROUPS does not name: 100 slider steps."""
    if p.choices or p.type is bool:
        return Control(p.name)
    step = (p.high - p.low) / 100
    step = 10.0 ** math.floor(math.log10(step))
    return Control(p.name, max(step, 1) if p.type is int else step, p.low, p.high)


#: The controls under their headings, in the page's order. The shock switch (not a
#: parameter: off sets shock_factor to 1) comes before shock_step.
GROUPS: tuple[tuple[str, tuple[Control, ...]], ...] = (
    (
        "Efficiency",
        (
            Control("algo_efficiency_gain", 0.1, 1.0, 20.0),
            Control("hardware_efficiency_gain", 0.05, 1.0, 4.0),
        ),
    ),
    (
        "Firms' demand",
        (
            Control("demand_model"),
            Control("price_elasticity", 0.05, 0.0, 3.0, _acts("price_elasticity")),
            Control("task_value_median", 0.001, 0.001, 0.05, _acts("task_value_median")),
            Control("task_value_sigma", 0.05, 0.5, 4.0, _acts("task_value_sigma")),
            Control("task_success_slope", 0.05, 0.3, 3.0, _acts("task_success_slope")),
            Control("task_creation_elasticity", 0.05, 0.0, 2.0, _acts("task_creation_elasticity")),
        ),
    ),
    (
        "Consumers",
        (
            Control("consumer_ceiling", 0.05, 0.0, 1.0),
            Control(
                "consumer_revenue_per_user_us",
                0.05,
                0.0,
                10.0,
                _acts("consumer_revenue_per_user_us"),
            ),
            Control(
                "consumer_serving_share",
                0.05,
                0.0,
                2.0,
                _acts("consumer_serving_share"),
            ),
            Control(
                "consumer_serving_elasticity",
                0.05,
                0.5,
                1.5,
                _acts("consumer_serving_elasticity"),
            ),
            Control(
                "consumer_tokens_floor",
                1e4,
                1e4,
                1e7,
                _acts("consumer_tokens_floor"),
            ),
            Control(
                "consumer_quality_response",
                0.01,
                0.0,
                0.9,
                _acts("consumer_quality_response"),
                "Consumer revenue's response to quality",
            ),
        ),
    ),
    (
        "Open-model shock",
        (
            Control("shock_step", 1, 0, HORIZON - 1, _shock_on),
            Control("shock_factor", 0.1, 1.0, 50.0, _shock_on),
        ),
    ),
    (
        "Training",
        (
            Control("training_revenue_share", 0.05, 0.0, 2.0),
            Control("frontier_run_share", 0.01, 0.01, 1.0, short="Largest run's share of training"),
        ),
    ),
    (
        "Chips and power",
        (
            Control("vendor_margin", 0.01, 0.0, 0.95),
            Control("power_limited"),
            Control("ai_share_of_grid", 0.01, 0.01, 1.0, _acts("ai_share_of_grid")),
            Control(
                "grid_lead_time", 1, 0, 120, _acts("grid_lead_time"), "Grid connection lead time"
            ),
        ),
    ),
    (
        "Export controls",
        (
            Control("export_controls", applies=_acts("export_controls")),
            Control("cross_region_hosting", applies=_acts("cross_region_hosting")),
        ),
    ),
    ("Population", (Control("n_firms", 100, 100, 50_000),)),
)
_NAMED = {c.name for _, group in GROUPS for c in group}
_OTHER = tuple(_automatic(p) for p in PARAMETERS if p.label and p.name not in _NAMED)
if _OTHER:
    GROUPS = (*GROUPS, ("Other", _OTHER))
CONTROLS: tuple[Control, ...] = tuple(c for _, group in GROUPS for c in group)
BY_CONTROL = {c.name: c for c in CONTROLS}

#: The twin each run is measured against: choice -> words for the control.
TWINS = {name: f"without {words}" for name, words in WITHOUT.items()}


def month_name(step: int) -> str:
    """'Jan 2025' for a step counted from January 2023."""
    year, month = divmod(step, 12)
    return (
        f"{'JanFebMarAprMayJunJulAugSepOctNovDec'[3 * month : 3 * month + 3]} {FIRST_YEAR + year}"
    )


def initial_settings() -> dict:
    """The page's settings at first load: the default scenario with the UI's firm count."""
    values = defaults()
    settings = {"preset": "default", "counterfactual": "algo", "shock": True, "seed": DEFAULT_SEED}
    settings.update({c.name: values[c.name] for c in CONTROLS})
    settings["n_firms"] = UI_DEFAULT_FIRMS
    return with_preset(settings, "default")


def with_preset(settings: dict, preset: str) -> dict:
    """Settings after choosing a preset: the controls it sets take its values (the others,
    and the seed and twin, stay as they are); a preset's shock_factor of 1 turns the shock
    off."""
    overrides = PRESETS[preset]
    new = {**settings, "preset": preset}
    base = defaults()
    for c in CONTROLS:
        if c.name == "n_firms":
            continue
        new[c.name] = overrides.get(c.name, base[c.name])
    factor = overrides.get("shock_factor", base["shock_factor"])
    new["shock"] = factor != 1.0
    if not new["shock"]:
        new["shock_factor"] = base["shock_factor"]  # kept for when the shock is turned on
    return new


def scenario_values(settings: dict) -> dict:
    """The parameters the settings ask for: the preset's overrides, then the controls that
    apply (a disabled control's value is left out: it would not act)."""
    values = {**PRESETS[settings["preset"]]}
    values.update({c.name: settings[c.name] for c in CONTROLS})
    if not settings["shock"]:
        values["shock_factor"] = 1.0
    merged = {**defaults(), **values, "shock": settings["shock"]}
    base = {**defaults(), **PRESETS[settings["preset"]]}
    for c in CONTROLS:
        if c.name != "shock_factor" and c.applies(merged) is not None:
            values[c.name] = base[c.name]
    return values


def disabled_reason(name: str, settings: dict) -> str | None:
    """Why the control ``name`` does not apply to ``settings`` (None when it does)."""
    values = {**defaults(), **scenario_values(settings), "shock": settings["shock"]}
    return BY_CONTROL[name].applies(values)


def parse_seed(text) -> int:
    """The seed control as an integer, or ParameterError in one sentence."""
    try:
        seed = int(str(text).strip())
    except ValueError:
        raise ParameterError(f"seed {text!r} is not a whole number: use 0 or more.") from None
    if seed < 0:
        raise ParameterError(f"seed {seed} is negative: use 0 or more.")
    return seed


def build_scenario(settings: dict) -> JevonsScenario:
    """The scenario of the settings, checked; ParameterError in one sentence if it cannot run."""
    # scenario_values leaves out what would not act: the page disables those controls
    scenario = JevonsScenario._unchecked(parse_seed(settings["seed"]), scenario_values(settings))
    check_scenario(scenario)
    return scenario


def build_model(settings: dict) -> tuple[JevonsModel, str | None]:
    """The model of the settings, and None; or, for settings that cannot run, the default
    scenario's model and one sentence saying what was wrong."""
    try:
        scenario = build_scenario(settings)
        error = None
    except ParameterError as exc:
        error = f"These settings cannot run: {exc} Showing the default scenario."
        scenario = build_scenario(initial_settings())
        settings = initial_settings()
    return JevonsModel(scenario, counterfactual=settings["counterfactual"]), error


def run_command(settings: dict, steps: int) -> str:
    """The `jevons-compute run` command that writes the same time series as the page shows after
    ``steps`` months (the horizon at step 0, when nothing is shown yet)."""
    base = {**defaults(), **PRESETS[settings["preset"]]}
    values = scenario_values(settings)
    sets = [f"{k}={_cli(v)}" for k, v in values.items() if base.get(k) != v]
    words = ["jevons-compute", "run", "--preset", settings["preset"]]
    for item in sets:
        words += ["--set", item]
    words += ["--seed", str(parse_seed(settings["seed"])), "--steps", str(steps or HORIZON)]
    words += ["--counterfactual", settings["counterfactual"]]
    return shlex.join(words)


def _cli(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        short = f"{value:g}"
        return short if float(short) == value else repr(value)  # exact, short where it can
    return str(value)


def changes(pending: dict, applied: dict) -> list[str]:
    """What differs between the controls and the running model, in words."""
    names = {"preset": "preset", "counterfactual": "twin", "shock": "shock", "seed": "seed"}
    out = []
    for key in pending:
        if pending[key] != applied.get(key):
            label = BY_CONTROL[key].label if key in BY_CONTROL else names[key]
            out.append(f"{label}: {_words(key, applied.get(key))} -> {_words(key, pending[key])}")
    return out


def _words(key: str, value) -> str:
    if key in BY_CONTROL:
        return BY_CONTROL[key].shown(value).replace("_", " ")
    if key == "shock":
        return "on" if value else "off"
    return str(value)


#: Every preset with its note, in the notes' order (a preset without a note comes last).
PRESET_LINES = {
    **{name: note for name, note in PRESET_NOTES.items() if name in PRESETS},
    **{name: "" for name in PRESETS if name not in PRESET_NOTES},
}


def scenario_csv(settings: dict, scenario: JevonsScenario, steps: int) -> str:
    """The scenario as CSV rows (name, value, unit): every parameter as the model ran it,
    then the preset, seed, twin and months shown, and the command that reproduces it."""
    rows = [("name", "value", "unit")]
    for name, value in scenario.parameters().items():
        rows.append((name, _cli(value), BY_NAME[name].unit if name in BY_NAME else ""))
    rows += [
        ("preset", settings["preset"], ""),
        ("seed", str(parse_seed(settings["seed"])), ""),
        ("counterfactual", settings["counterfactual"], ""),
        ("steps", str(steps), "month"),
        ("command", run_command(settings, steps), ""),
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
