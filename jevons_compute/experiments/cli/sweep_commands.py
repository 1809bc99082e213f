"""Commands that run many: ``sweep``, ``experiment`` (the named experiments) and
``replications`` (how many seeds a scenario needs)."""

from __future__ import annotations

import sys
from pathlib import Path

from jevons_compute.experiments.cli.common import (
    UsageError,
    add_counterfactual_options,
    add_run_options,
    fraction_type,
    integer_type,
    parse_sets,
    positive_type,
    seed_type,
    steps_type,
)
from jevons_compute.world.parameters import ParameterError, shown
from jevons_compute.world.presets import PRESETS


def cmd_sweep(args) -> int:
    from jevons_compute.experiments.runs.describe import describe_sweep, now
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.experiments.sweeps.spec import SweepSpec, parse_grid_options

    started = now()

    if args.spec and args.grid:
        raise UsageError("give a spec file or --grid options, not both.")
    if args.spec:
        spec = SweepSpec.from_toml(args.spec)
        overrides = {
            k: v
            for k, v in (
                ("replications", args.replications),
                ("steps", args.steps),
                ("base_seed", args.seed),
                ("counterfactual", args.counterfactual),
                ("marginal", False if args.no_marginal else None),
            )
            if v is not None
        }
        if overrides or args.set or args.preset:
            raise UsageError(
                "with a spec file, put replications, steps, seed, preset, counterfactual, "
                "marginal and fixed parameters in the file."
            )
    elif args.grid:
        spec = SweepSpec.from_dict(
            {
                "name": Path(args.out).name,
                "preset": args.preset or "default",
                "steps": args.steps or 144,
                "replications": args.replications or 1,
                "base_seed": 42 if args.seed is None else args.seed,
                "counterfactual": args.counterfactual or "algo",
                "marginal": not args.no_marginal,
                "fixed": parse_sets(args.set),
                "grid": parse_grid_options(args.grid),
            },
            source="command line",
        )
    else:
        raise UsageError("give a spec file (SPEC.toml) or at least one --grid NAME=V1,V2.")
    spec.check_size(args.max_runs)
    check_spec_runs(spec)
    options = {**sweep_options(args), **executor_options(args)}
    result = run_sweep(spec, args.out, progress=not args.no_progress, **options)
    finish_executor(args, result)
    describe_sweep(result.out, started, args.format)
    return report_sweep(result)


def check_spec_runs(spec) -> None:
    """Cross-parameter checks of every design point before anything runs."""
    from jevons_compute.experiments.sweeps.spec import SpecError
    from jevons_compute.model.model import check_scenario
    from jevons_compute.world.scenario import JevonsScenario

    for run in spec.runs()[:: spec.replications]:
        try:
            check_scenario(JevonsScenario._unchecked(run.seed, run.params))
        except ParameterError as exc:
            raise SpecError(f"design point {run.point}: {exc}") from None


def report_sweep(result) -> int:
    print(
        f"{result.total} runs in {result.out} ({result.ran} run now, "
        f"{result.total - result.ran} already done), {result.failed} failed"
        + (
            f", {result.retries} task(s) of runs retried after a worker was lost"
            if result.retries
            else ""
        )
    )
    if result.failed:
        print(
            f"some runs failed: see the status and error columns of {result.out}/runs.parquet",
            file=sys.stderr,
        )
        return 1
    return 0


def sweep_options(args) -> dict:
    return {
        "workers": args.workers,
        "max_runs": args.max_runs,
        "allow_code_change": args.allow_code_change,
    }


def executor_options(args) -> dict:
    """Executor chosen on the command line: the local process pool by default, or a Dask
    cluster (``--executor dask --scheduler tcp://HOST:PORT``, TLS with the --tls-* files)."""
    tls = (args.tls_ca_file, args.tls_cert, args.tls_key)
    if args.executor == "local":
        if args.scheduler or any(tls):
            raise UsageError("--scheduler and --tls-* go with --executor dask.")
        return {}
    from jevons_compute.experiments.sweeps import cluster

    client = cluster.connect(args.scheduler, cluster.security(*tls, address=args.scheduler))
    print(
        f"Dask cluster at {args.scheduler}: {len(client.nthreads())} workers, "
        f"{cluster.total_threads(client)} threads; dashboard {client.dashboard_link}",
        flush=True,
    )
    args.cluster_client = client
    args.retries_before = cluster.retried_tasks(client)
    return {"executor": cluster.executor(client), "workers": cluster.total_threads(client)}


def finish_executor(args, result) -> None:
    """Count the runs the cluster retried after losing a worker; close the client."""
    client = getattr(args, "cluster_client", None)
    if client is not None:
        from jevons_compute.experiments.sweeps import cluster

        result.retries = cluster.retried_tasks(client) - args.retries_before
        client.close()


def cmd_experiment(args) -> int:
    from jevons_compute.experiments.named import EXPERIMENTS
    from jevons_compute.experiments.named.report import report
    from jevons_compute.experiments.runs.describe import describe_sweep, now
    from jevons_compute.experiments.sweeps.runner import run_sweep

    if args.list or not args.name:
        width = max(map(len, EXPERIMENTS))
        for name, exp in EXPERIMENTS.items():
            print(f"{name:<{width}}  {exp.claim}")
        return 0
    if args.name not in EXPERIMENTS:
        raise UsageError(
            f"unknown experiment {shown(args.name)}: use one of "
            + ", ".join(EXPERIMENTS)
            + " (see --list)."
        )
    experiment = EXPERIMENTS[args.name]
    if (args.install_ensemble or args.write_default) and args.name != "calibrate":
        raise UsageError("--install-ensemble and --write-default go with `experiment calibrate`.")
    if args.write_default and args.quick:
        raise UsageError(
            "--write-default needs a full calibration: run `experiment calibrate` without --quick."
        )
    started = now()
    out = args.out or f"results/{args.name}" + ("-quick" if args.quick else "")
    if experiment.run is not None:
        return _run_procedure(args, experiment, out)
    spec = experiment.make_spec(args.quick)
    options = {**sweep_options(args), **executor_options(args)}
    result = run_sweep(
        spec,
        out,
        progress=not args.no_progress,
        extra_manifest={"experiment": args.name, "quick": args.quick},
        **options,
    )
    finish_executor(args, result)
    describe_sweep(result.out, started, args.format)
    status = report_sweep(result)
    findings = report(out)
    print(findings.read_text())
    return status


def _run_procedure(args, experiment, out) -> int:
    """An experiment of several sweeps (calibrate): each on the command's executor."""
    import time

    from jevons_compute.experiments.runs.describe import describe_sweep, now
    from jevons_compute.experiments.sweeps.runner import run_sweep

    options = {**sweep_options(args), **executor_options(args)}
    failed = []

    def sweep(spec, folder):
        started = now()
        result = run_sweep(
            spec,
            folder,
            progress=not args.no_progress,
            extra_manifest={"part_of": args.name, "quick": args.quick},  # a stage
            **options,
        )
        describe_sweep(result.out, started, args.format)
        failed.append(result.failed)
        return result

    start = time.perf_counter()
    extra = {"install_ensemble": args.install_ensemble, "write_default": args.write_default}
    try:
        text = experiment.run(Path(out), args.quick, sweep, **extra)
    finally:
        client = getattr(args, "cluster_client", None)
        if client is not None:
            client.close()
    print(text)
    print(f"wrote {out} in {time.perf_counter() - start:.0f} s ({sum(failed)} runs failed)")
    return 1 if sum(failed) else 0


def cmd_replications(args) -> int:
    from jevons_compute.experiments.analysis import replication
    from jevons_compute.experiments.runs.describe import describe_sweep, now
    from jevons_compute.experiments.runs.figures import png
    from jevons_compute.experiments.runs.schema import read_runs
    from jevons_compute.experiments.runs.single import HEADLINE_NUMBERS
    from jevons_compute.experiments.runs.storage import write_atomic
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.experiments.sweeps.spec import SweepSpec

    metrics = args.metric = args.metric or list(replication.DEFAULT_METRICS)
    unknown = [m for m in metrics if m not in HEADLINE_NUMBERS]
    if unknown:
        raise UsageError(
            f"--metric {unknown[0]!r} is not a headline number: use one of "
            + ", ".join(HEADLINE_NUMBERS)
            + "."
        )
    spec = SweepSpec.from_dict(
        {
            "name": "replications",
            "preset": args.preset,
            "steps": args.steps,
            "replications": args.seeds,
            "base_seed": args.seed,
            "counterfactual": args.counterfactual,
            "marginal": not args.no_marginal,
            "fixed": parse_sets(args.set),
        },
        source="command line",
    )
    spec.check_size(args.max_runs)
    check_spec_runs(spec)
    started = now()
    options = {**sweep_options(args), **executor_options(args)}
    result = run_sweep(spec, args.out, progress=not args.no_progress, **options)
    finish_executor(args, result)
    describe_sweep(result.out, started, args.format)
    runs = read_runs(args.out)
    table = replication.diagnostic(runs, args.metric)
    n = replication.recommended_seeds(table, args.target)
    out = Path(args.out)
    write_atomic(out / "replications.csv", table.to_csv(index=False))
    write_atomic(out / "replications.png", png(replication.figure(table, args.target)))
    last = table[table["seeds"] == table["seeds"].max()]
    print(f"{'metric':<22} {'mean':>10} {'cv':>8} {'90% CI +-':>10}   (over {args.seeds} seeds)")
    for _, row in last.iterrows():
        print(
            f"{row['metric']:<22} {row['mean']:>10.4g} {row['cv']:>8.3g} "
            f"{100 * row['ci_relative_half_width']:>9.2g}%"
        )
    if n is None:
        print(
            f"more than {args.seeds} seeds needed: the 90% CI half-width of the mean is "
            f"still above {100 * args.target:g}% of the mean (raise --seeds)."
        )
    else:
        print(
            f"recommended: {n} seeds (from there on every 90% CI half-width stays within "
            f"{100 * args.target:g}% of the mean)"
        )
    print(f"wrote {out}/replications.csv, replications.png")
    return report_sweep(result) if not result.ok else 0


def add_commands(sub) -> None:
    """Add this group's commands to the command line's subparsers."""
    sweep = sub.add_parser(
        "sweep",
        help="run a parameter sweep (grid or sample) x seeds",
        description=(
            "Run a sweep from a TOML spec (experiments/specs/*.toml; see README) or from --grid "
            "shortcuts. Runs go to disk as they finish: DIR/runs.parquet, DIR/timeseries.parquet "
            "and DIR/manifest.json. Started again with the same command, a killed sweep runs only "
            "the missing runs. Exit status 1 if some runs failed."
        ),
    )
    sweep.add_argument("spec", nargs="?", help="a TOML sweep spec")
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=V1,V2",
        help="a parameter and its values (repeatable; full factorial)",
    )
    sweep.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a fixed parameter (repeatable)",
    )
    sweep.add_argument("--preset", default=None, help="base preset (default: default)")
    sweep.add_argument(
        "--replications",
        type=positive_type("--replications"),
        default=None,
        help="seeds per design point (default 1)",
    )
    sweep.add_argument(
        "--steps", type=steps_type, default=None, help="months per run (default 144)"
    )
    sweep.add_argument("--seed", type=seed_type, default=None, help="base seed (default 42)")
    sweep.add_argument("--out", required=True, help="output folder")
    add_counterfactual_options(sweep, default=None)
    add_run_options(sweep)
    sweep.set_defaults(func=cmd_sweep)

    exp = sub.add_parser(
        "experiment",
        help="run one of the article's claims as an experiment",
        description="Run a named experiment: its sweep, figures and "
        "findings.md. --list shows them.",
    )
    exp.add_argument("name", nargs="?", help="experiment name (see --list)")
    exp.add_argument("--list", action="store_true", help="list the experiments")
    exp.add_argument("--quick", action="store_true", help="a reduced version (under a minute)")
    exp.add_argument("--out", default=None, help="output folder (default results/NAME)")
    exp.add_argument(
        "--install-ensemble",
        action="store_true",
        help="calibrate: also write the ensemble to data/ensemble.csv (the 'ensemble' preset)",
    )
    exp.add_argument(
        "--write-default",
        action="store_true",
        help="calibrate: also make the best member the 'default' preset "
        "(data/calibrated_default.json)",
    )
    add_run_options(exp)
    exp.set_defaults(func=cmd_experiment)

    reps = sub.add_parser(
        "replications",
        help="how many seeds a scenario needs (replication diagnostic)",
        description=(
            "Run one scenario with --seeds seeds and print, for each headline number, its "
            "coefficient of variation and the 90%% confidence-interval half-width of its mean "
            "against the number of seeds (Lee et al. 2015, JASSS); recommends the smallest "
            "number of seeds that keeps every half-width within --target of the mean. "
            "Writes DIR/replications.csv and DIR/replications.png beside the sweep's data."
        ),
    )
    reps.add_argument(
        "--preset", default="default", help=f"one of {', '.join(PRESETS)} (default: default)"
    )
    reps.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    reps.add_argument("--steps", type=steps_type, default=144, help="months per run (default 144)")
    reps.add_argument("--seed", type=seed_type, default=42, help="base seed (default 42)")
    reps.add_argument(
        "--seeds", type=integer_type("--seeds", 3, 10_000), default=30, help="seeds (default 30)"
    )
    reps.add_argument(
        "--metric",
        action="append",
        default=None,
        help="headline number to study (repeatable; default jevons_ratio_12m, rebound, "
        "compute_growth, adoption_rate)",
    )
    reps.add_argument(
        "--target",
        type=fraction_type("--target"),
        default=0.05,
        help="largest acceptable 90%% CI half-width, as a share of the mean (default 0.05)",
    )
    reps.add_argument(
        "--out", default="results/replications", help="output folder (default results/replications)"
    )
    add_counterfactual_options(reps)
    add_run_options(reps)
    reps.set_defaults(func=cmd_replications)
