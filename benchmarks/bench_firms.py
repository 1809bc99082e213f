#!/usr/bin/env python3
"""Speed of the vectorized firm update against the floor of any vectorized update.

Prints, for n_firms = 1e3, 1e4, 1e5: the model's time per firm-step (whole model step:
vendors, providers, firms, clearing, data collection) and, on arrays of the same size, the
time per element of numpy's exp plus one uniform draw (the floor). At 1e5 the ratio
model / floor must be at most 10. Then the wall time of a default 144-step run with 10,000
firms, set-up included.

    ./dev python benchmarks/bench_firms.py
"""

from __future__ import annotations

import sys
import time

import numpy as np

from jevons_compute.model.model import JevonsModel

STEPS = 60
REPEATS = 5


def model_seconds_per_firm_step(n: int) -> float:
    best = np.inf
    for seed in range(3):
        model = JevonsModel(rng=seed, n_firms=n, counterfactual="none")
        model.run_for(2)  # warm caches
        start = time.perf_counter()
        model.run_for(STEPS)
        best = min(best, (time.perf_counter() - start) / STEPS / n)
    return best


def floor_seconds_per_element(n: int) -> float:
    rng = np.random.default_rng(0)
    x = rng.random(n)
    best = np.inf
    loops = max(1, 2_000_000 // n)
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(loops):
            np.exp(x)
            rng.random(n)
        best = min(best, (time.perf_counter() - start) / loops / n)
    return best


def main() -> int:
    print(f"{'n_firms':>8}  {'model ns/firm-step':>18}  {'floor ns/element':>16}  {'ratio':>6}")
    ratio = np.nan
    for n in (1_000, 10_000, 100_000):
        model = model_seconds_per_firm_step(n)
        floor = floor_seconds_per_element(n)
        ratio = model / floor
        print(f"{n:>8}  {model * 1e9:>18.1f}  {floor * 1e9:>16.2f}  {ratio:>6.1f}")
    verdict = "PASS" if ratio <= 10 else "FAIL"
    print(f"ratio at 1e5: {ratio:.1f} (target <= 10): {verdict}")
    start = time.perf_counter()
    model = JevonsModel(rng=42, n_firms=10_000, counterfactual="none")
    model.run_for(144)
    model.datacollector.get_model_vars_dataframe()
    print(
        f"default 144-step run, 10,000 firms, set-up included: {time.perf_counter() - start:.2f} s"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
