"""Every scenario parameter: default, unit, allowed values and source.

This table is the single source of truth: ``JevonsScenario`` takes its defaults from it,
``python run.py params`` prints it, the CLI and the sweep engine validate against it, and
docs/calibration.md is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: Longest value echoed back in an error message (a huge value is cut, not repeated whole).
MAX_SHOWN = 60


class ParameterError(ValueError):
    """A user-supplied parameter is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter.

    Attributes:
        name: the keyword used in Python, TOML specs and ``--set NAME=VALUE``.
        default: the calibrated default.
        unit: unit in words ("per year", "USD", "1" for dimensionless).
        doc: what it means in the world.
        source: where the default comes from ("assumption" where nothing better exists).
        low, high: inclusive bounds for numbers.
        choices: allowed values for strings.
    """

    name: str
    default: Any
    unit: str
    doc: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    label: str | None = None  # a short name for controls; the doc when absent

    @property
    def title(self) -> str:
        """A control's label: the short name (or the meaning), with the unit."""
        text = self.label or self.doc[0].upper() + self.doc[1:]
        if self.unit in ("", "1", "agents") or "(" in text:
            return text
        return f"{text} (x {self.unit})" if self.unit == "per year" else f"{text} ({self.unit})"

    @property
    def type(self) -> type:
        return type(self.default)

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f"'{c}'" for c in self.choices)
        if self.type is bool:
            return "true or false"
        kind = "an integer" if self.type is int else "a number"
        return f"{kind} from {_fmt(self.low)} to {_fmt(self.high)}"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ParameterError."""
        bad = ParameterError(f"{self.name}={shown(value)} is not allowed: use {self.allowed()}.")
        if self.type is bool:
            if isinstance(value, bool | np.bool_):
                return bool(value)
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
                return value.lower() in ("true", "1", "yes")
            raise bad
        if self.type is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise bad
            return value
        try:
            if isinstance(value, bool | np.bool_):
                raise ValueError
            if self.type is int:
                number = float(value) if isinstance(value, str) else value
                if float(number) != int(float(number)):
                    raise ValueError
                number = int(float(number))
            else:
                number = float(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int of "1e999"
            raise bad from None
        if number != number or not (self.low <= number <= self.high):  # NaN or out of range
            raise bad
        return number


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, cut to MAX_SHOWN characters."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    if len(text) <= MAX_SHOWN:
        return text
    size = len(value) if isinstance(value, str) else len(text)
    return f"{text[: MAX_SHOWN - 20]}... ({size:,} characters)"


def _fmt(x: float | None) -> str:
    return f"{x:g}"


P = Parameter
PARAMETERS: tuple[Parameter, ...] = (
    # --- population and time
    P(
        "n_firms",
        10_000,
        "agents",
        "firm agents; each stands for many real firms (a weight), so totals do not depend on it",
        "modelling choice",
        1,
        2_000_000,
        label="Firm agents",
    ),
    P(
        "n_providers",
        9,
        "agents",
        "cloud providers (spread over the regions in turn)",
        "modelling choice",
        1,
        100,
    ),
    P(
        "regions",
        "US,EU,CN",
        "",
        "regions with firms and providers",
        "modelling choice",
        choices=("US,EU,CN", "US,EU", "US", "EU", "CN"),
    ),
    P(
        "start_year",
        2023,
        "year",
        "calendar year of step 0 (January)",
        "GPT-4 released March 2023; modelling choice",
        2000,
        2100,
    ),
    P(
        "identical_firms",
        False,
        "",
        "all firms alike (size, wage, exposure); for the analytic limit",
        "modelling choice",
    ),
    # --- demand
    P(
        "demand_model",
        "constant_elasticity",
        "",
        "intensive-margin demand: tokens = A (p/p0)^-e, "
        "or tasks done when their value per token exceeds the price",
        "modelling choice (constant elasticity gives the analytic limit)",
        choices=("constant_elasticity", "task_value"),
        label="Demand model",
    ),
    P(
        "price_elasticity",
        1.1,
        "1",
        "price elasticity of token demand (constant_elasticity)",
        "assumption near the ~1.1 short-run elasticity across providers of one open model "
        "(OpenRouter prices)",
        0.0,
        5.0,
        label="Price elasticity of token demand",
    ),
    P(
        "task_value_median",
        5.0,
        "USD per Mtok",
        "median value of an AI task per million tokens (task_value)",
        "assumption: elasticity ~1.3 at 2023 prices, ~0.1 at $0.5/Mtok",
        0.001,
        1e4,
    ),
    P(
        "task_value_sigma",
        1.5,
        "1",
        "log-normal spread of task values (task_value)",
        "assumption",
        0.05,
        5.0,
    ),
    P(
        "tokens_per_worker",
        3.0e6,
        "tokens per month",
        "tokens an adopting firm uses per AI-exposed worker at the step-0 price",
        "assumption giving ~1e13 tokens a month in 2023 (OpenAI: ~100bn words/day, Feb 2024)",
        0.0,
        1e10,
    ),
    # --- adoption (extensive margin)
    P(
        "bass_p",
        0.03,
        "per year",
        "Bass innovation coefficient",
        "Bass-model averages (Sultan, Farley & Lehmann 1990, meta-analysis)",
        0.0,
        100.0,
    ),
    P(
        "bass_q",
        0.38,
        "per year",
        "Bass imitation coefficient (times adopted share of peers in the same region and sector)",
        "Sultan, Farley & Lehmann 1990, meta-analysis",
        0.0,
        100.0,
    ),
    P(
        "initial_adoption",
        0.10,
        "share",
        "share of firms with positive net benefit that have adopted at step 0",
        "calibrated to US firm AI use ~3.7% in late 2023 (Census BTOS)",
        0.0,
        1.0,
    ),
    P(
        "productivity_gain",
        0.15,
        "share",
        "output gain on AI-exposed work of an adopting firm",
        "Brynjolfsson, Li & Raymond (2023): +14% in customer support",
        0.0,
        1.0,
    ),
    P(
        "integration_cost",
        20_000.0,
        "USD",
        "one-off cost of adopting AI for a firm",
        "assumption",
        0.0,
        1e8,
    ),
    P(
        "integration_amortization",
        36,
        "months",
        "months over which a firm spreads the integration cost when it weighs adoption",
        "assumption",
        1,
        240,
    ),
    # --- provider choice
    P(
        "price_sensitivity",
        3.0,
        "1",
        "logit weight on log price in provider choice",
        "assumption",
        0.0,
        50.0,
    ),
    P(
        "premium_quality",
        0.5,
        "utils",
        "logit utility bonus of premium providers' models",
        "assumption",
        0.0,
        10.0,
    ),
    P(
        "switching_rate",
        0.1,
        "per month",
        "share of adopters that re-choose their provider each month (switching inertia)",
        "assumption",
        0.0,
        1.0,
    ),
    # --- technology
    P(
        "algo_efficiency_gain",
        2.8,
        "per year",
        "factor by which FLOPs per token at fixed capability fall each year",
        "compute for fixed performance halves every ~8 months (Ho et al. 2024, Epoch AI)",
        1.0,
        100.0,
        label="Algorithmic efficiency gain",
    ),
    P(
        "floor_ratio",
        0.01,
        "share",
        "floor of a tier's FLOPs per token, as a share of its FLOPs per token at release",
        "assumption, swept 1e-3 to 1e-1: no floor is visible yet (Epoch AI 2025); 0.01 puts "
        "GPT-4-level service at ~3B active parameters",
        0.0,
        1.0,
    ),
    P(
        "capability_tiers",
        False,
        "",
        "frontier tiers released over time with longer horizons and more tokens per task "
        "(experimental: not yet calibrated, and chip supply binds hard without power and "
        "investment limits; False: the 2023 tier only)",
        "modelling choice",
    ),
    P(
        "tier_interval",
        12,
        "months",
        "months between frontier releases after GPT-5 (August 2025)",
        "assumption: a new frontier generation a year (GPT-4 2023, o1 2024, GPT-5 2025)",
        1,
        120,
    ),
    P(
        "tokens_per_task_growth",
        2.0,
        "per year",
        "growth of tokens per task from one tier to the next (per year of release spacing)",
        "Epoch AI (2025): answers grow ~2.2x a year, reasoning answers ~5x",
        1.0,
        10.0,
    ),
    P(
        "tier_flops_factor",
        1.0,
        "1",
        "FLOPs per token at release of tiers after 2023, relative to GPT-4's",
        "roughly flat across frontier models (Epoch AI estimates); swept 0.5-2",
        0.1,
        10.0,
    ),
    P(
        "tier_price_sensitivity",
        1.5,
        "1",
        "logit weight on log price per task when firms split tasks over tiers",
        "assumption",
        0.1,
        20.0,
    ),
    P(
        "capability_value",
        1.5,
        "utils",
        "logit utility of a tier per unit of log time horizon (equal to the price weight: "
        "willingness to pay per task proportional to the horizon)",
        "assumption",
        0.0,
        20.0,
    ),
    P(
        "hardware_efficiency_gain",
        1.3,
        "per year",
        "factor by which dollars per FLOP of new chips fall each year",
        "FLOP/s per $ doubles every ~2.5 years (Hobbhahn & Besiroglu 2022, Epoch AI)",
        1.0,
        20.0,
        label="Hardware efficiency gain",
    ),
    P(
        "energy_efficiency_gain",
        1.4,
        "per year",
        "factor by which joules per FLOP of new chips fall each year",
        "FLOP/s per W doubles every ~2 years (Epoch AI 2023)",
        1.0,
        20.0,
    ),
    P(
        "generation_interval",
        24,
        "months",
        "months between chip generations",
        "NVIDIA cadence A100 2020, H100 2022, B200 2024",
        1,
        120,
    ),
    P(
        "vendor_set",
        "default",
        "",
        "chip vendor lines (model/calibration.py)",
        "calibration.py",
        choices=("default", "single_gpu"),
    ),
    # --- shock and open models
    P(
        "shock_step",
        24,
        "month",
        "step at which the efficient open-weight model is released",
        "DeepSeek R-1, January 2025",
        0,
        1200,
        label="Shock month (steps from Jan 2023)",
    ),
    P(
        "shock_factor",
        14.0,
        "1",
        "times fewer FLOPs per token the open model needs (1 = no shock)",
        "with the markups, a ~27x list-price gap as DeepSeek R-1 ($0.55/$2.19) vs OpenAI o1 "
        "($15/$60 per Mtok), Jan 2025",
        1.0,
        1000.0,
        label="Shock: times fewer FLOPs per token",
    ),
    P(
        "open_adoption_p",
        0.05,
        "per month",
        "providers' innovation rate of adopting the open model",
        "assumption",
        0.0,
        1.0,
    ),
    P(
        "open_adoption_q",
        0.4,
        "per month",
        "providers' imitation rate (times the adopted share of providers)",
        "assumption",
        0.0,
        5.0,
    ),
    P(
        "open_derivative_potential",
        10_000.0,
        "models",
        "derivative open models eventually published",
        "Hugging Face: >1,000 R-1 derivatives within weeks (2025)",
        0.0,
        1e7,
    ),
    P(
        "cross_region_hosting",
        True,
        "",
        "US and EU clouds may host the Chinese open model",
        "AWS Bedrock and Azure host DeepSeek R-1 since Jan 2025",
        label="Western clouds may host Chinese open models",
    ),
    # --- providers
    P(
        "premium_markup",
        2.0,
        "share",
        "markup over cost of premium providers",
        "assumption matching 2023 list prices ($10-60 per Mtok)",
        0.0,
        50.0,
    ),
    P(
        "aggressive_markup",
        0.5,
        "share",
        "markup over cost of aggressive providers",
        "assumption",
        0.0,
        50.0,
    ),
    P(
        "training_revenue_share",
        0.3,
        "share",
        "share of provider revenue spent on training runs (on GPUs)",
        "assumption matching inference ~40% of 2024 demand",
        0.0,
        5.0,
    ),
    P(
        "capacity_limited",
        True,
        "",
        "providers serve at most their installed capacity (otherwise unlimited)",
        "modelling choice",
    ),
    P(
        "target_utilization",
        0.7,
        "share",
        "utilisation providers plan their fleets for",
        "assumption",
        0.05,
        1.0,
    ),
    P(
        "chip_lead_time",
        6,
        "months",
        "months between a chip order and its earliest delivery",
        "H100 lead times of 36-52 weeks in 2023 (press); shortened since",
        0,
        36,
    ),
    P(
        "chip_lifetime",
        60,
        "months",
        "months a chip serves before retirement",
        "hyperscalers depreciate servers over 5-6 years (10-K filings 2023)",
        6,
        240,
    ),
    P("cost_of_capital", 0.10, "per year", "providers' cost of capital", "assumption", 0.0, 1.0),
    P(
        "inference_mfu",
        0.10,
        "share",
        "useful share of peak FLOP/s when serving",
        "Epoch AI (2025) assumes ~10% in its ChatGPT energy estimate",
        0.001,
        1.0,
    ),
    P(
        "training_mfu",
        0.40,
        "share",
        "useful share of peak FLOP/s when training",
        "typical 35-45% MFU (Chowdhery et al. 2022, PaLM)",
        0.001,
        1.0,
    ),
    P(
        "electricity_price",
        80.0,
        "USD per MWh",
        "price of electricity for data centres",
        "EIA 2023 US industrial average ~$80/MWh",
        0.0,
        10_000.0,
    ),
    P(
        "pue",
        1.2,
        "1",
        "power usage effectiveness of data centres",
        "hyperscaler PUE 1.1-1.2 (Google 2023 environmental report)",
        1.0,
        3.0,
    ),
    P(
        "chip_production_growth",
        1.5,
        "per year",
        "yearly growth of each vendor's production",
        "CoWoS packaging capacity roughly doubled 2023-24 (TSMC)",
        1.0,
        10.0,
    ),
    P(
        "chip_price_sensitivity",
        6.0,
        "1",
        "logit weight on log cost per useful FLOP when providers split chip orders over vendors",
        "assumption: a chip 10% cheaper per useful FLOP gets ~1.8x the orders",
        0.0,
        50.0,
    ),
    # --- policy
    P(
        "export_controls",
        "capped",
        "",
        "US chips to China: none, strict (banned) or capped (H20-like derated chips only)",
        "US BIS rules Oct 2022 / Oct 2023",
        choices=("none", "strict", "capped"),
        label="US export controls on China",
    ),
    P(
        "domestic_preference",
        4.0,
        "utils",
        "logit bonus of home-region chips for providers in a region under US export controls, "
        "from domestic_preference_step on",
        "assumption: after China's 2025 guidance against buying H20s the US share of Chinese "
        "AI-chip purchases fell from ~70-80% (2024: ~1M H20 against ~0.2-0.4M Ascend, press "
        "estimates) toward zero",
        0.0,
        10.0,
    ),
    P(
        "domestic_preference_step",
        27,
        "month",
        "month the domestic preference starts",
        "April 2025: H20 exports need a licence; Chinese regulators discourage purchases",
        0,
        1200,
    ),
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in PARAMETERS}


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Return ``values`` coerced to their types; raise ParameterError on the first bad one."""
    clean = {}
    for name, value in values.items():
        if name not in BY_NAME:
            raise ParameterError(
                f"unknown parameter {shown(name)}: see `python run.py params` for the list."
            )
        clean[name] = BY_NAME[name].coerce(value)
    return clean


def defaults() -> dict[str, Any]:
    return {p.name: p.default for p in PARAMETERS}


@dataclass(frozen=True)
class Uncertain:
    """A parameter the data do not pin down: calibration searches it over [low, high].

    Attributes:
        name: a parameter of the table above.
        low, high: the plausible range (inside the parameter's allowed range).
        log: search in logs (a range spanning an order of magnitude or more).
        why: the evidence for the range.
    """

    name: str
    low: float
    high: float
    log: bool
    why: str


U = Uncertain
#: The uncertain parameters history matching searches (run.py experiment calibrate); every
#: other parameter stays at its default.
UNCERTAIN: tuple[Uncertain, ...] = (
    U("price_elasticity", 0.5, 2.0, False, "~1.1 is one provider's residual elasticity; the "
      "market elasticity is unmeasured"),
    U("tokens_per_worker", 1e6, 3e7, True, "2023 token volume known only within ~x3-10 "
      "(one provider's words per day)"),
    U("bass_p", 0.005, 0.1, True, "spread of Bass innovation coefficients across products "
      "(Sultan, Farley & Lehmann 1990)"),
    U("bass_q", 0.1, 1.0, False, "spread of Bass imitation coefficients (same meta-analysis)"),
    U("initial_adoption", 0.03, 0.3, True, "maps BTOS's 3.7% of firms onto firms for which "
      "adoption pays; that share is itself modelled"),
    U("integration_cost", 2e3, 2e5, True, "no direct measure: a few person-weeks to a project"),
    U("algo_efficiency_gain", 1.8, 5.0, False, "95% interval of the halving time of compute "
      "at fixed performance, ~5-14 months (Ho et al. 2024)"),
    U("hardware_efficiency_gain", 1.2, 1.5, False, "FLOP/s per dollar trends 1.3-1.4x a year "
      "(Hobbhahn & Besiroglu 2022)"),
    U("premium_markup", 0.5, 5.0, True, "list prices over estimated serving cost vary ~x2-10"),
    U("training_revenue_share", 0.1, 1.0, True, "training spend against token revenue; "
      "capex exceeded revenue in 2023-24"),
    U("chip_production_growth", 1.3, 2.5, False, "CoWoS capacity ~2x a year 2023-25 (TrendForce)"),
    U("target_utilization", 0.4, 0.9, False, "providers' planned utilisation: no public figure"),
    U("inference_mfu", 0.03, 0.3, True, "serving MFU 3-30% by batch size (Epoch AI assumes 10%)"),
)  # fmt: skip
del U
