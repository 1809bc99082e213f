"""Sweeps on a Dask cluster: the sweep engine's executor, backed by dask.distributed.

Results come back to this process and are written here as they arrive (the same files and
resume guarantees as local sweeps). When a worker dies, the scheduler runs its tasks again
on the others; ``retried_runs`` reads the scheduler's transition log to say how often.
"""

from __future__ import annotations

from experiments.spec import SpecError

CONNECT_TIMEOUT_S = 3


def connect(address: str):
    """A client of the Dask scheduler at ``address``; SpecError in one sentence if there is
    none (within a few seconds, not a hang)."""
    try:
        from distributed import Client
    except ImportError:
        raise SpecError(
            "--executor dask needs dask.distributed: install it with "
            "pip install 'dask[distributed]' (the project's [cluster] extra)."
        ) from None
    if not address:
        raise SpecError(
            "--executor dask needs --scheduler tcp://HOST:PORT (the address "
            "`dask scheduler` prints)."
        )
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SpecError(
            f"--scheduler {address} does not answer ({reason}): start a scheduler "
            "with `dask scheduler` or check the address."
        ) from None


def executor(client):
    """A concurrent.futures executor on the cluster (tasks are not cached: pure=False).

    The scheduler and workers must import this project: start them from its environment
    (``./dev python -m distributed.cli.dask_scheduler`` or ``.venv/bin/dask worker ...``).
    """
    return client.get_executor(pure=False)


def total_threads(client) -> int:
    return max(1, sum(client.nthreads().values()))


def _processing_lost(dask_scheduler) -> int:
    """Runs whose task went back from processing (its worker was lost)."""
    lost = 0
    for record in dask_scheduler.transition_log:
        key, start, finish = record[0], record[1], record[2]
        if (
            str(key).startswith("execute_run")
            and start == "processing"
            and finish in ("released", "waiting", "no-worker")
        ):
            lost += 1
    return lost


def retried_runs(client) -> int:
    """How many run tasks the scheduler has started again after losing a worker."""
    try:
        return int(client.run_on_scheduler(_processing_lost))
    except Exception:  # noqa: BLE001 - a scheduler without a transition log: unknown
        return 0
