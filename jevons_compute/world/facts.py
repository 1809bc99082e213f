"""Numbers taken from the world, each with its source.

Everything the model takes from data lives here (or, for scenario parameters, in
``world/parameters`` with a source column), so a reader can check every figure in one
sitting. Units are in the names or the comments.
"""

SECONDS_PER_MONTH = 365.25 * 24 * 3600 / 12  # s
JOULES_PER_MWH = 3.6e9  # J

# --- Regions ------------------------------------------------------------------------------
REGIONS = ("US", "EU", "CN")

#: Number of firms represented in each region (real firms, not agents).
REAL_FIRMS = {
    "US": 6.1e6,  # employer firms; US Census Bureau, Statistics of US Businesses 2021
    "EU": 26.1e6,  # enterprises in the non-financial business economy; Eurostat SBS 2021
    "CN": 52.8e6,  # registered enterprises end-2023; China SAMR press release, Jan 2024
}

#: Employees of those firms (persons employed), used to fit each region's firm-size
#: distribution (mean firm size = employment / firms).
REAL_EMPLOYMENT = {
    "US": 130.0e6,  # employment of employer firms; US Census Bureau, SUSB 2021 (~130M)
    "EU": 152.0e6,  # persons employed, non-financial business economy; Eurostat SBS 2021
    "CN": 330.0e6,  # persons employed in enterprise legal entities, secondary and tertiary
    # industries; NBS, 4th and 5th national economic census communiques (2018: ~300M;
    # 2023 rounded up); firm counts above are SAMR registrations, so CN firms are small
}

#: Average monthly wage per employee, USD.
MONTHLY_WAGE_USD = {
    "US": 6100.0,  # BLS QCEW 2023 average annual pay ~$73,000 / 12
    "EU": 3300.0,  # Eurostat 2022 average full-time adjusted salary ~EUR 37,900 / 12, in USD
    "CN": 1420.0,  # NBS 2023 urban non-private units average wage CNY 120,698 / 12 at 7.1 CNY/USD
}

#: Which provider regions the firms of a region may buy tokens from.
REGION_ACCESS = {
    "US": ("US", "EU"),
    "EU": ("US", "EU"),
    "CN": ("CN",),  # US/EU model APIs are not offered in mainland China (OpenAI, July 2024)
}

# --- Sectors: share of firms and AI exposure of their work ----------------------------------
# Exposure: share of work tasks exposed to LLMs, rounded from Eloundou et al. (2023),
# "GPTs are GPTs", Table/Fig. by industry; firm shares rounded from SUSB 2021 counts.
SECTORS = {
    # name: (share of firms, exposure of work)
    "information_finance": (0.08, 0.55),
    "professional_services": (0.14, 0.50),
    "health_education": (0.12, 0.30),
    "manufacturing": (0.06, 0.25),
    "trade_transport": (0.22, 0.20),
    "construction_other": (0.38, 0.12),
}

#: Firm size (employees): truncated Pareto on [1, FIRM_SIZE_MAX] (Axtell 2001, Science
#: 293, "Zipf distribution of U.S. firm sizes": tail exponent ~1.06 for the US). Each
#: region's exponent is fitted so that its mean firm size is REAL_EMPLOYMENT / REAL_FIRMS
#: (agents/firm fit_pareto_alpha): ~0.88 US, ~1.18 EU, ~1.15 CN.
FIRM_SIZE_MAX = 1.0e5  # employees; truncation keeps sampling noise of totals small

# --- Tasks (the task demand model, demand_model='task_value') ------------------------------
#: Hours worked per employee and month: ~1,900 hours a year (OECD average annual hours
#: actually worked, US ~1,800, 2023) / 12.
WORK_HOURS_PER_MONTH = 160.0
#: Task classes: (human time in minutes, share of AI-exposed work hours spent on tasks of
#: that length). Lengths span METR's task suite (seconds to ~16 hours of expert time; Kwa
#: et al. 2025); the shares are an assumption (short tasks are most of exposed work, as in
#: Eloundou et al. 2023's task-level exposure ratings). A class needs the first tier whose
#: 50% time horizon is at least its human time.
TASK_CLASSES = (
    (1.0, 0.25),
    (5.0, 0.25),
    (30.0, 0.20),
    (120.0, 0.15),
    (480.0, 0.10),
    (2400.0, 0.05),
)

# --- Consumers and platforms (chat, search, assistants at a flat or zero marginal price) ---
#: Internet users by region, the ceiling of consumer AI use: ITU Facts and Figures 2023 (US
#: ~92% of 335M), Eurostat 2023 (EU ~90% of 448M), CNNIC 53rd report (CN 1.09 billion, Dec
#: 2023).
INTERNET_USERS = {"US": 310.0e6, "EU": 400.0e6, "CN": 1092.0e6}

# --- Capability tiers -----------------------------------------------------------------------
#: Tiers released so far: (name, release step from January 2023, METR 50% time horizon in
#: minutes, tokens per task relative to GPT-4's). Horizons: Kwa et al. (2025), "Measuring
#: AI ability to complete long tasks" (METR): GPT-4 ~5 min (2023), Claude 3.5 Sonnet ~18
#: min (mid 2024), o1 ~39 min (Dec 2024), o3/Claude 3.7 ~1.5 h (spring 2025), GPT-5 ~2.3 h
#: (Aug 2025); doubling about every 7 months. Tokens per task: non-reasoning answers grow
#: ~2.2x a year, reasoning answers are ~8x longer and grow ~5x a year (Epoch AI 2025).
#: GPT-4 (March 2023) is placed at step 0. FLOPs per token at release are roughly flat
#: across tiers (GPT-4 ~280B active parameters, later frontier models 100-400B: Epoch AI
#: estimates): every tier starts at FRONTIER_FLOPS_PER_TOKEN_2023 x tier_flops_factor.
TIERS_RELEASED = (
    ("GPT-4 class", 0, 5.0, 1.0),
    ("GPT-4o / Claude 3.5 Sonnet class", 17, 18.0, 2.0),
    ("reasoning: o1 / DeepSeek-R1 class", 23, 39.0, 8.0),
    ("o3 / Claude 3.7 class", 27, 90.0, 12.0),
    ("GPT-5 class", 31, 137.0, 16.0),
)
#: Later tiers: one every tier_interval months; the horizon doubles every 7 months (METR).
HORIZON_DOUBLING_MONTHS = 7.0

# --- Models served ---------------------------------------------------------------------------
#: FLOPs per token of a 2023 frontier model: ~2 FLOPs x ~280e9 active parameters
#: (GPT-4-class MoE, SemiAnalysis 2023 estimate; the 2 N rule of Kaplan et al. 2020).
#: DeepSeek-V3 activates 37e9 parameters (~7.4e10 FLOPs per token; DeepSeek-V3 report 2024).
FRONTIER_FLOPS_PER_TOKEN_2023 = 5.6e11

# --- Chips -----------------------------------------------------------------------------------
# A roadmap entry is the first generation of a vendor line; later generations follow the
# smooth hardware paths of the scenario (world/technology.py).
# flops: dense BF16 FLOP/s; price_usd: list price; watts: board power; margin: the vendor's
# gross margin at that list price (unit cost = price_usd x (1 - margin)); leading: the
# leading vendor, whose margin is the scenario's ``vendor_margin`` (price = unit cost /
# (1 - vendor_margin)); units_per_month: production in January 2023, growing with
# packaging capacity (COWOS_KWAFERS_PER_MONTH) over PACKAGE_AREA_GROWTH.
VENDORS = {
    "default": (
        # NVIDIA H100 SXM: ~989 TFLOP/s dense BF16, 700 W (NVIDIA datasheet 2022); ~$25-30k
        # (Raymond James estimate 2023). Capacity in H100-equivalents, not units: the line's
        # output in chips is about flat through 2023 (CoWoS +40%, silicon per package +41%),
        # so January's capacity is the year's peak rate: NVIDIA data-centre revenue 18.4e9
        # USD in Nov 2023-Jan 2024, ~85% chips, at ~$27.5k per H100 is ~190k a month (10-Q;
        # H1 2023 was order-limited: revenue rose 4x through the year). Epoch AI: the stock
        # of NVIDIA compute grew from ~0.76M to ~1.74M H100e in 2023. TechInsights' ~3.76M
        # data-centre GPUs shipped in 2023 counts units, mostly A100, H800, L40S and smaller.
        dict(
            name="US-GPU",
            kind="gpu",
            region="US",
            flops=1.0e15,
            price_usd=27500.0,
            watts=700.0,
            first_release=-3,
            units_per_month=200_000.0,
            # NVIDIA GAAP gross margin 72.7%, 75.0%, 71.1% in fiscal 2024-2026 (10-K filings)
            margin=0.73,
            leading=True,
        ),
        # Custom inference accelerator (TPU/Trainium-class): 1.2-1.7x perf and 1.3-1.9x
        # perf/W vs A100 (Jouppi et al. 2023, TPU v4, ISCA); taken as 1.5x per $ and per W.
        dict(
            name="US-XPU",
            kind="xpu",
            region="US",
            flops=1.0e15,
            price_usd=27500.0 / 1.5,
            watts=700.0 / 1.5,
            first_release=0,
            units_per_month=40_000.0,
            margin=0.6,  # assumption: design partner's margin (Broadcom-class), below NVIDIA's
        ),
        # Huawei Ascend 910B-class: ~320 TFLOP/s BF16 at ~400 W, ~$16k (press reports 2024);
        # yield-limited to ~200-400k good dies in 2024 (CSIS 2024), about 20k a month.
        # FLOP/s here are effective: x CN_SOFTWARE_EFFICIENCY for the less mature stack.
        dict(
            name="CN-GPU",
            kind="gpu",
            region="CN",
            flops=3.2e14 * 0.6,
            price_usd=16000.0,
            watts=400.0,
            first_release=0,
            units_per_month=20_000.0,
            margin=0.5,  # assumption
        ),
        # Cambricon-class inference chip: assumed 1.3x the CN GPU's perf per $ and per W.
        # CN_SOFTWARE_EFFICIENCY = 0.6: share of peak FLOP/s Chinese chips deliver against
        # NVIDIA's stack (assumption informed by press reports on Ascend utilisation, 2024).
        dict(
            name="CN-XPU",
            kind="xpu",
            region="CN",
            flops=2.5e14 * 0.6,
            price_usd=16000.0 * 0.6,
            watts=300.0,
            first_release=6,
            units_per_month=8_000.0,
            margin=0.5,  # assumption
        ),
    ),
    # The analytic limit: one unconstrained GPU line.
    "single_gpu": (
        dict(
            name="US-GPU",
            kind="gpu",
            region="US",
            flops=1.0e15,
            price_usd=27500.0,
            watts=700.0,
            first_release=0,
            units_per_month=1.0e12,
            margin=0.73,
            leading=True,
        ),
    ),
}

#: An H100-equivalent: 989 TFLOP/s dense BF16/FP16 (NVIDIA H100 SXM datasheet), the unit of
#: Epoch AI's installed-compute counts.
H100_FLOPS = 9.89e14

#: Export-capped chip for China: NVIDIA H20, 148 TFLOP/s dense BF16 at 400 W (NVIDIA spec
#: 2024), sold at ~$13,750 (Reuters, 2024: $12-15k), against H100's 989 TFLOP/s, 700 W and
#: $27,500. A capped chip costs that many times more per FLOP/s, and per watt, than the
#: full chip of its generation.
EXPORT_CAP_FLOPS = 1.48e14
EXPORT_CAP_PRICE_PER_FLOP_RATIO = (13_750 / 1.48e14) / (27_500 / 9.89e14)  # ~3.3
EXPORT_CAP_WATTS_PER_FLOP_RATIO = (400 / 1.48e14) / (700 / 9.89e14)  # ~3.8

#: Yearly growth of each line's FLOP/s per chip (H100 -> B200 ~2.25x in 2 years at BF16,
#: NVIDIA 2024): 1.5x a year. Per-dollar and per-watt paths are scenario parameters.
CHIP_PERFORMANCE_GROWTH = 1.5

#: Share of a cluster's capital cost that is not the accelerator (servers, network,
#: building): the accelerator is about half (SemiAnalysis AI cloud TCO model, 2023).
SYSTEM_COST_MULTIPLIER = 2.0

# --- Physical supply: power, packaging, vendors' margins -----------------------------------
HOURS_PER_YEAR = 8766.0  # h (365.25 days)

#: Data-centre electricity by region, TWh per year, in 2024 and in 2030 (base case): IEA,
#: Energy and AI (2025): US 183 -> 426, China 102 -> 277, Europe 68 -> 113 TWh. A region's
#: data-centre power (GW, average draw) is this / 8,766 h; between the two years it grows
#: at the constant rate that joins them (also before 2024).
DATA_CENTRE_TWH = {"US": (183.0, 426.0), "EU": (68.0, 113.0), "CN": (102.0, 277.0)}
DATA_CENTRE_TWH_YEARS = (2024, 2030)
#: Yearly growth of data-centre power after 2030: IEA (2025) base case, world 945 TWh in
#: 2030 to ~1,200 TWh in 2035 (~4.9% a year).
DATA_CENTRE_GROWTH_AFTER_2030 = (1200.0 / 945.0) ** (1 / 5)

#: Server power per watt of accelerator board power: NVIDIA DGX H100, 10.2 kW maximum for
#: 8 GPUs of 700 W (CPUs, memory, network and fans: ~1.8x the GPUs' own power).
SERVER_POWER_PER_CHIP_POWER = 10.2e3 / (8 * 700.0)
#: Share of full-load server power drawn while idle (assumption: GPU servers idle at
#: roughly a quarter to a third of peak; Patel et al. 2024, "Characterizing power
#: management opportunities for LLMs in the cloud", ASPLOS).
IDLE_POWER_SHARE = 0.3

#: TSMC CoWoS advanced-packaging capacity, thousand wafers a month, at (step from January
#: 2023, value): ~10k end 2022 (TrendForce 2023), ~14k end 2023, 35-40k end 2024, 75-80k
#: end 2025, 120-130k targeted end 2026 (TrendForce, TSMC statements 2024-25): ~2x a year
#: to 2025-26. Between points capacity grows at a constant rate; after the last point at
#: ``packaging_growth`` a year (a scenario parameter).
COWOS_KWAFERS_PER_MONTH = ((-1, 10.0), (11, 14.0), (23, 37.5), (35, 77.5), (47, 125.0))
#: Silicon per accelerator package doubles each generation (H100: one reticle-size die;
#: B200: two, on a ~2x larger CoWoS-L interposer, NVIDIA 2024): chips per wafer fall by this
#: factor a year at a 24-month cadence.
PACKAGE_AREA_GROWTH = 2.0**0.5

# --- Stylized facts the calibration experiment checks ------------------------------------
# Each is computed from the simulated series alone (never from the inputs), averaged over
# seeds. Fields: (series, how, months, target, band, unit, source); ``how`` is "mean"
# (average over the months, inclusive steps), "growth" (yearly growth factor from the
# first to the last month) or "fall" (yearly fall factor). Months are steps from 2023-01.
STYLIZED_FACTS = {
    "price_fall_per_year_2023_2025": (
        "hedonic_price_index",
        "fall",
        (0, 24),
        10.0,
        (5.0, 40.0),
        "x per year",
        "price at fixed capability: a16z 'LLMflation' (2024) ~10x/yr; Epoch AI (2025) ~40x/yr "
        "at GPT-4 level in 2024-25 (the 2023 tier's price, served-weighted)",
    ),
    "us_adoption_2023_09": (
        "adoption_rate_us",
        "mean",
        (8, 8),
        0.037,
        (0.026, 0.048),
        "share of firms",
        "US Census BTOS, AI use in the last two weeks, Sept 2023 (+-30%)",
    ),
    "us_adoption_2024_02": (
        "adoption_rate_us",
        "mean",
        (13, 13),
        0.054,
        (0.038, 0.070),
        "share of firms",
        "US Census BTOS, Feb 2024 (+-30%)",
    ),
    "inference_share_chip_spend_2024": (
        "inference_share_chip_spend",
        "mean",
        (12, 23),
        0.40,
        (0.30, 0.55),
        "share of chip spending",
        "NVIDIA FY2024 10-K: ~40% of data-centre revenue from inference (a revenue share)",
    ),
    "us_vendor_revenue_2023": (
        "us_vendor_revenue",
        "mean",
        (0, 11),
        4.0e9,
        (2.0e9, 8.0e9),
        "USD per month",
        "NVIDIA data-centre revenue USD 47.5B in fiscal 2024 (Feb 2023-Jan 2024), ~4e9 a "
        "month incl. networking and systems (factor-2 band)",
    ),
    "ai_energy_twh_2024": (
        "energy_mwh",
        "mean",
        (12, 23),
        25.0,
        (12.5, 50.0),
        "TWh per year (x12 / 1e6 from MWh per month)",
        "implied by Epoch AI's installed base (~1.5M H100-equivalents early 2024, ~4M early "
        "2025: ~2.5M on average) at ~1.5 kW facility power each (700 W x 1.82 for the host "
        "x PUE 1.2) and ~75% load: ~25 TWh/yr (factor-2 band); IEA (2025): all data "
        "centres 415 TWh",
    ),
    "ai_energy_twh_2025": (
        "energy_mwh",
        "mean",
        (24, 35),
        55.0,
        (27.5, 110.0),
        "TWh per year (x12 / 1e6 from MWh per month)",
        "the same with ~5.5M H100-equivalents on average in 2025 (Epoch AI's ~2.3x a year)",
    ),
    "largest_run_growth_2023_2026": (
        "largest_training_run_flop",
        "growth",
        (0, 36),
        4.5,
        (3.0, 6.0),
        "x per year",
        "Epoch AI (2024): training compute of the largest (frontier) run grows 4-5x a year",
    ),
}

# --- training runs (agents/lab.py)
#: Frontier training runs get ~1.4x longer a year (Epoch AI, "Training compute of frontier
#: AI models grows by 4-5x per year", 2024: spend ~2.4x, FLOP per dollar ~1.35x, duration
#: ~1.4x), up to ~a year: longer runs are overtaken by better hardware and algorithms
#: before they finish (Epoch AI, "The longest training run", 2022: at most ~15 months).
TRAINING_RUN_GROWTH = 1.4
MAX_TRAINING_RUN_MONTHS = 12
#: Bounds on the yearly revenue growth a lab extrapolates (assumption: halving to 5x).
REVENUE_GROWTH_BOUNDS = (0.5, 5.0)
