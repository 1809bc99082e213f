"""The Jevons compute-market model: an agent-based model (Mesa) of the Jevons effect in AI
compute.

    from jevons_compute import JevonsScenario, headline, run_scenario

    df = run_scenario(JevonsScenario(rng=42, n_firms=2000), steps=36)
    headline(df)["compute_growth"]

Sub-packages, each importing only those listed before it:

    world        parameters, scenario, presets, technology paths, world facts with sources
    agents       firms, consumers, cloud providers, frontier labs, chip vendors, grids
    model        the market (pricing, clearing, spill-over), the metrics, JevonsModel
    experiments  single runs, sweeps, analysis, calibration, scenario discovery, named
                 experiments, the browser UI and the command line (``jevons-compute``)

Public API (stable):
    JevonsModel, JevonsScenario, check_scenario: the model, its scenario, cross-checks.
    ParameterError: raised with a one-sentence message for any bad parameter.
    PARAMETERS, PRESETS: the parameter table and the named presets.
    run_scenario(scenario, steps) -> DataFrame: one run, one row per month.
    headline(df) -> dict: the headline numbers of one run's DataFrame.
    __version__: the project version recorded in every output.
"""

from importlib import import_module

from jevons_compute._version import __version__

#: The public names and the modules that define them. They are loaded on first use, so
#: that the command line's help and small commands start without importing Mesa and
#: pandas; ``jevons_compute.JevonsModel is jevons_compute.model.model.JevonsModel``.
_EXPORTS = {
    "JevonsModel": "jevons_compute.model.model",
    "check_scenario": "jevons_compute.model.model",
    "JevonsScenario": "jevons_compute.world.scenario",
    "ParameterError": "jevons_compute.world.parameters",
    "PARAMETERS": "jevons_compute.world.parameters",
    "PRESETS": "jevons_compute.world.presets",
    "run_scenario": "jevons_compute.experiments.runs.single",
    "headline": "jevons_compute.experiments.runs.single",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jevons_compute' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
