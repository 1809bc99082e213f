"""The Jevons compute-market model: scenario, parameters, Mesa model, metrics."""

from model.model import JevonsModel, check_scenario
from model.parameters import PARAMETERS, ParameterError
from model.presets import PRESETS
from model.scenario import JevonsScenario

__all__ = [
    "PARAMETERS",
    "PRESETS",
    "JevonsModel",
    "JevonsScenario",
    "ParameterError",
    "check_scenario",
]
