"""Shell examples of the documentation, checked against the real command line."""

import shlex
import subprocess
import sys

from jevons_compute.experiments.cli.main import build_parser

#: Commands run for real (seconds each); every other documented command is only parsed.
QUICK = ("params", "metrics", "--help")
#: ``run`` is run for real up to this many months.
QUICK_RUN_STEPS = 36


def commands(source: str) -> list[list[str]]:
    """The ``jevons-compute`` command lines of a console block (lines starting ``$ ``)."""
    lines = [line[2:] for line in source.splitlines() if line.startswith("$ ")]
    return [shlex.split(line, comments=True) for line in lines if line.startswith("jevons-compute")]


def is_quick(args: list[str]) -> bool:
    if args[0] in QUICK or args[:2] == ["experiment", "--list"]:
        return True
    if args[0] != "run" or "--preset" in args and args[args.index("--preset") + 1] == "ensemble":
        return False
    return "--steps" in args and int(args[args.index("--steps") + 1]) <= QUICK_RUN_STEPS


def check_console(example) -> None:
    """Every documented ``jevons-compute`` line parses; the quick ones exit 0 when run."""
    for words in commands(example.parsed):
        args = words[1:]
        if args != ["--help"]:
            build_parser().parse_args(args)  # a stale option raises UsageError here
        if args and is_quick(args):
            done = subprocess.run(
                [sys.executable, "-m", "jevons_compute", *args], capture_output=True, text=True
            )
            assert done.returncode == 0, f"{' '.join(words)}: {done.stderr.strip()[-500:]}"
