"""Sweeps on a real Dask cluster: a scheduler and two worker processes started here on
127.0.0.1 with Dask's own command line."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import wait_for_runs

from experiments.local import free_port, start_dask_cluster, stop

SWEEP = [
    "sweep",
    "--grid",
    "price_elasticity=0.5,1.0,1.5,2.0",
    "--replications",
    "6",
    "--steps",
    "48",
    "--set",
    "n_firms=2000",
    "--no-progress",
]


def cli(root, *args):
    return subprocess.run(
        [sys.executable, "run.py", *args], cwd=root, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead)."""
    address, procs = start_dask_cluster(workers=2, nanny=False, log_dir=tmp_path)
    yield address, procs[1:]
    stop(procs)


def dask_sweep(address, out) -> list[str]:
    """The command line of SWEEP on the cluster at ``address``."""
    return [
        sys.executable,
        "run.py",
        *SWEEP,
        "--executor",
        "dask",
        "--scheduler",
        address,
        "--out",
        str(out),
    ]


def results(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_time_s")
    return runs, pd.read_parquet(out / "timeseries.parquet")


def test_dask_sweep_equals_the_local_sweep(root, tmp_path, cluster):
    address, _ = cluster
    args = [
        "sweep",
        "--grid",
        "price_elasticity=0.5,1.5",
        "--grid",
        "shock_factor=1,14",
        "--replications",
        "2",
        "--steps",
        "24",
        "--set",
        "n_firms=500",
        "--no-progress",
    ]
    on_dask = cli(
        root, *args, "--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "dask")
    )
    assert on_dask.returncode == 0, on_dask.stderr
    assert "dashboard" in on_dask.stdout and "2 workers" in on_dask.stdout
    local = cli(root, *args, "--workers", "2", "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    runs_d, series_d = results(tmp_path / "dask")
    runs_l, series_l = results(tmp_path / "local")
    pd.testing.assert_frame_equal(runs_d, runs_l)
    pd.testing.assert_frame_equal(series_d, series_l)


def test_a_worker_killed_mid_sweep_loses_nothing(root, tmp_path, cluster):
    address, workers = cluster
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        dask_sweep(address, out),
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_runs(out, 3)
    workers[0].send_signal(signal.SIGKILL)  # mid-sweep, with a run in its hands
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 0, stderr
    assert "24 runs" in stdout and "0 failed" in stdout
    assert "retried after a worker was lost" in stdout
    runs, series = results(out)
    assert len(runs) == 24 and runs["run_id"].is_unique and (runs["status"] == "ok").all()
    local = cli(root, *SWEEP, "--workers", "2", "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    runs_l, series_l = results(tmp_path / "local")
    pd.testing.assert_frame_equal(runs, runs_l)
    pd.testing.assert_frame_equal(series, series_l)


def test_a_scheduler_that_does_not_answer_gets_one_sentence_and_exit_2(root, tmp_path):
    start = time.time()
    result = cli(
        root,
        "sweep",
        "--grid",
        "bass_q=0.1,0.2",
        "--steps",
        "4",
        "--executor",
        "dask",
        "--scheduler",
        f"tcp://127.0.0.1:{free_port()}",
        "--out",
        str(tmp_path / "none"),
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not answer" in lines[0]
    assert time.time() - start < 20  # a few seconds, not a hang
    missing = cli(
        root, "sweep", "--grid", "bass_q=0.1", "--executor", "dask", "--out", str(tmp_path / "x")
    )
    assert missing.returncode == 2 and "--scheduler" in missing.stderr


def test_a_killed_client_resumes_on_the_cluster_with_only_missing_runs(root, tmp_path, cluster):
    address, _ = cluster
    out = tmp_path / "resumed"
    command = dask_sweep(address, out)
    proc = subprocess.Popen(
        command,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_runs(out, 3)
    os.killpg(proc.pid, signal.SIGKILL)  # the client, mid-sweep
    proc.wait()
    done_before = len(list((out / "parts").glob("run-*.json")))
    assert 3 <= done_before < 24
    again = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{24 - done_before} run now, {done_before} already done" in again.stdout
    runs, _ = results(out)
    assert len(runs) == 24 and runs["run_id"].is_unique


def test_a_named_experiment_runs_on_the_cluster(root, tmp_path, cluster):
    address, _ = cluster
    out = tmp_path / "open_models"
    result = cli(
        root,
        "experiment",
        "open_models",
        "--quick",
        "--executor",
        "dask",
        "--scheduler",
        address,
        "--out",
        str(out),
        "--no-progress",
    )
    assert result.returncode == 0, result.stderr
    assert (out / "findings.md").read_text().startswith("# open_models")
    assert (pd.read_parquet(out / "runs.parquet")["status"] == "ok").all()
