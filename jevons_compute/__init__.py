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

from jevons_compute._version import __version__
from jevons_compute.experiments.runs.single import headline, run_scenario
from jevons_compute.model.model import JevonsModel, check_scenario
from jevons_compute.world.parameters import PARAMETERS, ParameterError
from jevons_compute.world.presets import PRESETS
from jevons_compute.world.scenario import JevonsScenario

__all__ = [
    "PARAMETERS",
    "PRESETS",
    "JevonsModel",
    "JevonsScenario",
    "ParameterError",
    "__version__",
    "check_scenario",
    "headline",
    "run_scenario",
]
