"""CART scenario discovery: the leaves of a classification tree as boxes.

``jevons-compute discover DIR --where EXPR --method cart`` fits the EMA Workbench's CART
(``ema_workbench.analysis.cart``, a wrapper of scikit-learn's DecisionTreeClassifier with
at least 5% of the runs in each leaf) and reports the leaves where most runs are of
interest, each a box of parameter ranges with its coverage, density and mass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jevons_compute.experiments.discovery.prim import _plain, _span, _unit, ema_analysis, prepare
from jevons_compute.experiments.runs.figures import png, subplots


@dataclass
class CartBoxes:
    """CART's leaves where most runs are of interest (largest coverage first)."""

    where: str
    n_runs: int
    n_interest: int
    inputs: list[str]
    leaves: list[dict]  # coverage, density, mass, limits (restricted inputs only)
    ranges: dict[str, tuple]

    def text(self) -> str:
        lines = [
            f'{self.n_interest} of {self.n_runs} runs where "{self.where}" '
            f"({100 * self.n_interest / self.n_runs:.0f}%).",
            f"CART: {len(self.leaves)} {'leaf' if len(self.leaves) == 1 else 'leaves'} where "
            "most runs are of interest:",
        ]
        width = max(map(len, self.inputs))
        for i, leaf in enumerate(self.leaves):
            lines.append(
                f"  leaf {i}: coverage {leaf['coverage']:.2f}, density {leaf['density']:.2f}, "
                f"mass {leaf['mass']:.2f}"
            )
            for name, limits in leaf["limits"].items():
                lines.append(f"    {name:<{width}}  {_span(limits)}{_unit(name)}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "where": self.where,
            "method": "CART (ema_workbench.analysis.cart)",
            "runs": self.n_runs,
            "runs_of_interest": self.n_interest,
            "inputs": self.inputs,
            "leaves": [
                {
                    **{k: leaf[k] for k in ("coverage", "density", "mass")},
                    "limits": {k: list(map(_plain, v)) for k, v in leaf["limits"].items()},
                }
                for leaf in self.leaves
            ],
            "ranges": {k: list(map(_plain, v)) for k, v in self.ranges.items()},
        }

    def markdown(self) -> str:
        return (
            f"# Scenario discovery (CART)\n\n```\n{self.text()}\n```\n\n"
            "Figure: [discovery.png](discovery.png)\n"
        )


def cart(runs: pd.DataFrame, where: str, inputs: list[str]) -> CartBoxes:
    """CART over ``inputs`` of the successful ``runs``; the leaves with density > 0.5."""
    x, y = prepare(runs, where, inputs)
    algorithm = ema_analysis("cart").CART(x, y, mass_min=max(0.05, 1.5 / len(y)))
    algorithm.build_tree()
    init = x.apply(
        lambda c: (
            pd.Series([c.min(), c.max()]) if c.dtype.kind in "if" else pd.Series([set(c), set(c)])
        )
    )
    ranges = {n: _limits(init[n]) for n in inputs}
    leaves = []
    for box, stats in zip(algorithm.boxes, algorithm.stats):
        if stats["density"] <= 0.5:
            continue
        limits = {n: _limits(box[n]) for n in inputs if _limits(box[n]) != ranges[n]}
        leaves.append(
            {
                "coverage": float(stats["coverage"]),
                "density": float(stats["density"]),
                "mass": float(stats["mass"]),
                "limits": limits,
            }
        )
    leaves.sort(key=lambda leaf: (-leaf["coverage"], -leaf["density"]))
    return CartBoxes(where, len(y), int(y.sum()), list(inputs), leaves, ranges)


def _limits(column: pd.Series) -> tuple:
    low, high = column.iloc[0], column.iloc[1]
    if isinstance(low, set):
        return (set(low),)
    return (_plain(low), _plain(high))


def cart_figure(found: CartBoxes) -> bytes:
    """PNG: coverage and density of each leaf of interest."""
    fig, ax = subplots(figsize=(7, 4.2), constrained_layout=True)
    index = np.arange(len(found.leaves))
    ax.bar(index - 0.2, [leaf["coverage"] for leaf in found.leaves], 0.4, label="coverage")
    ax.bar(index + 0.2, [leaf["density"] for leaf in found.leaves], 0.4, label="density")
    ax.set_xticks(index, [f"leaf {i}" for i in index])
    ax.set_xlabel("CART leaf where most runs are of interest")
    ax.set_ylabel("share (coverage: of the runs of interest; density: of the leaf's runs)")
    ax.set_ylim(0, 1.05)
    ax.legend()
    ax.set_title(f'CART leaves: where "{found.where}"')
    return png(fig)
