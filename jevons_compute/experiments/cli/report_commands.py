"""Commands that read output folders: ``compare``, ``report`` and ``discover``."""

from __future__ import annotations

from jevons_compute.experiments.cli.common import (
    share_type,
)


def cmd_compare(args) -> int:
    from jevons_compute.experiments.analysis.compare import DEFAULT_COMPARE, compare

    figure, table = compare(args.dirs, args.metric or list(DEFAULT_COMPARE), args.out)
    print(table)
    print(f"wrote {figure}")
    return 0


def cmd_report(args) -> int:
    from jevons_compute.experiments.named.report import report

    print(f"wrote {report(args.dir)}")
    return 0


def cmd_discover(args) -> int:
    from jevons_compute.experiments.discovery.discover import discover

    inputs = [n.strip() for n in args.inputs.split(",") if n.strip()] if args.inputs else None
    found, out = discover(args.dir, args.where, inputs, args.min_coverage, args.out, args.method)
    print(found.text())
    print(f"wrote {out}/discovery.png, discovery.json, discovery.md")
    return 0


def add_commands(sub) -> None:
    """Add this group's commands to the command line's subparsers."""
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
        type=share_type,
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
