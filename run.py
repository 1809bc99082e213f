#!/usr/bin/env python3
"""Command line of the Jevons compute-market model.

    python run.py run [--preset NAME] [--set NAME=VALUE ...] [--steps N] [--seed S] [--out DIR]
    python run.py params

Bad input gets one sentence on stderr and exit status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import sys

from model.parameters import PARAMETERS, ParameterError
from model.presets import PRESETS

EXIT_USAGE = 2


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
                f"--set {item!r} is not NAME=VALUE: write e.g. --set price_elasticity=1.5."
            )
        values[name.strip()] = value.strip()
    return values


def cmd_run(args) -> int:
    from experiments.single import run_scenario, summary_text, write_run
    from experiments.storage import prepare_out_dir
    from model import JevonsScenario, check_scenario

    scenario = JevonsScenario.from_preset(args.preset, rng=args.seed, **parse_sets(args.set))
    check_scenario(scenario)
    out = prepare_out_dir(args.out)
    print(
        f"running preset {args.preset!r}, seed {args.seed}, {args.steps} months, "
        f"{scenario.n_firms} firm agents ...",
        flush=True,
    )
    df = run_scenario(scenario, args.steps)
    summary = write_run(out, df, scenario, args.seed, args.preset, args.steps)
    print(summary_text(summary["headline"], args.steps))
    print(f"wrote {out}/timeseries.csv, summary.json, overview.png")
    return 0


def cmd_params(args) -> int:
    if args.markdown:
        print(params_markdown(), end="")
        return 0
    width = max(len(p.name) for p in PARAMETERS)
    print(f"{'parameter':<{width}}  {'default':>12}  {'unit':<18}  allowed")
    for p in PARAMETERS:
        print(f"{p.name:<{width}}  {p.default!s:>12}  {p.unit:<18}  {p.allowed()}")
        print(f"{'':<{width}}  {p.doc}. Source: {p.source}.")
    print("\npresets: " + ", ".join(f"{k} ({len(v)} overrides)" for k, v in PRESETS.items()))
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
        help=f"one of {', '.join(PRESETS)} (default: default, the calibrated model)",
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
    run.add_argument("--out", default="results/run", help="output folder (default results/run)")
    run.set_defaults(func=cmd_run)

    params = sub.add_parser(
        "params",
        help="list every parameter with default, unit and range",
        description="Every scenario parameter: default, unit, allowed values, meaning and source.",
    )
    params.add_argument(
        "--markdown", action="store_true", help="print the table as Markdown (docs/calibration.md)"
    )
    params.set_defaults(func=cmd_params)
    return parser


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"--steps {text!r} must be an integer from 1 to 1200")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"--seed {text!r} must be a non-negative integer")
    return value


def main(argv: list[str] | None = None) -> int:
    from experiments.storage import OutputError

    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, ParameterError, OutputError) as exc:
        print(f"run.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("run.py: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
