"""The parameter table's demand side: population and time, firms' demand and adoption,
consumers and platforms, provider choice."""

from __future__ import annotations

from jevons_compute.world.parameters.schema import Parameter

P = Parameter
DEMAND: tuple[Parameter, ...] = (
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
        "task_success_slope",
        0.9,
        "1",
        "slope b of a tier's success on a task of human length L, 1 / (1 + (L / H)^b), H "
        "its 50% time horizon (task_value)",
        "METR 2025 logistic fits: b = ln 4 / ln(H50 / H80), H50 / H80 ~ 4-5, so b ~ 0.85-1.0",
        0.3,
        3.0,
        label="Success slope in task length",
    ),
    P(
        "task_creation_elasticity",
        0.25,
        "1",
        "elasticity of firms' task volume to the fall of a task's entry cost below its 2023 "
        "level (task_value): work never done because it cost too much",
        "no direct measure (DESIGN v3.3: not identified by aggregates; a swept prior, 0-1)",
        0.0,
        2.0,
        label="Task creation elasticity",
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
        "consumer_revenue_per_user_us",
        1.5,
        "USD per month",
        "platforms' revenue per US consumer user in 2024 (subscriptions, paid share and "
        "advertising, averaged over all users, free ones included); later and earlier years "
        "by consumer_revenue_growth",
        "ChatGPT consumer subscriptions ~2.7bn USD in 2024 (The Information) of which "
        "~40-57% from the US (Appfigures: US 38% of ChatGPT's mobile revenue; FutureSearch: "
        "57% of Plus subscribers in the US, Apr 2024), plus Gemini, Copilot, Claude and "
        "Perplexity subscriptions: ~1.5-2bn USD a year over ~100M US monthly users",
        0.0,
        100.0,
        label="US revenue per consumer (USD/month, 2024)",
    ),
    P(
        "consumer_revenue_per_user_eu",
        0.75,
        "USD per month",
        "the same, EU consumer users",
        "assumption: about half the US level (a smaller paid share; OpenAI: revenue per user "
        "outside the US and Canada is well below theirs)",
        0.0,
        100.0,
    ),
    P(
        "consumer_revenue_per_user_cn",
        0.1,
        "USD per month",
        "the same, Chinese consumer users",
        "assumption: Chinese chatbots were free in 2024-25 (Doubao, Kimi, Qwen; Doubao's "
        "first paid tier, 68 CNY a month, only in May 2026), advertising and in-app "
        "purchases only",
        0.0,
        100.0,
    ),
    P(
        "consumer_revenue_growth",
        0.1,
        "per year",
        "growth of revenue per consumer user a year (paid share, prices, advertising), the "
        "same in every region",
        "ChatGPT consumer revenue per weekly user ~13 USD a year in 2024 (~2.7bn over ~200M "
        "on average) and ~14 in 2025 (~70% of ~13bn over ~650M; OpenAI): ~0-15% a year",
        -0.5,
        2.0,
    ),
    P(
        "consumer_serving_share",
        0.55,
        "share",
        "share of its consumer revenue a platform spends serving its users at the step-0 "
        "cost per token (s0 in B = s0 R (c/c0)^(1 - eps_s))",
        "OpenAI 2024: ~2bn USD of inference compute (Epoch AI, from The Information's "
        "1.8bn) on ~3.7bn USD of revenue, API included (The Information): ~0.55; ~1.1 "
        "with the 4bn some reports give",
        0.0,
        5.0,
        label="Consumers' serving share of revenue",
    ),
    P(
        "consumer_serving_elasticity",
        1.0,
        "1",
        "elasticity eps_s of a platform's consumer tokens to its cost per token: serving "
        "spend B = s0 R (c/c0)^(1 - eps_s), tokens per user B / (users x c). At 1 the "
        "spend is a constant share of revenue and consumers' compute does not move with "
        "algorithmic efficiency, by construction; below 1 spend falls as cost falls, "
        "above 1 it rises (sweep 0.5-1.5)",
        "assumption (DESIGN v3.2: swept over 0.5-1.5)",
        0.5,
        1.5,
        label="Consumers' token elasticity to cost",
    ),
    P(
        "consumer_tokens_floor",
        1e5,
        "tokens per user a month",
        "tokens a month a platform must be able to give each user on a tier before it "
        "serves that tier: it serves the most capable released tier its budget affords",
        "ChatGPT ~1e11 words a day in Feb 2024 (Altman) over ~1e8 weekly users: ~4e4 "
        "words, ~1.6e5 tokens a user a month with 3:1 input:output",
        1e3,
        1e8,
        label="Consumers' tokens floor",
    ),
    P(
        "consumer_quality_response",
        0.02,
        "1",
        "elasticity of revenue per consumer user to the quality a platform serves (its "
        "tokens per user last month over those at step 0): cheaper tokens reach users' "
        "revenue only through it",
        "uncalibrated assumption, small by default: no measure separates the quality "
        "served from the other drivers of paid share and advertising (at 0.02 the 2024 "
        "revenue per user is ~8% above the regions' levels, tokens per user having grown "
        "~50x since step 0)",
        0.0,
        0.9,
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
)  # fmt: skip
del P
