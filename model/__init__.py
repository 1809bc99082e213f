"""The Jevons compute-market model: scenario, parameters, Mesa model, metrics.

Names are loaded on first use, so ``agents`` (which reads ``model.calibration``) and
``model`` can be imported in either order.
"""

from importlib import import_module

_EXPORTS = {
    "JevonsModel": "model.model",
    "check_scenario": "model.model",
    "JevonsScenario": "model.scenario",
    "PARAMETERS": "model.parameters",
    "ParameterError": "model.parameters",
    "PRESETS": "model.presets",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
