"""The sweep engine: runs on any concurrent.futures executor, each result on disk at once.

Layout of an output folder::

    manifest.json          spec, fingerprints, base seed, code version and digest, packages
    parts/run-000042.parquet   one run's time series (written first)
    parts/run-000042.json      its row in runs.parquet (written last: marks the run done)
    runs.parquet           one row per run: run_id, parameters, seed, status, error,
                           wall time, code digest, headline metrics
    timeseries.parquet     run_id, step and every metric, for every successful run
    .lock                  held (flock) by the sweep writing here, with its pid

Runs travel in tasks of several runs (sized from the run time, so the pool's or the
scheduler's cost per task is spread over them). Workers that share the folder's filesystem
(the local pool; a cluster on a shared filesystem: detected with a token file) write their
runs' time series themselves and send back only the rows; others send Parquet bytes back
for this process to write. This process writes each run's small row file (the mark that
it is done) and indexes it, so its cost per run is small and constant. Every file is
written to a temporary name and renamed (time series fsync'd first), so a sweep killed at
any moment (SIGKILL included) leaves only whole files; started again with the
same spec it checks the saved runs, runs the missing ones, then assembles runs.parquet and
timeseries.parquet from the parts in row groups (streaming).
"""

from __future__ import annotations

import secrets
import sys
import time
import warnings
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from pathlib import Path

import pandas as pd

from jevons_compute.experiments.runs.schema import RESULTS_SCHEMA
from jevons_compute.experiments.runs.storage import (
    FolderLock,
    OutputError,
    code_digest,
    prepare_out_dir,
    write_atomic,
)
from jevons_compute.experiments.sweeps import parts as part_files
from jevons_compute.experiments.sweeps.manifest import MANIFEST, start_manifest
from jevons_compute.experiments.sweeps.pool import (
    SequentialExecutor,
    local_executor,
    stop,
    usable_cores,
)
from jevons_compute.experiments.sweeps.spec import DEFAULT_MAX_RUNS, Run, SweepSpec

__all__ = ["MANIFEST", "ExecutorError", "SequentialExecutor", "SweepResult", "run_sweep"]
TOKEN = ".sweep-token"
#: a task lasts about this long (runs per task = TASK_SECONDS / one run's time): long
#: enough to spread a task's cost (~1 ms in the pool, a few ms through Dask) to under 1%,
#: short enough that the last tasks end together
TASK_SECONDS = 0.5


def execute_run(run: Run, steps: int) -> tuple[dict, pd.DataFrame | None]:
    """Run one model (in a worker). Returns its runs.parquet row and its time series (None
    if it failed). Exceptions are recorded, not raised."""
    from jevons_compute.experiments.runs.single import headline, run_scenario
    from jevons_compute.world.scenario import JevonsScenario

    start = time.perf_counter()
    row = {
        "run_id": run.run_id,
        "point": run.point,
        "replication": run.replication,
        "seed": run.seed,
        **run.params,
        "code_digest": code_digest(),
        "results_schema": RESULTS_SCHEMA,
    }
    try:
        scenario = JevonsScenario._unchecked(run.seed, run.params)  # spec.runs() checked them
        df = run_scenario(scenario, steps, run.counterfactual, run.marginal)
    except Exception as exc:
        row.update(status="failed", error=f"{type(exc).__name__}: {exc}")
        row["wall_time_s"] = time.perf_counter() - start
        return row, None
    h = headline(df)
    del h["channel_words"]  # the words are for one run's summary; ``channel`` names it
    row.update(status="ok", error="", **h)
    row["wall_time_s"] = time.perf_counter() - start
    df.insert(0, "run_id", run.run_id)
    return row, df


_SHARED: dict[tuple[str, str], bool] = {}


def _token_is(out: str, token: str) -> bool:
    try:
        return (Path(out) / TOKEN).read_text() == token
    except OSError:
        return False


def _shares_folder(out: str | None, token: str) -> bool:
    """Does this worker see the sweep's folder (the sweep's token file in it)?"""
    if out is None:
        return False
    if (out, token) not in _SHARED:
        _SHARED[out, token] = _token_is(out, token)
    return _SHARED[out, token]


def run_chunk(
    runs: list[Run], steps: int, out: str | None = None, token: str = ""
) -> tuple[bool, list[tuple[dict, bytes | None]]]:
    """One task: several runs, in a worker. Returns (written, [(row, series)]): where the
    worker shares the sweep's folder it writes each run's time series there as the run
    finishes (written: True, series None); else each series comes back as Parquet bytes.
    The sweep's process writes the row files. A worker stops writing once its sweep has
    gone (another sweep's token in the folder)."""
    direct = _shares_folder(out, token)
    results = []
    for run in runs:
        row, df = execute_run(run, steps)
        series = None if df is None else part_files.series_bytes(df)
        if direct:
            if not _token_is(out, token):
                break  # the sweep that sent this task is no more
            if series is not None:
                part_files.write_series(Path(out) / "parts", run.run_id, series)
            series = None
        results.append((row, series))
    return direct, results


class ExecutorError(RuntimeError):
    """The executor (process pool, cluster) failed; the runs finished so far are saved."""


def _note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr, flush=True)


class SweepResult:
    def __init__(self, out: Path, total: int, failed: int, ran: int, retries: int = 0):
        self.out, self.total, self.failed, self.ran, self.retries = out, total, failed, ran, retries

    @property
    def ok(self) -> bool:
        return self.failed == 0


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool = True,
    extra_manifest: dict | None = None,
    max_in_flight: int | None = None,
    max_runs: int = DEFAULT_MAX_RUNS,
    allow_code_change: bool = False,
    shared_fs: bool | None = None,
    note: Callable[[str], None] = _note,
) -> SweepResult:
    """Run every missing run of ``spec`` into ``out``; consolidate; return the counts.

    Args:
        executor: any concurrent.futures executor (default: a local process pool).
        workers: size of the default process pool (default and at most: the usable cores).
        max_in_flight: tasks submitted at a time (default: twice the workers).
        max_runs: refuse a larger sweep (counted before anything is built).
        allow_code_change: resume a sweep started under other code or parameter defaults.
        shared_fs: do the executor's workers see ``out``? (default: detected; False makes
            them send their results back as bytes).
        note: where one-line notes go (default: stderr).
    """
    spec.check_size(max_runs)
    out = prepare_out_dir(out)
    lock = FolderLock(out)
    try:
        return _run_locked(
            spec, out, lock, executor, workers, progress, extra_manifest, max_in_flight,
            allow_code_change, shared_fs, note,
        )  # fmt: skip
    finally:
        lock.release()


def _run_locked(
    spec, out, lock, executor, workers, progress, extra, max_in_flight, allow, shared, note
) -> SweepResult:
    start_manifest(spec, out, extra, allow, note)
    parts = out / "parts"
    parts.mkdir(exist_ok=True)
    if (out / "runs.parquet").exists() and not part_files.whole_parquet(out / "runs.parquet"):
        note(f"{out / 'runs.parquet'} is damaged: it is rebuilt from the saved runs.")
    runs = spec.runs()

    def expected(run_id):
        if not 0 <= run_id < len(runs):
            return None
        r = runs[run_id]
        # a row of another results schema means other things by backfire: it runs again
        return {
            "run_id": r.run_id,
            "seed": r.seed,
            "point": r.point,
            **r.params,
            "results_schema": RESULTS_SCHEMA,
        }

    rows = part_files.scan(parts, expected, note)
    todo = [r for r in runs if r.run_id not in rows]
    ran = len(todo)
    own = executor is None
    usable = usable_cores()
    if own and workers and workers > usable:
        note(f"--workers {workers} is more than the {usable} usable cores: using {usable}.")
    workers = min(workers or usable, usable) if own else (workers or usable)
    token = secrets.token_hex(8)
    write_atomic(out / TOKEN, token)
    sink = (None if shared is False else str(out.resolve()), token)
    bar = _progress(progress, len(runs), len(rows), spec.name)
    try:
        for _attempt in range(3):
            if todo:
                pool = local_executor(workers, lock.fd) if own else executor
                stop_now = True
                try:
                    _drain(pool, todo, spec.steps, sink, parts, rows, bar, workers, max_in_flight)
                    stop_now = False
                except OutputError:  # a full disk: let running tasks end and clean up
                    stop_now = False
                    raise
                finally:
                    if own:
                        stop(pool, now=stop_now)
            unreadable = _consolidate(out, rows)
            if not unreadable:
                break
            note(f"{len(unreadable)} saved time series could not be read: running them again.")
            for run_id in unreadable:
                rows.pop(run_id, None)
            todo = [runs[i] for i in unreadable]
            ran += len(todo)
            # pyarrow is in use in this process now: no forking; rerun them here
            own, executor, workers = False, SequentialExecutor(), 1
        else:
            raise OutputError(
                f"the time series of {len(unreadable)} run(s) in {parts} could not be read "
                "back even after running them again: check the disk, then run the same "
                "command again."
            )
    finally:
        if bar is not None:
            bar.close()
        (out / TOKEN).unlink(missing_ok=True)
    failed = sum(1 for r in rows.values() if r.get("status") == "failed")
    return SweepResult(out, len(runs), failed, ran)


def chunk_size(per_run: float | None, remaining: int, workers: int) -> int:
    """Runs per task: about TASK_SECONDS of work, and at least four tasks per worker left
    (so the last tasks finish together). One run a task until a run time is known."""
    if per_run is None:
        return 1
    size = max(1, round(TASK_SECONDS / max(per_run, 1e-4)))
    return max(1, min(size, remaining // (4 * workers)))


def _drain(executor, todo, steps, sink, parts, rows, bar, workers, max_in_flight) -> None:
    """Submit tasks (at most ``max_in_flight`` in flight), index each run's row as its task
    finishes (writing its part files if the worker could not)."""
    limit = max_in_flight or 2 * workers
    pending: dict = {}
    queue = list(reversed(todo))  # pop() takes the lowest run_id
    wall = count = 0.0
    failed = sum(1 for r in rows.values() if r["status"] == "failed")
    with warnings.catch_warnings():
        # Python warns on any fork of a process with native threads (numpy's BLAS pool);
        # local_executor says why this fork is safe.
        warnings.filterwarnings(
            "ignore",
            message=r".*use of fork\(\) may lead to deadlocks",
            category=DeprecationWarning,
        )
        while True:
            while len(pending) < limit and queue:
                n = chunk_size(wall / count if count else None, len(queue), workers)
                chunk = [queue.pop() for _ in range(min(n, len(queue)))]
                pending[executor.submit(run_chunk, chunk, steps, *sink)] = len(chunk)
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                del pending[future]
                try:
                    written, results = future.result()
                except OutputError:  # e.g. the disk is full: one sentence, exit 2
                    raise
                except Exception as exc:  # the executor failed, not the run: stop, lose nothing
                    raise ExecutorError(
                        f"the executor could not run a task ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}); finished runs are "
                        "saved: fix the cause and run the same command again to resume."
                    ) from None
                for row, series in results:
                    if not written and series is not None:
                        part_files.write_series(parts, row["run_id"], series)
                    part_files.write_row(parts, row)
                    rows[row["run_id"]] = row
                    wall += row["wall_time_s"]
                    count += 1
                    failed += row["status"] == "failed"
                if bar is not None:
                    bar.set_postfix(failed=failed, refresh=False)
                    bar.update(len(results))


def _consolidate(out: Path, rows: dict[int, dict]) -> list[int]:
    """runs.parquet and timeseries.parquet from the parts; the runs whose time series could
    not be read (they run again)."""
    if not rows:
        return []
    ok = sorted(i for i, r in rows.items() if r["status"] == "ok")
    unreadable = part_files.write_timeseries(out, ok)
    if not unreadable:
        part_files.write_runs_table(out, rows.values())
    return unreadable


def _progress(enabled: bool, total: int, initial: int, name: str):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, desc=name, unit="run", dynamic_ncols=True, smoothing=0.1
    )
