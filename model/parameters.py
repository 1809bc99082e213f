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
        "task_value",
        "",
        "firms' demand: task_value (task classes by human time, each needing a capability "
        "tier; a task is done when its log-normal value exceeds its price; adoption when the "
        "surplus beats the integration cost) or constant_elasticity (tokens = A (p/p0)^-e, "
        "a fixed productivity gain)",
        "modelling choice (docs/odd.md, firms' tasks); constant elasticity gives the "
        "analytic limit",
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
        0.004,
        "x human cost",
        "median value of having AI do a task, as a multiple of the wage cost of its human "
        "time (task_value); low because most exposed tasks are worth little done by AI "
        "(checking, failures, partial help)",
        "assumption: puts ~8% of the GPT-4 tier's US tasks above their early-2023 price "
        "(market elasticity ~1 then) and ~1e13-1e14 tokens a month in 2023-24",
        1e-6,
        100.0,
        label="Task value (x human cost)",
    ),
    P(
        "task_value_sigma",
        2.0,
        "1",
        "log-normal spread of task values (task_value): with the median it sets the market "
        "elasticity, high while AI is dear and falling as more tasks are done",
        "assumption, swept 0.5-3",
        0.05,
        5.0,
        label="Spread of task values",
    ),
    P(
        "tokens_per_task_minute",
        5000.0,
        "tokens per minute",
        "tokens a task takes on the 2023 tier, per minute of the human time it replaces "
        "(task_value; later tiers multiply it by their tokens per task)",
        "assumption: a 5-minute task ~25,000 tokens of prompt, context (documents, code) and "
        "answer",
        1.0,
        1e7,
    ),
    P(
        "tokens_per_worker",
        3.0e6,
        "tokens per month",
        "tokens an adopting firm uses per AI-exposed worker at the step-0 price "
        "(constant_elasticity)",
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
        "share of the firms for which adoption pays that have adopted at step 0",
        "calibrated to US firm AI use ~3.7% in late 2023 (Census BTOS)",
        0.0,
        1.0,
    ),
    P(
        "productivity_gain",
        0.15,
        "share",
        "output gain on AI-exposed work of an adopting firm (constant_elasticity; with "
        "task_value the gain is the value of the tasks done)",
        "Brynjolfsson, Li & Raymond (2023): +14% in customer support",
        0.0,
        1.0,
    ),
    P(
        "integration_cost",
        2_000.0,
        "USD",
        "one-off cost of adopting AI for a firm",
        "assumption: subscriptions, set-up and a few days of staff time; puts ~1 in 3 US "
        "firms' task surplus above it at 2023 prices",
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
    # --- consumers and platforms
    P(
        "consumer_ceiling",
        0.8,
        "share",
        "share of internet users who eventually use AI chat, search or assistants "
        "(0: no consumers)",
        "assumption; ChatGPT alone ~800M weekly users by Oct 2025 (OpenAI)",
        0.0,
        1.0,
        label="Consumer ceiling (share of internet users)",
    ),
    P(
        "consumer_initial_share",
        0.05,
        "share",
        "consumers using AI at step 0, as a share of the ceiling",
        "ChatGPT ~100M monthly users Jan 2023 (UBS/Similarweb) against ~1.4bn at the ceiling",
        0.0,
        1.0,
    ),
    P(
        "consumer_bass_p",
        0.05,
        "per year",
        "Bass innovation coefficient of consumers",
        "assumption fitted by eye to ChatGPT weekly users 100M (Nov 2023), 400M (Feb 2025), "
        "800M (Oct 2025)",
        0.0,
        100.0,
    ),
    P(
        "consumer_bass_q",
        1.2,
        "per year",
        "Bass imitation coefficient of consumers (times the adopted share of the ceiling)",
        "as consumer_bass_p",
        0.0,
        100.0,
    ),
    P(
        "consumer_tokens_per_user",
        2.4e5,
        "tokens per month",
        "tokens a consumer uses a month at the step-0 cost per token",
        "Google: 480T tokens a month across products (May 2025) over ~2bn monthly users of "
        "AI Overviews: ~2.4e5 a user (OpenAI ~100bn words/day in Feb 2024 gives ~3e4 a "
        "weekly user of ChatGPT alone)",
        0.0,
        1e9,
    ),
    P(
        "consumer_revenue_per_user",
        1.0,
        "USD per month",
        "platform revenue per consumer user (subscriptions and advertising), flat whatever "
        "the tokens cost",
        "OpenAI 2024: ~2.7bn USD of consumer subscriptions over ~250-350M weekly users "
        "(The Information, 2024), ~0.6-0.9 USD a user-month; more with advertising",
        0.0,
        100.0,
    ),
    P(
        "consumer_elasticity",
        0.5,
        "1",
        "elasticity of tokens per consumer to the provider's cost per token (platforms give "
        "longer answers and reasoning as serving gets cheaper)",
        "assumption",
        0.0,
        2.0,
    ),
    # --- provider choice
    P(
        "price_sensitivity",
        1.3,
        "1",
        "logit weight on log price in provider choice",
        "one provider's residual elasticity beta (1 - share) ~1.1 at shares ~0.15: the ~1.1 "
        "price elasticity across providers of one open model (OpenRouter)",
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
        10.0,
        "per year",
        "factor by which serving FLOPs per token at fixed capability fall each year in a "
        "tier's first years (smaller models, distillation, quantisation, serving software), "
        "toward the tier's floor",
        "calibrated to the hedonic price: GPT-4-level prices fell ~40x a year in 2024-25 "
        "(Epoch AI 2025, 'LLM inference prices have fallen rapidly but unequally'); GPT-4 "
        "level went from ~1.8T to 70B dense parameters in two years",
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
        True,
        "",
        "frontier tiers released over time with longer horizons and more tokens per task "
        "(False: the 2023 tier only)",
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
        12,
        "months",
        "months between chip generations",
        "NVIDIA's one-year cadence since 2024 (Computex 2024 keynote: Blackwell 2024, "
        "Blackwell Ultra 2025, Rubin 2026); H100 2022, H200 2024, B200 2024-25",
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
        7.6,
        "1",
        "times fewer FLOPs per token the open model needs than the frontier tier's "
        "proprietary model (1 = no shock)",
        "DeepSeek-V3/R1 activate ~37B parameters (~7.4e10 FLOPs per token, DeepSeek-V3 "
        "report 2024) against ~5.6e11 for a GPT-4-class frontier model; with the markups "
        "the o1 / R1 list-price gap is ~20x (observed ~27x: $15/$60 vs $0.55/$2.19 per Mtok)",
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
        "open_model_markup",
        0.1,
        "share",
        "markup over cost of the open-weight model (its many hosts compete near cost)",
        "assumption: DeepSeek's API and third-party hosts price open weights near serving "
        "cost (OpenRouter price spreads, 2025)",
        0.0,
        50.0,
    ),
    P(
        "open_catchup_months",
        16,
        "months",
        "months after a tier's release until open-weight models match it; from then on "
        "every host serves that tier at ``open_model_markup`` (it is a commodity; with "
        "capability tiers only)",
        "open models trail the best closed ones by ~5-22 months, about a year on average "
        "(Epoch AI 2024, 'How far behind are open models?'); Llama 3.1 405B (July 2024) "
        "matched GPT-4 (March 2023) after 16 months",
        0,
        120,
    ),
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
        "gpu_rental_markup",
        0.3,
        "share",
        "markup of a GPU hour's rent over its cost-based rent (chip price over its life, "
        "power, hosting): the rental market's, not the token markup",
        "assumption: a competitive rental market; reserved H100 contracts were listed at "
        "~2 USD/h in 2023-24 (Lambda, CoreWeave price lists) against a cost-based rent of "
        "~1.6-2.8 USD/h",
        0.0,
        5.0,
    ),
    P(
        "training_revenue_share",
        0.3,
        "share",
        "theta: target training spend per USD of token revenue, before expected growth "
        "(S* = theta x revenue x growth^horizon; outside funding pays the rest)",
        "assumption, set with training_horizon and initial_revenue_growth so that AI "
        "energy in 2024-25 comes near Epoch AI's installed base",
        0.0,
        5.0,
        label="Training spend per USD of revenue",
    ),
    P(
        "training_horizon",
        3.0,
        "years",
        "years of expected revenue growth labs invest ahead of (H in S* = theta R g^H)",
        "assumption: campuses are planned ~2-3 years ahead of use (grid lead times of "
        "3 years) and a frontier model sells for ~1-2 years after its run",
        0.0,
        5.0,
    ),
    P(
        "initial_revenue_growth",
        2.5,
        "per year",
        "revenue growth labs expect at step 0 (then learnt from observed revenue)",
        "OpenAI annualised revenue ~1.3 bn USD Oct 2023 -> ~3.4 bn Jun 2024 (The "
        "Information): ~2.5-3x a year",
        0.5,
        5.0,
    ),
    P(
        "training_adjustment",
        0.1,
        "per month",
        "lambda: share of the log gap to the target training spend closed each month",
        "assumption: ~70% of the gap closed within a year (annual capex plans)",
        0.01,
        1.0,
    ),
    P(
        "frontier_run_share",
        0.2,
        "share",
        "share of a lab's training FLOPs over a run's length that go into its largest run",
        "Epoch AI (2025) on OpenAI's 2024 compute: ~5 bn USD of R&D compute, mostly "
        "experiments, final training runs a ~10% share; xAI trained Grok 3 on most of its "
        "100k-200k-H100 Colossus (xAI 2025): the lab at the frontier devotes more "
        "(assumption: 0.2, so that the campus, not the budget, bounds the largest run)",
        0.001,
        1.0,
    ),
    P(
        "training_run_months",
        3.0,
        "months",
        "length of a frontier training run in 2023 (then ~1.4x longer a year, at most 12)",
        "GPT-4: ~90-100 days (OpenAI 2023; Epoch AI notable models database)",
        0.5,
        12.0,
    ),
    P(
        "campus_power_mw",
        12.0,
        "MW",
        "facility power of the largest single training campus in January 2023, in chips "
        "of the newest GPU on sale (H100 then)",
        "GPT-4: ~25k A100 (Epoch AI 2024, 'Can AI scaling continue through 2030?'), "
        "7.8e18 FLOP/s: 7.9k H100 at 700 W x 1.82 for the host x PUE 1.2 = ~12 MW "
        "(~20-30 MW in A100s)",
        1.0,
        1e5,
    ),
    P(
        "campus_power_growth",
        2.0,
        "per year",
        "yearly growth of the largest training campus's power",
        "Epoch AI 2024 ('Can AI scaling continue through 2030?'): frontier training power "
        "~2x a year (100k-H100 clusters of ~150 MW in 2024)",
        1.0,
        10.0,
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
        0.05,
        "share",
        "useful share of peak FLOP/s when serving",
        "Epoch AI (2025) assumes ~10% in its ChatGPT energy estimate; 5% (decode at "
        "moderate batch sizes, capacity held for peak hours) puts inference near "
        "NVIDIA's ~40% of data-centre revenue in FY2024 (10-K)",
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
        1.3,
        "per year",
        "yearly growth of packaging capacity, hence of vendors' production, after 2026 "
        "(to 2026 it follows TSMC's CoWoS path, ~2x a year)",
        "assumption: slower than 2023-26 as packaging catches up with demand; CoWoS path "
        "in model/calibration.py",
        1.0,
        10.0,
    ),
    P(
        "vendor_margin",
        0.73,
        "share",
        "gross margin of the leading chip vendor: price = unit cost / (1 - margin)",
        "NVIDIA GAAP gross margin 72.7%, 75.0%, 71.1% in fiscal 2024-2026 (10-K), stable "
        "while its backlog grew",
        0.0,
        0.95,
        label="Leading chip vendor's gross margin",
    ),
    P(
        "power_limited",
        True,
        "",
        "providers run chips only within the data-centre power they hold, contracted from "
        "their region's grid through an interconnection queue (False: unlimited power)",
        "modelling choice (off in the analytic limit)",
        label="Power limits data centres",
    ),
    P(
        "ai_share_of_grid",
        0.5,
        "share",
        "share of a region's data-centre power (IEA path) that AI providers can contract",
        "assumption: AI (accelerated servers) takes ~15% of data-centre electricity in 2024 "
        "and about half of its growth to 2030 (IEA, Energy and AI, 2025)",
        0.001,
        2.0,
        label="AI share of data-centre power",
    ),
    P(
        "grid_lead_time",
        36,
        "months",
        "months from a provider's request for grid power to its connection",
        "interconnection of 100+ MW takes 4-7 years in northern Virginia, 2-3 years "
        "elsewhere; no new Dublin connections before 2028 (IEA 2025)",
        0,
        120,
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
    U("consumer_tokens_per_user", 6e4, 1e6, True, "Google's 480T tokens a month over ~2bn "
      "users (2025) vs OpenAI's words per day over its users: ~x4 apart"),
    U("consumer_revenue_per_user", 0.3, 3.0, True, "OpenAI 2024 subscriptions ~0.6-0.9 USD "
      "a weekly user a month; advertising and other platforms unmeasured"),
    U("algo_efficiency_gain", 3.0, 40.0, True, "price falls at fixed capability of 9-900x a "
      "year by threshold, ~40x at GPT-4 level (Epoch AI 2025)"),
    U("training_revenue_share", 0.2, 2.0, True, "no direct measure: labs' training spend per "
      "USD of token revenue; capex exceeded revenue in 2023-24"),
    U("initial_revenue_growth", 1.5, 4.5, False, "OpenAI annualised revenue grew ~2.5-3x a "
      "year in 2023-24 (The Information); expectations unmeasured"),
    U("premium_markup", 0.5, 5.0, True, "list prices over estimated serving cost vary ~x2-10"),
    U("inference_mfu", 0.03, 0.3, True, "serving MFU 3-30% by batch size (Epoch AI assumes 10%)"),
)  # fmt: skip
del U
