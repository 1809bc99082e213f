#!/usr/bin/env python3
"""CPU time of a default 144-step run with 10,000 firms (set-up and data frame included),
against other checkouts of the project, interleaved.

Each checkout runs in its own process (its code first on the path), ROUNDS rounds in turn,
each round the best of REPEATS runs after a warm-up run: on a shared machine the minimum
over interleaved rounds is what compares. ``--twins`` runs with both counterfactual twins
(the default ``counterfactual="algo"``, ``marginal=True``); a checkout older than the
twins runs alone.

    ./dev python benchmarks/bench_run.py                      # this checkout
    ./dev python benchmarks/bench_run.py /tmp/old --rounds 7  # against another checkout
    git worktree add /tmp/old e655eb3                         # (an older commit, say)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

CHILD = """
import inspect, sys, time
sys.path.insert(0, sys.argv[1])
try:
    from jevons_compute.model.model import JevonsModel
except ImportError:  # a checkout before the one-package layout
    from model import JevonsModel
twins = "counterfactual" in inspect.signature(JevonsModel.__init__).parameters
if sys.argv[2] == "twins" and not twins:
    sys.exit("this checkout has no counterfactual twins")
options = {"counterfactual": "none"} if sys.argv[2] == "alone" and twins else {}
def one():
    start = time.process_time()
    model = JevonsModel(rng=42, n_firms=10_000, **options)
    model.run_for(144)
    model.datacollector.get_model_vars_dataframe()
    return time.process_time() - start
one()
print(min(one() for _ in range(int(sys.argv[3]))))
"""


def cpu_seconds(checkout: Path, case: str, repeats: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(checkout), case, str(repeats)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{checkout}: {out.stderr.strip().splitlines()[-1]}")
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("against", nargs="*", type=Path, help="other checkouts to time too")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="runs per round (best kept)")
    parser.add_argument("--twins", action="store_true", help="with both twins")
    args = parser.parse_args()
    checkouts = [HERE, *(p.resolve() for p in args.against)]
    case = "twins" if args.twins else "alone"
    best = {c: [] for c in checkouts}
    for _ in range(args.rounds):
        for checkout in checkouts:
            best[checkout].append(cpu_seconds(checkout, case, args.repeats))
    here = min(best[HERE])
    for checkout, times in best.items():
        rounds = " ".join(f"{t:.3f}" for t in times)
        print(
            f"{str(checkout):<32} {min(times):6.3f} s CPU  {min(times) / here:4.2f}x"
            f"  (rounds: {rounds})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
