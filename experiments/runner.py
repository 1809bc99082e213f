"""The sweep engine: runs on any concurrent.futures executor, each result on disk at once.

Layout of an output folder::

    manifest.json          spec, fingerprint, base seed, code and package versions
    parts/run-000042.parquet   one run's time series (written first)
    parts/run-000042.json      its row in runs.parquet (written last: marks the run done)
    runs.parquet           one row per run: run_id, parameters, seed, status, error,
                           wall time, headline metrics
    timeseries.parquet     run_id, step and every metric, for every successful run

Every file is written to a temporary name and renamed, so a sweep killed at any moment
(SIGKILL included) leaves only whole files; started again with the same spec it runs only
the runs without a row file, then rebuilds runs.parquet and timeseries.parquet from the
parts, streaming one part at a time.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import threading
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.spec import Run, SpecError, SweepSpec
from experiments.storage import (
    code_version,
    package_versions,
    prepare_out_dir,
    write_atomic,
    write_json,
)

MANIFEST = "manifest.json"


def execute_run(run: Run, steps: int) -> tuple[dict, pd.DataFrame | None]:
    """Run one model (in a worker). Returns its runs.parquet row and its time series (None
    if it failed). Exceptions are recorded, not raised. Workers touch no pyarrow: the
    parent writes the files."""
    from experiments.single import headline, run_scenario
    from model import JevonsScenario

    start = time.perf_counter()
    row = {
        "run_id": run.run_id,
        "point": run.point,
        "replication": run.replication,
        "seed": run.seed,
        **run.params,
    }
    try:
        scenario = JevonsScenario(rng=run.seed, **run.params)
        df = run_scenario(scenario, steps, run.counterfactual, run.marginal)
    except Exception as exc:  # noqa: BLE001 - a failed run is data, the sweep goes on
        row.update(status="failed", error=f"{type(exc).__name__}: {exc}")
        row["wall_time_s"] = time.perf_counter() - start
        return row, None
    row.update(status="ok", error="", **headline(df))
    row["wall_time_s"] = time.perf_counter() - start
    df.insert(0, "run_id", run.run_id)
    return row, df


class ExecutorError(RuntimeError):
    """The executor (process pool, cluster) failed; the runs finished so far are saved."""


class SequentialExecutor(Executor):
    """Runs each task in this process when it is submitted (one worker: no pool to start)."""

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            future.set_exception(exc)
        return future


def local_executor(workers: int) -> Executor:
    """The embedded default: a process pool over ``workers`` cores (in-process for one).

    On Linux workers are forked, so they start at once with the model already imported
    (a fresh interpreter would spend ~1.5 s importing Mesa and pandas). Forking is safe
    here: the parent holds no Python threads while it runs the sweep, numpy's BLAS pool
    re-initialises after fork, and workers never touch pyarrow (the parent writes files).
    Elsewhere workers come from a fork server that imports the model once.
    """
    if workers == 1:
        return SequentialExecutor()
    # One process per core: keep each worker's BLAS single-threaded.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork")
        )
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["experiments.runner", "experiments.single", "model"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


class SweepResult:
    def __init__(self, out: Path, total: int, failed: int, ran: int, retries: int = 0):
        self.out, self.total, self.failed, self.ran, self.retries = out, total, failed, ran, retries

    @property
    def ok(self) -> bool:
        return self.failed == 0


def start_manifest(spec: SweepSpec, out: Path, extra: dict | None = None) -> None:
    """Write the manifest, or check that ``out`` holds this very sweep (resume)."""
    path = out / MANIFEST
    if path.exists():
        old = json.loads(path.read_text())
        if old.get("fingerprint") != spec.fingerprint():
            raise SpecError(
                f"{out} holds a different sweep (spec {old.get('spec')}); give "
                "another --out or delete that folder to start afresh."
            )
        return
    if any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise SpecError(f"{out} is not empty and holds no sweep: give an empty or new --out.")
    # key order is meaning: it orders the sampled parameters and the grid's runs
    write_json(
        path,
        {
            "spec": spec.to_dict(),
            "fingerprint": spec.fingerprint(),
            "base_seed": spec.base_seed,
            "n_runs": len(spec.runs()),
            "code_version": code_version(),
            "packages": package_versions(),
            **(extra or {}),
        },
        sort_keys=False,  # key order is meaning: it orders the grid's runs and sample's columns
    )


def done_run_ids(out: Path) -> set[int]:
    parts = out / "parts"
    if not parts.exists():
        return set()
    return {int(p.stem.split("-")[1]) for p in parts.glob("run-*.json")}


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: bool = True,
    extra_manifest: dict | None = None,
    max_in_flight: int | None = None,
) -> SweepResult:
    """Run every missing run of ``spec`` into ``out``; consolidate; return the counts.

    Args:
        executor: any concurrent.futures executor (default: a local process pool).
        workers: size of the default process pool (default: all cores).
        max_in_flight: runs submitted at a time (default: twice the workers).
    """
    out = prepare_out_dir(out)
    start_manifest(spec, out, extra_manifest)
    (out / "parts").mkdir(exist_ok=True)
    runs = spec.runs()
    done = done_run_ids(out)
    todo = [r for r in runs if r.run_id not in done]
    failed = sum(1 for r in _rows(out) if r.get("status") == "failed")
    own = executor is None
    workers = workers or os.cpu_count() or 1
    if own and todo:
        executor = local_executor(workers)
    bar = _progress(progress, len(runs), len(done), spec.name)
    try:
        failed += _drain(executor, todo, spec.steps, out, bar, failed, max_in_flight or 2 * workers)
    finally:
        if bar is not None:
            bar.close()
        if own and executor is not None:
            executor.shutdown(cancel_futures=True)
    consolidate(out)
    return SweepResult(out, len(runs), failed, len(todo))


def _drain(executor, todo, steps, out, bar, failed_before, limit) -> int:
    """Submit runs (at most ``limit`` in flight), save each as it finishes; return how
    many failed."""
    failed = 0
    pending: set = set()
    queue = iter(todo)
    with warnings.catch_warnings():
        # Python warns on any fork of a process with native threads (numpy's BLAS pool);
        # local_executor says why this fork is safe.
        warnings.filterwarnings(
            "ignore",
            message=r".*use of fork\(\) may lead to deadlocks",
            category=DeprecationWarning,
        )
        while True:
            while len(pending) < limit:
                run = next(queue, None)
                if run is None:
                    break
                pending.add(executor.submit(execute_run, run, steps))
            if not pending:
                return failed
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                try:
                    row, series = future.result()
                except Exception as exc:  # the executor failed, not the run: stop, lose nothing
                    for other in pending:
                        other.cancel()
                    raise ExecutorError(
                        f"the executor could not run a task ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''}); finished runs are "
                        "saved: fix the cause and run the same command again to resume."
                    ) from None
                save_run(out, row, series)
                failed += row["status"] == "failed"
                if bar is not None:
                    bar.set_postfix(failed=failed_before + failed)
                    bar.update(1)


def save_run(out: Path, row: dict, series: pd.DataFrame | None) -> None:
    """One run to disk: the time series first, then the row file that marks it done."""
    name = f"run-{row['run_id']:06d}"
    if series is not None:
        buf = io.BytesIO()
        series.to_parquet(buf, index=False)
        write_atomic(out / "parts" / f"{name}.parquet", buf.getvalue(), durable=False)
    write_atomic(
        out / "parts" / f"{name}.json", json.dumps(row, default=_plain) + "\n", durable=False
    )


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)


def _rows(out: Path):
    for path in sorted((out / "parts").glob("run-*.json")) if (out / "parts").exists() else []:
        yield json.loads(path.read_text())


def consolidate(out: Path) -> None:
    """Rebuild runs.parquet and timeseries.parquet from the parts (streaming)."""
    rows = pd.DataFrame(list(_rows(out)))
    if rows.empty:
        return
    rows = rows.sort_values("run_id").reset_index(drop=True)
    buf = io.BytesIO()
    rows.to_parquet(buf, index=False)
    write_atomic(out / "runs.parquet", buf.getvalue())
    ok = rows.loc[rows["status"] == "ok", "run_id"]
    tmp = out / ".timeseries.parquet.tmp"
    writer = None
    try:
        for run_id in ok:
            table = pq.read_table(out / "parts" / f"run-{run_id:06d}.parquet")
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
        if writer is None:  # every run failed: an empty table with the run_id column
            pq.write_table(pa.table({"run_id": pa.array([], pa.int64())}), tmp)
        else:
            writer.close()
            writer = None
        os.replace(tmp, out / "timeseries.parquet")
    finally:
        if writer is not None:
            writer.close()
        tmp.unlink(missing_ok=True)


def _progress(enabled: bool, total: int, initial: int, name: str):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(
        total=total, initial=initial, desc=name, unit="run", dynamic_ncols=True, smoothing=0.1
    )
