"""Model-level metrics, measured every month (names are part of the interface).

``METRIC_TABLE`` is the one table of metrics (name, unit, meaning): the data collector,
the Parquet field metadata, plot labels and the README's table all read it.

The Jevons effect is measured **with/without** efficiency: each run is paired with a
counterfactual twin (same scenario, same seed, same random draws, every rule active) in
which the studied efficiency source is frozen (``JevonsModel(counterfactual=...)``).
With C the run's total compute (inference + training), C_cf the twin's, and
C_eng = tokens_cf x flops_per_token + training_cf the twin's activity at the run's FLOPs
per token (what efficiency would save if demand did not respond):

- ``jevons_ratio`` = C / C_cf: efficiency raised compute (backfire) iff above 1;
- ``rebound`` = (C - C_eng) / (C_cf - C_eng): the share of the engineering saving taken
  back by demand (above 1 is backfire); NaN while the saving is under 5% of C_cf, and
  always for the ``hardware`` source (it saves no FLOPs);
- energy likewise, the engineering energy at the twin's facility energy per useful FLOP
  (with hardware frozen, the twin's fleet at the run's joules per FLOP of each vintage);
- ``jevons_elasticity`` = d ln C / d ln(1/phi) from the marginal twin, whose log
  efficiency gain is 0.9 times the run's (phi: FLOPs per token for ``algo``/``shock``, cost
  per useful FLOP for ``hardware``, their product for ``all``); eps - 1 in the analytic
  limit, so backfire iff above 0;
- growth since step 0 splits exactly: compute_index = compute_index_cf x jevons_ratio;
- tokens - tokens_cf splits firm by firm (the same agent in run and twin) into firms
  adopted in both (intensive), adopted only with efficiency (induced) and adopted only
  without it (displaced, counted negative).

Indices relative to step 0 are NaN when their step-0 value is zero. The change in tokens
since step 0 splits (before/after, midpoint rule) into new adopters and more use per
adopter: dT = dN x (q0 + q1)/2 + dq x (N0 + N1)/2.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from model.calibration import H100_FLOPS, SYSTEM_COST_MULTIPLIER

REGION_COLUMNS = ("us", "eu", "cn")
#: Tokens and tasks by tier: one column per tier, the last one for it and every later tier.
TIER_COLUMNS = 5
#: Rebound is NaN while the engineering saving is under this share of the twin's compute.
MIN_SAVING = 0.05


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
        "labs' training spend (target theta x revenue x expected growth^horizon, partially "
        "adjusted; outside funding pays what token revenue does not)",
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
        "revenue of all providers: firms' token bills + consumers' flat revenue per user",
    ),
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
        "consumer_tokens",
        "tokens/month",
        "tokens served to consumers (flat or zero marginal price)",
    ),
    *(
        M(
            f"tokens_tier_{k}",
            "tokens/month",
            f"tokens served on tier {k}{' and later tiers' if k == TIER_COLUMNS - 1 else ''} "
            + ("(0 = GPT-4 class)" if k == 0 else "(model/calibration.py TIERS_RELEASED)"),
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
    # --- with/without efficiency: the counterfactual twin (NaN with counterfactual='none')
    M("tokens_cf", "tokens/month", "tokens served in the twin without the efficiency source"),
    M("compute_cf", "FLOP/month", "total compute of the twin"),
    M("energy_cf", "MWh/month", "energy of the twin"),
    M("compute_eng", "FLOP/month", "twin's activity at the run's efficiency (no response)"),
    M("energy_eng", "MWh/month", "twin's activity at the run's energy efficiency"),
    M("compute_index_cf", "index", "twin's compute / run's step-0 compute (growth without)"),
    M("jevons_ratio", "ratio", "compute with / without efficiency; > 1 is backfire"),
    M("energy_jevons_ratio", "ratio", "energy with / without efficiency"),
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
)
del M

METRICS: tuple[str, ...] = tuple(m.name for m in METRIC_TABLE)
UNITS: dict[str, str] = {m.name: m.unit for m in METRIC_TABLE}
#: The with/without columns, NaN in a run without a twin.
COUNTERFACTUAL_METRICS = METRICS[METRICS.index("tokens_cf") :]


def metrics_markdown() -> str:
    """The metric table as Markdown (the README's table is this text)."""
    lines = ["| name | unit | meaning |", "|---|---|---|"]
    lines += [f"| `{m.name}` | {m.unit} | {m.meaning} |" for m in METRIC_TABLE]
    return "\n".join(lines) + "\n"


class Metrics:
    """Measures the model each month; remembers what the indices need from step 0."""

    def __init__(self, model):
        self.model = model
        self.base: dict[str, float] | None = None
        vendor_region = {v.name: v.region for v in model.vendors}
        initial = {"US": 0.0, "CN": 0.0}
        for p in model.providers:
            if p.region == "CN":
                for c in p.fleet:
                    initial[vendor_region[c.chip.vendor]] += c.units
        self.cn_window: deque[tuple[float, float]] = deque(
            [(initial["US"], initial["US"] + initial["CN"])], maxlen=12
        )
        self.spend_window: deque[tuple[float, float]] = deque(maxlen=12)

    def measure(self, cleared: dict[str, np.ndarray], step: int) -> dict:
        m = self.model
        s = m.scenario
        providers = m.providers
        firms = m.firms
        # each provider attribute read once; sums in provider order, as plain floats
        served = [p.served_tokens for p in providers]
        inference_by = [p.inference_flops for p in providers]
        facility = [p.facility_watts for p in providers]
        tokens = sum(served)
        demanded = sum([p.demand_tokens for p in providers])
        at_clearing = sum([p.cleared_tokens for p in providers])
        inference = sum(inference_by)
        training = sum([p.training_flops for p in providers])
        inference_hours = sum([p.inference_peak_seconds for p in providers])
        training_hours = sum([p.training_peak_seconds for p in providers])
        flops_per_token = _weighted([p.flops_per_token for p in providers], served, tokens)
        price = _weighted([p.price_per_mtok for p in providers], served, tokens)
        released = m.tiers.released(step)
        frontier = released - 1
        cost_per_flop = _weighted(
            [p.inference_cost_per_flop for p in providers], inference_by, inference
        )
        self.cost_per_flop = cost_per_flop  # USD per useful FLOP; the twins' elasticity reads it
        installed = sum([p.capacity_flops for p in providers])
        adopters = firms.adopted_weight_by_region()
        all_firms = firms.weight_by_region()
        gains = float(cleared["gains_by_region"].sum())
        gpus = [p for p in providers if p.gpu_flops > 0]
        limits = [g.limit_watts(step) for g in m.grids]
        row = {
            "step": step,
            "date": f"{s.start_year + step // 12}-{step % 12 + 1:02d}",
            "tokens": tokens,
            "tokens_demanded": demanded,
            "rationed_share": max(0.0, 1.0 - tokens / at_clearing) if at_clearing > 0 else 0.0,
            "flops_per_token": flops_per_token,
            "price_per_mtok": price,
            "hedonic_price_index": _weighted([p.hedonic_price for p in providers], served, tokens),
            "frontier_tier": frontier,
            "frontier_token_share": _weighted(
                [p.tier_token_shares[frontier] for p in providers], served, tokens
            ),
            "tokens_per_task": _weighted([p.tokens_per_task for p in providers], served, tokens),
            "inference_flops": inference,
            "training_flops": training,
            "total_compute": inference + training,
            "training_spend_usd": sum([p.training_budget() for p in providers]),
            "largest_training_run_flop": max(
                (p.largest_training_run_flop(step) for p in providers), default=0.0
            ),
            "energy_mwh": sum([p.energy_mwh for p in providers]),
            "adoption_rate": float(adopters.sum() / all_firms.sum()),
            "inference_share": _share(inference, training),
            "inference_share_gpu_hours": _share(inference_hours, training_hours),
            "xpu_share": sum([p.xpu_flops for p in providers]) / installed if installed else 0.0,
            "installed_flops": installed,
            "installed_h100e": installed / H100_FLOPS,
            "power_gw": sum(facility) / 1e9,
            "power_limit_gw": _finite_gw(sum(limits)),
            "vendor_price": self.vendor_price(step),
            "gpu_rental_price_per_hour": _weighted(
                [p.gpu_rental_price_per_hour() for p in gpus], [p.gpu_flops for p in gpus]
            ),
            "open_model_share": sum([p.served_tokens * p.open_share for p in providers]) / tokens
            if tokens > 0
            else 0.0,
            "open_derivatives": self.open_derivatives(step),
            "provider_revenue": sum([p.revenue for p in providers]),
            "productivity_gain_usd": gains,
            "firm_token_bill_usd": cleared["firm_bill"],
            "firm_surplus_usd": gains
            - cleared["firm_bill"]
            - float(adopters.sum()) * firms.integration_per_month,
            "consumer_users": float(m.consumers.users.sum()),
            "consumer_tokens": float(cleared["consumer_by_region"].sum()),
        }
        row.update(self.by_tier(cleared, step, released))
        by_region = dict(zip(m.regions, range(len(m.regions))))
        for name in REGION_COLUMNS:
            r = by_region.get(name.upper())
            if r is None:
                row[f"adoption_rate_{name}"] = row[f"productivity_gain_{name}"] = np.nan
                row[f"power_gw_{name}"] = row[f"power_limit_gw_{name}"] = np.nan
                continue
            row[f"adoption_rate_{name}"] = (
                float(adopters[r] / all_firms[r]) if all_firms[r] > 0 else np.nan
            )
            row[f"productivity_gain_{name}"] = float(cleared["gains_by_region"][r])
            region = name.upper()
            row[f"power_gw_{name}"] = (
                sum([w for w, p in zip(facility, providers) if p.region == region]) / 1e9
            )
            row[f"power_limit_gw_{name}"] = _finite_gw(sum([limits[r]]))
        row.update(self.vendor_metrics())
        row.update(self.before_after(row, cost_per_flop, adopters.sum()))
        row.update(self.with_without(row, cost_per_flop))
        # one type per column in every run: floats (plain Python) except step and date
        return {k: row[k] if k in ("step", "date") else float(row[k]) for k in METRICS}

    def by_tier(self, cleared: dict, step: int, released: int | None = None) -> dict:
        """Tokens served and firms' tasks done by tier (the last column: that tier and every
        later one). ``released``: ``tiers.released(step)`` if known."""
        m = self.model
        n = m.tiers.released(step) if released is None else released
        k = m.tiers.tokens_per_task[:n]
        task_value = m.scenario.demand_model == "task_value"
        # per tier, provider by provider from 0.0 (as numpy's elementwise += would)
        providers = m.providers
        served = [p.served_tokens for p in providers]
        tokens = _by_provider(served, [p.tier_token_shares for p in providers], n)
        tasks = np.zeros(n)
        if task_value:
            share = [
                t / p.demand_tokens if p.demand_tokens > 0 else 0.0
                for t, p in zip(served, providers)
            ]
            tasks = _by_provider(share, [p.tier_tasks for p in providers], n)
        if not task_value:  # tasks of the tier-0 horizon: firms' tokens / tokens per task
            firm_share = max(
                0.0,
                1.0
                - cleared["consumer_by_region"].sum()
                / max(sum(p.served_tokens for p in m.providers), 1e-300),
            )
            minute_tokens = m.scenario.tokens_per_task_minute * m.tiers.horizon_minutes[0]
            tasks = firm_share * tokens / (k * minute_tokens)
        out = {}
        last = TIER_COLUMNS - 1
        for i in range(last):
            out[f"tokens_tier_{i}"] = float(tokens[i]) if i < n else 0.0
            out[f"tasks_tier_{i}"] = float(tasks[i]) if i < n else 0.0
        out[f"tokens_tier_{last}"] = float(tokens[last:].sum())
        out[f"tasks_tier_{last}"] = float(tasks[last:].sum())
        return out

    @staticmethod
    def power_limit_gw(grids, step: int) -> float:
        """The grids' AI power limit (GW); NaN without power limits."""
        return _finite_gw(sum(g.limit_watts(step) for g in grids))

    def vendor_price(self, step: int) -> float:
        """USD per H100-equivalent of the leading vendor's newest chip (NaN before any)."""
        vendors = self.model.vendors
        leading = next((v for v in vendors if v.line.get("leading")), vendors[0])
        chip = leading.current_chip(step)
        return chip.price / (chip.flops / H100_FLOPS) if chip is not None else math.nan

    def vendor_metrics(self) -> dict:
        vendors = self.model.vendors
        revenue = [v.revenue_by_region for v in vendors]
        units = [v.units_by_region for v in vendors]
        out = {}
        for region in ("US", "EU", "CN"):
            out[f"vendor_revenue_{region.lower()}"] = sum([r.get(region, 0.0) for r in revenue])
        totals = [sum(r.values()) for r in revenue]  # each vendor's chip revenue
        for home in ("US", "CN"):
            out[f"{home.lower()}_vendor_revenue"] = sum(
                [t for t, v in zip(totals, vendors) if v.region == home]
            )
        out["chips_shipped"] = sum([sum(u.values()) for u in units])
        chip_spend = sum(totals)
        out["capex_usd"] = chip_spend * SYSTEM_COST_MULTIPLIER
        into_cn = [u.get("CN", 0.0) for u in units]
        us_into_cn = sum([x for x, v in zip(into_cn, vendors) if v.region == "US"])
        all_into_cn = sum(into_cn)
        if self.base is not None:
            self.cn_window.append((us_into_cn, all_into_cn))
        us, total = (sum(x) for x in zip(*self.cn_window))
        out["us_vendor_share_cn"] = us / total if total > 0 else math.nan  # no sales: undefined
        spend = {
            purpose: sum(v.revenue_by_purpose.get(purpose, 0.0) for v in vendors)
            for purpose in ("inference", "training")
        }
        self.spend_window.append((spend["inference"], spend["training"]))
        inference, training = (sum(x) for x in zip(*self.spend_window))
        out["inference_share_chip_spend"] = (
            inference / (inference + training) if inference + training > 0 else math.nan
        )
        return out

    def open_derivatives(self, step: int) -> float:
        """Derivative open models published: Bass curve from the release with the
        providers' diffusion rates, scaled to ``open_derivative_potential``."""
        s = self.model.scenario
        if not self.model.open_model_released(step):
            return 0.0
        p, q = s.open_adoption_p, s.open_adoption_q
        tau = step - s.shock_step + 1
        if p <= 0:
            return 0.0
        e = np.exp(-(p + q) * tau)
        return float(s.open_derivative_potential * (1 - e) / (1 + q / p * e))

    def before_after(self, row: dict, cost_per_flop: float, adopters: float) -> dict:
        """Indices against step 0 and the before/after split of tokens."""
        tokens = row["tokens"]
        f = row["flops_per_token"]
        if self.base is None:
            self.base = {
                "tokens": tokens,
                "f": f,
                "total": row["total_compute"],
                "energy": row["energy_mwh"],
                "cost": cost_per_flop,
                "adopters": adopters,
            }
        b = self.base
        per_adopter0 = b["tokens"] / b["adopters"] if b["adopters"] else 0.0
        per_adopter = tokens / adopters if adopters else 0.0
        return {
            "efficiency_index": finite_ratio(b["f"] * b["cost"], f * cost_per_flop),
            "compute_index": finite_ratio(row["total_compute"], b["total"]),
            "energy_index": finite_ratio(row["energy_mwh"], b["energy"]),
            "tokens_extensive": (adopters - b["adopters"]) * (per_adopter0 + per_adopter) / 2,
            "tokens_intensive": (per_adopter - per_adopter0) * (b["adopters"] + adopters) / 2,
        }

    def with_without(self, row: dict, cost_per_flop: float) -> dict:
        """The run against its counterfactual twin (all NaN without one)."""
        m = self.model
        twin = m.twin
        if twin is None:
            return dict.fromkeys(COUNTERFACTUAL_METRICS, math.nan)
        cf = twin.metrics
        source = m.counterfactual
        compute, compute_cf = row["total_compute"], cf["total_compute"]
        energy, energy_cf = row["energy_mwh"], cf["energy_mwh"]
        # the twin's activity at the run's FLOPs per token and joules per FLOP
        f_ratio = finite_ratio(row["flops_per_token"], cf["flops_per_token"])
        compute_eng = cf["inference_flops"] * f_ratio + cf["training_flops"]
        ratios = [p.reference_energy_ratio() for p in twin.providers]
        inference_ref = sum(p.inference_energy_mwh * r for p, r in zip(twin.providers, ratios))
        all_ref = sum(p.energy_mwh * r for p, r in zip(twin.providers, ratios))
        energy_eng = inference_ref * f_ratio + (all_ref - inference_ref)
        q, q_cf = m.firms.served_tokens(), twin.firms.served_tokens()
        both = m.firms.adopted & twin.firms.adopted
        only_run = m.firms.adopted & ~twin.firms.adopted
        only_twin = ~m.firms.adopted & twin.firms.adopted
        base_compute = self.base["total"]
        return {
            "tokens_cf": cf["tokens"],
            "compute_cf": compute_cf,
            "energy_cf": energy_cf,
            "compute_eng": compute_eng,
            "energy_eng": energy_eng,
            "compute_index_cf": finite_ratio(compute_cf, base_compute),
            "jevons_ratio": finite_ratio(compute, compute_cf),
            "energy_jevons_ratio": finite_ratio(energy, energy_cf),
            "rebound": math.nan
            if source == "hardware"
            else _rebound(compute, compute_cf, compute_eng),
            "energy_rebound": _rebound(energy, energy_cf, energy_eng),
            "jevons_elasticity": self.elasticity(row, cost_per_flop),
            "tokens_response_intensive": float((q - q_cf)[both].sum())
            + row["consumer_tokens"]
            - cf["consumer_tokens"],
            "tokens_response_induced": float(q[only_run].sum()),
            "tokens_response_displaced": -float(q_cf[only_twin].sum()),
        }

    def elasticity(self, row: dict, cost_per_flop: float) -> float:
        """d ln C / d ln(1/phi) between the run and its marginal twin (NaN without one or
        while the run's efficiency gain over the twin is under MIN_SAVING)."""
        m = self.model
        if m.marginal_twin is None:
            return math.nan
        phi = self._efficiency(row, cost_per_flop)
        phi_cf = self._efficiency(m.twin.metrics, m.twin.metrics_tracker.cost_per_flop)
        phi_marginal = self._efficiency(
            m.marginal_twin.metrics, m.marginal_twin.metrics_tracker.cost_per_flop
        )
        compute = row["total_compute"]
        compute_marginal = m.marginal_twin.metrics["total_compute"]
        if not (phi > 0 and phi_cf > 0 and phi_marginal > 0 and compute > 0 < compute_marginal):
            return math.nan
        if 1.0 - phi / phi_cf < MIN_SAVING:
            return math.nan
        ratio, efficiency = finite_ratio(compute, compute_marginal), finite_ratio(phi_marginal, phi)
        if not (ratio > 0 and efficiency > 0) or efficiency == 1.0:
            return math.nan
        return math.log(ratio) / math.log(efficiency)

    def _efficiency(self, row: dict, cost_per_flop: float) -> float:
        """The studied source's efficiency measure phi (lower is more efficient)."""
        source = self.model.counterfactual
        if source in ("algo", "shock"):
            return row["flops_per_token"]
        if source == "hardware":
            return cost_per_flop
        return row["flops_per_token"] * cost_per_flop


def _rebound(actual: float, counterfactual: float, engineering: float) -> float:
    """(actual - engineering) / (counterfactual - engineering), NaN for a small saving."""
    saved = counterfactual - engineering
    if not counterfactual > 0 or saved < MIN_SAVING * counterfactual:
        return math.nan
    return finite_ratio(actual - engineering, saved)


def _share(part: float, other: float) -> float:
    return part / (part + other) if part + other > 0 else 0.0


def finite_ratio(a: float, b: float) -> float:
    """a / b; NaN where b is zero or so near it that the ratio is not a finite number."""
    if not b > 0:
        return math.nan
    if type(a) is float and type(b) is float:  # plain floats overflow to inf silently
        r = a / b
    else:
        with np.errstate(over="ignore"):
            r = a / b
    return float(r) if math.isfinite(r) else math.nan


def _finite_gw(watts: float) -> float:
    """Watts in GW; NaN where infinite (no power limit)."""
    limit = watts / 1e9
    return limit if math.isfinite(limit) else math.nan


def _by_provider(weights: list, rows: list, n: int) -> np.ndarray:
    """Sum over providers of weight x row[:n], provider by provider from 0.0: a
    cumulative sum down the providers (the same additions, in the same order, as a loop;
    a loop where rows are shorter than n)."""
    rows = [r[:n] for r in rows]
    if all(len(r) == n for r in rows):
        return np.cumsum(np.array(weights)[:, None] * np.array(rows), axis=0)[-1]
    total = [0.0] * n
    for w, row in zip(weights, rows):
        for i, x in enumerate(row.tolist()):
            total[i] += w * x
    return np.array(total)


def _weighted(values, weights, total: float | None = None) -> float:
    """Average of ``values`` weighted by ``weights`` (``total``: their sum, if known)."""
    if total is None:
        total = sum(weights)
    if total <= 0:
        return float(np.mean(values)) if len(values) else 0.0
    return sum([v * w for v, w in zip(values, weights)]) / total
