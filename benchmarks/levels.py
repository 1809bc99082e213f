#!/usr/bin/env python3
"""The default preset's levels against every observation of data/observed.csv.

Runs the preset for a few seeds (means over seeds) to ``--until`` and prints one table:
each observation dated up to the calibration's fit end (2024-06) and, marked
``backtest``, the later ones the run covers: the observed value in the model's unit
(factor x value), the model's quantity over the row's months (the calibration's own
aggregation, experiments/calibration/observed.py), their ratio and whether it is within
2x. Rows whose metric the model does not report, or whose months the run does not
reach, say so. Always exits 0: a table to read, not a test.

    ./dev python benchmarks/levels.py                          # default preset, seeds 1 2 3
    ./dev python benchmarks/levels.py --preset none --seeds 1  # the parameter table's defaults
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from jevons_compute.experiments.calibration import observed
from jevons_compute.model.metrics.table import METRICS
from jevons_compute.model.model import JevonsModel
from jevons_compute.world.parameters import BY_NAME, ParameterError
from jevons_compute.world.scenario import JevonsScenario


def series_of(preset: str, seed: int, firms: int, steps: int, overrides: dict) -> pd.DataFrame:
    """One run's metrics, one row a month, with the ``run_id`` and ``step`` columns the
    calibration's ``simulated_log`` reads."""
    if preset == "none":
        scenario = JevonsScenario(rng=seed, n_firms=firms, **overrides)
    else:
        scenario = JevonsScenario.from_preset(preset, rng=seed, n_firms=firms, **overrides)
    model = JevonsModel(scenario, counterfactual="none")
    for _ in range(steps - 1):  # step 0 is collected at set-up
        model.step()
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    return df.assign(run_id=seed, step=np.arange(len(df)))


def table(obs: pd.DataFrame, runs: pd.DataFrame, start_year: int) -> pd.DataFrame:
    """Observed (model unit), model mean over seeds, ratio, within 2x; one row per row of
    ``obs`` (those with a metric the model reports)."""
    logs = observed.simulated_log(runs, obs, start_year)  # index: seed, columns: labels
    model = np.exp(logs).mean(axis=0, skipna=False).to_numpy()
    target = np.exp(observed.target_log(obs))
    ratio = model / target
    return pd.DataFrame(
        {
            "observation": observed.labels(obs),
            "metric": obs["metric"],
            "aggregate": obs["aggregate"],
            "window": np.where(obs["date"] <= observed.FIT_END, "fit", "backtest"),
            "verified": obs["verified"],
            "observed": target,
            "model": model,
            "ratio": ratio,
            "within_2x": [
                "n/a" if not math.isfinite(r) else ("yes" if 0.5 <= r <= 2 else "NO") for r in ratio
            ],
        }
    )


def parse_setting(item: str) -> tuple[str, object]:
    """``NAME=VALUE`` with the value coerced by the parameter table (ParameterError or
    ValueError naming the setting otherwise)."""
    name, _, value = item.partition("=")
    if name not in BY_NAME or not value:
        raise ValueError(f"--set {item!r}: use NAME=VALUE with a parameter of the table.")
    return name, BY_NAME[name].coerce(value)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="default", help="a preset, or 'none' for the defaults")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--firms", type=int, default=2000)
    parser.add_argument("--until", default="2025-06", help="last month run (YYYY-MM)")
    parser.add_argument("--fit-only", action="store_true", help="only rows up to the fit end")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter"
    )
    args = parser.parse_args(argv)
    try:
        overrides = dict(parse_setting(item) for item in args.set)
    except (ValueError, ParameterError) as exc:
        parser.error(str(exc))

    start_year = BY_NAME["start_year"].default
    steps = observed.step_of(args.until, start_year) + 1
    obs = observed.load_observed()
    if args.fit_only:
        obs, _ = observed.split(obs)
    unknown = obs[~obs["metric"].isin(METRICS)]
    obs = obs[obs["metric"].isin(METRICS)].reset_index(drop=True)
    started = time.perf_counter()
    runs = pd.concat(
        [series_of(args.preset, seed, args.firms, steps, overrides) for seed in args.seeds],
        ignore_index=True,
    )
    seconds = time.perf_counter() - started
    out = table(obs, runs, start_year).sort_values(["window", "metric"], ascending=[False, True])

    pd.set_option("display.width", 200, "display.max_rows", 500, "display.max_colwidth", 48)
    settings = "".join(f", {k}={v}" for k, v in overrides.items())
    print(
        f"preset {args.preset}{settings}, seeds {' '.join(map(str, args.seeds))} (mean), "
        f"{args.firms} firms, run to {args.until} ({steps} months, {seconds:.1f} s)"
    )
    print(out.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    for window in ("fit", "backtest"):
        part = out[(out["window"] == window) & (out["within_2x"] != "n/a")]
        print(f"{window}: {(part['within_2x'] == 'yes').sum()} of {len(part)} within 2x")
    skipped = out[out["within_2x"] == "n/a"]["observation"]
    if len(skipped):
        print("not simulated (months beyond --until or a non-positive model value):",
              ", ".join(skipped))  # fmt: skip
    if len(unknown):
        print("metric not reported by the model:", ", ".join(observed.labels(unknown)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
