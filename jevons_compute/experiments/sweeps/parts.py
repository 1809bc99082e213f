"""A sweep folder's part files: one run each, written whole, checked on resume, assembled.

    parts/run-000042.parquet   the run's time series (written first)
    parts/run-000042.json      its row in runs.parquet (written last: marks the run done)

The time series is fsync'd before the rename that gives it its name, and the row file is
renamed into place after that, so a run marked done has its data on disk. A worker that
shares the folder's filesystem writes the time series itself; the sweep's own process
writes it from the bytes a worker sent back otherwise, and writes every row file (so a
killed sweep marks nothing done after its death, whatever its workers still do).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from jevons_compute.experiments.runs.storage import NO_SPACE, DiskFullError, write_atomic

PART = re.compile(r"run-(\d{6,})\.json")
#: runs per row group of timeseries.parquet: bounds the memory of the final assembly
ROW_GROUP_RUNS = 64
PARQUET_MAGIC = b"PAR1"


def part_name(run_id: int) -> str:
    return f"run-{run_id:06d}"


def series_bytes(df) -> bytes:
    """One run's time series as Parquet bytes (compact; what travels and what is stored)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False, nthreads=1), buf)
    return buf.getvalue()


def write_series(parts: Path, run_id: int, series: bytes) -> None:
    """A run's time series, durable (fsync'd) before its name appears."""
    write_atomic(parts / f"{part_name(run_id)}.parquet", series)


def write_row(parts: Path, row: dict) -> None:
    """The row file that marks a run done, renamed into place after its time series is on
    disk. It is not fsync'd itself: a marker lost or garbled by a power cut is detected on
    resume and the run runs again."""
    text = json.dumps(row, default=_plain) + "\n"
    write_atomic(parts / f"{part_name(row['run_id'])}.json", text, durable=False)


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)


def whole_parquet(path: Path) -> bool:
    """Cheap check without pyarrow (the parent forks workers later): both magic markers."""
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != PARQUET_MAGIC:
                return False
            fh.seek(-4, os.SEEK_END)
            return fh.read(4) == PARQUET_MAGIC
    except OSError:
        return False


def scan(parts: Path, expected: Callable[[int], dict | None], note: Callable[[str], None]):
    """The saved runs in ``parts``: {run_id: row}.

    ``expected(run_id)`` gives the run's seed, point and parameters (None if the sweep has
    no such run). A damaged part (empty, truncated, not this run's) is deleted so the run
    runs again; a stray file is left alone; leftover temporary files are removed. Each kind
    of problem is reported in one line through ``note``.
    """
    rows: dict[int, dict] = {}
    damaged, stray = [], []
    if not parts.exists():
        return rows
    for tmp in parts.glob(".run-*.tmp"):  # a write cut short by a kill
        tmp.unlink(missing_ok=True)
    for path in sorted(parts.glob("*.json")):
        match = PART.fullmatch(path.name)
        want = expected(int(match.group(1))) if match else None
        if want is None:
            stray.append(path.name)
            continue
        row = _read_row(path)
        if (
            row is None
            or any(row.get(k) != v for k, v in want.items())
            or (row.get("status") == "ok" and not whole_parquet(path.with_suffix(".parquet")))
        ):
            damaged.append(path.name)
            path.unlink(missing_ok=True)
            path.with_suffix(".parquet").unlink(missing_ok=True)
            continue
        rows[row["run_id"]] = row
    if damaged:
        note(
            f"{len(damaged)} saved run(s) in {parts} are damaged or not of this sweep "
            f"({_names(damaged)}): running them again."
        )
    if stray:
        note(
            f"ignoring {len(stray)} file(s) in {parts} that are not runs of this sweep "
            f"({_names(stray)})."
        )
    return rows


def _names(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _read_row(path: Path) -> dict | None:
    try:
        row = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(row, dict) or row.get("status") not in ("ok", "failed"):
        return None
    return row


def write_runs_table(out: Path, rows: Iterable[dict]) -> None:
    """runs.parquet: one row per run, by run_id."""
    import pandas as pd

    table = pd.DataFrame(sorted(rows, key=lambda r: r["run_id"]))
    buf = io.BytesIO()
    table.to_parquet(buf, index=False)
    write_atomic(out / "runs.parquet", buf.getvalue())


def write_timeseries(out: Path, ok_run_ids: list[int]) -> list[int]:
    """timeseries.parquet from the parts of the successful runs, in run_id order, streamed:
    ROW_GROUP_RUNS runs per row group, so memory does not grow with the sweep. Returns the
    runs whose part could not be read (deleted: they run again)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = out / ".timeseries.parquet.tmp"
    writer, batch, unreadable = None, [], []

    def flush():
        nonlocal writer
        if not batch:
            return
        if writer is None:
            writer = pq.ParquetWriter(tmp, batch[0].schema)
        same = [t if t.schema.equals(writer.schema) else t.cast(writer.schema) for t in batch]
        writer.write_table(pa.concat_tables(same))
        batch.clear()

    try:
        for run_id in ok_run_ids:
            path = out / "parts" / f"{part_name(run_id)}.parquet"
            try:
                batch.append(pq.ParquetFile(path, pre_buffer=False).read(use_threads=False))
            except (OSError, pa.ArrowInvalid):
                unreadable.append(run_id)
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)
                continue
            if len(batch) >= ROW_GROUP_RUNS:
                flush()
        if unreadable:
            return unreadable
        flush()
        if writer is None:  # no successful run: an empty table with the run_id column
            pq.write_table(pa.table({"run_id": pa.array([], pa.int64())}), tmp)
        else:
            writer.close()
            writer = None
        os.replace(tmp, out / "timeseries.parquet")
    except OSError as exc:
        if getattr(exc, "errno", None) in NO_SPACE or "No space left" in str(exc):
            raise DiskFullError(out / "timeseries.parquet") from None
        raise
    finally:
        if writer is not None:
            try:
                writer.close()
            except OSError:
                pass  # the error that got us here is the one to report
        tmp.unlink(missing_ok=True)
    return []
