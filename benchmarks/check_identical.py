#!/usr/bin/env python3
"""Same seed, same numbers: save the time series of a set of runs (the main run's and each
twin's data frame), then compare another checkout's (or this one after a change) with
exact equality. For speed work: an optimisation must leave every number bit-identical.

    ./dev python benchmarks/check_identical.py save /tmp/ref       # before the change
    ./dev python benchmarks/check_identical.py compare /tmp/ref    # after it: exit 1 if any differ
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario

#: (name, preset, seed, counterfactual, marginal, overrides, steps)
CASES = [
    ("default-1", "default", 1, "algo", True, {}, 144),
    ("default-2", "default", 2, "algo", True, {}, 144),
    ("default-42-10k", "default", 42, "algo", True, {"n_firms": 10_000}, 144),
    ("default-7-alone", "default", 7, "none", True, {}, 144),
    ("default-3-hardware", "default", 3, "hardware", False, {}, 96),
    ("default-4-all", "default", 4, "all", True, {}, 96),
    ("default-5-shock", "default", 5, "shock", False, {}, 96),
    ("no_shock-1", "no_shock", 1, "algo", True, {}, 96),
    ("strict-1", "strict_export_controls", 1, "algo", True, {}, 96),
    ("inelastic-1", "inelastic_demand", 1, "algo", True, {}, 96),
    ("power_bound-1", "power_bound", 1, "algo", True, {}, 96),
    ("hardware_only-1", "hardware_only", 1, "algo", True, {}, 96),
    ("analytic-1", "analytic", 1, "algo", True, {}, 96),
    ("task_value-1", "default", 1, "algo", True, {"demand_model": "task_value"}, 96),
    ("const_elast-1", "default", 1, "algo", True, {"demand_model": "constant_elasticity"}, 96),
    ("mfu-growth-1", "default", 1, "all", True, {"inference_mfu_growth": 1.2}, 96),
    ("small-9", "default", 9, "algo", True, {"n_firms": 300, "n_providers": 5}, 144),
    ("financing-shock-2", "default", 2, "algo", True, {"financing_shock": 0.7}, 96),
    ("no-premium-3", "default", 3, "algo", True, {"chip_price_response": 0.0}, 96),
    ("unlimited-4", "default", 4, "algo", True, {"capacity_limited": False}, 72),
]


def frames(case) -> dict:
    name, preset, seed, counterfactual, marginal, overrides, steps = case
    scenario = JevonsScenario.from_preset(preset, rng=seed, **overrides)
    model = JevonsModel(scenario, counterfactual=counterfactual, marginal=marginal)
    model.run_for(steps)
    out = {"run": model.datacollector.get_model_vars_dataframe()}
    for label, twin in (("twin", model.twin), ("marginal_twin", model.marginal_twin)):
        if twin is not None:
            out[label] = twin.datacollector.get_model_vars_dataframe()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("save", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="*", help="case names (default: all)")
    args = parser.parse_args()
    cases = [c for c in CASES if not args.only or c[0] in args.only]
    args.folder.mkdir(parents=True, exist_ok=True)
    failed = 0
    for case in cases:
        try:
            got = frames(case)
        except Exception as exc:  # a scenario this checkout refuses: record the refusal
            got = {"error": f"{type(exc).__name__}: {exc}"}
        path = args.folder / f"{case[0]}.pkl"
        if args.mode == "save":
            path.write_bytes(pickle.dumps(got))
            print(f"{case[0]:<22} saved {sorted(got)}")
            continue
        ref = pickle.loads(path.read_bytes())
        same = sorted(ref) == sorted(got) and all(
            (ref[k] == got[k]) if isinstance(ref[k], str) else _equal(ref[k], got[k]) for k in ref
        )
        failed += not same
        print(f"{case[0]:<22} {'identical' if same else 'DIFFERENT'} {sorted(got)}")
    if args.mode == "compare":
        print("all identical" if not failed else f"{failed} case(s) differ")
    return 1 if failed else 0


def _equal(a, b) -> bool:
    return (
        list(a.columns) == list(b.columns)
        and list(a.dtypes) == list(b.dtypes)
        and a.index.equals(b.index)
        and a.equals(b)
    )


if __name__ == "__main__":
    sys.exit(main())
