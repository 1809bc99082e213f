"""Helpers the tests of every folder share (``from helpers import make_model``; pyproject's
``[tool.pytest.ini_options] pythonpath`` puts tests/ on the path): small worlds built the
way a user would build them, and the command line as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario

#: The checkout: the working folder of the command-line processes the tests start.
ROOT = Path(__file__).resolve().parent.parent
#: The console script ``jevons-compute`` of the environment the tests run in.
JEVONS_COMPUTE = str(Path(sys.executable).with_name("jevons-compute"))


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


def frame(model):
    """A model's collected metrics, one row per month from step 0."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def command(*args: str) -> list[str]:
    """The command line ``jevons-compute ARGS``."""
    return [JEVONS_COMPUTE, *map(str, args)]


def cli(*args, timeout=300, umask=None, cwd=ROOT, **kw) -> subprocess.CompletedProcess:
    """``jevons-compute ARGS``, as a user runs it: a real process, its output captured
    (``umask``: the process's file-creation mask)."""
    return subprocess.run(
        command(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        **kw,
    )


def start(*args, **kw) -> subprocess.Popen:
    """``jevons-compute ARGS`` started in its own session (to signal it and its workers);
    output piped as text unless ``kw`` says otherwise."""
    kw = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **kw}
    return subprocess.Popen(command(*args), cwd=ROOT, start_new_session=True, **kw)


def wait_for_runs(out: Path, count: int, timeout: float = 120) -> None:
    """Wait until a running sweep has saved ``count`` runs in ``out`` (to kill it mid-way)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        parts = out / "parts"
        if parts.exists() and len(list(parts.glob("run-*.json"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the sweep in {out} saved fewer than {count} runs in {timeout} s")


def make_sweep(out: Path, *args) -> Path:
    """Run ``jevons-compute sweep ARGS`` into ``out`` (one worker, no progress bar); it must
    succeed."""
    result = cli("sweep", *args, "--out", str(out), "--workers", "1", "--no-progress")
    assert result.returncode == 0, result.stderr
    return out


def is_root() -> bool:
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
