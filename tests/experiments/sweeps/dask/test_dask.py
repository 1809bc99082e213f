"""Sweeps on a real Dask cluster: a scheduler and two worker processes started here on
127.0.0.1 with Dask's own command line."""

import os
import signal
import socket
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import helpers
import pandas as pd
import pytest
from helpers import ROOT, command, wait_for_runs

from jevons_compute.experiments.sweeps.local import free_port, start_dask_cluster, stop

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
    "--set",
    "demand_model=constant_elasticity",
    "--no-progress",
]


def cli(*args, **kw):
    return helpers.cli(*args, timeout=600, **kw)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers (no nanny: a killed worker stays dead)."""
    address, procs = start_dask_cluster(workers=2, nanny=False, log_dir=tmp_path)
    yield address, procs[1:]
    stop(procs)


def dask_sweep(address, out) -> list[str]:
    """The command line of SWEEP on the cluster at ``address``."""
    return command(*SWEEP, "--executor", "dask", "--scheduler", address, "--out", str(out))


def results(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_time_s")
    return runs, pd.read_parquet(out / "timeseries.parquet")


def assert_equals_local_pool(args, tmp_path, out):
    """The sweep in ``out`` has the runs and time series the local pool gives for ``args``."""
    local = cli(*args, "--workers", "2", "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    runs, series = results(out)
    runs_l, series_l = results(tmp_path / "local")
    pd.testing.assert_frame_equal(runs, runs_l)
    pd.testing.assert_frame_equal(series, series_l)


def test_dask_sweep_equals_the_local_sweep(tmp_path, cluster):
    address, _ = cluster
    args = [
        "sweep",
        "--grid",
        "price_elasticity=0.5,1.5",
        "--set",
        "demand_model=constant_elasticity",
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
        *args, "--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "dask")
    )
    assert on_dask.returncode == 0, on_dask.stderr
    assert "dashboard" in on_dask.stdout and "2 workers" in on_dask.stdout
    assert_equals_local_pool(args, tmp_path, tmp_path / "dask")


def test_a_worker_killed_mid_sweep_loses_nothing(tmp_path, cluster):
    address, workers = cluster
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        dask_sweep(address, out),
        cwd=ROOT,
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
    local = cli(*SWEEP, "--workers", "2", "--out", str(tmp_path / "local"))
    assert local.returncode == 0, local.stderr
    runs_l, series_l = results(tmp_path / "local")
    pd.testing.assert_frame_equal(runs, runs_l)
    pd.testing.assert_frame_equal(series, series_l)


def test_a_scheduler_that_does_not_answer_gets_one_sentence_and_exit_2(tmp_path):
    start = time.time()
    result = cli(
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
        "sweep", "--grid", "bass_q=0.1", "--executor", "dask", "--out", str(tmp_path / "x")
    )
    assert missing.returncode == 2 and "--scheduler" in missing.stderr


def test_a_killed_client_resumes_on_the_cluster_with_only_missing_runs(tmp_path, cluster):
    address, _ = cluster
    out = tmp_path / "resumed"
    sweep = dask_sweep(address, out)
    proc = subprocess.Popen(
        sweep,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_runs(out, 3)
    os.killpg(proc.pid, signal.SIGKILL)  # the client, mid-sweep
    proc.wait()
    done_before = len(list((out / "parts").glob("run-*.json")))
    assert 3 <= done_before < 24
    again = subprocess.run(sweep, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{24 - done_before} run now, {done_before} already done" in again.stdout
    runs, _ = results(out)
    assert len(runs) == 24 and runs["run_id"].is_unique


def test_a_named_experiment_runs_on_the_cluster(tmp_path, cluster):
    address, _ = cluster
    out = tmp_path / "open_models"
    result = cli(
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


# --- addresses that are not a Dask scheduler ------------------------------------------------
@pytest.fixture(params=["silent socket", "web server"])
def not_dask(request):
    """A listening TCP port that does not speak Dask (like the dashboard's port)."""
    if request.param == "silent socket":
        with socket.socket() as listener:  # the kernel accepts; nobody answers
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
        return
    server = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_address_that_is_not_a_dask_scheduler_gets_one_sentence_and_exit_2(tmp_path, not_dask):
    start = time.time()
    args = ["sweep", "--grid", "bass_q=0.1,0.2", "--steps", "4", "--executor", "dask"]
    result = cli(*args, "--scheduler", not_dask, "--out", str(tmp_path / "o"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not answer as a Dask scheduler" in lines[0], lines
    assert time.time() - start < 30  # the connect timeout, not a hang of minutes
    assert not (tmp_path / "o").exists()


# --- TLS --------------------------------------------------------------------------------
def self_signed(folder) -> tuple[str, str, str]:
    """A certificate authority and a certificate for 127.0.0.1 it signed (openssl), as PEM
    files: (CA, certificate, key)."""
    ca, ca_key, cert, key = (str(folder / n) for n in ("ca.pem", "ca.key", "cert.pem", "key.pem"))
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    (folder / "ext.cnf").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth,clientAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    for openssl in (
        ["req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "1"]
        + ["-subj", "/CN=jevons test CA", "-addext", "basicConstraints=critical,CA:TRUE"]
        + ["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req", *ec, "-keyout", key, "-out", str(folder / "cert.csr"), "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", str(folder / "cert.csr"), "-CA", ca, "-CAkey", ca_key]
        + ["-CAcreateserial", "-out", cert, "-days", "1", "-extfile", str(folder / "ext.cnf")],
    ):
        subprocess.run(["openssl", *openssl], check=True, capture_output=True)
    return ca, cert, key


def test_a_sweep_over_tls_equals_the_local_sweep(tmp_path):
    ca, cert, key = self_signed(tmp_path)
    address, procs = start_dask_cluster(workers=2, log_dir=tmp_path, tls=(ca, cert, key))
    try:
        assert address.startswith("tls://")
        args = ["sweep", *SWEEP[1:2], "price_elasticity=0.5,1.5", "--steps", "12"]
        args += ["--set", "n_firms=300", "--set", "demand_model=constant_elasticity"]
        args += ["--no-progress"]
        tls = ["--tls-ca-file", ca, "--tls-cert", cert, "--tls-key", key]
        on_tls = cli(*args, "--executor", "dask", "--scheduler", address, *tls,
            "--out", str(tmp_path / "tls"),
        )  # fmt: skip
        assert on_tls.returncode == 0, on_tls.stderr
        # tls:// without the certificates: one sentence, no TypeError
        bare = cli(*args, "--executor", "dask", "--scheduler", address, "--out",
            str(tmp_path / "bare"),
        )  # fmt: skip
        assert bare.returncode == 2 and "--tls-ca-file" in bare.stderr
        assert len(bare.stderr.strip().splitlines()) == 1 and "TypeError" not in bare.stderr
        # the certificates, but not the CA that signed the scheduler's: refused in one line
        (tmp_path / "other").mkdir()
        other_ca = self_signed(tmp_path / "other")[0]
        wrong = cli(*args, "--executor", "dask", "--scheduler", address, "--tls-ca-file",
            other_ca, "--tls-cert", cert, "--tls-key", key, "--out", str(tmp_path / "wrong"),
        )  # fmt: skip
        assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
    finally:
        stop(procs)
    assert_equals_local_pool(args, tmp_path, tmp_path / "tls")


# --- workers without the output folder -------------------------------------------------------
def test_results_travel_as_bytes_where_workers_do_not_share_the_folder(tmp_path, cluster):
    """shared_fs=False: the workers send each task's time series back as Parquet bytes and
    this process writes them; the results equal the local pool's."""
    from distributed import Client

    from jevons_compute.experiments.sweeps import cluster as dask_cluster
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.experiments.sweeps.spec import SweepSpec

    address, _ = cluster
    spec = SweepSpec.from_dict(
        {
            "steps": 12,
            "replications": 3,
            "fixed": {"n_firms": 300, "demand_model": "constant_elasticity"},
            "grid": {"price_elasticity": [0.5, 1.5]},
        }
    )
    with Client(address) as client:
        remote = run_sweep(
            spec,
            tmp_path / "bytes",
            executor=dask_cluster.executor(client),
            workers=2,
            progress=False,
            shared_fs=False,
        )
    assert remote.ok and remote.ran == 6
    local = run_sweep(spec, tmp_path / "local", workers=2, progress=False)
    assert local.ok
    runs_b, series_b = results(tmp_path / "bytes")
    runs_l, series_l = results(tmp_path / "local")
    pd.testing.assert_frame_equal(runs_b, runs_l)
    pd.testing.assert_frame_equal(series_b, series_l)


def test_calibration_on_the_cluster_equals_the_local_one(tmp_path, cluster):
    """Every stage of `calibrate` is a sweep on the executor: the same ensemble either way."""
    address, _ = cluster
    common = ["experiment", "calibrate", "--quick", "--no-progress"]
    local = cli(*common, "--out", str(tmp_path / "local"), "--workers", "1")
    assert local.returncode == 0, local.stderr
    dask = cli(
        *common, "--out", str(tmp_path / "dask"), "--executor", "dask", "--scheduler", address
    )
    assert dask.returncode == 0, dask.stderr
    for name in ("ensemble.csv", "design.csv", "morris.csv"):
        assert (tmp_path / "local" / name).read_text() == (tmp_path / "dask" / name).read_text()
