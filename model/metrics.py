"""Model-level metrics, measured every month (names are part of the interface).

Rebound (DESIGN.md): with C0 the step-0 inference compute and C_eng(t) = tokens(0) x
flops_per_token(t) the compute had token demand not responded,
``rebound = 1 - (C0 - C(t)) / (C0 - C_eng(t))``; above 1 is backfire. It is undefined
(NaN) while FLOPs per token have not changed (step 0, or no algorithmic progress). Energy
rebound is the same with energy, where the engineering path also includes the fleet's
energy per FLOP. Compute here is inference compute: training is not a response of token
demand to price and is reported separately.

Indices relative to step 0 (efficiency_index, compute_index, energy_index) are NaN when
their step-0 value is zero (nobody used AI at step 0).

The change in tokens since step 0 splits exactly into an extensive part (new adopters at
the average use per adopter) and an intensive part (more use per adopter), with the
midpoint (Shapley) rule: dT = dN x (q0 + q1)/2 + dq x (N0 + N1)/2.
"""

from __future__ import annotations

from collections import deque

import numpy as np

REGION_COLUMNS = ("us", "eu", "cn")

METRICS: tuple[str, ...] = (
    "step",
    "date",
    "tokens",
    "tokens_demanded",
    "rationed_share",
    "flops_per_token",
    "price_per_mtok",
    "inference_flops",
    "training_flops",
    "total_compute",
    "energy_mwh",
    "adoption_rate",
    "adoption_rate_us",
    "adoption_rate_eu",
    "adoption_rate_cn",
    "inference_share",
    "xpu_share",
    "installed_flops",
    "vendor_revenue_us",
    "vendor_revenue_eu",
    "vendor_revenue_cn",
    "us_vendor_revenue",
    "cn_vendor_revenue",
    "chips_shipped",
    "us_vendor_share_cn",
    "open_model_share",
    "open_derivatives",
    "provider_revenue",
    "productivity_gain_usd",
    "productivity_gain_us",
    "productivity_gain_eu",
    "productivity_gain_cn",
    "efficiency_index",
    "compute_index",
    "energy_index",
    "rebound",
    "energy_rebound",
    "tokens_extensive",
    "tokens_intensive",
)

UNITS = {
    "tokens": "tokens per month",
    "tokens_demanded": "tokens per month",
    "flops_per_token": "FLOP per token",
    "price_per_mtok": "USD per million tokens",
    "inference_flops": "FLOP per month",
    "training_flops": "FLOP per month",
    "total_compute": "FLOP per month",
    "energy_mwh": "MWh per month",
    "installed_flops": "peak FLOP/s",
    "provider_revenue": "USD per month",
    "productivity_gain_usd": "USD per month",
    "chips_shipped": "chips per month",
}


class Metrics:
    """Measures the model each month; remembers what rebound needs from step 0."""

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

    def measure(self, cleared: dict[str, np.ndarray], step: int) -> dict:
        m = self.model
        s = m.scenario
        providers = m.providers
        firms = m.firms
        tokens = sum(p.served_tokens for p in providers)
        demanded = sum(p.demand_tokens for p in providers)
        inference = sum(p.inference_flops for p in providers)
        training = sum(p.training_flops for p in providers)
        energy = sum(p.energy_mwh for p in providers)
        inference_energy = sum(p.inference_energy_mwh for p in providers)
        flops_per_token = _weighted(
            [p.flops_per_token for p in providers], [p.served_tokens for p in providers]
        )
        price = _weighted(
            [p.price_per_mtok for p in providers], [p.served_tokens for p in providers]
        )
        cost_per_flop = _weighted(
            [p.inference_cost_per_flop for p in providers], [p.inference_flops for p in providers]
        )
        installed = sum(p.capacity_flops for p in providers)
        adopters = firms.adopted_weight_by_region()
        all_firms = firms.weight_by_region()
        row = {
            "step": step,
            "date": f"{s.start_year + step // 12}-{step % 12 + 1:02d}",
            "tokens": tokens,
            "tokens_demanded": demanded,
            "rationed_share": 1.0 - tokens / demanded if demanded > 0 else 0.0,
            "flops_per_token": flops_per_token,
            "price_per_mtok": price,
            "inference_flops": inference,
            "training_flops": training,
            "total_compute": inference + training,
            "energy_mwh": energy,
            "adoption_rate": float(adopters.sum() / all_firms.sum()),
            "inference_share": inference / (inference + training)
            if inference + training > 0
            else 0.0,
            "xpu_share": sum(p.xpu_flops for p in providers) / installed if installed else 0.0,
            "installed_flops": installed,
            "open_model_share": sum(p.served_tokens * p.open_share for p in providers) / tokens
            if tokens > 0
            else 0.0,
            "open_derivatives": self.open_derivatives(step),
            "provider_revenue": sum(p.revenue for p in providers),
            "productivity_gain_usd": float(cleared["gains_by_region"].sum()),
        }
        by_region = dict(zip(m.regions, range(len(m.regions))))
        for name in REGION_COLUMNS:
            r = by_region.get(name.upper())
            row[f"adoption_rate_{name}"] = (
                float(adopters[r] / all_firms[r]) if r is not None and all_firms[r] > 0 else np.nan
            )
            row[f"productivity_gain_{name}"] = (
                float(cleared["gains_by_region"][r]) if r is not None else np.nan
            )
        row.update(self.vendor_metrics())
        row.update(self.rebound(row, inference_energy, cost_per_flop, adopters.sum()))
        # one type per column in every run: floats (plain Python) except step and date
        return {k: v if k in ("step", "date") else float(v) for k, v in row.items()}

    def vendor_metrics(self) -> dict:
        vendors = self.model.vendors
        out = {}
        for region in ("US", "EU", "CN"):
            out[f"vendor_revenue_{region.lower()}"] = sum(
                v.revenue_by_region.get(region, 0.0) for v in vendors
            )
        for home in ("US", "CN"):
            out[f"{home.lower()}_vendor_revenue"] = sum(
                sum(v.revenue_by_region.values()) for v in vendors if v.region == home
            )
        out["chips_shipped"] = sum(sum(v.units_by_region.values()) for v in vendors)
        us_into_cn = sum(v.units_by_region.get("CN", 0.0) for v in vendors if v.region == "US")
        all_into_cn = sum(v.units_by_region.get("CN", 0.0) for v in vendors)
        if self.base is not None:
            self.cn_window.append((us_into_cn, all_into_cn))
        us, total = (sum(x) for x in zip(*self.cn_window))
        out["us_vendor_share_cn"] = us / total if total > 0 else 0.0
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

    def rebound(
        self, row: dict, inference_energy: float, cost_per_flop: float, adopters: float
    ) -> dict:
        """Rebound, energy rebound, indices and the extensive/intensive split."""
        tokens = row["tokens"]
        f = row["flops_per_token"]
        energy_per_flop = (
            inference_energy / row["inference_flops"] if row["inference_flops"] else 0.0
        )
        if self.base is None:
            self.base = {
                "tokens": tokens,
                "f": f,
                "compute": row["inference_flops"],
                "total": row["total_compute"],
                "energy": inference_energy,
                "all_energy": row["energy_mwh"],
                "cost": cost_per_flop,
                "adopters": adopters,
                "energy_per_flop": energy_per_flop,
            }
        b = self.base
        c_eng = b["tokens"] * f
        e_eng = b["tokens"] * f * energy_per_flop
        per_adopter0 = b["tokens"] / b["adopters"] if b["adopters"] else 0.0
        per_adopter = tokens / adopters if adopters else 0.0
        return {
            "rebound": _rebound(b["compute"], row["inference_flops"], c_eng),
            "energy_rebound": _rebound(b["energy"], inference_energy, e_eng),
            "efficiency_index": _ratio(b["f"] * b["cost"], f * cost_per_flop),
            "compute_index": _ratio(row["total_compute"], b["total"]),
            "energy_index": _ratio(row["energy_mwh"], b["all_energy"]),
            "tokens_extensive": (adopters - b["adopters"]) * (per_adopter0 + per_adopter) / 2,
            "tokens_intensive": (per_adopter - per_adopter0) * (b["adopters"] + adopters) / 2,
        }


def _rebound(base: float, actual: float, engineering: float) -> float:
    saved = base - engineering
    if base <= 0 or abs(saved) <= 1e-12 * base:
        return float("nan")
    return 1.0 - (base - actual) / saved


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def _weighted(values, weights) -> float:
    total = sum(weights)
    if total <= 0:
        return float(np.mean(values)) if len(values) else 0.0
    return sum(v * w for v, w in zip(values, weights)) / total
