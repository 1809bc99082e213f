"""When a parameter acts: some parameters matter only under an option (``price_elasticity``
only with constant-elasticity demand). A scenario that moves such a parameter while its
option is off is refused in one sentence naming the option, so that no run silently
ignores what it was asked (the command line, sweep specs, the Python API); the browser
page disables the control and says why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jevons_compute.world.parameters.schema import ParameterError


@dataclass(frozen=True)
class ActsWhen:
    """``parameters`` act only when ``holds(values)``; ``option``: the setting that makes
    them act, as the user would give it; ``reason``: why they do not, for the page."""

    parameters: tuple[str, ...]
    holds: Callable[[dict[str, Any]], bool]
    option: str
    off: Callable[[dict[str, Any]], str]
    reason: str


def _china(values: dict[str, Any]) -> bool:
    return "CN" in values["regions"].split(",")


RULES: tuple[ActsWhen, ...] = (
    ActsWhen(
        ("price_elasticity", "tokens_per_worker", "productivity_gain"),
        lambda v: v["demand_model"] == "constant_elasticity",
        "demand_model=constant_elasticity",
        lambda v: f"demand_model={v['demand_model']}",
        "Applies to constant-elasticity demand only.",
    ),
    ActsWhen(
        (
            "task_value_median",
            "task_value_sigma",
            "task_success_slope",
            "task_creation_elasticity",
        ),
        lambda v: v["demand_model"] == "task_value",
        "demand_model=task_value",
        lambda v: f"demand_model={v['demand_model']}",
        "Applies to task-value demand only.",
    ),
    ActsWhen(
        ("ai_share_of_grid", "grid_lead_time"),
        lambda v: v["power_limited"],
        "power_limited=true",
        lambda v: "power_limited=false",
        "Power is unlimited: power limits are off.",
    ),
    ActsWhen(
        ("financing_shock_step",),
        lambda v: v["financing_shock"] > 0,
        "a financing_shock above 0",
        lambda v: "financing_shock=0",
        "No financing shock: its month does not matter.",
    ),
    ActsWhen(
        ("chip_supply_elasticity",),
        lambda v: v["chip_price_response"] > 0,
        "a chip_price_response above 0",
        lambda v: "chip_price_response=0",
        "Vendors charge list prices: no premium for capacity to answer.",
    ),
    ActsWhen(
        (
            "consumer_serving_share",
            "consumer_serving_elasticity",
            "consumer_tokens_floor",
            "consumer_quality_response",
            "consumer_bass_p",
            "consumer_bass_q",
            "consumer_initial_share",
            "consumer_revenue_per_user_us",
            "consumer_revenue_per_user_eu",
            "consumer_revenue_per_user_cn",
            "consumer_revenue_growth",
        ),
        lambda v: v["consumer_ceiling"] > 0,
        "a consumer_ceiling above 0",
        lambda v: "consumer_ceiling=0",
        "No consumers: the ceiling is 0.",
    ),
    ActsWhen(
        ("shock_step", "open_adoption_p", "open_adoption_q", "cross_region_hosting"),
        lambda v: v["shock_factor"] > 1,
        "a shock_factor above 1",
        lambda v: "shock_factor=1 (no open-model shock)",
        "The shock is off.",
    ),
    ActsWhen(
        ("inference_mfu_max",),
        lambda v: v["inference_mfu_growth"] > 1,
        "an inference_mfu_growth above 1",
        lambda v: "inference_mfu_growth=1 (serving MFU constant)",
        "Serving MFU is constant: it grows only with inference_mfu_growth above 1.",
    ),
    ActsWhen(
        ("export_controls", "domestic_preference", "domestic_preference_step"),
        _china,
        "regions including CN",
        lambda v: f"regions={v['regions']}",
        "China is not modelled in this preset.",
    ),
)
BY_PARAMETER: dict[str, ActsWhen] = {name: r for r in RULES for name in r.parameters}


def inert_reason(name: str, values: dict[str, Any]) -> str | None:
    """Why ``name`` does not act under ``values`` (every parameter's value), or None."""
    rule = BY_PARAMETER.get(name)
    return None if rule is None or rule.holds(values) else rule.reason


def check_acts(given: dict[str, Any], values: dict[str, Any]) -> None:
    """ParameterError, in one sentence, for the first parameter of ``given`` moved from its
    default that does not act under ``values`` (the scenario's values; the table's
    defaults for the others)."""
    from jevons_compute.world.parameters import BY_NAME

    values = {p: spec.default for p, spec in BY_NAME.items()} | values
    for name, value in given.items():
        rule = BY_PARAMETER.get(name)
        if rule is None or value == BY_NAME[name].default or rule.holds(values):
            continue
        raise ParameterError(
            f"{name}={value!r} does not act under {rule.off(values)}: it acts with "
            f"{rule.option}; set that as well, or leave {name} out."
        )
