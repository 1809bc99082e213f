"""Model-level metrics, measured every month from the agents' state (names and units in
``table``; the with/without part in ``counterfactual``)."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from jevons_compute.model.metrics.counterfactual import Counterfactual
from jevons_compute.model.metrics.price_split import PriceSplit
from jevons_compute.model.metrics.table import METRICS, REGION_COLUMNS, TIER_COLUMNS
from jevons_compute.world.facts import H100_FLOPS, SYSTEM_COST_MULTIPLIER


class Metrics(Counterfactual, PriceSplit):
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
        #: the trailing 12 months' flows (``FLOWS``), summed by ``trailing``
        self.flow_window: deque[tuple[float, ...]] = deque(maxlen=12)

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
        budgets = [p.training_budget() for p in providers]  # set by the month's serve
        spend = sum(budgets)
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
            "training_spend_usd": spend,
            "training_finance_bound": _share(
                sum([b for b, p in zip(budgets, providers) if p.lab.finance_bound]),
                sum([b for b, p in zip(budgets, providers) if not p.lab.finance_bound]),
            ),
            "training_capacity_shortfall": 1.0
            - _share(
                sum([p.training_peak_seconds for p in providers]),
                sum([p.training_wanted_peak - p.training_peak_seconds for p in providers]),
            )
            if any(p.training_wanted_peak > 0 for p in providers)
            else 0.0,
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
            "consumer_inference_flops": min(
                inference,
                sum(
                    [
                        float(t) * p.consumer_flops_per_token
                        for t, p in zip(cleared["consumer_by_provider"], providers)
                    ]
                ),
            ),
        }
        row["consumer_serving_usd"] = sum(
            [
                float(t) * p.consumer_cost_per_token
                for t, p in zip(cleared["consumer_by_provider"], providers)
            ]
        )
        row.update(self.by_tier(cleared, step, released))
        row.update(self.price_split(providers, served, m.serving_mfu))
        by_region = dict(zip(m.regions, range(len(m.regions))))
        # what platforms earn from each region's consumers, as served (rationing)
        consumer_revenue = m.consumers.revenue_at @ cleared["consumer_share"]
        revenue = [p.revenue for p in providers]
        for name in REGION_COLUMNS:
            r = by_region.get(name.upper())
            if r is None:
                row[f"adoption_rate_{name}"] = row[f"productivity_gain_{name}"] = np.nan
                row[f"power_gw_{name}"] = row[f"power_limit_gw_{name}"] = np.nan
                row[f"consumer_revenue_{name}"] = row[f"provider_revenue_{name}"] = np.nan
                continue
            row[f"consumer_revenue_{name}"] = float(consumer_revenue[r])
            row[f"provider_revenue_{name}"] = sum(
                [x for x, p in zip(revenue, providers) if p.region == name.upper()]
            )
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
        self.remember_flows(row)
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
        """USD per H100-equivalent of the leading vendor's newest chip, its scarcity
        premium included (NaN before any)."""
        vendors = self.model.vendors
        leading = next((v for v in vendors if v.line.get("leading")), vendors[0])
        chip = leading.current_chip(step)
        if chip is None:
            return math.nan
        return chip.price * leading.premium / (chip.flops / H100_FLOPS)

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


def _share(part: float, other: float) -> float:
    return part / (part + other) if part + other > 0 else 0.0


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
