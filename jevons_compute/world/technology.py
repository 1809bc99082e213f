"""Technology paths: capability tiers, FLOPs per token and chip generations.

Both follow smooth exponential paths anchored at their first release; chip generations
sample the hardware path every ``generation_interval`` months, so a one-month interval
gives the analytic limit's smooth path h(t) = h(0) x H^(-t/12) exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jevons_compute.world.facts import (
    CHIP_PERFORMANCE_GROWTH,
    EXPORT_CAP_FLOPS,
    EXPORT_CAP_PRICE_PER_FLOP_RATIO,
    EXPORT_CAP_WATTS_PER_FLOP_RATIO,
    FRONTIER_FLOPS_PER_TOKEN_2023,
    HORIZON_DOUBLING_MONTHS,
    JOULES_PER_MWH,
    SECONDS_PER_MONTH,
    SERVER_POWER_PER_CHIP_POWER,
    SYSTEM_COST_MULTIPLIER,
    TIERS_RELEASED,
)

#: Efficiency sources a counterfactual twin can freeze (see JevonsModel and model/metrics).
#: ``shock`` is the open-weight shock alone; ``algo`` is algorithmic progress and the shock.
SOURCES = {
    "algo": ("algo", "shock"),
    "shock": ("shock",),
    "hardware": ("hardware",),
    "all": ("algo", "shock", "hardware", "serving"),
}
#: Counterfactual twins a run can be paired with (``JevonsModel(counterfactual=...)``).
COUNTERFACTUALS = (*SOURCES, "none")


@dataclass(frozen=True)
class EfficiencyPaths:
    """The efficiency paths one simulation follows.

    A run follows its scenario's paths; its counterfactual twin follows the same paths
    with the studied sources frozen (gain 1, no FLOPs saving from the shock), and the
    marginal twin with their log gains scaled by ``1 - delta``.

    Attributes:
        algo_gain: factor by which FLOPs per token at fixed capability fall a year.
        shock_flops_factor: times fewer FLOPs per token the open model needs (1 = none).
        hardware_gain: factor by which USD per FLOP/s of new chips falls a year.
        energy_gain: factor by which joules per FLOP of new chips fall a year.
        mfu_growth: factor by which serving MFU grows a year (``serving_mfu``).
        reference_energy_gain: the run's energy gain, kept by a twin so that it can price
            its own fleet at the run's joules per FLOP (the engineering energy path).
    """

    algo_gain: float
    shock_flops_factor: float
    hardware_gain: float
    energy_gain: float
    reference_energy_gain: float
    mfu_growth: float = 1.0

    @classmethod
    def of(cls, scenario, frozen: tuple[str, ...] = (), scale: float = 1.0) -> EfficiencyPaths:
        """The scenario's paths; the log gains of the ``frozen`` sources times ``scale``
        (0 freezes them at their step-0 values; 0.9 gives the marginal twin)."""
        s = scenario

        def factor(source: str) -> float:
            return scale if source in frozen else 1.0

        return cls(
            algo_gain=s.algo_efficiency_gain ** factor("algo"),
            shock_flops_factor=s.shock_factor ** factor("shock"),
            hardware_gain=s.hardware_efficiency_gain ** factor("hardware"),
            energy_gain=s.energy_efficiency_gain ** factor("hardware"),
            reference_energy_gain=s.energy_efficiency_gain,
            mfu_growth=s.inference_mfu_growth ** factor("serving"),
        )

    def serving_mfu(self, scenario, step: int) -> float:
        """Serving MFU in month ``step``: ``inference_mfu`` growing by ``mfu_growth`` a
        year up to ``inference_mfu_max`` (constant at ``inference_mfu`` with growth 1)."""
        s = scenario
        if self.mfu_growth == 1.0:
            return s.inference_mfu
        return min(s.inference_mfu * self.mfu_growth ** (step / 12.0), s.inference_mfu_max)


@dataclass(frozen=True)
class Tiers:
    """Capability tiers, one entry per tier in release order (numpy arrays).

    Attributes:
        names: what each tier stands for.
        release: release month (step from January of start_year).
        horizon_minutes: METR 50% time horizon (length of human task it can do).
        flops_at_release: FLOPs per token of the tier's proprietary model at release.
        tokens_per_task: tokens a task takes, relative to GPT-4's.
    """

    names: tuple[str, ...]
    release: np.ndarray
    horizon_minutes: np.ndarray
    flops_at_release: np.ndarray
    tokens_per_task: np.ndarray

    def released(self, step: int) -> int:
        """How many tiers are released by month ``step`` (they are the first ones)."""
        return int(np.searchsorted(self.release, step, side="right"))

    def flops_per_token(self, step: int, gain: float, floor_ratio: float) -> np.ndarray:
        """FLOPs per token of each released tier's proprietary model in month ``step``:
        from its value at release toward floor_ratio x that value, falling by ``gain`` a
        year: f_c(t) = floor + (f_c(release) - floor) x gain^(-(t - release)/12)."""
        n = self.released(step)
        f0 = self.flops_at_release[:n]
        floor = floor_ratio * f0
        return floor + (f0 - floor) * gain ** (-(step - self.release[:n]) / 12.0)


def capability_tiers(scenario, last_step: int = 1200) -> Tiers:
    """The tiers a scenario releases up to ``last_step``: the ones released so far
    (world/facts.py TIERS_RELEASED), then one every ``tier_interval`` months whose
    horizon doubles every 7 months and whose tokens per task grow by
    ``tokens_per_task_growth`` a year up to ``tokens_per_task_max``. Without
    ``capability_tiers``: the 2023 tier only."""
    s = scenario
    rows = list(TIERS_RELEASED if s.capability_tiers else TIERS_RELEASED[:1])
    if s.capability_tiers:
        name, release, horizon, tokens = rows[-1]
        k = 1
        while release + k * s.tier_interval <= last_step:
            months = k * s.tier_interval
            rows.append(
                (
                    f"frontier +{k}",
                    release + months,
                    horizon * 2 ** (months / HORIZON_DOUBLING_MONTHS),
                    min(
                        tokens * s.tokens_per_task_growth ** (months / 12.0), s.tokens_per_task_max
                    ),
                )
            )
            k += 1
    flops = np.full(len(rows), FRONTIER_FLOPS_PER_TOKEN_2023 * s.tier_flops_factor)
    flops[0] = FRONTIER_FLOPS_PER_TOKEN_2023
    return Tiers(
        names=tuple(r[0] for r in rows),
        release=np.array([r[1] for r in rows], dtype=np.int64),
        horizon_minutes=np.array([r[2] for r in rows], dtype=float),
        flops_at_release=flops,
        tokens_per_task=np.array([r[3] for r in rows], dtype=float),
    )


@dataclass(frozen=True)
class Chip:
    """One chip model on sale.

    Attributes:
        vendor: the vendor's name.
        kind: "gpu" (trains and serves) or "xpu" (serves only).
        release: month of release (step).
        flops: peak dense FLOP/s.
        price: list price, USD.
        watts: board power, W.
        reference_watts: board power the same chip would draw on the run's energy path
            (equals ``watts`` except in a twin with hardware frozen).
    """

    vendor: str
    kind: str
    release: int
    flops: float
    price: float
    watts: float
    reference_watts: float

    def derated(self) -> Chip:
        """The export-capped version of this chip (H20-like)."""
        if self.flops <= EXPORT_CAP_FLOPS:
            return self
        share = EXPORT_CAP_FLOPS / self.flops
        return Chip(
            self.vendor,
            self.kind,
            self.release,
            EXPORT_CAP_FLOPS,
            self.price * share * EXPORT_CAP_PRICE_PER_FLOP_RATIO,
            self.watts * share * EXPORT_CAP_WATTS_PER_FLOP_RATIO,
            self.reference_watts * share * EXPORT_CAP_WATTS_PER_FLOP_RATIO,
        )

    def facility_watts(self, scenario) -> float:
        """Power of one chip at full load at the facility (W): board power x server
        overhead (host CPUs, memory, network) x PUE."""
        return self.watts * SERVER_POWER_PER_CHIP_POWER * scenario.pue

    def rent_per_peak_flop_second(self, scenario, premium: float = 1.0) -> float:
        """USD per peak FLOP-second of capacity, at the planned utilisation.

        The user cost of capital (straight-line depreciation plus cost of capital on the
        whole system, not just the chip) spread over the planned busy time, plus the
        electricity of a busy second. ``premium``: the vendor's scarcity premium on the
        chip's list price (the rest of the system is priced at list).
        """
        capital_per_month = (
            self.price
            * (1.0 + (premium - 1.0) / SYSTEM_COST_MULTIPLIER)
            * SYSTEM_COST_MULTIPLIER
            * (1.0 / scenario.chip_lifetime + scenario.cost_of_capital / 12.0)
        )
        capital = capital_per_month / (self.flops * SECONDS_PER_MONTH * scenario.target_utilization)
        energy_mwh_per_flop_second = self.facility_watts(scenario) / self.flops / JOULES_PER_MWH
        return capital + energy_mwh_per_flop_second * scenario.electricity_price


def release_month(line: dict, step: int, scenario) -> int | None:
    """Release month of the newest generation of a vendor line on sale in month ``step``
    (None before its first)."""
    if step < line["first_release"]:
        return None
    interval = scenario.generation_interval
    return line["first_release"] + ((step - line["first_release"]) // interval) * interval


def chip_generation(line: dict, step: int, scenario, paths: EfficiencyPaths) -> Chip | None:
    """The newest generation of a vendor line on sale in month ``step`` (None before).

    Its price is the unit cost over one minus the vendor's gross margin (the leading
    vendor's margin is the scenario's ``vendor_margin``); cost per FLOP/s falls along the
    hardware path."""
    release = release_month(line, step, scenario)
    if release is None:
        return None
    years = (release - line["first_release"]) / 12.0
    flops = line["flops"] * CHIP_PERFORMANCE_GROWTH**years
    unit_cost = line["price_usd"] * (1.0 - line["margin"])
    margin = scenario.vendor_margin if line.get("leading") else line["margin"]
    price_per_flops = unit_cost / (1.0 - margin) / line["flops"] * paths.hardware_gain**-years
    watts_per_flops = line["watts"] / line["flops"] * paths.energy_gain**-years
    reference = line["watts"] / line["flops"] * paths.reference_energy_gain**-years
    return Chip(
        line["name"],
        line["kind"],
        release,
        flops,
        flops * price_per_flops,
        flops * watts_per_flops,
        flops * reference,
    )
