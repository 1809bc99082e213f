"""The parameter table's supply side: technology, the shock and open models, providers
(chips, power, training), policy."""

from __future__ import annotations

from jevons_compute.world.parameters.schema import Parameter

P = Parameter
SUPPLY: tuple[Parameter, ...] = (
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
        "tokens_per_task_max",
        100.0,
        "x GPT-4's",
        "most tokens a task of a later tier takes, relative to GPT-4's (growth stops there: "
        "context, latency and the task's own length bound it)",
        "assumption: 2025 coding agents spend ~1e5-1e6 tokens on a half-hour task (SWE-bench "
        "agent traces), ~16-30x a GPT-4 chat's tokens per minute of work; no measure of "
        "where growth stops",
        1.0,
        1e4,
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
        "logit weight on log price per task in a provider's tier price index (the task "
        "price firms weigh in choosing a provider; firms buy tiers by money, v3.3)",
        "assumption",
        0.1,
        20.0,
    ),
    P(
        "capability_value",
        1.5,
        "utils",
        "utility of a tier per unit of log time horizon in the providers' tier price index "
        "(equal to the price weight: "
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
        "chip vendor lines (world/facts.py)",
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
        "theta: training finance per USD of token revenue, before expected growth "
        "(finance = theta x revenue x growth^horizon: outside capital priced on forecast "
        "revenue; training spends the smaller of it and the race)",
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
        "years of expected revenue growth the labs' valuation prices in (H in the "
        "finance theta R g^H)",
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
        "frontier_race_growth",
        4.0,
        "per year",
        "growth of the training compute labs race for (their step-0 training FLOPs grow "
        "this much a year while finance allows)",
        "Epoch AI (2024): training compute of frontier models grew 4-5x a year 2010-24",
        1.0,
        10.0,
    ),
    P(
        "growth_prior_weight",
        0.5,
        "share",
        "weight of the step-0 expectation (initial_revenue_growth) in what labs and "
        "investors come to believe about revenue growth (0: observed growth alone)",
        "assumption (uncalibrated): investors shrink recent growth toward a long-run prior",
        0.0,
        1.0,
    ),
    P(
        "financing_shock",
        0.0,
        "share",
        "share of labs' training finance withdrawn from financing_shock_step on (a bust "
        "scenario: the capital and its commitments leave at once)",
        "scenario parameter (0: none)",
        0.0,
        0.95,
    ),
    P(
        "financing_shock_step",
        48,
        "month",
        "month the financing shock strikes (48 = January 2027)",
        "scenario parameter",
        1,
        1200,
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
        "inference_mfu_growth",
        1.0,
        "per year",
        "factor by which serving MFU (useful share of peak FLOP/s: batching, paged "
        "attention, speculative decoding) grows a year from inference_mfu, up to "
        "inference_mfu_max",
        "1 (off) in the calibrated default: algo_efficiency_gain is fitted to the whole "
        "price fall at fixed capability (Epoch AI 2025), serving software included; vLLM's "
        "paged attention gave 2-4x throughput at equal latency (Kwon et al. 2023, SOSP), "
        "~1.5-2x a year if spread over 2023-25",
        1.0,
        4.0,
    ),
    P(
        "inference_mfu_max",
        0.4,
        "share",
        "bound of serving MFU as it grows (acts with inference_mfu_growth above 1)",
        "batched decode reaches ~33% MFU and large-batch prefill 76% on PaLM 540B (Pope et "
        "al. 2022, 'Efficiently Scaling Transformer Inference'): ~30-40% for batched serving",
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
        "in world/facts.py",
        1.0,
        10.0,
    ),
    P(
        "chip_price_response",
        0.5,
        "1",
        "elasticity of vendors' scarcity premium on list prices to the months of production "
        "their backlog holds beyond a normal 6 (premium = (wait / 6)^r, at most 4x; 0: list "
        "prices whatever the queue)",
        "assumption (uncalibrated); the cap: H100 resale prices ~1.5-2x list in 2023 and "
        "H100 rental ~8 USD/h in 2023 against ~2 USD/h in 2025 (press)",
        0.0,
        3.0,
    ),
    P(
        "chip_supply_elasticity",
        1.0,
        "1",
        "long-run response of packaging capacity to vendors' scarcity premium after the "
        "committed CoWoS path ends (2027 on): yearly growth = chip_production_growth x "
        "premium a year earlier ^ s, at most 2.7x a year (0: exogenous supply)",
        "assumption (uncalibrated); the cap: CoWoS grew ~2.7x in 2024 (TSMC), the fastest "
        "on record",
        0.0,
        3.0,
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
)  # fmt: skip
del P
