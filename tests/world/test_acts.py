"""Parameters that act only under an option: the table is true of the model (moved while the
option is off, nothing changes; on, the run changes), and a scenario that moves one while
its option is off is refused in one sentence naming the option."""

import numpy as np
import pytest

from jevons_compute.experiments.runs.single import run_scenario
from jevons_compute.world.parameters import BY_NAME, ParameterError
from jevons_compute.world.parameters.acts import RULES
from jevons_compute.world.scenario import JevonsScenario

#: each rule's option: switched off, and on (with what makes its parameters bind early)
OFF = {
    "demand_model=constant_elasticity": {"demand_model": "task_value"},
    "demand_model=task_value": {"demand_model": "constant_elasticity"},
    "power_limited=true": {"power_limited": False},
    "a consumer_ceiling above 0": {"consumer_ceiling": 0.0},
    "a shock_factor above 1": {"shock_factor": 1.0},
    "regions including CN": {"regions": "US,EU"},
    "an inference_mfu_growth above 1": {"inference_mfu_growth": 1.0},
    "a chip_price_response above 0": {"chip_price_response": 0.0},
    "a financing_shock above 0": {"financing_shock": 0.0},
}
ON = {
    "demand_model=constant_elasticity": {"demand_model": "constant_elasticity"},
    "demand_model=task_value": {"demand_model": "task_value"},
    "power_limited=true": {"power_limited": True, "ai_share_of_grid": 0.01, "grid_lead_time": 6},
    "a consumer_ceiling above 0": {},
    "a shock_factor above 1": {"shock_step": 6},
    "regions including CN": {"domestic_preference_step": 3},
    # serving MFU reaches its bound within the first year
    "an inference_mfu_growth above 1": {"inference_mfu_growth": 4.0, "inference_mfu": 0.2},
    "a chip_price_response above 0": {},
    "a financing_shock above 0": {"financing_shock": 0.5, "financing_shock_step": 6},
}
#: months a rule's parameters need to act (capacity answers the premium from 2027 on)
STEPS = {"a chip_price_response above 0": 60}
CASES = [(rule.option, name) for rule in RULES for name in rule.parameters]


def moved(name):
    """A value of ``name`` away from its default, inside its range."""
    p = BY_NAME[name]
    if p.choices:
        return next(c for c in p.choices if c != p.default)
    if p.type is bool:
        return not p.default
    value = min(p.default * 1.5 + (1 if p.type is int else 0.1), p.high)
    return p.type(value)


def series(steps=24, **params):
    steps = params.pop("_steps", steps)
    scenario = JevonsScenario(rng=3, n_firms=150, **params)
    return run_scenario(scenario, steps, "algo", False).drop(columns="date").to_numpy(float)


def test_every_rule_has_both_states_here():
    assert {r.option for r in RULES} == set(OFF) == set(ON)


@pytest.mark.parametrize(("option", "name"), CASES)
def test_a_parameter_moved_while_its_option_is_off_changes_nothing(option, name):
    off = OFF[option]
    # built as the twin is, past the refusal: every parameter given
    moved_run = JevonsScenario(rng=3, n_firms=150, **off).parameters() | {name: moved(name)}
    frozen = JevonsScenario._unchecked(3, moved_run)
    steps = STEPS.get(option, 24)
    df = run_scenario(frozen, steps, "algo", False).drop(columns="date").to_numpy(float)
    assert np.array_equal(series(steps, **off), df, equal_nan=True), name


@pytest.mark.parametrize(("option", "name"), CASES)
def test_the_same_parameter_acts_once_its_option_is_on(option, name):
    on = {**ON[option], "_steps": STEPS.get(option, 24)}
    assert not np.array_equal(series(**on), series(**{**on, name: moved(name)}), equal_nan=True), (
        name
    )


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"price_elasticity": 0.75}, "price_elasticity=0.75 does not act under "
         "demand_model=task_value: it acts with demand_model=constant_elasticity"),
        ({"demand_model": "constant_elasticity", "task_value_sigma": 1.0},
         "it acts with demand_model=task_value"),
        ({"power_limited": False, "ai_share_of_grid": 0.2}, "under power_limited=false"),
        ({"consumer_ceiling": 0.0, "consumer_serving_share": 1.0}, "a consumer_ceiling above 0"),
        ({"shock_factor": 1.0, "shock_step": 40}, "under shock_factor=1"),
        ({"regions": "US,EU", "export_controls": "strict"}, "under regions=US,EU"),
    ],
)  # fmt: skip
def test_the_python_api_refuses_a_parameter_that_would_not_act(given, words):
    with pytest.raises(ParameterError) as caught:
        JevonsScenario(rng=1, **given)
    message = str(caught.value)
    assert words in message and len(message.splitlines()) == 1, message


def test_an_inert_parameter_at_its_default_or_with_its_option_is_accepted():
    JevonsScenario(price_elasticity=BY_NAME["price_elasticity"].default)
    JevonsScenario(demand_model="constant_elasticity", price_elasticity=0.75)
    JevonsScenario.from_preset("inelastic_demand")
    for preset in ("analytic", "default", "power_bound", "no_shock"):
        JevonsScenario.from_preset(preset)
