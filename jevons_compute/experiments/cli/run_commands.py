"""Commands about one run: ``run`` (a scenario, or the calibrated ensemble), and the
tables ``params`` and ``metrics``."""

from __future__ import annotations

from pathlib import Path

from jevons_compute.experiments.cli.common import (
    add_counterfactual_options,
    integer_type,
    parse_sets,
    seed_type,
    steps_type,
)
from jevons_compute.experiments.cli.sweep_commands import check_spec_runs, report_sweep
from jevons_compute.world.parameters import PARAMETERS
from jevons_compute.world.presets import PRESETS


def cmd_run(args) -> int:
    from jevons_compute.experiments.runs.describe import describe_run, now
    from jevons_compute.experiments.runs.single import run_scenario, summary_text, write_run
    from jevons_compute.experiments.runs.storage import check_run_target, staged_folder
    from jevons_compute.model.model import check_scenario
    from jevons_compute.world.scenario import JevonsScenario

    if args.preset == "ensemble":
        args.out = "results/ensemble" if args.out is None else args.out
        return _run_ensemble(args)
    args.out = "results/run" if args.out is None else args.out
    scenario = JevonsScenario.from_preset(args.preset, rng=args.seed, **parse_sets(args.set))
    check_scenario(scenario)
    out = check_run_target(args.out)
    started = now()
    print(
        f"running preset {args.preset!r}, seed {args.seed}, {args.steps} months, "
        f"{scenario.n_firms} firm agents ...",
        flush=True,
    )
    df = run_scenario(scenario, args.steps, args.counterfactual, marginal=not args.no_marginal)
    with staged_folder(out) as stage:  # all files or none (a full disk leaves nothing)
        summary = write_run(
            stage, df, scenario, args.seed, args.preset, args.steps, args.counterfactual
        )
        describe_run(stage, df, started, args.format)
    print(summary_text(summary["headline"], args.steps, args.counterfactual))
    print(f"wrote {out}/timeseries.{args.format}, summary.json, overview.png")
    return 0


def _run_ensemble(args) -> int:
    """``run --preset ensemble``: every member of data/ensemble.csv x --seeds seeds, as a
    sweep into --out; writes band.csv and figures/band.png (mean and 90% band)."""
    from jevons_compute.experiments.analysis.tables import load
    from jevons_compute.experiments.calibration.ensemble import write_projection
    from jevons_compute.experiments.runs.storage import prepare_out_dir
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.experiments.sweeps.spec import SweepSpec
    from jevons_compute.world.presets import ENSEMBLE_PATH

    spec = SweepSpec.from_dict(
        {
            "name": "ensemble",
            "ensemble": str(ENSEMBLE_PATH),
            "steps": args.steps,
            "replications": args.seeds,
            "base_seed": args.seed,
            "counterfactual": args.counterfactual,
            "marginal": not args.no_marginal,
            "fixed": parse_sets(args.set),
        },
        source="--preset ensemble",
    )
    check_spec_runs(spec)
    prepare_out_dir(args.out)  # a bad --out: one sentence before anything runs
    print(
        f"running the ensemble: {len(spec.points)} members x {args.seeds} seeds, "
        f"{args.steps} months ...",
        flush=True,
    )
    result = run_sweep(spec, args.out, progress=False)
    _, runs, series = load(args.out)
    last, figure = write_projection(Path(args.out), series)
    for metric, row in last.iterrows():
        print(
            f"{metric:<22} {row['date']}: mean {row['mean']:.3g}, "
            f"90% band {row['low']:.3g} to {row['high']:.3g}"
        )
    print(f"wrote {args.out}/band.csv, {figure}, runs.parquet, timeseries.parquet")
    return report_sweep(result)


def cmd_params(args) -> int:
    if args.markdown:
        print(params_markdown(), end="")
        return 0
    if args.uncertain:
        print(uncertain_markdown(), end="")
        return 0
    width = max(len(p.name) for p in PARAMETERS)
    print(f"{'parameter':<{width}}  {'default':>12}  {'unit':<18}  allowed")
    calibrated = PRESETS["default"]
    for p in PARAMETERS:
        print(f"{p.name:<{width}}  {p.default!s:>12}  {p.unit:<18}  {p.allowed()}")
        if p.name in calibrated:
            value = calibrated[p.name]
            shown = f"{value:.4g}" if isinstance(value, float) else value
            print(f"{'':<{width}}  the default preset (calibrated): {shown}")
        print(f"{'':<{width}}  {p.doc}. Source: {p.source}.")
    print("\npresets: " + ", ".join(f"{k} ({len(v)} overrides)" for k, v in PRESETS.items()))
    if calibrated:
        print(
            "the default preset (run, sweeps, the UI) is the table's defaults with the "
            "calibrated best member's values above (data/calibrated_default.json)."
        )
    return 0


def cmd_metrics(args) -> int:
    from jevons_compute.model.metrics.table import metrics_markdown

    print(metrics_markdown(), end="")
    return 0


def params_markdown() -> str:
    """The calibration table of docs/calibration.md."""
    rows = [
        "| parameter | default | unit | allowed | meaning | source |",
        "|---|---|---|---|---|---|",
    ]
    for p in PARAMETERS:
        rows.append(
            f"| `{p.name}` | {p.default} | {p.unit} | {p.allowed()} | {p.doc} | {p.source} |"
        )
    return "\n".join(rows) + "\n"


def uncertain_markdown() -> str:
    """The table of uncertain parameters (calibration ranges) of docs/calibration.md."""
    from jevons_compute.world.parameters import BY_NAME, UNCERTAIN

    rows = ["| parameter | default | range searched | scale | why |", "|---|---|---|---|---|"]
    for u in UNCERTAIN:
        rows.append(
            f"| `{u.name}` | {BY_NAME[u.name].default} | {u.low:g} to {u.high:g} | "
            f"{'log' if u.log else 'linear'} | {u.why} |"
        )
    return "\n".join(rows) + "\n"


def add_commands(sub) -> None:
    """Add this group's commands to the command line's subparsers."""
    run = sub.add_parser(
        "run",
        help="run one scenario and write its files",
        description=(
            "Run one scenario: prints compute growth, price fall, adoption, rebound and whether "
            "efficiency backfired; writes DIR/timeseries.csv (one row per month), "
            "DIR/summary.json (parameters, seed, versions, headline numbers) and "
            "DIR/overview.png."
        ),
    )
    run.add_argument(
        "--preset",
        default="default",
        help=f"one of {', '.join(PRESETS)} or ensemble (every member of data/ensemble.csv: "
        "mean and 90%% band) (default: default, the calibrated model)",
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable); `jevons-compute params` lists them",
    )
    run.add_argument(
        "--steps",
        type=steps_type,
        default=144,
        help="months to simulate (default 144: January 2023 to January 2035)",
    )
    run.add_argument("--seed", type=seed_type, default=42, help="random seed (default 42)")
    run.add_argument(
        "--seeds",
        type=integer_type("--seeds", 1, 1000),
        default=3,
        help="with --preset ensemble: seeds per member (default 3)",
    )
    run.add_argument(
        "--out",
        default=None,
        help="output folder (default results/run; results/ensemble with --preset ensemble, "
        "which the UI's band panel reads)",
    )
    run.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help="the time series as timeseries.csv (default) or timeseries.parquet (dates as "
        "dates, units and descriptions in the file)",
    )
    add_counterfactual_options(run)
    run.set_defaults(func=cmd_run)

    params = sub.add_parser(
        "params",
        help="list every parameter with default, unit and range",
        description="Every scenario parameter: default, unit, allowed values, meaning and source.",
    )
    params.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown (docs/calibration.md)"
    )
    params.add_argument(
        "--uncertain",
        action="store_true",
        help="print the uncertain parameters calibration searches, as Markdown",
    )
    params.set_defaults(func=cmd_params)

    metrics = sub.add_parser(
        "metrics",
        help="list every metric (column of timeseries.csv) with its unit and meaning",
        description="The metric table as Markdown (the README's table is this text).",
    )
    metrics.set_defaults(func=cmd_metrics)
