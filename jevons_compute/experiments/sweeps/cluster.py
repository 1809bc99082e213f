"""Sweeps on a Dask cluster: the sweep engine's executor, backed by dask.distributed.

Workers that share the output folder's filesystem write their runs' files there; others
send each task's results back as Parquet bytes, written here (the same files and resume
guarantees as local sweeps). When a worker dies, the scheduler runs its tasks again on
the others; ``retried_tasks`` reads the scheduler's transition log to say how often.

A Dask scheduler runs code for anyone who connects to it: bind it to a private interface
and use TLS (``security``) on any network others can reach.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from jevons_compute.experiments.runs.storage import clip
from jevons_compute.experiments.sweeps.spec import SpecError

CONNECT_TIMEOUT_S = 3


def _distributed():
    try:
        import distributed
    except ImportError:
        raise SpecError(
            "--executor dask needs dask.distributed: install it with "
            "pip install 'dask[distributed]' (the project's [cluster] extra)."
        ) from None
    return distributed


def security(ca_file: str | None, cert: str | None, key: str | None, address: str | None = None):
    """Dask's TLS settings from the three PEM files (None without them); SpecError in one
    sentence if some are missing or unreadable, or a tls:// address comes without them."""
    files = {"--tls-ca-file": ca_file, "--tls-cert": cert, "--tls-key": key}
    if not any(files.values()):
        if address and address.startswith("tls://"):
            raise SpecError(
                f"--scheduler {clip(address)} uses TLS: give --tls-ca-file, --tls-cert and "
                "--tls-key (PEM files) as well."
            )
        return None
    for option, path in files.items():
        if not path:
            raise SpecError(
                f"TLS needs all of --tls-ca-file, --tls-cert, --tls-key: {option} is missing."
            )
        if not Path(path).is_file():
            raise SpecError(f"{option} {clip(path)} is not a readable file: give a PEM file.")
    from distributed.security import Security

    return Security(
        tls_ca_file=ca_file, tls_client_cert=cert, tls_client_key=key, require_encryption=True
    )


def connect(address: str, sec=None):
    """A client of the Dask scheduler at ``address``; SpecError in one sentence if there is
    none or it does not speak Dask (within a few seconds, not a hang)."""
    distributed = _distributed()
    if not address:
        raise SpecError(
            "--executor dask needs --scheduler tcp://HOST:PORT (the address "
            "`dask scheduler` prints)."
        )
    if address.startswith("tls://") and sec is None:
        security(None, None, None, address)
    try:
        asyncio.run(_handshake(address, sec))
        return distributed.Client(address, timeout=CONNECT_TIMEOUT_S, security=sec)
    except (OSError, TimeoutError, ValueError, TypeError, distributed.comm.CommClosedError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if isinstance(exc, TimeoutError | distributed.comm.CommClosedError):
            reason = "it accepts connections but does not answer as a Dask scheduler"
        raise SpecError(
            f"--scheduler {clip(address)} does not answer ({clip(reason, 120)}): start a "
            "scheduler with `dask scheduler` or check the address (and the TLS files)."
        ) from None


async def _handshake(address: str, sec) -> None:
    """Open one comm to ``address`` and read the scheduler's handshake, within the connect
    timeout (distributed itself waits for the handshake without a limit)."""
    from distributed.comm import connect as comm_connect

    args = sec.get_connection_args("client") if sec is not None else {}
    comm = await asyncio.wait_for(
        comm_connect(address, timeout=CONNECT_TIMEOUT_S, **args), CONNECT_TIMEOUT_S + 1
    )
    await comm.close()


def executor(client):
    """A concurrent.futures executor on the cluster (tasks are not cached: pure=False).

    The scheduler and workers must import this project: start them from its environment
    (``./dev python -m distributed.cli.dask_scheduler`` or ``.venv/bin/dask worker ...``).
    """
    return client.get_executor(pure=False)


def total_threads(client) -> int:
    return max(1, sum(client.nthreads().values()))


def _processing_lost(dask_scheduler) -> int:
    """Tasks of runs that went back from processing (their worker was lost)."""
    lost = 0
    for record in dask_scheduler.transition_log:
        key, start, finish = record[0], record[1], record[2]
        if (
            str(key).startswith("run_chunk")
            and start == "processing"
            and finish in ("released", "waiting", "no-worker")
        ):
            lost += 1
    return lost


def retried_tasks(client) -> int:
    """How many tasks of runs the scheduler has started again after losing a worker."""
    try:
        return int(client.run_on_scheduler(_processing_lost))
    except Exception:
        return 0
