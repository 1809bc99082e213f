"""RegionGrid: the power a region's grid can give AI data centres, through a queue."""

from __future__ import annotations

import itertools
import math
from collections import deque
from dataclasses import dataclass

import mesa

from jevons_compute.world.facts import (
    DATA_CENTRE_GROWTH_AFTER_2030,
    DATA_CENTRE_TWH,
    DATA_CENTRE_TWH_YEARS,
    HOURS_PER_YEAR,
)


@dataclass
class PowerRequest:
    """Facility watts a provider asked for, connectable from month ``due``."""

    provider: object
    watts: float
    due: int


def data_centre_watts(region: str, year: float) -> float:
    """Average data-centre power of a region (W) in (fractional) calendar ``year``: IEA's
    2024 and 2030 levels joined at a constant rate, then DATA_CENTRE_GROWTH_AFTER_2030."""
    (first, last), (y0, y1) = DATA_CENTRE_TWH[region], DATA_CENTRE_TWH_YEARS
    mid0, mid1 = y0 + 0.5, y1 + 0.5  # a year's electricity is its mid-year average power
    rate = (last / first) ** (1.0 / (mid1 - mid0))
    if year <= mid1:
        twh = first * rate ** (year - mid0)
    else:
        twh = last * DATA_CENTRE_GROWTH_AFTER_2030 ** (year - mid1)
    return twh * 1e12 / HOURS_PER_YEAR


class RegionGrid(mesa.Agent):
    """A region's grid: the power AI data centres may hold, connected with a lead time.

    The AI limit is ``ai_share_of_grid`` x the region's data-centre power (IEA path).
    Providers request power; a request is connected ``grid_lead_time`` months later, as far
    as the limit allows (requests due together share what is left pro rata; the rest waits).
    Without ``power_limited`` the limit is infinite and providers hold unlimited power.

    Attributes:
        region: "US", "EU" or "CN".
        queue: requests not yet connected.
        contracted_watts: facility watts connected to providers (never above the limit).
    """

    def __init__(self, model, region: str):
        super().__init__(model)
        self.region = region
        self.queue: deque[PowerRequest] = deque()  # in order of due month
        self.contracted_watts = 0.0
        self._pending: dict[int, float] = {}  # queued watts by provider id

    @property
    def limited(self) -> bool:
        return bool(self.model.scenario.power_limited)

    def limit_watts(self, step: int) -> float:
        """Facility watts AI providers may hold in month ``step`` (inf without limits)."""
        s = self.model.scenario
        if not self.limited:
            return math.inf
        year = s.start_year + (step + 0.5) / 12.0
        return s.ai_share_of_grid * data_centre_watts(self.region, year)

    def open_contracts(self, providers) -> None:
        """Step 0: the region's limit is held by its providers in proportion to their
        fleets' power (fleets seeded beyond it are cut to it), and the additions of the
        next ``grid_lead_time`` months (requested before the start) are queued for them in
        the same proportion."""
        if not providers:
            return
        if not self.limited:
            for p in providers:
                p.power_watts = math.inf
            return
        total = sum(p.facility_watts for p in providers)
        shares = [
            p.facility_watts / total if total > 0 else 1.0 / len(providers) for p in providers
        ]
        for p, share in zip(providers, shares):
            p.power_watts = share * self.limit_watts(0)
            if p.facility_watts > p.power_watts:  # a seeded fleet beyond the grid: cut to it
                p.scale_fleet(p.power_watts / p.facility_watts)
        self.contracted_watts = sum(p.power_watts for p in providers)
        lead = self.model.scenario.grid_lead_time
        for month in range(1, lead + 1):
            added = self.limit_watts(month) - self.limit_watts(month - 1)
            for p, share in zip(providers, shares):
                self._queue(PowerRequest(p, share * added, month))

    def request(self, provider, watts: float, step: int) -> None:
        """Queue ``watts`` for ``provider``, connectable after the lead time."""
        if self.limited and watts > 0:
            self._queue(PowerRequest(provider, watts, step + self.model.scenario.grid_lead_time))

    def _queue(self, request: PowerRequest) -> None:
        self.queue.append(request)
        key = request.provider.unique_id
        self._pending[key] = self._pending.get(key, 0.0) + request.watts

    def pending(self, provider) -> float:
        """Watts ``provider`` has queued, whenever due."""
        return max(0.0, self._pending.get(provider.unique_id, 0.0))

    def queued_watts(self, provider, by_step: int) -> float:
        """Watts ``provider`` has queued that fall due by month ``by_step``."""
        return sum(r.watts for r in self.queue if r.provider is provider and r.due <= by_step)

    def connect(self, step: int) -> None:
        """Connect the requests due this month, within the limit (pro rata if short)."""
        if not self.queue or self.queue[0].due > step:  # the queue is by due month
            return
        due = list(itertools.takewhile(lambda r: r.due <= step, self.queue))
        if not due:
            return
        room = max(0.0, self.limit_watts(step) - self.contracted_watts)
        wanted = sum(r.watts for r in due)
        share = min(1.0, room / wanted) if wanted > 0 else 0.0
        for r in due:
            granted = r.watts * share
            r.provider.power_watts += granted
            self.contracted_watts += granted
            r.watts -= granted
            self._pending[r.provider.unique_id] -= granted
        while self.queue and self.queue[0].watts <= 0:
            self.queue.popleft()
