#!/usr/bin/env python3
"""Totals against the number of firm agents (DESIGN v3.1: within 5% at 2,000 vs 20,000).

Runs the default preset for each seed and each ``--n`` (firm agents), without the twin, and
prints per metric and month the mean over seeds at each n, its 90% band over seeds (5th to
95th percentile, relative to the mean), and the relative difference of each n's mean from
the largest n's, with a 90% interval of that difference (1.645 standard errors).

    ./dev python benchmarks/invariance.py --seeds 5 --months 144 --n 2000 20000
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario

#: Metric columns compared, and the differences that name firms' part of a total.
METRICS = (
    "tokens",
    "firm_tokens",
    "adoption_rate",
    "adoption_rate_us",
    "adoption_rate_eu",
    "adoption_rate_cn",
    "total_compute",
    "inference_flops",
    "firm_inference_flops",
    "training_flops",
    "firm_token_bill_usd",
)
DERIVED = {
    "firm_tokens": ("tokens", "consumer_tokens"),
    "firm_inference_flops": ("inference_flops", "consumer_inference_flops"),
}


def run(seed: int, n_firms: int, months: int):
    """(months + 1, metrics) of one default-preset run without the twin."""
    scenario = JevonsScenario.from_preset("default", rng=seed, n_firms=n_firms)
    model = JevonsModel(scenario, counterfactual="none", firm_agents=False)
    model.run_for(months)
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    for name, (total, part) in DERIVED.items():
        df[name] = df[total] - df[part]
    return df[list(METRICS)].to_numpy(dtype=float)


def measure(seeds: int, sizes: list[int], months: int, first_seed: int = 0):
    """{n: (seeds, months + 1, metrics)} and the seconds per run at each n."""
    out, seconds = {}, {}
    for n in sizes:
        start = time.perf_counter()
        out[n] = np.stack([run(first_seed + s, n, months) for s in range(seeds)])
        seconds[n] = (time.perf_counter() - start) / seeds
    return out, seconds


def relative_differences(runs: dict, reference: int, month: int):
    """{n: (diff, half-width of its 90% interval)} per metric, of each n's seed mean
    relative to the ``reference`` n's, at ``month``."""
    ref = runs[reference][:, month]
    ref_mean = ref.mean(axis=0)
    ref_se2 = ref.var(axis=0, ddof=1) / len(ref) if len(ref) > 1 else 0.0
    out = {}
    for n, x in runs.items():
        x = x[:, month]
        se2 = x.var(axis=0, ddof=1) / len(x) if len(x) > 1 else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            diff = x.mean(axis=0) / ref_mean - 1.0
            half = 1.645 * np.sqrt(se2 + ref_se2) / np.abs(ref_mean)
        out[n] = (diff, half)
    return out


def report(runs: dict, months: list[int], tolerance: float) -> bool:
    sizes = sorted(runs)
    reference = sizes[-1]
    ok = True
    for month in months:
        print(f"\nmonth {month}: mean over {len(runs[reference])} seeds; band = 90% of seeds")
        head = "".join(f"{f'n={n}':>26}" for n in sizes)
        diffs = "".join(f"{f'{n} vs {reference}':>20}" for n in sizes[:-1])
        print(f"{'metric':<22}{head}{diffs}")
        rel = relative_differences(runs, reference, month)
        for j, name in enumerate(METRICS):
            cells = ""
            for n in sizes:
                x = runs[n][:, month, j]
                mean = x.mean()
                lo, hi = np.percentile(x, [5, 95])
                band = f"{lo / mean - 1:+.0%}/{hi / mean - 1:+.0%}" if mean else "-"
                cells += f"{mean:>13.4g} {band:>12}"
            row = ""
            for n in sizes[:-1]:
                diff, half = rel[n][0][j], rel[n][1][j]
                flag = "" if abs(diff) <= tolerance or not np.isfinite(diff) else " !"
                ok &= not flag
                row += f"{f'{diff:+.1%} +-{half:.1%}{flag}':>20}"
            print(f"{name:<22}{cells}{row}")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="seeds per size (default 5)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--months", type=int, default=72, help="months to run (default 72)")
    parser.add_argument("--n", type=int, nargs="+", default=[2000, 20000], help="firm agents")
    parser.add_argument(
        "--at", type=int, nargs="+", default=None, help="months reported (default 12 36 72 144)"
    )
    parser.add_argument("--tolerance", type=float, default=0.05)
    args = parser.parse_args(argv)
    at = [m for m in (args.at or [12, 36, 72, 144]) if m <= args.months]
    runs, seconds = measure(args.seeds, sorted(args.n), args.months, args.first_seed)
    print("seconds per run: " + ", ".join(f"n={n}: {s:.1f}" for n, s in seconds.items()))
    ok = report(runs, at, args.tolerance)
    print(f"\nevery difference within {args.tolerance:.0%}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
