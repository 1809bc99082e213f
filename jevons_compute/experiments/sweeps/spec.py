"""Sweep specifications: what varies, what is fixed, how many replications.

A spec is plain data (TOML file or command-line shortcuts)::

    name = "elasticity_x_algo"     # optional label
    preset = "default"             # base parameters (world/presets.py)
    steps = 72                     # months per run
    replications = 3               # seeds per design point
    base_seed = 42
    common_random_numbers = true   # replication r uses the same seed at every design point
    counterfactual = "algo"        # twin without: algo, shock, hardware, all; or none
    marginal = true                # also the marginal twin (jevons_elasticity)

    [fixed]                        # parameters held at one value
    n_firms = 2000

    [grid]                         # full factorial over lists ...
    price_elasticity = [0.5, 1.0, 1.5]
    algo_efficiency_gain = [2.0, 4.0]

    [sample]                       # ... or a sample over ranges ...
    method = "lhs"                 # "lhs" (scipy.stats.qmc) or "sobol" (SALib Saltelli)
    n = 64                         # LHS: points; Sobol: base sample size (power of 2)
    [sample.ranges]
    price_elasticity = [0.5, 2.0]

    [[points]]                     # ... or explicit design points (one table each) ...
    price_elasticity = 0.8
    algo_efficiency_gain = 3.0

    ensemble = "data/ensemble.csv" # ... or the members of a calibrated ensemble (one of the four)

Example specs ship with the package (``bundled_specs()``; ``jevons-compute sweep NAME``).

Each run's seed is derived from ``base_seed`` and an index with numpy's SeedSequence: the
replication index under common random numbers (paired comparisons across design points),
else the run index. Seeds therefore do not depend on workers or their order.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from jevons_compute.world.parameters import BY_NAME, ParameterError
from jevons_compute.world.parameters.acts import check_acts
from jevons_compute.world.presets import PRESETS, EnsembleError, load_members
from jevons_compute.world.technology import COUNTERFACTUALS

SPEC_KEYS = {
    "name",
    "preset",
    "steps",
    "replications",
    "base_seed",
    "common_random_numbers",
    "counterfactual",
    "marginal",
    "fixed",
    "grid",
    "sample",
    "points",
    "ensemble",
}


#: sweeps larger than this are refused unless the user raises the limit (--max-runs)
DEFAULT_MAX_RUNS = 100_000
TABLES = ("fixed", "grid", "sample")


class SpecError(ValueError):
    """A sweep specification is invalid (one sentence naming the problem)."""


def bundled_specs() -> dict[str, Path]:
    """The example specs shipped with the package (``sweeps/specs/*.toml``), by name."""
    folder = resources.files("jevons_compute.experiments.sweeps").joinpath("specs")
    return {Path(f.name).stem: Path(str(f)) for f in folder.iterdir() if f.name.endswith(".toml")}


@dataclass
class Run:
    """One model run of a sweep."""

    run_id: int
    point: int  # design point index
    replication: int
    seed: int
    params: dict[str, Any]
    counterfactual: str = "algo"
    marginal: bool = True


@dataclass
class SweepSpec:
    name: str = "sweep"
    preset: str = "default"
    steps: int = 144
    replications: int = 1
    base_seed: int = 42
    common_random_numbers: bool = True
    counterfactual: str = "algo"  # the twin's frozen source (JevonsModel), or "none"
    marginal: bool = True  # also the marginal twin (jevons_elasticity)
    fixed: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, list] = field(default_factory=dict)
    sample: dict[str, Any] = field(default_factory=dict)
    points: list[dict[str, Any]] = field(default_factory=list)  # explicit design points
    ensemble: str = ""  # a calibrated ensemble's CSV: its members become the points

    # --- construction
    @classmethod
    def from_toml(cls, path: str | Path) -> SweepSpec:
        """A spec from a TOML file, or from a spec shipped with the package by its name
        (``elasticity_x_efficiency``: ``bundled_specs()`` lists them)."""
        path = Path(path)
        if not path.exists() and path.suffix == "" and path.name in bundled_specs():
            path = bundled_specs()[path.name]
        try:
            data = tomllib.loads(path.read_text())
        except FileNotFoundError:
            raise SpecError(
                f"spec file {path} does not exist: give a TOML file or a bundled spec ("
                + ", ".join(bundled_specs())
                + ")."
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecError(
                f"spec file {path} cannot be read ({exc.__class__.__name__}): give a TOML file."
            ) from None
        except tomllib.TOMLDecodeError as exc:
            raise SpecError(f"spec file {path} is not valid TOML: {exc}.") from None
        if not data:
            raise SpecError(
                f"spec file {path} is empty: give at least a [grid] or [sample] table "
                f"(see the bundled specs: {', '.join(bundled_specs())})."
            )
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict, source: str = "spec") -> SweepSpec:
        unknown = set(data) - SPEC_KEYS
        if unknown:
            raise SpecError(
                f"{source}: unknown key {sorted(unknown)[0]!r}; allowed keys are "
                + ", ".join(sorted(SPEC_KEYS))
                + "."
            )
        for key in ("name", "preset"):
            if key in data and not isinstance(data[key], str):
                raise SpecError(f"{source}: {key} = {_show(data[key])} must be a string.")
        for key in TABLES:
            if key in data and not isinstance(data[key], dict):
                raise SpecError(
                    f"{source}: {key} = {_show(data[key])} must be a table ([{key}] with "
                    "one line per parameter)."
                )
        spec = cls(**{k: v for k, v in data.items()})
        spec.validate(source)
        return spec

    # --- checks
    def validate(self, source: str = "spec") -> None:
        if self.preset not in PRESETS:
            raise SpecError(
                f"{source}: unknown preset {self.preset!r}; use one of " + ", ".join(PRESETS) + "."
            )
        for key, low, high in (
            ("steps", 1, 1200),
            ("replications", 1, 10_000),
            ("base_seed", 0, 2**63 - 1),
        ):
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise SpecError(
                    f"{source}: {key} = {value!r} must be an integer from {low} to {high}."
                )
        for key in ("common_random_numbers", "marginal"):
            if not isinstance(getattr(self, key), bool):
                raise SpecError(f"{source}: {key} must be true or false.")
        if self.counterfactual not in COUNTERFACTUALS:
            raise SpecError(
                f"{source}: counterfactual = {self.counterfactual!r} must be one of "
                + ", ".join(repr(c) for c in COUNTERFACTUALS)
                + "."
            )
        if sum(map(bool, (self.grid, self.sample, self.points or self.ensemble))) > 1:
            raise SpecError(
                f"{source}: give one of [grid], [sample], [[points]] or ensemble, not several."
            )
        if self.ensemble:
            self._load_ensemble(source)
        try:
            for name, value in self.fixed.items():
                self.fixed[name] = _coerce(name, value)
            for name, values in self.grid.items():
                if not isinstance(values, list) or not values:
                    raise SpecError(f"{source}: grid {name!r} must be a non-empty list of values.")
                self.grid[name] = [_coerce(name, v) for v in values]
            if self.sample:
                self._validate_sample(source)
            if self.points:
                self._validate_points(source)
        except ParameterError as exc:
            raise SpecError(f"{source}: {exc}") from None
        overlap = set(self.fixed) & set(self.varied)
        if overlap:
            raise SpecError(f"{source}: {sorted(overlap)[0]!r} is both fixed and varied.")

    def _load_ensemble(self, source: str) -> None:
        if not isinstance(self.ensemble, str):
            raise SpecError(f"{source}: ensemble = {_show(self.ensemble)} must be a file path.")
        try:
            members = load_members(self.ensemble)
        except EnsembleError as exc:
            raise SpecError(f"{source}: {exc}") from None
        if self.points and self.points != members:  # a saved spec: its members, unchanged
            raise SpecError(
                f"{source}: the ensemble file {self.ensemble} no longer holds the members this "
                "spec was made with: give the ensemble alone."
            )
        self.points = members

    def _validate_points(self, source: str) -> None:
        if not isinstance(self.points, list) or not all(isinstance(p, dict) for p in self.points):
            raise SpecError(f"{source}: points must be a list of tables ([[points]]).")
        names = list(self.points[0])
        for i, point in enumerate(self.points):
            if list(point) != names:
                raise SpecError(
                    f"{source}: design point {i} sets {sorted(point)}, not the same parameters "
                    f"as point 0 ({sorted(names)})."
                )
            for name, value in point.items():
                point[name] = _coerce(name, value)

    def _validate_sample(self, source: str) -> None:
        s = self.sample
        unknown = set(s) - {"method", "n", "ranges"}
        if unknown:
            raise SpecError(
                f"{source}: unknown key {sorted(unknown)[0]!r} in [sample]; "
                "allowed: method, n, ranges."
            )
        if s.get("method") not in ("lhs", "sobol"):
            raise SpecError(
                f"{source}: sample method must be 'lhs' or 'sobol', not {s.get('method')!r}."
            )
        n = s.get("n")
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 1_000_000:
            raise SpecError(f"{source}: sample n = {n!r} must be an integer from 1 to 1000000.")
        if s["method"] == "sobol" and n & (n - 1):
            raise SpecError(f"{source}: sample n = {n} must be a power of 2 for Sobol.")
        ranges = s.get("ranges")
        if not isinstance(ranges, dict) or not ranges:
            raise SpecError(f"{source}: [sample.ranges] must name at least one parameter.")
        for name, bounds in ranges.items():
            p = BY_NAME.get(name)
            if p is None:
                raise ParameterError(
                    f"unknown parameter {name!r}: see `jevons-compute params` for the list."
                )
            if p.type not in (int, float):
                raise SpecError(
                    f"{source}: {name!r} is not numeric and cannot be sampled; put it in [grid]."
                )
            if (
                not isinstance(bounds, list)
                or len(bounds) != 2
                or not all(isinstance(b, int | float) for b in bounds)
            ):
                raise SpecError(f"{source}: range of {name!r} must be [low, high].")
            low, high = bounds
            if not low < high:
                raise SpecError(
                    f"{source}: range of {name!r} is inverted or empty: [{low}, "
                    f"{high}]; give [low, high] with low < high."
                )
            _coerce(name, low)
            _coerce(name, high)

    # --- the runs
    def n_runs(self) -> int:
        """How many runs the spec expands to, counted without expanding it."""
        if self.grid:
            points = math.prod(len(v) for v in self.grid.values())
        elif self.sample:
            n = self.sample["n"]
            points = n * (len(self.sample["ranges"]) + 2) if self.sample["method"] == "sobol" else n
        elif self.points:
            points = len(self.points)
        else:
            points = 1
        return points * self.replications

    def check_size(self, max_runs: int = DEFAULT_MAX_RUNS) -> None:
        """SpecError if the sweep has more than ``max_runs`` runs (before building any)."""
        n = self.n_runs()
        if n > max_runs:
            raise SpecError(
                f"the sweep has {n:,} runs, more than the limit of {max_runs:,}: shrink the "
                "grid, sample or replications, or raise the limit with --max-runs."
            )

    @property
    def varied(self) -> list[str]:
        if self.points:
            return list(self.points[0])
        return list(self.grid) if self.grid else list(self.sample.get("ranges", {}))

    def design(self) -> list[dict[str, Any]]:
        """The design points: each a dict of the varied parameters."""
        if self.grid:
            names = list(self.grid)
            return [dict(zip(names, combo)) for combo in itertools.product(*self.grid.values())]
        if self.sample:
            return [dict(zip(self.varied, row)) for row in self.sample_matrix()]
        if self.points:
            return [dict(p) for p in self.points]
        return [{}]

    def sample_matrix(self) -> np.ndarray:
        ranges = self.sample["ranges"]
        names = list(ranges)
        bounds = np.array([ranges[n] for n in names], dtype=float)
        if self.sample["method"] == "sobol":
            from SALib.sample import sobol as sobol_sample

            matrix = sobol_sample.sample(
                self.salib_problem(), self.sample["n"], calc_second_order=False, seed=self.base_seed
            )
        else:
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(names), seed=self.base_seed).random(self.sample["n"])
            matrix = qmc.scale(unit, bounds[:, 0], bounds[:, 1])
        for j, name in enumerate(names):  # integer parameters are rounded
            if BY_NAME[name].type is int:
                matrix[:, j] = np.round(matrix[:, j])
        return matrix

    def salib_problem(self) -> dict:
        ranges = self.sample["ranges"]
        return {
            "num_vars": len(ranges),
            "names": list(ranges),
            "bounds": [list(map(float, b)) for b in ranges.values()],
        }

    def runs(self) -> list[Run]:
        """Every run of the spec. SpecError if a parameter it sets or varies acts at none of
        its design points (``world.parameters.acts``; one that acts at some, such as a grid
        limit crossed with power limits on and off, is kept)."""
        runs = []
        design = self.design()
        idle = {name: "" for name in [*self.fixed, *{k for point in design for k in point}]}
        for point, varied in enumerate(design):
            given = {**self.fixed, **{k: _python(k, v) for k, v in varied.items()}}
            params = {**PRESETS[self.preset], **given}
            for name in [n for n in idle if n in given]:  # it must act at some point
                try:
                    check_acts({name: given[name]}, params)
                    del idle[name]
                except ParameterError as exc:
                    idle[name] = idle[name] or str(exc)
            for rep in range(self.replications):
                run_id = len(runs)
                index = rep if self.common_random_numbers else run_id
                seed = derive_seed(self.base_seed, index)
                runs.append(
                    Run(run_id, point, rep, seed, params, self.counterfactual, self.marginal)
                )
        never = [message for message in idle.values() if message]
        if never:
            raise SpecError(f"at every design point: {never[0]}")
        return runs

    def to_dict(self) -> dict:
        d = {
            "name": self.name,
            "preset": self.preset,
            "steps": self.steps,
            "replications": self.replications,
            "base_seed": self.base_seed,
            "common_random_numbers": self.common_random_numbers,
            "counterfactual": self.counterfactual,
            "marginal": self.marginal,
            "fixed": self.fixed,
        }
        if self.grid:
            d["grid"] = self.grid
        if self.sample:
            d["sample"] = self.sample
        if self.points:
            d["points"] = self.points  # an ensemble's members too: its content counts
        if self.ensemble:
            d["ensemble"] = self.ensemble
        return d

    def fingerprint(self) -> str:
        """Hash of everything that determines the runs' results (not the name). Key order
        counts: it orders the grid's runs and the sample's columns."""
        d = self.to_dict()
        d.pop("name")
        return hashlib.sha256(json.dumps(d).encode()).hexdigest()[:16]


def derive_seed(base_seed: int, index: int) -> int:
    """A 63-bit seed from the base seed and an index (numpy SeedSequence)."""
    state = np.random.SeedSequence(base_seed, spawn_key=(index,)).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1]))


def _coerce(name: str, value):
    p = BY_NAME.get(name)
    if p is None:
        raise ParameterError(
            f"unknown parameter {_show(name)}: see `jevons-compute params` for the list."
        )
    try:
        return p.coerce(value)
    except (OverflowError, ValueError) as exc:  # inf or 1e400 for an integer, too long, ...
        if isinstance(exc, ParameterError) and len(str(value)) <= 60:
            raise
        raise ParameterError(f"{name}={_show(value)} is not allowed: use {p.allowed()}.") from None


def _show(value) -> str:
    """A value for a message: its repr, cut short when long."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}...({len(text)} characters)"


def _python(name: str, value):
    """Plain Python values of the parameter's type (agents get floats, not numpy scalars)."""
    return BY_NAME[name].coerce(value.item() if hasattr(value, "item") else value)


def parse_grid_options(items: list[str]) -> dict[str, list[str]]:
    """``--grid NAME=V1,V2`` options into a grid dict (values validated later)."""
    grid = {}
    for item in items:
        name, sep, values = item.partition("=")
        if not sep or not name.strip():
            raise SpecError(
                f"--grid {_show(item)} is not NAME=V1,V2,...: write e.g. "
                "--grid price_elasticity=0.5,1.0,1.5."
            )
        name = name.strip()
        listed = [v.strip() for v in values.split(",") if v.strip()]
        if not listed:
            raise SpecError(f"--grid {_show(name)} has an empty list of values.")
        if name in grid:
            raise SpecError(
                f"--grid {_show(name)} is given twice: give all its values in one "
                f"--grid {name}=V1,V2,..."
            )
        grid[name] = listed
    return grid
