#!/usr/bin/env python3
"""Regenerate the generated parts of the docs: docs/metrics.md's metric table and
docs/calibration.md's parameter and uncertain-parameter tables (the docs tests check that
they are current).

    ./dev python scripts/regen_docs.py
"""

from __future__ import annotations

from pathlib import Path

from jevons_compute.experiments.cli.run_commands import params_markdown, uncertain_markdown
from jevons_compute.model.metrics.table import metrics_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"
#: (page, marker name, the text between its markers)
GENERATED = (
    ("metrics.md", "METRICS", metrics_markdown),
    ("calibration.md", "PARAMETERS", params_markdown),
    ("calibration.md", "UNCERTAIN", uncertain_markdown),
)


def between(text: str, name: str) -> tuple[int, int]:
    """Where the generated text named ``name`` starts and ends in a page."""
    begin, end = f"<!-- BEGIN {name} -->\n", f"<!-- END {name} -->"
    return text.index(begin) + len(begin), text.index(end)


def main() -> None:
    for page, name, make in GENERATED:
        path = DOCS / page
        text = path.read_text()
        a, b = between(text, name)
        path.write_text(text[:a] + make() + text[b:])


if __name__ == "__main__":
    main()
