"""The local executor of sweeps: a process pool whose workers die with their sweep, or
this process alone for one worker."""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor


class SequentialExecutor(Executor):
    """Runs each task in this process when it is submitted (one worker: no pool to start)."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


def _worker_init(sweep: int, inherited_fd: int) -> None:
    """A pool worker dies with the sweep that started it, however the sweep ends (SIGKILL
    included). A forked worker's parent is the sweep: the kernel kills it when the sweep
    dies (PR_SET_PDEATHSIG, Linux). A fork server's worker is the fork server's child, so
    a watchdog thread waits on the sweep's pid itself (a pidfd where the kernel has them,
    else a poll once a second). The fork server exits once its last client (the sweep and
    every worker holds its pipe) is gone, and the resource tracker after it. Signals are
    the sweep's to handle: Ctrl-C reaches the whole process group, and the sweep stops the
    pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    if inherited_fd >= 0:
        os.close(inherited_fd)  # the folder lock belongs to the parent alone
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    try:
        pidfd = os.pidfd_open(sweep)
    except ProcessLookupError:  # the sweep died before this worker started
        os._exit(1)
    except (AttributeError, OSError):  # no pidfds here
        pidfd = -1
    if not _alive(sweep):
        os._exit(1)

    def watch():
        if pidfd >= 0:
            select.select([pidfd], [], [])  # readable once the sweep has exited
        else:
            while _alive(sweep):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="sweep-watchdog").start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def local_executor(workers: int, lock_fd: int = -1) -> Executor:
    """The embedded default: a process pool over ``workers`` cores (in-process for one).

    On Linux workers are forked, so they start at once with the model already imported
    (a fresh interpreter would spend ~1.5 s importing Mesa and pandas). Forking is safe
    here: the parent holds no Python threads and has not used pyarrow while it runs the
    sweep (it only indexes rows), and numpy's BLAS pool re-initialises after fork.
    Elsewhere workers come from a fork server that imports the model once.
    """
    if workers == 1:
        return SequentialExecutor()
    # One process per core: keep each worker's BLAS single-threaded.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_init,
            initargs=(os.getpid(), lock_fd),
        )
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jevons_compute.experiments.sweeps.runner"])
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_init,
        initargs=(os.getpid(), -1),
    )


def stop(executor: Executor, now: bool) -> None:
    """Shut an executor down; ``now``: without waiting for running tasks (their workers are
    killed: the runs they finished are saved, the others run on resume)."""
    if now and isinstance(executor, ProcessPoolExecutor):
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
    executor.shutdown(wait=not now, cancel_futures=True)
