"""Every scenario parameter: default, unit, allowed values and source.

This table is the single source of truth: ``JevonsScenario`` takes its defaults from it,
``jevons-compute params`` prints it, the CLI and the sweep engine validate against it, and
docs/calibration.md is generated from it. Its rows live in ``demand`` and ``supply``; what
a row is, in ``schema``.
"""

from __future__ import annotations

from typing import Any

from jevons_compute.world.parameters.demand import DEMAND
from jevons_compute.world.parameters.schema import Parameter, ParameterError, Uncertain, shown
from jevons_compute.world.parameters.supply import SUPPLY

PARAMETERS: tuple[Parameter, ...] = (*DEMAND, *SUPPLY)
BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Return ``values`` coerced to their types; raise ParameterError on the first bad one."""
    clean = {}
    for name, value in values.items():
        if name not in BY_NAME:
            raise ParameterError(
                f"unknown parameter {shown(name)}: see `jevons-compute params` for the list."
            )
        clean[name] = BY_NAME[name].coerce(value)
    return clean


def defaults() -> dict[str, Any]:
    return {p.name: p.default for p in PARAMETERS}


U = Uncertain
#: The uncertain parameters history matching searches (jevons-compute experiment calibrate); every
#: other parameter stays at its default.
UNCERTAIN: tuple[Uncertain, ...] = (
    U("task_value_median", 1e-3, 1.6e-2, True, "no direct measure: set so that ~8% of "
      "GPT-4-tier US tasks paid at early-2023 prices; x4 either side"),
    U("task_value_sigma", 1.0, 3.0, False, "no direct measure: spread of task values, hence "
      "the market elasticity (default swept 0.5-3)"),
    U("tokens_per_task_minute", 1e3, 2.5e4, True, "no direct measure: prompt, context and "
      "answer of a task; agentic and document tasks take far more"),
    U("integration_cost", 5e2, 2e4, True, "no direct measure: subscriptions and set-up to a "
      "few person-weeks of a project"),
    U("bass_q", 0.1, 1.0, False, "spread of Bass imitation coefficients across products "
      "(Sultan, Farley & Lehmann 1990)"),
    U("initial_adoption", 0.03, 0.3, True, "maps BTOS's 3.7% of firms onto firms for which "
      "adoption pays; that share is itself modelled"),
    U("consumer_revenue_per_user_us", 0.8, 3.0, True, "US consumer revenue ~1.5-2bn USD "
      "in 2024 over ~100M users; who counts as a user (weekly, monthly) moves it ~x2"),
    U("consumer_serving_share", 0.5, 1.1, False, "OpenAI's 2024 inference compute 2-4bn "
      "USD (Epoch AI; The Information) on ~3.7bn USD of revenue"),
    U("algo_efficiency_gain", 3.0, 40.0, True, "price falls at fixed capability of 9-900x a "
      "year by threshold, ~40x at GPT-4 level (Epoch AI 2025)"),
    U("training_revenue_share", 0.2, 2.0, True, "no direct measure: labs' training spend per "
      "USD of token revenue; capex exceeded revenue in 2023-24"),
    U("initial_revenue_growth", 1.5, 4.5, False, "OpenAI annualised revenue grew ~2.5-3x a "
      "year in 2023-24 (The Information); expectations unmeasured"),
    U("premium_markup", 0.5, 5.0, True, "list prices over estimated serving cost vary ~x2-10"),
    U("inference_mfu", 0.03, 0.3, True, "serving MFU 3-30% by batch size (Epoch AI assumes 10%)"),
    U("floor_ratio", 1e-3, 1e-1, True, "no floor of FLOPs per token at fixed capability is "
      "visible yet (Epoch AI 2025): GPT-4 level at ~0.3-30B active parameters"),
    U("tokens_per_task_growth", 1.0, 5.0, True, "answers grow ~2.2x a year, reasoning "
      "answers ~5x (Epoch AI 2025); 1: no growth (the 2035 verdict turns on it, DESIGN v3)"),
)  # fmt: skip
del U


__all__ = [
    "BY_NAME",
    "PARAMETERS",
    "UNCERTAIN",
    "Parameter",
    "ParameterError",
    "Uncertain",
    "defaults",
    "shown",
    "validate",
]
