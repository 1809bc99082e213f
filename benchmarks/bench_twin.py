#!/usr/bin/env python3
"""Cost of the counterfactual twin: a run alone, with its twin, and with the marginal twin.

A default 144-step run with 10,000 firms, set-up included, best of REPEATS interleaved
repeats (so that machine noise hits the three alike). Targets: with the twin at most 2.2x
the run alone; with the marginal twin too at most 3.3x.

    ./dev python benchmarks/bench_twin.py
"""

from __future__ import annotations

import sys
import time

from jevons_compute.model.model import JevonsModel

REPEATS = 5
CASES = {
    "run alone": {"counterfactual": "none"},
    "with twin": {"counterfactual": "algo", "marginal": False},
    "with twin and marginal twin": {"counterfactual": "algo", "marginal": True},
}
TARGETS = {"with twin": 2.2, "with twin and marginal twin": 3.3}


def one_run(options: dict) -> float:
    start = time.perf_counter()
    model = JevonsModel(rng=42, n_firms=10_000, **options)
    model.run_for(144)
    model.datacollector.get_model_vars_dataframe()
    return time.perf_counter() - start


def main() -> int:
    best = dict.fromkeys(CASES, float("inf"))
    for _ in range(REPEATS):
        for name, options in CASES.items():
            best[name] = min(best[name], one_run(options))
    alone = best["run alone"]
    ok = True
    for name, seconds in best.items():
        ratio = seconds / alone
        target = TARGETS.get(name)
        verdict = "" if target is None else (" PASS" if ratio <= target else " FAIL")
        ok &= target is None or ratio <= target
        limit = f" (target <= {target}x)" if target else ""
        print(f"{name:<28} {seconds:6.3f} s  {ratio:4.2f}x{limit}{verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
