"""The article's claims as named experiments: a sweep spec each, and its analysis.

One module per experiment (``named/<name>.py``, each ending in ``EXPERIMENT``);
each writes its sweep data (manifest.json, runs.parquet, timeseries.parquet), figures
(PNG, mean and 90% band over seeds, labelled axes with units) and findings.md stating what
it found, in numbers. ``quick`` runs a reduced version in well under a minute (for tests
and a first look). ``calibrate`` is a procedure of several sweeps (one subfolder each)
with its own files (see its module).
"""

from __future__ import annotations

from jevons_compute.experiments.named import (
    backfire_discovery,
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
from jevons_compute.experiments.named.common import Experiment

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
        backfire_discovery,
    )
}
__all__ = ["EXPERIMENTS", "Experiment"]
