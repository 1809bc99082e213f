"""A fleet's cohort totals as an array, so that re-adding them after retirements (every
month) is one cumulative sum instead of a Python loop over a few hundred cohorts.

The sums are the loop's exactly: a cumulative sum adds row after row in order, as
``+=`` cohort by cohort from 0.0 does (not numpy's pairwise ``sum``), and the GPU and XPU
columns hold 0.0 where a cohort is of the other kind (adding 0.0 changes no sum). The
ledger mirrors one fleet deque as ``Fleet`` changes it (installs at the end, retirements
from the front); anything else (a new deque, units set on one of its cohorts, which
marks it ``stale``) ends it, and ``Fleet._recount`` adds the cohorts in a loop.
"""

from __future__ import annotations

from collections import Counter

import numpy as np


class CohortLedger:
    """The totals of the cohorts of ``fleet`` (a deque of Cohort), oldest first.

    Attributes:
        fleet: the deque it mirrors; stale: units were set on one of its cohorts.
        rows: (n, 5) peak FLOP/s, board W, reference board W, GPU FLOP/s, XPU FLOP/s of
            the cohorts from ``start`` on; new: totals of cohorts installed since (rows to
            come); kinds: cohorts by (is a GPU, numpy bit mask) of their totals.
    """

    __slots__ = ("fleet", "stale", "rows", "start", "new", "kinds")

    def __init__(self, fleet):
        totals = []
        for c in fleet:
            c.ledger = self
            totals.append(c.totals)
        self.fleet = fleet
        self.stale = False
        self.rows = _rows(totals)
        self.start = 0
        self.new: list[tuple] = []
        self.kinds = Counter((t[3], t[4]) for t in totals)

    def mirrors(self, fleet) -> bool:
        """Whether it still holds the cohorts of ``fleet``."""
        return (
            not self.stale
            and fleet is self.fleet
            and len(self.rows) - self.start + len(self.new) == len(fleet)
        )

    def add(self, cohort) -> None:
        """A cohort installed at the end of the fleet."""
        cohort.ledger = self
        totals = cohort.totals
        self.new.append(totals)
        self.kinds[totals[3], totals[4]] += 1

    def drop_first(self, cohort) -> None:
        """The oldest cohort retired."""
        if self.start < len(self.rows):
            self.start += 1
        else:
            self.new.pop(0)
        totals = cohort.totals
        self.kinds[totals[3], totals[4]] -= 1

    def sums(self) -> tuple[list[float], int, int, int]:
        """([FLOP/s, W, reference W, GPU FLOP/s, XPU FLOP/s], numpy bits of all
        cohorts, of the GPU ones, of the XPU ones)."""
        if self.new:
            self.rows = np.concatenate([self.rows[self.start :], _rows(self.new)])
            self.start, self.new = 0, []
        rows = self.rows[self.start :]
        totals = np.cumsum(rows, axis=0)[-1].tolist() if len(rows) else [0.0] * 5
        bits = {True: 0, False: 0}
        for (is_gpu, wide), n in self.kinds.items():
            if n:
                bits[is_gpu] |= wide
        return totals, bits[True] | bits[False], bits[True], bits[False]


def _rows(totals: list[tuple]) -> np.ndarray:
    rows = [(f, w, r, f if g else 0.0, 0.0 if g else f) for f, w, r, g, _ in totals]
    return np.array(rows, dtype=float).reshape(len(rows), 5)
