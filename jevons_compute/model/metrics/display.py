"""How metrics are shown: the one display table beside the metric table.

Every unit of ``table.METRIC_TABLE`` has a row here saying what it is shown in (``unit``),
the factor from the table's unit to it (``scale``) and whether a log axis suits it; a
metric may override its unit's row (rebound is a ratio of savings, shown unscaled) and has
a short ``label``. The browser UI's plots, the figures of runs, sweeps and named
experiments, and the reports all read ``display(name)``: a scale or unit word is written
once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from jevons_compute.model.metrics.table import METRIC_TABLE


@dataclass(frozen=True)
class Display:
    """How values of one unit are shown.

    Attributes:
        unit: the unit shown, in words ("%", "TWh per month").
        scale: shown value = value in the metric table's unit x scale.
        log: a logarithmic axis suits it (quantities that grow by orders of magnitude).
    """

    unit: str
    scale: float = 1.0
    log: bool = False


#: Each unit of the metric table, as it is shown.
BY_UNIT: dict[str, Display] = {
    "month": Display("months since January 2023"),
    "YYYY-MM": Display("month"),
    "tokens/month": Display("trillion tokens per month", 1e-12, True),
    "share": Display("%", 100.0),
    "USD/month": Display("billion USD per month", 1e-9),
    "GW": Display("GW"),
    "FLOP/month": Display("FLOP per month", 1.0, True),
    "FLOP/year": Display("FLOP per year"),  # a gap, of either sign: no log axis
    "tasks/month": Display("billion tasks per month", 1e-9, True),
    "index": Display("January 2023 = 1", 1.0, True),
    "MWh/month": Display("TWh per month", 1e-6, True),
    "USD per Mtok": Display("USD per million tokens", 1.0, True),
    "ratio": Display("run / twin", 1.0, True),
    "FLOP/token": Display("FLOP per token", 1.0, True),
    "tier": Display("tier (0 = GPT-4 class)"),
    "GPT-4 = 1": Display("GPT-4 task = 1", 1.0, True),
    "FLOP": Display("FLOP", 1.0, True),
    "FLOP/s": Display("FLOP/s", 1.0, True),
    "H100-equivalents": Display("million H100-equivalents", 1e-6, True),
    "USD per H100e": Display("USD per H100-equivalent"),
    "USD per H100-hour": Display("USD per H100-hour"),
    "chips/month": Display("million chips per month", 1e-6),
    "models": Display("models"),
    "people": Display("million people", 1e-6),
    "1": Display(""),
}

#: Metrics shown otherwise than their unit's row.
OVERRIDES: dict[str, Display] = {
    # a share of the saving that can exceed 1 (backfire): shown as the ratio it is
    "rebound": Display("1 = the whole saving taken back"),
    "energy_rebound": Display("1 = the whole saving taken back"),
}

#: Short labels for plots and tables (a metric without one is labelled by its name).
LABELS: dict[str, str] = {
    "tokens": "tokens served",
    "tokens_cf": "tokens served, twin",
    "consumer_tokens": "consumers' tokens",
    "consumer_revenue_us": "revenue from US consumers",
    "consumer_revenue_eu": "revenue from EU consumers",
    "consumer_revenue_cn": "revenue from Chinese consumers",
    "provider_revenue_us": "US providers' revenue",
    "provider_revenue_eu": "EU providers' revenue",
    "provider_revenue_cn": "Chinese providers' revenue",
    "price_per_mtok": "average price paid",
    "hedonic_price_index": "price of the GPT-4-class tier",
    "serving_mfu": "serving MFU",
    "price_fall_flops_per_token": "price fall from FLOPs per token",
    "price_fall_hardware": "price fall from chip price-performance",
    "price_fall_utilisation": "price fall from serving utilisation",
    "price_fall_markup": "price fall from markups",
    "price_fall_scarcity": "price fall from scarcity",
    "inference_flops": "inference compute",
    "training_flops": "training compute",
    "total_compute": "total compute",
    "compute_cf": "total compute, twin",
    "energy_mwh": "electricity",
    "energy_cf": "electricity, twin",
    "adoption_rate": "firms that adopted AI",
    "adoption_rate_us": "US firms that adopted AI",
    "adoption_rate_eu": "EU firms that adopted AI",
    "adoption_rate_cn": "Chinese firms that adopted AI",
    "inference_share": "inference share of compute",
    "inference_share_gpu_hours": "inference share of accelerator time",
    "training_finance_bound": "training spend set by finance",
    "training_capacity_shortfall": "training compute not granted",
    "inference_share_chip_spend": "inference share of chip spending",
    "xpu_share": "custom-chip share of capacity",
    "open_model_share": "open models' share of tokens",
    "open_derivatives": "derivative open models",
    "power_gw": "facility power of AI fleets",
    "power_limit_gw": "grids' limit for AI",
    "gpu_rental_price_per_hour": "GPU rental price",
    "largest_training_run_flop": "largest training run",
    "vendor_revenue_cn": "chip revenue from China",
    "us_vendor_revenue": "US vendors' revenue",
    "us_vendor_share_cn": "US vendors' share of China",
    "compute_index": "total compute",
    "compute_index_cf": "total compute, twin",
    "jevons_ratio": "compute with / without efficiency, month",
    "jevons_ratio_12m": "compute with / without efficiency, 12 months",
    "energy_jevons_ratio_12m": "energy with / without efficiency, 12 months",
    "jevons_ratio_inference": "inference compute with / without",
    "jevons_ratio_training": "training compute with / without",
    "jevons_ratio_firms": "firms' inference compute with / without",
    "jevons_ratio_consumers": "consumers' inference compute with / without",
    "compute_gap": "extra compute with efficiency, 12 months",
    "compute_gap_training": "extra compute: training",
    "compute_gap_firms": "extra compute: firms' inference",
    "compute_gap_consumers": "extra compute: consumers' inference",
    "consumer_inference_flops": "consumers' inference compute",
    "consumer_serving_usd": "platforms' spend serving consumers",
    "energy_jevons_ratio": "energy with / without efficiency, month",
    "rebound": "rebound",
    "energy_rebound": "energy rebound",
}

_UNITS = {m.name: m.unit for m in METRIC_TABLE}


@dataclass(frozen=True)
class Shown:
    """How one metric is shown: its label, the unit shown, the scale and a log axis."""

    name: str
    label: str
    unit: str
    scale: float
    log: bool

    @property
    def axis_title(self) -> str:
        """An axis title: the label with the unit shown (and "log" on a log axis)."""
        unit = ", ".join(u for u in (self.unit, "log" if self.log else "") if u)
        return f"{self.label} ({unit})" if unit else self.label


def display(name: str) -> Shown:
    """How metric ``name`` is shown (KeyError for a name the metric table does not have)."""
    row = OVERRIDES.get(name) or BY_UNIT[_UNITS[name]]
    return Shown(name, LABELS.get(name, name.replace("_", " ")), row.unit, row.scale, row.log)
