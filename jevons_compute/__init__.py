"""The Jevons compute-market model under one import name a user's own files cannot shadow.

The project's folders ``model``, ``agents`` and ``experiments`` are plain top-level
packages, so a user's ``model.py`` or ``agents.py`` next to a script or notebook would
shadow them. ``jevons_compute`` loads the same source files as ``jevons_compute.model``,
``jevons_compute.agents`` and ``jevons_compute.experiments`` (their imports of each other
are pointed there too), so it works from any folder::

    from jevons_compute import JevonsModel, JevonsScenario, headline, run_scenario

    df = run_scenario(JevonsScenario(rng=42, n_firms=2000), steps=36)
    headline(df)["compute_growth"]

Inside the repository the short imports (``from model import JevonsModel``) still work;
use one form or the other in one program (each loads its own copy of the classes).

Public API (stable; see README "From Python or a notebook"):
    JevonsModel, JevonsScenario, check_scenario: the model, its scenario, cross-checks.
    ParameterError: raised with a one-sentence message for any bad parameter.
    PARAMETERS, PRESETS: the parameter table and the named presets.
    run_scenario(scenario, steps) -> DataFrame: one run, one row per month.
    headline(df) -> dict: the headline numbers of one run's DataFrame.
    __version__: the project version recorded in every output.
"""

from __future__ import annotations

import sys
from importlib import import_module

from jevons_compute import _loader
from jevons_compute._version import __version__

_loader.install()

_EXPORTS = {
    "JevonsModel": "jevons_compute.model",
    "JevonsScenario": "jevons_compute.model",
    "check_scenario": "jevons_compute.model",
    "ParameterError": "jevons_compute.model",
    "PARAMETERS": "jevons_compute.model",
    "PRESETS": "jevons_compute.model",
    "run_scenario": "jevons_compute.experiments.single",
    "headline": "jevons_compute.experiments.single",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        setattr(sys.modules[__name__], name, value)
        return value
    raise AttributeError(f"module 'jevons_compute' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
