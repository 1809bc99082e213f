"""The article's claims as named experiments: a sweep spec each, and its analysis.

One module per experiment (experiments/named/<name>.py, each ending in ``EXPERIMENT``);
each writes its sweep data (manifest.json, runs.parquet, timeseries.parquet), figures
(PNG, mean and 90% band over seeds, labelled axes with units) and findings.md stating what
it found, in numbers. ``quick`` runs a reduced version in well under a minute (for tests
and a first look). ``calibrate`` is a procedure of several sweeps (one subfolder each)
with its own files (see its module).
"""

from __future__ import annotations

from experiments import discovery
from experiments.named import (
    backtest,
    calibrate,
    calibration,
    cloud_alignment,
    deepseek_shock,
    export_controls,
    inference_shift,
    jevons_map,
    limits,
    open_models,
    sensitivity,
    wages,
)
from experiments.named.common import Experiment, findings, panels, save_figure

EXPERIMENTS: dict[str, Experiment] = {
    module.EXPERIMENT.name: module.EXPERIMENT
    for module in (
        jevons_map,
        deepseek_shock,
        inference_shift,
        export_controls,
        open_models,
        wages,
        cloud_alignment,
        limits,
        sensitivity,
        calibration,
        calibrate,
        backtest,
    )
}
EXPERIMENTS["backfire_discovery"] = Experiment(
    "backfire_discovery", discovery.CLAIM, discovery.make_spec, discovery.analyze
)

__all__ = ["EXPERIMENTS", "Experiment", "findings", "panels", "save_figure"]
