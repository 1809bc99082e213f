"""The files shipped in the package's ``data/`` folder, read through ``importlib.resources``:
the observed series (``observed.csv``), the calibrated ensemble (``ensemble.csv`` and how
it was made, ``ensemble.json``) and its best member, the default preset
(``calibrated_default.json``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_file(name: str) -> Path:
    """The path of ``name`` in the package's data folder (it may not exist yet: a
    calibration writes the ensemble files)."""
    return Path(str(resources.files("jevons_compute").joinpath("data", name)))
