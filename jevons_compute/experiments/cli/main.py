"""Command line of the Jevons compute-market model.

    jevons-compute run [--preset NAME] [--set NAME=VALUE ...] [--steps N] [--seed S] [--out DIR]
    jevons-compute params
    jevons-compute sweep [SPEC.toml] [--grid NAME=V1,V2 ...] --out DIR [--workers N]
                        [--max-runs N] [--allow-code-change]
                        [--executor dask --scheduler ADDR [--tls-ca-file F --tls-cert F ...]]
    jevons-compute experiment --list | NAME [--quick] [--out DIR]
    jevons-compute compare DIR_A DIR_B [...] [--metric NAME ...]
    jevons-compute report DIR
    jevons-compute discover DIR --where "rebound > 1" [--method prim|cart] [--inputs A,B]

Bad input gets one sentence on stderr and exit status 2; nothing is written. Ctrl-C,
SIGTERM and SIGHUP stop any command with one line and exit status 130."""

from __future__ import annotations

import logging
import sys

from jevons_compute.experiments.cli import report_commands, run_commands, sweep_commands, ui_command
from jevons_compute.experiments.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    RESUME_HINT,
    Parser,
    UsageError,
)
from jevons_compute.world.parameters import ParameterError


def build_parser() -> Parser:
    """The whole command line: one subcommand group per module."""
    parser = Parser(
        prog="jevons-compute",
        description=(
            "Agent-based model of the Jevons effect in AI compute: when inference gets cheaper, "
            "does the world use less compute and energy, or more?"
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for group in (run_commands, sweep_commands, report_commands, ui_command):
        group.add_commands(sub)
    return parser


def _interrupt(signum, frame):
    """SIGTERM and SIGHUP stop the command as Ctrl-C does."""
    raise KeyboardInterrupt


def one_line(message: str, width: int = 200) -> str:
    """A message on one line, with any very long word (a pasted value) cut short."""
    import re

    from jevons_compute.experiments.runs.storage import clip

    text = " ".join(str(message).split())
    return re.sub(rf"\S{{{width + 1},}}", lambda m: clip(m.group(), width // 2), text)


def main(argv: list[str] | None = None) -> int:
    import signal

    from jevons_compute.experiments.runs.storage import OutputError
    from jevons_compute.experiments.sweeps.runner import ExecutorError
    from jevons_compute.experiments.sweeps.spec import SpecError

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    # matplotlib's notes while it (re)builds its font cache (findfont: ... not found) are
    # not the user's business: an error stays one sentence on stderr
    logging.getLogger("matplotlib").setLevel(logging.ERROR)
    args = None
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (UsageError, ParameterError, OutputError, SpecError) as exc:
        print(f"jevons-compute: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except ExecutorError as exc:
        print(f"jevons-compute: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sweeping = getattr(args, "command", None) in ("sweep", "experiment")
        print("jevons-compute: interrupted" + (RESUME_HINT if sweeping else ""), file=sys.stderr)
        return EXIT_INTERRUPTED


def main_exit() -> None:
    """The ``jevons-compute`` console script."""
    sys.exit(main())
