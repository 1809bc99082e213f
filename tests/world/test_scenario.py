"""The scenario as a Python user builds it (world/scenario.py, world/parameters): numpy
scalars where Python scalars go, bad values as one-sentence ParameterErrors, long values
cut short, run lengths in whole months."""

import numpy as np
import pytest

from jevons_compute.model.model import JevonsModel
from jevons_compute.world.parameters import ParameterError
from jevons_compute.world.scenario import JevonsScenario, check_duration


@pytest.mark.parametrize(
    "params,check",
    [
        ({"rng": np.int64(3)}, lambda s: s.rng == 3 and type(s.rng) is int),
        ({"rng": np.uint32(3)}, lambda s: s.rng == 3),
        ({"identical_firms": np.True_}, lambda s: s.identical_firms is True),
        ({"capacity_limited": np.False_}, lambda s: s.capacity_limited is False),
        ({"n_firms": np.int64(250)}, lambda s: s.n_firms == 250 and type(s.n_firms) is int),
        ({"n_firms": np.float64(250.0)}, lambda s: type(s.n_firms) is int),
        (
            {"price_elasticity": np.float64(1.25), "demand_model": "constant_elasticity"},
            lambda s: s.price_elasticity == 1.25 and type(s.price_elasticity) is float,
        ),
        (
            {"price_elasticity": np.int32(2), "demand_model": "constant_elasticity"},
            lambda s: s.price_elasticity == 2.0,
        ),
        ({"export_controls": np.str_("strict")}, lambda s: s.export_controls == "strict"),
    ],
)
def test_numpy_scalars_are_accepted_wherever_python_scalars_are(params, check):
    params = {"rng": 1, "n_firms": 200, **params}
    model = JevonsModel(**params)
    model.run_for(2)
    assert check(model.scenario)
    assert check(JevonsScenario(**params))


@pytest.mark.parametrize(
    "params,words",
    [
        ({"rng": -1}, "rng=-1 is not allowed: use a whole-number seed from 0 up"),
        ({"rng": 1.5}, "rng=1.5 is not allowed"),
        ({"rng": "seven"}, "rng='seven' is not allowed"),
        ({"rng": True}, "rng=True is not allowed"),
        ({"rng": np.int64(-2)}, "rng=-2 is not allowed"),
        ({"n_firms": np.float64(2.5)}, "n_firms=2.5 is not allowed: use an integer"),
        ({"identical_firms": np.float64(1.0)}, "identical_firms=1.0 is not allowed"),
        ({"price_elasticity": np.True_}, "price_elasticity=True is not allowed"),
        ({"grid_lead_time": -1}, "grid_lead_time=-1 is not allowed: "),
        ({"counterfactual": "chips"}, "counterfactual='chips' is not allowed: use one"),
    ],
)
def test_bad_values_raise_one_sentence_parameter_errors(params, words):
    with pytest.raises(ParameterError) as info:
        JevonsModel(**{"rng": 1, "n_firms": 200, **params})
    message = str(info.value)
    assert message.startswith(words) and "\n" not in message and message.endswith(".")


@pytest.mark.parametrize("name", ["price_elasticity", "rng", "x" * 100_000])
def test_a_huge_value_is_not_echoed_back_whole(name):
    huge = "9" * 100_000
    params = {"rng": 1, name: huge} if name != "rng" else {"rng": huge}
    with pytest.raises(ParameterError) as info:
        JevonsScenario(**params)
    message = str(info.value)
    assert len(message) < 300 and "(100,000 characters)" in message


@pytest.mark.parametrize("duration,months", [(3, 3), (np.int64(2), 2), (4.0, 4), (0, 0)])
def test_check_duration_accepts_whole_months(duration, months):
    assert check_duration(duration) == months and type(check_duration(duration)) is int


@pytest.mark.parametrize("duration", [-3, 2.5, float("nan"), float("inf"), True, "3", None])
def test_check_duration_refuses_anything_else_in_one_sentence(duration):
    with pytest.raises(ParameterError, match=r"^run_for\(.*\) is not allowed: give a whole"):
        check_duration(duration)
