"""Scenario discovery over a sweep: where in parameter space does an outcome happen?

``jevons-compute discover DIR --where "rebound > 1"`` selects the runs of interest with a
pandas expression over runs.parquet's columns and runs PRIM (the Patient Rule Induction
Method, Friedman & Fisher 1999) as implemented by the EMA Workbench
(``ema_workbench.analysis.prim``) over the sweep's varied parameters. PRIM peels the
parameter space into a sequence of ever smaller boxes (the peeling trajectory), trading
coverage (share of the runs of interest inside the box) for density (share of the runs
inside the box that are of interest). The box reported is the densest with at least
``min_coverage`` coverage.

The ``backfire_discovery`` experiment samples the uncertain parameters with a Latin
hypercube and asks where efficiency backfires.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from jevons_compute.experiments.runs.figures import png, subplots
from jevons_compute.experiments.sweeps.spec import SpecError
from jevons_compute.world.parameters import BY_NAME

MAX_SHOWN = 80  # characters of an expression echoed back in an error


def _cut(text: str) -> str:
    return (
        text
        if len(text) <= MAX_SHOWN
        else f"{text[: MAX_SHOWN - 20]}... ({len(text):,} characters)"
    )


def select(runs: pd.DataFrame, where: str) -> pd.Series:
    """Boolean mask of the runs where the pandas expression ``where`` holds.

    Raises SpecError (one sentence) for an empty or invalid expression, an unknown column or
    a result that is not true/false for each run.
    """
    if not where.strip():
        raise SpecError('--where is empty: give a condition such as "rebound > 1".')
    bookkeeping = ("run_id", "point", "replication", "seed", "status", "error", "label")
    columns = ", ".join(c for c in runs.columns if c not in BY_NAME and c not in bookkeeping)
    try:
        result = runs.eval(where, engine="python")
    except (NameError, KeyError) as exc:  # pandas' UndefinedVariableError is a NameError
        name = str(exc).split("'")[1] if "'" in str(exc) else str(exc)
        raise SpecError(
            f"--where {_cut(where)!r} names an unknown column {_cut(name)!r}: use a parameter "
            f"(`jevons-compute params`) or one of {columns}."
        ) from None
    except Exception as exc:
        raise SpecError(
            f"--where {_cut(where)!r} is not a valid condition ({type(exc).__name__}): write "
            "a pandas expression over runs.parquet's columns, e.g. \"rebound > 1 and "
            'price_elasticity < 2".'
        ) from None
    if not isinstance(result, pd.Series) or not pd.api.types.is_bool_dtype(result.dtype):
        raise SpecError(
            f"--where {_cut(where)!r} is not a condition (true or false for each run): "
            'compare a column with a value, e.g. "rebound > 1".'
        )
    return result.fillna(False).astype(bool)


@dataclass
class Discovery:
    """What PRIM found: the chosen box and the whole peeling trajectory."""

    where: str
    n_runs: int
    n_interest: int
    inputs: list[str]
    box: int  # index of the chosen box on the trajectory
    coverage: float
    density: float
    mass: float
    limits: dict[str, tuple]  # restricted inputs -> (low, high) or (set of values,)
    ranges: dict[str, tuple]  # every input -> its range in the sweep
    trajectory: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict:
        return {
            "where": self.where,
            "method": "PRIM (ema_workbench.analysis.prim)",
            "runs": self.n_runs,
            "runs_of_interest": self.n_interest,
            "inputs": self.inputs,
            "box": {
                "index": self.box,
                "coverage": self.coverage,
                "density": self.density,
                "mass": self.mass,
                "limits": {k: list(map(_plain, v)) for k, v in self.limits.items()},
            },
            "ranges": {k: list(map(_plain, v)) for k, v in self.ranges.items()},
            "trajectory": self.trajectory[["coverage", "density", "mass", "res_dim"]].to_dict(
                "records"
            ),
        }

    def text(self) -> str:
        lines = [
            f'{self.n_interest} of {self.n_runs} runs where "{self.where}" '
            f"({100 * self.n_interest / self.n_runs:.0f}%).",
            f"PRIM box {self.box} of {len(self.trajectory) - 1} on the peeling trajectory:",
            f"  coverage {self.coverage:.2f}  (share of the runs of interest inside the box)",
            f"  density  {self.density:.2f}  (share of the runs inside the box that are of "
            "interest)",
            f"  mass     {self.mass:.2f}  (share of all runs inside the box)",
        ]
        width = max(map(len, self.inputs))
        for name in self.inputs:
            unit = _unit(name)
            if name in self.limits:
                lines.append(
                    f"  {name:<{width}}  {_span(self.limits[name])}{unit}"
                    f"   (swept {_span(self.ranges[name])})"
                )
        free = [n for n in self.inputs if n not in self.limits]
        if free:
            lines.append("  unrestricted: " + ", ".join(free))
        return "\n".join(lines)


def _plain(x):
    if isinstance(x, set | frozenset):
        return sorted(map(_plain, x))
    return x.item() if hasattr(x, "item") else x


def _unit(name: str) -> str:
    p = BY_NAME.get(name)
    return f" {p.unit}" if p is not None and p.unit not in ("", "1") else ""


def _span(limits: tuple) -> str:
    if len(limits) == 1:
        return "{" + ", ".join(map(str, sorted(limits[0]))) + "}"
    low, high = limits
    return f"{low:.4g} to {high:.4g}"


def prepare(runs: pd.DataFrame, where: str, inputs: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """(inputs of the successful runs, whether each is of interest); SpecError when there
    is nothing to tell apart."""
    ok = runs[runs["status"] == "ok"].reset_index(drop=True) if "status" in runs else runs
    if ok.empty:
        raise SpecError("the sweep has no successful run to discover anything in.")
    missing = [name for name in inputs if name not in ok.columns]
    if missing:
        raise SpecError(
            f"--inputs names {_cut(missing[0])!r}, which is not a column of runs.parquet: use "
            "parameters the sweep varied, e.g. "
            + ", ".join(c for c in ok.columns if c in BY_NAME)
            + "."
        )
    y = select(ok, where).to_numpy()
    n_interest = int(y.sum())
    if n_interest in (0, len(y)):
        raise SpecError(
            f'{"no" if n_interest == 0 else "every"} successful run satisfies "{_cut(where)}" '
            f"({len(y)} runs): discovery needs runs on both sides; change the condition or "
            "the sweep."
        )
    x = ok[inputs].copy()
    for name in inputs:
        if x[name].dtype == bool:
            x[name] = x[name].map({True: "true", False: "false"})
    return x, y


def ema_analysis(name: str):
    """An EMA Workbench analysis module (imported on first use: it takes seconds)."""
    import importlib

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns about optional packages
        return importlib.import_module(f"ema_workbench.analysis.{name}")


def prim(runs: pd.DataFrame, where: str, inputs: list[str], min_coverage: float = 0.8) -> Discovery:
    """PRIM over ``inputs`` of the successful ``runs``, the runs of interest where ``where``
    holds; the box chosen is the densest with coverage >= ``min_coverage``."""
    x, y = prepare(runs, where, inputs)
    n_interest = int(y.sum())
    algorithm = ema_analysis("prim").Prim(x, y)
    box = algorithm.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    eligible = trajectory[trajectory["coverage"] >= min_coverage]
    chosen = int(
        eligible.sort_values(["density", "coverage"], ascending=False, kind="stable").index[0]
    )
    lims, init = box.box_lims[chosen], algorithm.box_init
    limits, ranges = {}, {}
    for name in inputs:
        low, high = init[name].iloc[0], init[name].iloc[1]
        ranges[name] = (set(low),) if isinstance(low, set) else (low, high)
        b_low, b_high = lims[name].iloc[0], lims[name].iloc[1]
        if isinstance(b_low, set):
            if b_low != low:
                limits[name] = (set(b_low),)
        elif (b_low, b_high) != (low, high):
            limits[name] = (b_low, b_high)
    row = trajectory.loc[chosen]
    return Discovery(
        where=where,
        n_runs=len(y),
        n_interest=n_interest,
        inputs=list(inputs),
        box=chosen,
        coverage=float(row["coverage"]),
        density=float(row["density"]),
        mass=float(row["mass"]),
        limits=limits,
        ranges=ranges,
        trajectory=trajectory,
    )


def trajectory_figure(found: Discovery, runs: pd.DataFrame) -> bytes:
    """PNG: the peeling trajectory (coverage against density) and the chosen box over the
    runs in its two most restricted inputs."""
    fig, axes = subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    ax = axes[0]
    t = found.trajectory
    points = ax.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", zorder=3)
    ax.plot(t["coverage"], t["density"], color="grey", lw=0.8, zorder=2)
    ax.scatter(
        [found.coverage],
        [found.density],
        s=160,
        facecolors="none",
        edgecolors="red",
        zorder=4,
        label=f"box {found.box} (reported)",
    )
    fig.colorbar(
        points,
        ax=ax,
        label="restricted parameters (count)",
        ticks=range(int(t["res_dim"].max()) + 1),
    )
    ax.set_xlabel("coverage (share of runs of interest inside the box)")
    ax.set_ylabel("density (share of runs in the box that are of interest)")
    ax.set_xlim(-0.02, 1.05)
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower left")
    ax.set_title("PRIM peeling trajectory")
    ax = axes[1]
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    interest = select(ok, found.where).to_numpy()
    numeric = [n for n in found.inputs if len(found.ranges[n]) == 2]
    shown = sorted(numeric, key=lambda n: n not in found.limits)[:2]
    if len(shown) == 2:
        xs, ys = ok[shown[0]].to_numpy(float), ok[shown[1]].to_numpy(float)
    elif len(shown) == 1:
        xs, ys = ok[shown[0]].to_numpy(float), np.random.default_rng(0).uniform(0, 1, len(ok))
    else:
        xs = ys = None
    if xs is not None:
        ax.scatter(xs[~interest], ys[~interest], c="tab:blue", s=14, label="not of interest")
        ax.scatter(xs[interest], ys[interest], c="tab:red", s=14, label=found.where)
        x0, x1 = found.limits.get(shown[0], found.ranges[shown[0]])
        if len(shown) == 2:
            y0, y1 = found.limits.get(shown[1], found.ranges[shown[1]])
        else:
            y0, y1 = 0.0, 1.0
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="black", lw=1.5, ls="--"))
        ax.set_xlabel(f"{shown[0]} ({_unit(shown[0]).strip() or 'dimensionless'})")
        ax.set_ylabel(
            f"{shown[1]} ({_unit(shown[1]).strip() or 'dimensionless'})"
            if len(shown) == 2
            else "runs (spread out for visibility)"
        )
        ax.legend(loc="best", fontsize=8)
    ax.set_title(
        f"box {found.box} (dashed): coverage {found.coverage:.2f}, density {found.density:.2f}"
    )
    fig.suptitle(f'scenario discovery: where "{found.where}"')
    return png(fig)


def markdown(found: Discovery) -> str:
    table = found.trajectory[["coverage", "density", "mass", "res_dim"]]
    rows = ["| box | coverage | density | mass | restricted |", "|---|---|---|---|---|"]
    for i, r in table.iterrows():
        mark = " (reported)" if i == found.box else ""
        rows.append(
            f"| {i}{mark} | {r['coverage']:.3f} | {r['density']:.3f} | {r['mass']:.3f} | "
            f"{int(r['res_dim'])} |"
        )
    return (
        f"# Scenario discovery (PRIM)\n\n```\n{found.text()}\n```\n\n"
        "Peeling trajectory:\n\n" + "\n".join(rows) + "\n\nFigure: [discovery.png](discovery.png)\n"
    )
