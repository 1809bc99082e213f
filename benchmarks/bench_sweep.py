#!/usr/bin/env python3
"""Throughput of the sweep engine: 2 workers against 1, and its overhead per run.

40 runs of 10,000 firms x 144 steps (4 elasticities x 10 seeds). Each measurement runs in a
fresh Python process, as a user's `run.py sweep` does, timed from just before the work
(interleaved and repeated; the fastest of each counts): calling the model directly (and
writing each run's time series, as the engine does), the engine with 1 worker (the
difference is the engine's overhead per run), and the engine with 2 workers (the speed-up
over 1).

    ./dev python benchmarks/bench_sweep.py [--runs-per-point 10] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_spec(replications: int):
    from experiments.spec import SweepSpec

    return SweepSpec.from_dict(
        {
            "name": "bench",
            "steps": 144,
            "replications": replications,
            "fixed": {"n_firms": 10_000},
            "grid": {"price_elasticity": [0.5, 1.0, 1.5, 2.0]},
        }
    )


def child(mode: str, replications: int, workers: int, scheduler: str | None = None) -> float:
    """One measurement, in this (fresh) process (on a Dask cluster if ``scheduler``)."""
    from experiments.runner import run_sweep
    from experiments.single import headline, run_scenario
    from model import JevonsScenario

    spec = make_spec(replications)
    out = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        start = time.perf_counter()
        if mode == "direct":
            for run in spec.runs():
                df = run_scenario(JevonsScenario(rng=run.seed, **run.params), spec.steps)
                headline(df)
                df.to_parquet(out / f"{run.run_id}.parquet")
        elif scheduler:
            from experiments import cluster

            client = cluster.connect(scheduler)
            result = run_sweep(
                spec,
                out / "sweep",
                workers=cluster.total_threads(client),
                executor=cluster.executor(client),
                progress=False,
            )
            client.close()
            assert result.ok and result.ran == result.total
        else:
            result = run_sweep(spec, out / "sweep", workers=workers, progress=False)
            assert result.ok and result.ran == result.total
        return time.perf_counter() - start
    finally:
        shutil.rmtree(out)


def measure(mode: str, replications: int, workers: int = 1, scheduler: str | None = None) -> float:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.bench_sweep "
        f"import child; print(child({mode!r}, {replications}, {workers}, {scheduler!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-per-point", type=int, default=10)
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="measurements of each configuration, interleaved; the fastest "
        "counts (this machine's timing noise is +-20%%)",
    )
    args = parser.parse_args()
    n = 4 * args.runs_per_point
    times = {"direct": [], "one": [], "two": []}
    for _ in range(args.repeats):
        times["direct"].append(measure("direct", args.runs_per_point))
        times["one"].append(measure("engine", args.runs_per_point, 1))
        times["two"].append(measure("engine", args.runs_per_point, 2))
    t_direct, t1, t2 = (min(times[k]) for k in ("direct", "one", "two"))
    overhead = t1 / t_direct - 1
    print(f"{n} runs of 10,000 firms x 144 steps")
    print(f"direct model calls, 1 process : {t_direct:7.2f} s ({t_direct / n:.3f} s a run)")
    print(
        f"engine, 1 worker              : {t1:7.2f} s (overhead {100 * overhead:+.1f}% a "
        "run; target <= 5%)"
    )
    print(
        f"engine, 2 workers             : {t2:7.2f} s (speed-up {t1 / t2:.2f}x over 1 "
        "worker; target >= 1.7)"
    )
    print(json.dumps({"runs": n, "all_times_s": times}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
