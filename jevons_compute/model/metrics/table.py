"""The one table of metrics (name, unit, meaning): the data collector, the Parquet field
metadata, plot labels and the documentation's metric table all read it (names are part of
the interface)."""

from __future__ import annotations

from dataclasses import dataclass

REGION_COLUMNS = ("us", "eu", "cn")
#: Tokens and tasks by tier: one column per tier, the last one for it and every later tier.
TIER_COLUMNS = 5


@dataclass(frozen=True)
class Metric:
    """One column of the time series: its name, unit and meaning."""

    name: str
    unit: str
    meaning: str


M = Metric
METRIC_TABLE: tuple[Metric, ...] = (
    M("step", "month", "months since January of start_year"),
    M("date", "YYYY-MM", "calendar month"),
    M("tokens", "tokens/month", "tokens served"),
    M("tokens_demanded", "tokens/month", "tokens asked for at posted prices (before clearing)"),
    M(
        "rationed_share",
        "share",
        "share of tokens asked at the clearing price that capacity could not serve",
    ),
    M("flops_per_token", "FLOP/token", "served-weighted FLOPs per token"),
    M("price_per_mtok", "USD per Mtok", "average price paid per million tokens (all tiers)"),
    M(
        "hedonic_price_index",
        "USD per Mtok",
        "price of the 2023 (GPT-4-class) tier, served-weighted over providers",
    ),
    M("frontier_tier", "tier", "index of the newest capability tier released (0 = GPT-4 class)"),
    M("frontier_token_share", "share", "share of tokens served on the newest tier"),
    M("tokens_per_task", "GPT-4 = 1", "tokens per task of the tier mix served"),
    M("inference_flops", "FLOP/month", "useful FLOPs serving tokens"),
    M("training_flops", "FLOP/month", "useful FLOPs of training runs"),
    M("total_compute", "FLOP/month", "inference + training FLOPs"),
    M(
        "training_spend_usd",
        "USD/month",
        "labs' training spend (target: the smaller of the frontier race and the finance "
        "theta x revenue x expected growth^horizon, partially adjusted, falling at most as "
        "commitments unwind)",
    ),
    M(
        "training_finance_bound",
        "share",
        "share of training spend whose target finance sets (the rest: the race); where it "
        "is 0 in run and twin, jevons_ratio_training is 1 by construction",
    ),
    M(
        "training_capacity_shortfall",
        "share",
        "share of the training compute labs' budgets ask for that their fleets do not grant",
    ),
    M(
        "largest_training_run_flop",
        "FLOP",
        "largest training run finishing this month, over providers: a share of the lab's "
        "training FLOPs over a run's length, capped by one campus's power",
    ),
    M("energy_mwh", "MWh/month", "electricity of inference and training, PUE included"),
    M("adoption_rate", "share", "share of real firms that adopted AI"),
    M("adoption_rate_us", "share", "the same, US firms (NaN if the region is not simulated)"),
    M("adoption_rate_eu", "share", "the same, EU firms"),
    M("adoption_rate_cn", "share", "the same, Chinese firms"),
    M("inference_share", "share", "inference share of useful FLOPs"),
    M(
        "inference_share_gpu_hours",
        "share",
        "inference share of accelerator time used (peak FLOP-seconds)",
    ),
    M(
        "inference_share_chip_spend",
        "share",
        "share of chip spending bought for inference, trailing 12 months (NaN before sales)",
    ),
    M("xpu_share", "share", "custom-chip share of installed peak FLOP/s"),
    M("installed_flops", "FLOP/s", "installed peak capacity"),
    M("installed_h100e", "H100-equivalents", "installed peak capacity / 989 TFLOP/s"),
    M(
        "power_gw",
        "GW",
        "facility power of the installed fleet at full load (board power x server host "
        "overhead x PUE)",
    ),
    M("power_gw_us", "GW", "the same, providers in the US (NaN if not simulated)"),
    M("power_gw_eu", "GW", "the same, providers in the EU"),
    M("power_gw_cn", "GW", "the same, providers in China"),
    M(
        "power_limit_gw",
        "GW",
        "facility power the regions' grids can give AI data centres (NaN without power limits)",
    ),
    M("power_limit_gw_us", "GW", "the same, US grid (NaN if not simulated)"),
    M("power_limit_gw_eu", "GW", "the same, EU grid"),
    M("power_limit_gw_cn", "GW", "the same, Chinese grid"),
    M(
        "vendor_price",
        "USD per H100e",
        "leading vendor's price of its newest chip per H100-equivalent",
    ),
    M(
        "gpu_rental_price_per_hour",
        "USD per H100-hour",
        "cost-based rent of an H100-equivalent GPU hour x (1 + gpu_rental_markup) x scarcity, "
        "capacity-weighted",
    ),
    M("capex_usd", "USD/month", "chip spending x system cost multiplier (servers, network, halls)"),
    M("vendor_revenue_us", "USD/month", "chip revenue from US buyers"),
    M("vendor_revenue_eu", "USD/month", "chip revenue from EU buyers"),
    M("vendor_revenue_cn", "USD/month", "chip revenue from Chinese buyers"),
    M("us_vendor_revenue", "USD/month", "revenue of US chip vendors"),
    M("cn_vendor_revenue", "USD/month", "revenue of Chinese chip vendors"),
    M("chips_shipped", "chips/month", "chips shipped"),
    M(
        "us_vendor_share_cn",
        "share",
        "US vendors' share of chips sold into China, trailing 12 months (NaN without sales)",
    ),
    M("open_model_share", "share", "share of tokens served by open models"),
    M("open_derivatives", "models", "derivative open models published"),
    M(
        "provider_revenue",
        "USD/month",
        "revenue of all providers: firms' token bills + their platforms' consumer revenue",
    ),
    M(
        "provider_revenue_us",
        "USD/month",
        "the same, providers based in the US (NaN if the region is not simulated)",
    ),
    M("provider_revenue_eu", "USD/month", "the same, providers based in the EU"),
    M("provider_revenue_cn", "USD/month", "the same, providers based in China"),
    M("productivity_gain_usd", "USD/month", "firms' gains from AI"),
    M("productivity_gain_us", "USD/month", "the same, US firms"),
    M("productivity_gain_eu", "USD/month", "the same, EU firms"),
    M("productivity_gain_cn", "USD/month", "the same, Chinese firms"),
    M("firm_token_bill_usd", "USD/month", "what firms pay for the tokens they are served"),
    M(
        "firm_surplus_usd",
        "USD/month",
        "firms' gains from AI - their token bill - adopters' amortised integration cost",
    ),
    M("consumer_users", "people", "consumers using AI chat, search or assistants"),
    M(
        "consumer_revenue_us",
        "USD/month",
        "platforms' revenue from US consumers (their revenue per user x users served, "
        "wherever the platform is; NaN if the region is not simulated)",
    ),
    M("consumer_revenue_eu", "USD/month", "the same, from EU consumers"),
    M("consumer_revenue_cn", "USD/month", "the same, from Chinese consumers"),
    M(
        "consumer_tokens",
        "tokens/month",
        "tokens served to consumers (flat or zero marginal price)",
    ),
    M(
        "consumer_inference_flops",
        "FLOP/month",
        "useful FLOPs serving consumers (their tokens x their provider's FLOPs per token)",
    ),
    M(
        "consumer_serving_usd",
        "USD/month",
        "platforms' spend serving consumers: their served tokens x the provider's cost per "
        "token (the budget s0 R (c/c0)^(1 - eps_s), as served)",
    ),
    *(
        M(
            f"tokens_tier_{k}",
            "tokens/month",
            f"tokens served on tier {k}{' and later tiers' if k == TIER_COLUMNS - 1 else ''} "
            + ("(0 = GPT-4 class)" if k == 0 else "(world/facts.py TIERS_RELEASED)"),
        )
        for k in range(TIER_COLUMNS)
    ),
    *(
        M(
            f"tasks_tier_{k}",
            "tasks/month",
            f"firms' tasks done on tier {k}{' and later tiers' if k == TIER_COLUMNS - 1 else ''}"
            + (" (constant_elasticity: tasks of the tier-0 horizon)" if k == 0 else ""),
        )
        for k in range(TIER_COLUMNS)
    ),
    M("efficiency_index", "index", "tokens per dollar of compute, step 0 = 1"),
    M("compute_index", "index", "total compute / its step-0 value (before/after, not rebound)"),
    M("energy_index", "index", "energy / its step-0 value"),
    M("tokens_extensive", "tokens/month", "tokens gained since step 0 from new adopters"),
    M("tokens_intensive", "tokens/month", "tokens gained since step 0 from more use per adopter"),
    # --- the fall of the GPT-4-class tier's price since step 0, in parts that multiply to
    # hedonic_price_index at step 0 / now (model/metrics/price_split.py)
    M("serving_mfu", "share", "useful share of peak FLOP/s when serving (batching, MFU)"),
    M(
        "price_fall_flops_per_token",
        "index",
        "its FLOPs-per-token part (algorithmic efficiency, the open-weight model's share "
        "included): step-0 value / this month's",
    ),
    M(
        "price_fall_hardware",
        "index",
        "its hardware part: USD per peak FLOP-second of the cheapest chip on sale (chip "
        "price-performance, electricity), step 0 / now",
    ),
    M("price_fall_utilisation", "index", "its serving-utilisation part: serving_mfu / step 0's"),
    M("price_fall_markup", "index", "its markup part: (1 + markup) at step 0 / now"),
    M("price_fall_scarcity", "index", "its scarcity part: the scarcity premium at step 0 / now"),
    # --- with/without efficiency: the counterfactual twin (NaN with counterfactual='none')
    M("tokens_cf", "tokens/month", "tokens served in the twin without the efficiency source"),
    M("compute_cf", "FLOP/month", "total compute of the twin"),
    M("energy_cf", "MWh/month", "energy of the twin"),
    M("compute_eng", "FLOP/month", "twin's activity at the run's efficiency (no response)"),
    M("energy_eng", "MWh/month", "twin's activity at the run's energy efficiency"),
    M("compute_index_cf", "index", "twin's compute / run's step-0 compute (growth without)"),
    M(
        "jevons_ratio",
        "ratio",
        "compute with / without efficiency, this month alone (the verdict reads jevons_ratio_12m)",
    ),
    M("energy_jevons_ratio", "ratio", "energy with / without efficiency, this month alone"),
    M("rebound", "share", "share of the engineering compute saving taken back; > 1 backfire"),
    M("energy_rebound", "share", "the same for energy"),
    M("jevons_elasticity", "1", "d ln compute / d ln efficiency (marginal twin); > 0 backfire"),
    M(
        "tokens_response_intensive",
        "tokens/month",
        "with - without, firms adopted in both, and consumers (their diffusion ignores price)",
    ),
    M("tokens_response_induced", "tokens/month", "tokens of firms adopted only with efficiency"),
    M("tokens_response_displaced", "tokens/month", "minus tokens of firms adopted only without"),
    # --- trailing-12-month flows, run over twin, and the channels that carry them
    M(
        "jevons_ratio_12m",
        "ratio",
        "the headline: total compute of the trailing 12 months with / without efficiency "
        "(all months so far in the first year); > 1 is backfire",
    ),
    M("energy_jevons_ratio_12m", "ratio", "the same for energy"),
    M("tokens_ratio_12m", "ratio", "the same for tokens served"),
    M("jevons_ratio_inference", "ratio", "inference compute, trailing 12 months, run / twin"),
    M("jevons_ratio_training", "ratio", "training compute, trailing 12 months, run / twin"),
    M("jevons_ratio_firms", "ratio", "inference compute serving firms, trailing 12 months"),
    M(
        "jevons_ratio_consumers",
        "ratio",
        "inference compute serving consumers, trailing 12 months, run / twin",
    ),
    M(
        "compute_gap",
        "FLOP/year",
        "total compute of the trailing 12 months, run - twin (C - C_cf)",
    ),
    M("compute_gap_inference", "FLOP/year", "its inference part (firms + consumers)"),
    M("compute_gap_training", "FLOP/year", "its training part (inference + training = gap)"),
    M("compute_gap_firms", "FLOP/year", "the inference part serving firms"),
    M("compute_gap_consumers", "FLOP/year", "the inference part serving consumers"),
)
del M

METRICS: tuple[str, ...] = tuple(m.name for m in METRIC_TABLE)
UNITS: dict[str, str] = {m.name: m.unit for m in METRIC_TABLE}
#: The with/without columns, NaN in a run without a twin.
COUNTERFACTUAL_METRICS = METRICS[METRICS.index("tokens_cf") :]
#: Run / twin ratios of the whole and of each channel: NaN where the twin's part is zero.
TWIN_RATIOS = (
    "jevons_ratio",
    "energy_jevons_ratio",
    "jevons_ratio_12m",
    "energy_jevons_ratio_12m",
    "tokens_ratio_12m",
    "jevons_ratio_inference",
    "jevons_ratio_training",
    "jevons_ratio_firms",
    "jevons_ratio_consumers",
)
#: NaN is allowed only where a metric is undefined: rebound and elasticity while efficiency
#: saved under 5%, chip-spend shares before any sale, indices and ratios relative to a zero
#: (nothing used at step 0 or in the twin's channel), power limits without power limits;
#: also the regional columns of regions not simulated and the twin's columns without a twin.
MAY_BE_UNDEFINED = frozenset(
    {
        "power_limit_gw",
        *(f"power_limit_gw_{r}" for r in REGION_COLUMNS),
        "rebound",
        "energy_rebound",
        "jevons_elasticity",
        "inference_share_chip_spend",
        "us_vendor_share_cn",  # no chip sold into China in the trailing year
        "efficiency_index",
        "compute_index",
        "compute_index_cf",
        "energy_index",
        *TWIN_RATIOS,
    }
)


def metrics_markdown() -> str:
    """The metric table as Markdown (the README's table is this text)."""
    lines = ["| name | unit | meaning |", "|---|---|---|"]
    lines += [f"| `{m.name}` | {m.unit} | {m.meaning} |" for m in METRIC_TABLE]
    return "\n".join(lines) + "\n"
