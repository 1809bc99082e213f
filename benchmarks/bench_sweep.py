#!/usr/bin/env python3
"""Throughput of the sweep engine, the parent process's cost per run, and its peak memory.

Default: 40 runs of 10,000 firms x 144 steps (4 elasticities x 10 seeds). Each measurement
runs in a fresh Python process, as a user's `run.py sweep` does, timed from just before the
work (interleaved and repeated; the fastest of each counts): calling the model directly (and
writing each run's time series, as the engine does), the engine with 1 worker (the
difference is the engine's overhead per run), and the engine with 2 workers (the speed-up
over 1). With 2 workers the parent process only coordinates: its CPU time (user + system,
getrusage of the parent alone, from the call of run_sweep to its return: receiving,
writing, indexing and the final assembly) divided by the runs is the parent's cost per run,
set against one run's time.

``--scaling 1,2,4,8,16``: wall time and the parent's CPU per run of the issue's sweep
(96 runs: 4 elasticities x 24 seeds, default size) at each number of workers (for a
machine with that many cores; this one has 2).

``--memory``: the parent's peak resident memory (ru_maxrss) for a sweep of 20 runs and of
2,000 runs (small runs: 100 firms x 144 steps, the same time series per run as the default
size), 2 workers.

    ./dev python benchmarks/bench_sweep.py [--runs-per-point 10] [--repeats 3]
    ./dev python benchmarks/bench_sweep.py --memory
    ./dev python benchmarks/bench_sweep.py --scaling 1,2,4,8,16
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_spec(replications: int, n_firms: int = 10_000, points: int = 4):
    from jevons_compute.experiments.sweeps.spec import SweepSpec

    return SweepSpec.from_dict(
        {
            "name": "bench",
            "steps": 144,
            "replications": replications,
            "fixed": {"n_firms": n_firms},
            "grid": {
                "price_elasticity": [0.5 + 1.5 * i / max(points - 1, 1) for i in range(points)]
            },
        }
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(
    mode: str,
    replications: int,
    workers: int,
    scheduler: str | None = None,
    n_firms: int = 10_000,
    points: int = 4,
) -> dict:
    """One measurement, in this (fresh) process (on a Dask cluster if ``scheduler``)."""
    import pyarrow.parquet  # noqa: F401 - imported once by any process; not a per-run cost

    from jevons_compute.experiments.runs.single import headline, run_scenario
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.world.scenario import JevonsScenario

    spec = make_spec(replications, n_firms, points)
    out = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        start, cpu = time.perf_counter(), _cpu()
        if mode == "direct":
            for run in spec.runs():
                df = run_scenario(JevonsScenario(rng=run.seed, **run.params), spec.steps)
                headline(df)
                df.to_parquet(out / f"{run.run_id}.parquet")
        elif scheduler:
            from jevons_compute.experiments.sweeps import cluster

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
        wall, cpu = time.perf_counter() - start, _cpu() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"wall_s": wall, "parent_cpu_s": cpu, "peak_mb": peak_mb}
    finally:
        shutil.rmtree(out)


def measure(
    mode: str,
    replications: int,
    workers: int = 1,
    scheduler: str | None = None,
    n_firms: int = 10_000,
    points: int = 4,
) -> dict:
    code = (
        f"import sys, json; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); from bench_sweep "
        f"import child; print(json.dumps(child({mode!r}, {replications}, {workers}, "
        f"{scheduler!r}, {n_firms}, {points})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def memory() -> int:
    small = measure("engine", 5, 2, n_firms=100, points=4)
    large = measure("engine", 20, 2, n_firms=100, points=100)
    print("parent peak memory (ru_maxrss), 100 firms x 144 steps a run, 2 workers")
    print(f"  20 runs   : {small['peak_mb']:7.1f} MB ({small['wall_s']:.1f} s)")
    print(f"  2,000 runs: {large['peak_mb']:7.1f} MB ({large['wall_s']:.1f} s)")
    print(f"  ratio     : {large['peak_mb'] / small['peak_mb']:.2f} (target <= 1.5)")
    print(json.dumps({"small": small, "large": large}))
    return 0


def scaling(workers: list[int], repeats: int) -> int:
    print(f"96 runs of 10,000 firms x 144 steps (4 elasticities x 24 seeds); fastest of {repeats}")
    first = None
    for n in workers:
        best = min((measure("engine", 24, n) for _ in range(repeats)), key=lambda m: m["wall_s"])
        first = first or (n, best["wall_s"])
        print(
            f"  {n:3d} workers: {best['wall_s']:7.2f} s, speed-up over {first[0]} worker(s) "
            f"{first[1] / best['wall_s']:5.2f}, parent's CPU "
            f"{1000 * best['parent_cpu_s'] / 96:5.1f} ms a run"
            + (" (runs in it)" if n == 1 else "")
        )
    return 0


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
    parser.add_argument("--memory", action="store_true", help="peak memory, 20 against 2,000 runs")
    parser.add_argument("--scaling", default=None, help="worker counts, e.g. 1,2,4,8,16")
    args = parser.parse_args()
    if args.memory:
        return memory()
    if args.scaling:
        return scaling([int(n) for n in args.scaling.split(",")], args.repeats)
    n = 4 * args.runs_per_point
    times = {"direct": [], "one": [], "two": []}
    for _ in range(args.repeats):
        times["direct"].append(measure("direct", args.runs_per_point))
        times["one"].append(measure("engine", args.runs_per_point, 1))
        times["two"].append(measure("engine", args.runs_per_point, 2))
    t_direct, t1, t2 = (min(t["wall_s"] for t in times[k]) for k in ("direct", "one", "two"))
    parent = min(t["parent_cpu_s"] for t in times["two"]) / n
    one_run = t_direct / n
    print(f"{n} runs of 10,000 firms x 144 steps")
    print(f"direct model calls, 1 process : {t_direct:7.2f} s ({one_run:.3f} s a run)")
    print(
        f"engine, 1 worker              : {t1:7.2f} s (overhead {100 * (t1 / t_direct - 1):+.1f}% "
        "a run; target <= 5%)"
    )
    print(
        f"engine, 2 workers             : {t2:7.2f} s (speed-up {t1 / t2:.2f}x over 1 "
        "worker; target >= 1.7)"
    )
    print(
        f"parent's CPU per run, 2 workers: {1000 * parent:6.1f} ms = 1/{one_run / parent:.0f} of "
        "one run (target <= 1/20)"
    )
    print(json.dumps({"runs": n, "all": times}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
