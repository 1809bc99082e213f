"""The documentation's code blocks are executed (Sybil): every ```python block of the README
and of docs/*.md runs, top to bottom within its page, in a temporary working directory;
every ```console line that calls ``jevons-compute`` is parsed by the real command line,
and the quick ones run for real (``console.check_console``)."""

import re
from pathlib import Path

import pytest
from console import check_console, commands
from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SYBIL = Sybil(parsers=[PythonCodeBlockParser(), CodeBlockParser("console", check_console)])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_code_blocks_of_the_page_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    document = SYBIL.parse(page)
    for example in document:
        example.evaluate()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_block_is_executed_or_plain_text(page):
    """A block is python or console (checked above), or text and toml that hold no
    command: an unchecked ```bash block could go stale unseen."""
    fences = re.findall(r"^```(\S*)", page.read_text(), re.M)[::2]  # openings only
    assert set(fences) <= {"python", "console", "text", "toml"}, set(fences)


def test_the_console_check_catches_a_stale_option():
    from jevons_compute.experiments.cli.common import UsageError

    class Example:
        parsed = "$ jevons-compute run --no-such-option\n"

    with pytest.raises(UsageError, match="no-such-option"):
        check_console(Example())
    assert commands("$ jevons-compute params  # the table\noutput line\n") == [
        ["jevons-compute", "params"]
    ]
