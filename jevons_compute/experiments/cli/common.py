"""What every command of the command line shares: one-sentence usage errors, exit
statuses, option types, and the sweep-run and counterfactual options."""

from __future__ import annotations

import argparse

from jevons_compute.experiments.sweeps.spec import DEFAULT_MAX_RUNS
from jevons_compute.world.parameters import shown
from jevons_compute.world.technology import COUNTERFACTUALS

EXIT_USAGE = 2


EXIT_INTERRUPTED = 130


RESUME_HINT = " (finished runs are saved: run the same command again to resume)"


class UsageError(Exception):
    """A user's mistake on the command line: reported in one sentence, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message
        raise UsageError(
            f"{message} (see `jevons-compute {self.prog.split()[-1]} --help`)"
            if " " in self.prog
            else f"{message} (see `jevons-compute --help`)"
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


def add_counterfactual_options(parser, default: str | None = "algo") -> None:
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


def add_run_options(parser) -> None:
    parser.add_argument(
        "--workers",
        type=positive_type("--workers"),
        default=None,
        help="local worker processes (default and at most: the usable cores)",
    )
    parser.add_argument(
        "--max-runs",
        type=positive_type("--max-runs"),
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


def integer_type(option: str, low: int, high: int):
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


steps_type = integer_type("--steps", 1, 1200)


seed_type = integer_type("--seed", 0, 2**63 - 1)


port_type = integer_type("--port", 1, 65535)


def fraction_type(option: str):
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


def positive_type(option: str):
    return integer_type(option, 1, 10**9)


def share_type(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"--min-coverage {shown(text)} must be a number from 0 to 1"
        )
    return value
