"""What every named experiment shares: its record and its sweep spec (figures and
findings.md come from ``analysis.findings``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from jevons_compute.experiments.sweeps.spec import SweepSpec


@dataclass
class Experiment:
    """A named experiment: one sweep (``make_spec``) and its analysis, or, with ``run``, a
    procedure of several sweeps (``run(out, quick, sweep, **options)`` returns the findings
    text; ``sweep(spec, folder)`` runs one sweep on the command's executor)."""

    name: str
    claim: str
    make_spec: Callable[[bool], SweepSpec] | None
    analyze: Callable[[Path, dict, pd.DataFrame, pd.DataFrame], str] | None
    run: Callable[..., str] | None = None


def sweep_spec(
    name,
    quick,
    steps,
    replications,
    grid=None,
    fixed=None,
    quick_steps=None,
    quick_grid=None,
    n_firms=4000,
    sample=None,
):
    return SweepSpec(
        name=name,
        steps=(quick_steps or min(steps, 36)) if quick else steps,
        replications=2 if quick else replications,
        fixed={"n_firms": 400 if quick else n_firms, **(fixed or {})},
        grid=(quick_grid if quick and quick_grid is not None else grid) or {},
        sample=sample or {},
    )
