"""A provider's fleet: chip cohorts by install month, installed as vendors ship, retired
at the end of their life or when the power they hold would earn more in new chips."""

from __future__ import annotations

from collections import deque
from itertools import takewhile

import numpy as np

from jevons_compute.agents.provider.ledger import CohortLedger
from jevons_compute.world.facts import SECONDS_PER_MONTH, SERVER_POWER_PER_CHIP_POWER
from jevons_compute.world.technology import Chip

#: The step-0 fleet was installed evenly over this many months before the start.
SEED_FLEET_MONTHS = 24
#: Months of retirements without units set on a cohort (retire_for, scale_fleet) before a
#: fleet keeps a CohortLedger: building one costs several loops' worth, and setting units
#: makes it stale (fleets that power binds every month re-add their cohorts in a loop).
LEDGER_CALM_MONTHS = 6


class Cohort:
    """Chips of one model installed in one month.

    Attributes:
        install: month installed; chip: the Chip; units: chips (setting it refreshes
        ``totals``).
        totals: (peak FLOP/s, board W, reference board W) of the cohort as plain floats,
            whether the chip is a GPU, and a bit mask of which of the three products are
            numpy scalars (bit 0, 1, 2): what ``CloudProvider._recount`` adds up.
    """

    __slots__ = ("install", "chip", "_units", "totals", "ledger")

    def __init__(self, install: int, chip: Chip, units: float):
        self.install = install
        self.chip = chip
        self.ledger = None  # the CohortLedger holding its totals, if any
        self._set(units)

    @property
    def units(self) -> float:
        return self._units

    @units.setter
    def units(self, units: float) -> None:
        if self.ledger is not None:
            self.ledger.stale = True  # its totals there are the old units'
        self._set(units)

    def _set(self, units: float) -> None:
        self._units = units
        chip = self.chip
        flops, watts = units * chip.flops, units * chip.watts
        reference = units * chip.reference_watts
        kind = type(flops)
        if kind is np.float64 and type(watts) is kind and type(reference) is kind:
            numpy = 7  # the common case: units a numpy scalar, the chip's plain floats
        elif kind is float and type(watts) is kind and type(reference) is kind:
            numpy = 0
        else:
            numpy = (
                isinstance(flops, np.floating)
                | isinstance(watts, np.floating) << 1
                | isinstance(reference, np.floating) << 2
            )
        self.totals = (float(flops), float(watts), float(reference), chip.kind == "gpu", numpy)

    def __repr__(self) -> str:
        return f"Cohort(install={self.install!r}, chip={self.chip!r}, units={self.units!r})"


class Fleet:
    """The fleet part of a CloudProvider (a mixin: ``self`` is the provider)."""

    _ledger: CohortLedger | None = None  # the fleet's totals for _recount, when kept
    _calm = 0  # retirements since the fleet last set a cohort's units (or since the start)

    def install(self, chip: Chip, units: float, step: int, from_vendor: bool = True) -> None:
        """Add ``units`` chips to the fleet (called by the vendor that ships them)."""
        cohort = Cohort(step, chip, units)
        self.fleet.append(cohort)
        if self._ledger is not None:
            self._ledger.add(cohort)
        flops, watts = units * chip.flops, units * chip.watts
        self.capacity_flops += flops
        self.watts += watts
        self.reference_watts += units * chip.reference_watts
        if chip.kind == "gpu":
            self.gpu_flops += flops
        else:
            self.xpu_flops += flops
        if from_vendor:
            self.units_installed += units
            self.pipeline_flops = max(0.0, self.pipeline_flops - flops)
            self.pipeline_watts = max(0.0, self.pipeline_watts - watts)

    @property
    def facility_watts(self) -> float:
        """Facility power of the fleet at full load (W): board power x server overhead x PUE."""
        return self.watts * SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue

    def accept(self, chip: Chip, units: float, step: int) -> float:
        """Install what a vendor ships, as far as the power held can run it; returns the
        units installed (the rest waits at the vendor). When power binds, old chips whose
        power would earn more in new ones are retired first (``retire_for``)."""
        per_unit = chip.facility_watts(self.model.scenario)
        room = self.power_watts - self.facility_watts
        if units * per_unit > room:
            self.retire_for(chip, units * per_unit - room)
            room = self.power_watts - self.facility_watts
        units = min(units, max(0.0, room) / per_unit)
        if units > 0:
            self.install(chip, units, step)
        return units

    def replaceable(self, cohort: Cohort, chip: Chip) -> bool:
        """Whether power running ``cohort`` earns more in ``chip``: a watt of the new chip
        adds (1 - x_old / x_new) of its FLOP/s, worth the rent of those FLOP/s x (1 +
        markup) x scarcity, against the new chip's rent; x is FLOP/s per watt."""
        ratio = (cohort.chip.flops / cohort.chip.watts) / (chip.flops / chip.watts)
        return (1.0 + self.markup) * self.scarcity * (1.0 - ratio) > 1.0

    def replaceable_watts(self, chip: Chip) -> float:
        """Facility watts of the fleet that ``chip`` would replace when power binds."""
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        board = sum(c.units * c.chip.watts for c in self._replaceable_cohorts(chip))
        return board * overhead

    def _replaceable_cohorts(self, chip: Chip) -> list[Cohort]:
        """The cohorts ``replaceable`` by ``chip``, fleet order (its test once per chip
        model: cohorts of one model share their Chip)."""
        new = chip.flops / chip.watts
        factor = (1.0 + self.markup) * self.scarcity  # as replaceable, term by term
        verdicts: dict[int, bool] = {}
        cohorts = []
        for c in self.fleet:
            verdict = verdicts.get(id(c.chip))
            if verdict is None:
                ratio = (c.chip.flops / c.chip.watts) / new
                verdict = verdicts[id(c.chip)] = factor * (1.0 - ratio) > 1.0
            if verdict:
                cohorts.append(c)
        return cohorts

    def retire_for(self, chip: Chip, watts: float) -> None:
        """Retire replaceable chips, least efficient first, to free ``watts`` at the facility."""
        overhead = SERVER_POWER_PER_CHIP_POWER * self.model.scenario.pue
        candidates = sorted(
            self._replaceable_cohorts(chip), key=lambda c: c.chip.flops / c.chip.watts
        )
        if not candidates:
            return
        for cohort in candidates:  # partly, for the last one needed
            if watts <= 0:
                break
            units = min(cohort.units, watts / (cohort.chip.watts * overhead))
            cohort.units -= units
            watts -= units * cohort.chip.watts * overhead
        self.fleet = deque(c for c in self.fleet if c.units > 0)
        self._calm = 0
        self._recount()

    def retire_chips(self, step: int) -> None:
        """Remove cohorts that reached the end of their life."""
        lifetime = self.model.scenario.chip_lifetime
        retired = False
        ledger = self._ledger
        while self.fleet and self.fleet[0].install <= step - lifetime:
            cohort = self.fleet.popleft()
            if ledger is not None:
                ledger.drop_first(cohort)
            retired = True
        if retired:
            if self._ledger is None:  # a ledger pays once the fleet keeps its units a while
                self._calm += 1
                if self._calm >= LEDGER_CALM_MONTHS:
                    self._ledger = CohortLedger(self.fleet)
            self._recount()

    def scale_fleet(self, factor: float) -> None:
        """Keep ``factor`` of every cohort (a fleet cut to the power it holds, or a test's
        shortage)."""
        for cohort in self.fleet:
            cohort.units *= factor
        self._calm = 0
        self._recount()

    def _recount(self) -> None:
        """Fleet totals re-added from scratch: no rounding residue from subtraction."""
        # as install adds cohort by cohort (the same sums in the same order), in plain
        # floats from the cohorts' totals (a cumulative sum over the ledger's rows, where
        # the fleet keeps one); a total is a numpy scalar, as adding the cohorts' products
        # would make it, when any of its terms is one
        ledger = self._ledger
        if ledger is not None and ledger.mirrors(self.fleet):
            totals, numpy, gpu_numpy, xpu_numpy = ledger.sums()
            capacity, watts, reference, gpu, xpu = totals
        else:
            self._ledger = None
            (capacity, watts, reference, gpu, xpu), numpy, gpu_numpy, xpu_numpy = cohort_sums(
                self.fleet
            )
        self.capacity_flops = np.float64(capacity) if numpy & 1 else capacity
        self.gpu_flops = np.float64(gpu) if gpu_numpy & 1 else gpu
        self.xpu_flops = np.float64(xpu) if xpu_numpy & 1 else xpu
        self.watts = np.float64(watts) if numpy & 2 else watts
        self.reference_watts = np.float64(reference) if numpy & 4 else reference

    def capacity_retiring_by(self, step: int) -> float:
        """Peak FLOP/s of the current fleet retired by month ``step``."""
        cutoff = step - self.model.scenario.chip_lifetime
        retiring = []  # as _retiring_by, without its generator (this runs every month)
        for c in self.fleet:
            if c.install > cutoff:
                break
            retiring.append(c.units * c.chip.flops)
        return sum(retiring)

    def _retiring_by(self, step: int):
        """The cohorts retired by month ``step``: the first ones (the fleet is oldest first)."""
        cutoff = step - self.model.scenario.chip_lifetime
        return takewhile(lambda c: c.install <= cutoff, self.fleet)

    def seed_fleet(self, tokens: float, flat: tuple[float, float] = (0.0, 0.0)) -> None:
        """The fleet the provider holds at step 0: what ``tokens`` a month (its expected
        step-0 demand at its price) and their training need at the target utilisation
        (``flat``: consumers' tokens and flat revenue among them, as in ``serve``).

        Cheapest GPUs on sale at step 0 (2023 fleets were GPUs; custom inference chips
        enter through later orders), installed over the previous 24 months so retirements
        are spread out. The fleet predates the simulation: not counted as sales; the
        orders placed before the start that ship in its first months are
        (``seed_pipeline``).
        """
        s = self.model.scenario
        revenue = max(0.0, tokens - flat[0]) * self.price_per_mtok / 1e6 + flat[1]
        cost = self.training_cost_per_peak_flop
        training_peak = self.lab.budget(revenue, cost, 0) / cost
        inference_peak = tokens * self.flops_per_token / s.inference_mfu
        offers = self.model.offers[self.region]
        choice = self.choose_chip(offers, 0, gpu_only=True)
        if choice is None:  # no GPU on sale to this region: the cheapest chip
            choice = self.choose_chip(offers, 0, gpu_only=False)
        chip = choice[1]
        units = (
            (training_peak + inference_peak)
            / SECONDS_PER_MONTH
            / s.target_utilization
            / chip.flops
            / SEED_FLEET_MONTHS
        )
        for month in range(1 - SEED_FLEET_MONTHS, 1):
            self.install(chip, units, month, from_vendor=False)
        share = training_peak / (training_peak + inference_peak) if training_peak > 0 else 0.0
        self.seed_pipeline(choice[0], chip, units * SEED_FLEET_MONTHS, share)
        self.revenue = revenue

    def seed_pipeline(self, vendor, chip: Chip, fleet_units: float, training_share: float) -> None:
        """The orders placed before the start that ship in its first ``chip_lead_time``
        months: what keeps the step-0 fleet growing at the provider's planned growth
        (``planned_growth``) until its own first orders arrive, bought for training and
        inference in the step-0 fleet's proportions. They are sales when they ship (the
        leading vendor's 2023 revenue was of orders placed in 2022 and early 2023)."""
        g = self.planned_growth()
        for month in range(1, self.model.scenario.chip_lead_time + 1):  # vendors ship from 1
            units = fleet_units * g ** (month - 1) * (g - 1.0)
            for part, purpose in ((training_share, "training"), (1 - training_share, "inference")):
                if units * part > 0:
                    vendor.take_order(self, chip, units * part, 0, purpose, due=month)
                    self.pipeline_flops += units * part * chip.flops
                    self.pipeline_watts += units * part * chip.watts


def cohort_sums(fleet) -> tuple:
    """((peak FLOP/s, board W, reference board W, GPU FLOP/s, XPU FLOP/s), bits, GPU bits,
    XPU bits): the fleet's totals added cohort by cohort in fleet order, as plain floats,
    and which of them have a numpy-scalar term (``Cohort.totals``' bit mask, or-ed)."""
    capacity = gpu = xpu = watts = reference = 0.0
    numpy = gpu_numpy = xpu_numpy = 0
    for flops, board, board_reference, is_gpu, wide in [c.totals for c in fleet]:
        capacity += flops
        watts += board
        reference += board_reference
        numpy |= wide
        if is_gpu:
            gpu += flops
            gpu_numpy |= wide
        else:
            xpu += flops
            xpu_numpy |= wide
    return (capacity, watts, reference, gpu, xpu), numpy, gpu_numpy, xpu_numpy
