#!/usr/bin/env python3
"""Regenerate the generated parts of the docs: the README's metric table and
docs/calibration.md's parameter and uncertain-parameter tables (tests check that they
are current).

    ./dev python scripts/regen_docs.py
"""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def replace_between(path: Path, name: str, text: str) -> None:
    begin, end = f"<!-- BEGIN {name} -->\n", f"<!-- END {name} -->"
    old = path.read_text()
    a = old.index(begin) + len(begin)
    b = old.index(end)
    path.write_text(old[:a] + text + old[b:])


def main() -> None:
    import run
    from jevons_compute.model.metrics.table import metrics_markdown

    replace_between(ROOT / "README.md", "METRICS", metrics_markdown())
    out = io.StringIO()
    with redirect_stdout(out):
        run.main(["params", "--markdown"])
    replace_between(ROOT / "docs" / "calibration.md", "PARAMETERS", out.getvalue())
    replace_between(ROOT / "docs" / "calibration.md", "UNCERTAIN", run.uncertain_markdown())


if __name__ == "__main__":
    main()
