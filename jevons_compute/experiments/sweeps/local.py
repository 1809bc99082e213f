"""Services on this machine for tests, benchmarks and screenshots: the UI server, a Dask
cluster started with Dask's own command line, and Debian's headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
#: Chromium flags for this machine: no sandbox as root, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ui(port: int, log: Path | None = None, timeout: float = 120) -> subprocess.Popen:
    """`jevons-compute ui` on 127.0.0.1:``port``, returned once it answers HTTP."""
    out = open(log, "w") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "jevons_compute", "ui", "--port", str(port)],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop([proc])
    raise RuntimeError(f"the UI server did not answer at {url}")


def start_dask_cluster(
    workers: int = 2,
    nanny: bool = True,
    log_dir: Path | None = None,
    timeout: float = 60,
    tls: tuple[str, str, str] | None = None,
) -> tuple[str, list[subprocess.Popen]]:
    """`dask scheduler` and ``workers`` single-threaded `dask worker`s on 127.0.0.1.

    Returns the scheduler address and the processes (scheduler first). Without a nanny a
    killed worker stays dead. Scheduler and workers import the installed package.
    ``tls``: (CA file, certificate, key), PEM: every connection is TLS (tls://).
    """
    dask = str(Path(sys.executable).parent / "dask")
    env = dict(os.environ)
    port = free_port()
    address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{port}"
    tls_args = []
    if tls:
        for option, path in zip(("--tls-ca-file", "--tls-cert", "--tls-key"), tls):
            tls_args += [option, str(path)]

    def log(name):
        return open(log_dir / f"{name}.log", "w") if log_dir else subprocess.DEVNULL

    procs = [
        subprocess.Popen(
            [
                dask,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                f"127.0.0.1:{free_port()}",
                *(["--protocol", "tls", *tls_args] if tls else []),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log("scheduler"),
            start_new_session=True,
        )
    ]
    for i in range(workers):
        command = [
            dask,
            "worker",
            address,
            "--nthreads",
            "1",
            "--name",
            f"w{i}",
            "--dashboard-address",
            f"127.0.0.1:{free_port()}",
        ]
        if not nanny:
            command.append("--no-nanny")
        command += tls_args
        procs.append(
            subprocess.Popen(
                command,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log(f"worker{i}"),
                start_new_session=True,
            )
        )
    from distributed import Client
    from distributed.security import Security

    security = None
    if tls:
        ca, cert, key = map(str, tls)
        security = Security(tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key)
    deadline = time.time() + timeout
    with Client(address, timeout=30, security=security) as client:
        while len(client.nthreads()) < workers:
            if time.time() > deadline:
                stop(procs)
                raise RuntimeError("the Dask workers did not join the scheduler")
            time.sleep(0.2)
    return address, procs


def stop(procs: list[subprocess.Popen]) -> None:
    """Stop processes (and their children), last started first."""
    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
