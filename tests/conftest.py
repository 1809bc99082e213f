"""Shared helpers: small worlds built the way a user would build them."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples (the same on every run), so a
# green run here is a green run there; developers keep Hypothesis's random exploration.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jevons_compute.model.model import JevonsModel  # noqa: E402
from jevons_compute.world.scenario import JevonsScenario


def make_model(
    seed: int = 1, preset: str | None = None, counterfactual="algo", marginal=True, **params
) -> JevonsModel:
    """A small model; without ``preset`` on the parameter table's defaults, so that the
    tiny worlds tests build do not move when a calibration installs another default
    preset (data/calibrated_default.json)."""
    params.setdefault("n_firms", 300)
    if preset is None:
        scenario = JevonsScenario(rng=seed, **params)
    else:
        scenario = JevonsScenario.from_preset(preset, rng=seed, **params)
    return JevonsModel(scenario, counterfactual=counterfactual, marginal=marginal)


def run_py(root, *args, timeout=300, umask=None, **kw) -> subprocess.CompletedProcess:
    """``python run.py ARGS`` in the project folder, as a user runs it: a real process,
    its output captured (``umask``: the process's file-creation mask)."""
    return subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        **kw,
    )


def wait_for_runs(out: Path, count: int, timeout: float = 120) -> None:
    """Wait until a running sweep has saved ``count`` runs in ``out`` (to kill it mid-way)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        parts = out / "parts"
        if parts.exists() and len(list(parts.glob("run-*.json"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the sweep in {out} saved fewer than {count} runs in {timeout} s")


def frame(model):
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def is_root() -> bool:
    import os

    return os.geteuid() == 0


@contextmanager
def mounted_tmpfs(mount: Path, size: str):
    """A real tmpfs of ``size`` (e.g. "1m") at ``mount``, a full disk in miniature; the test
    is skipped, with the reason, where it cannot be mounted (mounting needs root)."""
    if not is_root():
        pytest.skip("mounting a small tmpfs needs root")
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine refuses to mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 1 MiB tmpfs."""
    with mounted_tmpfs(tmp_path / "tmpfs", "1m") as mount:
        yield mount


def make_sweep(root, out: Path, *args) -> Path:
    """Run ``run.py sweep ARGS`` into ``out`` (one worker, no progress bar); it must succeed."""
    result = run_py(root, "sweep", *args, "--out", str(out), "--workers", "1", "--no-progress")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only for real: a read-only tmpfs as root (root ignores modes),
    mode 0555 otherwise. Call it with a source folder; returns the read-only copy."""
    import os
    import shutil
    import subprocess

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
