#!/usr/bin/env python3
"""Command line of the Jevons compute-market model.

    python run.py run [--preset NAME] [--set NAME=VALUE ...] [--steps N] [--seed S] [--out DIR]
    python run.py params
    python run.py sweep [SPEC.toml] [--grid NAME=V1,V2 ...] --out DIR [--workers N]
                        [--max-runs N] [--allow-code-change]
                        [--executor dask --scheduler ADDR [--tls-ca-file F --tls-cert F ...]]
    python run.py experiment --list | NAME [--quick] [--out DIR]
    python run.py compare DIR_A DIR_B [...] [--metric NAME ...]
    python run.py report DIR
    python run.py discover DIR --where "rebound > 1" [--method prim|cart] [--inputs A,B]

Bad input gets one sentence on stderr and exit status 2; nothing is written. Ctrl-C,
SIGTERM and SIGHUP stop any command with one line and exit status 130.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.spec import DEFAULT_MAX_RUNS
from model.parameters import PARAMETERS, ParameterError, shown
from model.presets import PRESETS
from model.technology import COUNTERFACTUALS

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
RESUME_HINT = " (finished runs are saved: run the same command again to resume)"


class UsageError(Exception):
    """A user's mistake on the command line: reported in one sentence, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message
        raise UsageError(
            f"{message} (see `python run.py {self.prog.split()[-1]} --help`)"
            if " " in self.prog
            else f"{message} (see `python run.py --help`)"
        )


def parse_sets(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(
                f"--set {shown(item)} is not NAME=VALUE: write e.g. --set price_elasticity=1.5."
            )
        values[name.strip()] = value.strip()
    return values


def cmd_run(args) -> int:
    from experiments.describe import describe_run, now
    from experiments.single import run_scenario, summary_text, write_run
    from experiments.storage import check_run_target, staged_folder
    from model import JevonsScenario, check_scenario

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
    from experiments.analysis import load
    from experiments.ensemble import ENSEMBLE_PATH, write_projection
    from experiments.runner import run_sweep
    from experiments.spec import SweepSpec
    from experiments.storage import prepare_out_dir

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
    _check_spec_runs(spec)
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
    return _report_sweep(result)


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
    from model.metrics import metrics_markdown

    print(metrics_markdown(), end="")
    return 0


def cmd_sweep(args) -> int:
    from experiments.describe import describe_sweep, now
    from experiments.runner import run_sweep
    from experiments.spec import SweepSpec, parse_grid_options

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
    _check_spec_runs(spec)
    options = {**sweep_options(args), **executor_options(args)}
    result = run_sweep(spec, args.out, progress=not args.no_progress, **options)
    finish_executor(args, result)
    describe_sweep(result.out, started, args.format)
    return _report_sweep(result)


def _check_spec_runs(spec) -> None:
    """Cross-parameter checks of every design point before anything runs."""
    from experiments.spec import SpecError
    from model import JevonsScenario, check_scenario

    for run in spec.runs()[:: spec.replications]:
        try:
            check_scenario(JevonsScenario(rng=run.seed, **run.params))
        except ParameterError as exc:
            raise SpecError(f"design point {run.point}: {exc}") from None


def _report_sweep(result) -> int:
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
    from experiments import cluster

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
        from experiments import cluster

        result.retries = cluster.retried_tasks(client) - args.retries_before
        client.close()


def cmd_experiment(args) -> int:
    from experiments.describe import describe_sweep, now
    from experiments.named import EXPERIMENTS
    from experiments.report import report
    from experiments.runner import run_sweep

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
    status = _report_sweep(result)
    findings = report(out)
    print(findings.read_text())
    return status


def _run_procedure(args, experiment, out) -> int:
    """An experiment of several sweeps (calibrate): each on the command's executor."""
    import time

    from experiments.describe import describe_sweep, now
    from experiments.runner import run_sweep

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
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from experiments import replication
    from experiments.describe import describe_sweep, now
    from experiments.plots import _png
    from experiments.runner import run_sweep
    from experiments.single import HEADLINE_NUMBERS
    from experiments.spec import SweepSpec
    from experiments.storage import write_atomic

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
    _check_spec_runs(spec)
    started = now()
    options = {**sweep_options(args), **executor_options(args)}
    result = run_sweep(spec, args.out, progress=not args.no_progress, **options)
    finish_executor(args, result)
    describe_sweep(result.out, started, args.format)
    runs = pd.read_parquet(Path(args.out) / "runs.parquet")
    table = replication.diagnostic(runs, args.metric)
    n = replication.recommended_seeds(table, args.target)
    out = Path(args.out)
    write_atomic(out / "replications.csv", table.to_csv(index=False))
    write_atomic(out / "replications.png", _png(replication.figure(table, args.target)))
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
    return _report_sweep(result) if not result.ok else 0


def cmd_compare(args) -> int:
    from experiments.report import DEFAULT_COMPARE, compare

    figure, table = compare(args.dirs, args.metric or list(DEFAULT_COMPARE), args.out)
    print(table)
    print(f"wrote {figure}")
    return 0


def cmd_report(args) -> int:
    from experiments.report import report

    print(f"wrote {report(args.dir)}")
    return 0


def cmd_discover(args) -> int:
    from experiments.discovery import discover

    inputs = [n.strip() for n in args.inputs.split(",") if n.strip()] if args.inputs else None
    found, out = discover(args.dir, args.where, inputs, args.min_coverage, args.out, args.method)
    print(found.text())
    print(f"wrote {out}/discovery.png, discovery.json, discovery.md")
    return 0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"--min-coverage {shown(text)} must be a number from 0 to 1"
        )
    return value


ASSET_CACHE = Path(__file__).resolve().parent / ".cache" / "solara-cdn"


def ui_environment() -> dict:
    """Environment for the Solara server: the offline front-end cache (built if missing)."""
    import os

    if not (ASSET_CACHE / ".complete").exists():
        import shutil
        import subprocess

        if shutil.which("npm") is None:
            raise UsageError(
                "the page needs its front-end files and npm is not installed: "
                "install Node.js/npm (e.g. apt-get install npm) and run again."
            )
        print("building the offline front-end cache (once) ...", flush=True)
        script = Path(__file__).resolve().parent / "scripts" / "build_solara_assets.py"
        subprocess.run([sys.executable, str(script), str(ASSET_CACHE)], check=True)
    return {
        **os.environ,
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(ASSET_CACHE),
        "SOLARA_THEME_SHOW_BANNER": "false",  # the corner badge would cover the page
        "SOLARA_THEME_TITLE": "Jevons compute market",
    }


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def resolve_host(host: str, port: int) -> tuple:
    """(family, type, proto, address) to listen on, or one sentence for a bad --host."""
    import socket

    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError):
        raise UsageError(f"--host {shown(host)} is not an address of this machine.") from None
    family, kind, proto, _, address = infos[0]
    return family, kind, proto, address


def check_port(host: str, port: int, listen: tuple) -> None:
    """Refuse a port another program holds before the server starts and before the address
    is printed."""
    import errno
    import socket

    family, kind, proto, address = listen
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} is already in use on {host or 'every interface'}: "
                    "stop the program using it or give another --port."
                ) from None
            raise UsageError(
                f"cannot listen on --host {shown(host)} --port {port} ({exc.strerror})."
            ) from None


def cmd_ui(args) -> int:
    import os

    listen = resolve_host(args.host, args.port)
    if not (args.host in LOCAL_HOSTS or args.host.startswith("127.")):
        print(
            f"run.py: warning: --host {shown(args.host)} makes the UI reachable from other "
            "machines on the network (anyone who can reach this one can run models on it); use "
            "--host 127.0.0.1 to keep it on this machine.",
            file=sys.stderr,
            flush=True,
        )
    check_port(args.host, args.port, listen)
    env = ui_environment()
    app = Path(__file__).resolve().parent / "experiments" / "app.py"
    where = f"[{args.host}]" if ":" in args.host else (args.host or "0.0.0.0")
    print(
        f"Jevons compute market UI: open http://{where}:{args.port}/ (Ctrl-C to stop)",
        flush=True,
    )
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
    ]
    if os.name == "posix":  # the server takes this process's place: signals reach it
        sys.stderr.flush()
        os.execve(sys.executable, command, env)
    import subprocess

    return subprocess.run(command, env=env).returncode


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
    from model.parameters import BY_NAME, UNCERTAIN

    rows = ["| parameter | default | range searched | scale | why |", "|---|---|---|---|---|"]
    for u in UNCERTAIN:
        rows.append(
            f"| `{u.name}` | {BY_NAME[u.name].default} | {u.low:g} to {u.high:g} | "
            f"{'log' if u.log else 'linear'} | {u.why} |"
        )
    return "\n".join(rows) + "\n"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="run.py",
        description=(
            "Agent-based model of the Jevons effect in AI compute: when inference gets cheaper, "
            "does the world use less compute and energy, or more?"
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

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
        help="override a parameter (repeatable); `python run.py params` lists them",
    )
    run.add_argument(
        "--steps",
        type=_steps,
        default=144,
        help="months to simulate (default 144: January 2023 to January 2035)",
    )
    run.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    run.add_argument(
        "--seeds",
        type=_integer("--seeds", 1, 1000),
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
    _add_counterfactual_options(run)
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
        type=_positive("--replications"),
        default=None,
        help="seeds per design point (default 1)",
    )
    sweep.add_argument("--steps", type=_steps, default=None, help="months per run (default 144)")
    sweep.add_argument("--seed", type=_seed, default=None, help="base seed (default 42)")
    sweep.add_argument("--out", required=True, help="output folder")
    _add_counterfactual_options(sweep, default=None)
    _add_run_options(sweep)
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
    _add_run_options(exp)
    exp.set_defaults(func=cmd_experiment)

    cmp_ = sub.add_parser(
        "compare",
        help="compare sweeps or experiments on shared axes",
        description="Draw metrics of several output folders on shared axes "
        "(mean and 90%% band over seeds) and print their headline numbers.",
    )
    cmp_.add_argument("dirs", nargs="+", help="sweep or experiment folders")
    cmp_.add_argument(
        "--metric",
        action="append",
        default=[],
        help="metric to draw "
        "(repeatable; default compute_index, price_per_mtok, adoption_rate, "
        "rebound)",
    )
    cmp_.add_argument(
        "--out",
        default="results/compare",
        help="where compare.png and compare.md go (default results/compare)",
    )
    cmp_.set_defaults(func=cmd_compare)

    ui = sub.add_parser(
        "ui",
        help="open the browser UI on this machine",
        description="Start the browser UI: watch firms, clouds and chip "
        "vendors as AI gets cheaper. Works offline.",
    )
    ui.add_argument("--port", type=_port, default=8765, help="port (default 8765)")
    ui.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for every interface)",
    )
    ui.set_defaults(func=cmd_ui)

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
    reps.add_argument("--steps", type=_steps, default=144, help="months per run (default 144)")
    reps.add_argument("--seed", type=_seed, default=42, help="base seed (default 42)")
    reps.add_argument(
        "--seeds", type=_integer("--seeds", 3, 10_000), default=30, help="seeds (default 30)"
    )
    reps.add_argument(
        "--metric",
        action="append",
        default=None,
        help="headline number to study (repeatable; default jevons_ratio, rebound, "
        "compute_growth, adoption_rate)",
    )
    reps.add_argument(
        "--target",
        type=_fraction("--target"),
        default=0.05,
        help="largest acceptable 90%% CI half-width, as a share of the mean (default 0.05)",
    )
    reps.add_argument(
        "--out", default="results/replications", help="output folder (default results/replications)"
    )
    _add_counterfactual_options(reps)
    _add_run_options(reps)
    reps.set_defaults(func=cmd_replications)

    rep = sub.add_parser(
        "report",
        help="rebuild the figures and findings of an output folder",
        description="Rebuild figures/ and findings.md of a sweep or "
        "experiment folder from its data.",
    )
    rep.add_argument("dir", help="sweep or experiment folder")
    rep.set_defaults(func=cmd_report)

    disc = sub.add_parser(
        "discover",
        help="find where in parameter space an outcome happens (PRIM scenario discovery)",
        description=(
            "Scenario discovery over a sweep: the runs where --where holds are the runs of "
            "interest; PRIM (EMA Workbench) peels the swept parameter space into boxes and "
            "reports the densest box with at least --min-coverage coverage: its parameter "
            "ranges, coverage (share of the runs of interest inside it), density (share of "
            "the runs inside it that are of interest) and mass. Writes discovery.png (the "
            "peeling trajectory and the box), discovery.json and discovery.md."
        ),
    )
    disc.add_argument("dir", help="sweep or experiment folder (with runs.parquet)")
    disc.add_argument(
        "--where",
        required=True,
        metavar="EXPR",
        help='condition over runs.parquet\'s columns (pandas syntax), e.g. "rebound > 1" or '
        '"compute_growth > 1 and adoption_rate < 0.2"',
    )
    disc.add_argument(
        "--inputs",
        default=None,
        metavar="A,B",
        help="parameters to explain it with (default: those the sweep varied)",
    )
    disc.add_argument(
        "--min-coverage",
        type=_share,
        default=0.8,
        metavar="C",
        help="smallest coverage of the reported box (default 0.8)",
    )
    disc.add_argument(
        "--method",
        choices=("prim", "cart"),
        default="prim",
        help="prim: the PRIM box (default); cart: the leaves of a classification tree "
        "(EMA Workbench's CART) where most runs are of interest",
    )
    disc.add_argument("--out", default=None, help="output folder (default DIR/discovery)")
    disc.set_defaults(func=cmd_discover)
    return parser


def _add_counterfactual_options(parser, default: str | None = "algo") -> None:
    parser.add_argument(
        "--counterfactual",
        choices=COUNTERFACTUALS,
        default=default,
        help="the efficiency source the counterfactual twin freezes, against which the Jevons "
        "effect is measured: algo (algorithmic progress and the open-weight shock; default), "
        "shock (the shock alone), hardware (chips' cost and energy per FLOP; no compute "
        "rebound), all, or none (no twin: half the time, no verdict)",
    )
    parser.add_argument(
        "--no-marginal",
        action="store_true",
        help="skip the marginal twin (log efficiency gain x 0.9) that gives jevons_elasticity",
    )


def _add_run_options(parser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive("--workers"),
        default=None,
        help="local worker processes (default and at most: the usable cores)",
    )
    parser.add_argument(
        "--max-runs",
        type=_positive("--max-runs"),
        default=DEFAULT_MAX_RUNS,
        help=f"refuse a sweep of more runs (default {DEFAULT_MAX_RUNS:,})",
    )
    parser.add_argument(
        "--allow-code-change",
        action="store_true",
        help="resume a sweep started under other code or parameter defaults (runs.parquet "
        "records each run's code digest)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--format",
        choices=("parquet", "csv"),
        default="parquet",
        help="parquet: runs.parquet and timeseries.parquet (default, with units and "
        "descriptions); csv: also runs.csv and timeseries.csv",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="local: a process pool on this machine (default); dask: an "
        "existing Dask cluster (see --scheduler)",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="tcp://HOST:PORT",
        help="address of the Dask scheduler, with --executor dask (tls://HOST:PORT with "
        "the three --tls-* files)",
    )
    for option, what in (
        ("--tls-ca-file", "the certificate authority that signed the cluster's certificates"),
        ("--tls-cert", "this client's certificate"),
        ("--tls-key", "this client's private key"),
    ):
        parser.add_argument(option, default=None, metavar="FILE", help=f"{what} (PEM)")


def _integer(option: str, low: int, high: int):
    """An argparse type: an integer from ``low`` to ``high``, else one sentence naming it."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{option} {shown(text)} must be an integer from {low} to {high}"
            )
        return value

    return parse


_steps = _integer("--steps", 1, 1200)
_seed = _integer("--seed", 0, 2**63 - 1)
_port = _integer("--port", 1, 65535)


def _fraction(option: str):
    """An argparse type: a number in (0, 1]."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not 0 < value <= 1:
            raise argparse.ArgumentTypeError(f"{option} {text!r} must be a number in (0, 1]")
        return value

    return parse


def _positive(option: str):
    return _integer(option, 1, 10**9)


def _interrupt(signum, frame):
    """SIGTERM and SIGHUP stop the command as Ctrl-C does."""
    raise KeyboardInterrupt


def one_line(message: str, width: int = 200) -> str:
    """A message on one line, with any very long word (a pasted value) cut short."""
    import re

    from experiments.storage import clip

    text = " ".join(str(message).split())
    return re.sub(rf"\S{{{width + 1},}}", lambda m: clip(m.group(), width // 2), text)


def main(argv: list[str] | None = None) -> int:
    import signal

    from experiments.runner import ExecutorError
    from experiments.spec import SpecError
    from experiments.storage import OutputError

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    args = None
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, ParameterError, OutputError, SpecError) as exc:
        print(f"run.py: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except ExecutorError as exc:
        print(f"run.py: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sweeping = getattr(args, "command", None) in ("sweep", "experiment")
        print("run.py: interrupted" + (RESUME_HINT if sweeping else ""), file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
