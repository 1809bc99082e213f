"""A run whose state leaves the finite range stops with one sentence naming the month, the
metric and the parameters the user set; it never records an infinity or an undefined NaN."""

import math

import pytest

from jevons_compute.model.metrics.table import MAY_BE_UNDEFINED, METRICS
from jevons_compute.model.model import JevonsModel, NonFiniteError
from jevons_compute.world.parameters import ParameterError
from jevons_compute.world.scenario import JevonsScenario


@pytest.mark.parametrize("attr", ["watts", "capacity_flops", "markup", "scarcity"])
def test_a_state_made_infinite_stops_the_next_month_naming_the_parameters(attr):
    model = JevonsModel(JevonsScenario(rng=1, n_firms=200, bass_q=0.3))
    model.run_for(3)
    setattr(model.providers[0], attr, math.inf)  # a provider's state leaves the finite range
    with pytest.raises(NonFiniteError) as caught:
        model.step()
    message = str(caught.value)
    assert message.startswith("the run left the finite range in month 4 (")
    assert "n_firms=200, bass_q=0.3:" in message  # what the user set, and nothing else
    assert "algo_efficiency_gain" not in message
    assert len(message.splitlines()) == 1
    assert isinstance(caught.value, ParameterError)  # the command line's exit 2
    rows = model.datacollector.get_model_vars_dataframe()
    assert len(rows) == 4  # the bad month is not recorded
    for name in METRICS:
        if name not in MAY_BE_UNDEFINED and rows[name].dtype.kind == "f":
            assert rows[name].map(math.isfinite).all(), name


def test_allowed_undefined_metrics_do_not_stop_a_run():
    # the first months: rebound and ratios against a zero are undefined (NaN), not errors
    model = JevonsModel(JevonsScenario(rng=1, n_firms=200, consumer_ceiling=0.0))
    model.run_for(2)
    assert math.isnan(model.metrics["rebound"])


@pytest.mark.slow
def test_two_centuries_of_the_fastest_growth_stop_in_one_sentence():
    """Chips 20x cheaper and 10x more made every year: past ~2,600 months the fleet
    overflows a float; the run stops there instead of raising OverflowError."""
    scenario = JevonsScenario(
        rng=1,
        n_firms=100,
        hardware_efficiency_gain=20.0,
        chip_production_growth=10.0,
        campus_power_growth=10.0,
        energy_efficiency_gain=20.0,
        generation_interval=1,
    )
    model = JevonsModel(scenario, counterfactual="none")
    with pytest.raises(
        NonFiniteError,
        match=r"left the finite range in month \d+ .*"
        r"hardware_efficiency_gain=20\.0",
    ):
        model.run_for(3000)
    assert 1200 < model.steps < 3000
