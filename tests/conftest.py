"""Fixtures every folder shares, and the markers each folder sets.

The tests mirror the package (tests/world, tests/agents, tests/model, tests/experiments/...);
a folder or file says how a test runs, so no test carries a marker of its own:

    browser  tests/experiments/ui/browser     the page in a real headless Chromium
    cluster  tests/experiments/sweeps/dask    a real Dask scheduler and workers
    slow     the folders and files of SLOW    real command-line, sweep, experiment,
                                              notebook and installation processes

``pytest -m "not slow and not browser and not cluster"`` is the fast loop. Helpers that
tests import (``make_model``, ``frame``, ``cli`` ...) live in tests/helpers.py.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, is_root, mounted_tmpfs
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples (the same on every run), so a
# green run here is a green run there; developers keep Hypothesis's random exploration.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent

#: Folders (every test in them and below) and files, relative to tests/, and their marker.
BY_FOLDER = {
    "experiments/ui/browser": "browser",
    "experiments/sweeps/dask": "cluster",
}
SLOW = (
    # folders: every test starts the command line or runs experiments
    "experiments/cli",
    "experiments/named",
    "experiments/discovery",
    # files
    "experiments/runs/test_outputs.py",
    "experiments/runs/test_public_api.py",
    "experiments/sweeps/test_sweeps.py",
    "experiments/sweeps/test_sweep_safety.py",
    "docs/test_code_blocks.py",  # runs the documented commands (~35 s)
    "packaging/test_install.py",  # pip install into a fresh virtualenv
    "docs/test_notebook.py",
)
BY_FOLDER |= dict.fromkeys(SLOW, "slow")


def markers_for(path: Path) -> list[str]:
    """The markers of the test file at ``path``: those of every folder above it and its own."""
    try:
        relative = Path(path).resolve().relative_to(TESTS)
    except ValueError:
        return []
    above = {relative.as_posix(), *(p.as_posix() for p in relative.parents)}
    return [marker for where, marker in BY_FOLDER.items() if where in above]


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in markers_for(item.path):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 1 MiB tmpfs."""
    with mounted_tmpfs(tmp_path / "tmpfs", "1m") as mount:
        yield mount


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only for real: a read-only tmpfs as root (root ignores modes),
    mode 0555 otherwise. Call it with a source folder; returns the read-only copy."""
    mounted, chmodded = [], []

    def make(src: Path) -> Path:
        target = tmp_path / f"ro-{src.name}"
        target.mkdir()
        if is_root():
            subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(target)], check=True)
            mounted.append(target)
            shutil.copytree(src, target, dirs_exist_ok=True)
            subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True)
        else:
            shutil.copytree(src, target, dirs_exist_ok=True)
            for folder, _dirs, _files in os.walk(target):
                chmodded.append(Path(folder))
            for folder in chmodded:
                folder.chmod(0o555)
        return target

    yield make
    for target in mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)
    for folder in chmodded:
        folder.chmod(0o755)
