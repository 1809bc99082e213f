#!/usr/bin/env python3
"""Throughput of the same sweep on a two-worker local Dask cluster against the local pool.

Starts `dask scheduler` and two single-threaded `dask worker`s on 127.0.0.1 (Dask's own
command line), runs 40 runs of 10,000 firms x 144 steps there and with the local process
pool of 2 workers, each in a fresh process, interleaved and repeated; the fastest counts.

    ./dev python benchmarks/bench_dask.py [--runs-per-point 10] [--repeats 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench_sweep import measure  # the sibling script (this folder is on the path)

from jevons_compute.experiments.sweeps.local import start_dask_cluster, stop

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs-per-point", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    address, procs = start_dask_cluster(workers=2)
    try:
        local, dask = [], []
        for _ in range(args.repeats):
            local.append(measure("engine", args.runs_per_point, 2)["wall_s"])
            dask.append(measure("engine", args.runs_per_point, 2, scheduler=address)["wall_s"])
    finally:
        stop(procs)
    n = 4 * args.runs_per_point
    print(f"{n} runs of 10,000 firms x 144 steps")
    print(f"local process pool, 2 workers : {min(local):7.2f} s")
    print(
        f"Dask cluster, 2 workers       : {min(dask):7.2f} s "
        f"(throughput {min(local) / min(dask):.2f}x the local pool's; target >= 0.9)"
    )
    print(f"all times: local {local}, dask {dask}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
