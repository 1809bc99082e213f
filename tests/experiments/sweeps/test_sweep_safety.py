"""The sweep engine against mistakes and accidents: bad input, huge sweeps, two sweeps on
one folder, damaged files, other code, signals, a full disk. Real processes and files."""

import json
import os
import signal
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from helpers import cli, mounted_tmpfs, start, wait_for_runs

from jevons_compute.experiments.runs.schema import (
    RENAMED_FROM_1,
    RESULTS_SCHEMA,
    read_runs,
    upgrade_runs,
)
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec
from jevons_compute.world.parameters import PARAMETERS

SMALL = [
    "--grid",
    "price_elasticity=0.5,1.5",
    "--set",
    "demand_model=constant_elasticity",
    "--grid",
    "bass_q=0.2,0.4",
    "--steps",
    "6",
]
SMALL += ["--set", "n_firms=100", "--no-progress"]
#: long enough to be caught mid-way: 30 runs of about a second on this machine
LONG = [
    "--grid",
    "price_elasticity=0.4,0.8,1.2,1.6,2.0",
    "--set",
    "demand_model=constant_elasticity",
    "--replications",
    "6",
]
LONG += ["--steps", "60", "--set", "n_firms=3000", "--workers", "2", "--no-progress"]


def one_sentence(result, *words):
    """Exit status 2, one line on stderr naming ``words``, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def saved(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_time_s")
    return runs, pd.read_parquet(out / "timeseries.parquet")


LONG_VALUE = "9" * 100_000


def spec_file(tmp_path, text):
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return str(path)


# --- bad spec inputs: one sentence, exit 2, nothing written ------------------------------
BAD = [
    (["--grid", "price_elasticity"], None, "NAME=V1,V2"),
    # parameters that would not act: named with the option that makes them act
    (["--grid", "price_elasticity=0.5,1.5"], None, "at every design point: price_elasticity"),
    (
        ["--grid", "bass_q=0.1", "--set", "power_limited=false", "--set", "grid_lead_time=12"],
        None,
        "acts with power_limited=true",
    ),
    (
        [],
        "[fixed]\nconsumer_ceiling = 0.0\n[grid]\nconsumer_serving_elasticity = [0.6, 0.9]\n",
        "a consumer_ceiling above 0",
    ),
    (["--grid", "bass_q=0.1", "--set", "n_firms=inf"], None, "n_firms"),
    (["--grid", "bass_q=0.1", "--set", "n_firms=1e400"], None, "n_firms"),
    (["--grid", "n_firms=inf,300"], None, "n_firms"),
    (["--grid", "n_firms=300,1e400"], None, "n_firms"),
    (["--grid", "bass_q=0.1", "--grid", "bass_q=0.2"], None, "given twice"),
    (["--grid", f"price_elasticity={LONG_VALUE}"], None, "characters"),
    (["--grid", "bass_q=0.1", "--set", f"price_elasticity={LONG_VALUE}"], None, "characters"),
    (["--grid", f"{'x' * 100_000}=1"], None, "characters"),
    ([], "[fixed]\nn_firms = inf\n[grid]\nbass_q = [0.1]\n", "n_firms"),
    ([], "[fixed]\nn_firms = 1e400\n[grid]\nbass_q = [0.1]\n", "n_firms"),
    ([], "[grid]\nn_firms = [300, inf]\n", "n_firms"),
    ([], "[sample]\nmethod = 'lhs'\nn = 4\n[sample.ranges]\nn_firms = [100, 1e400]\n", "n_firms"),
    ([], "grid = 5\n", "grid"),
    ([], "fixed = 5\n[grid]\nbass_q = [0.1]\n", "fixed"),
    ([], "grid = [1, 2]\n", "grid"),
    ([], "preset = []\n[grid]\nbass_q = [0.1]\n", "preset"),
    ([], "sample = 'lhs'\n", "sample"),
    ([], "", "empty"),
    ([], "# only a comment\n", "empty"),
    ([], f"[grid]\nbass_q = ['{LONG_VALUE}']\n", "characters"),
    ([], "[grid]\nnonsense = [1, 2]\n", "nonsense"),
    ([], "[grid]\nprice_elasticity = []\n", "price_elasticity"),
    (
        [],
        "[sample]\nmethod = 'lhs'\nn = 4\n[sample.ranges]\nprice_elasticity = [2.0, 0.5]\n",
        "inverted",
    ),
    ([], "[grid\nprice_elasticity = [1]\n", "not valid TOML"),
    ([], "steps = 0\n[grid]\nprice_elasticity = [1.0]\n", "steps"),
    ([], "[grid]\nprice_elasticity = [1.0, 99.0]\n", "price_elasticity"),
    ([], "[sample]\nmethod = 'sobol'\nn = 6\n[sample.ranges]\nbass_q = [0.1, 0.5]\n", "power of 2"),
    ([], "[fixed]\nn_firms = 2\n[grid]\nregions = ['US,EU,CN']\n", "n_firms"),
    ([], "colour = 'blue'\n", "colour"),
]


@pytest.mark.parametrize("args,toml,named", BAD)
def test_bad_spec_input_gets_one_short_sentence_and_exit_2(tmp_path, args, toml, named):
    out = tmp_path / "out"
    spec = [spec_file(tmp_path, toml)] if toml is not None else []
    line = one_sentence(cli("sweep", *spec, *args, "--out", str(out)), named)
    assert len(line) < 600  # a long value is not echoed back whole
    assert not out.exists() or not any(out.iterdir())


def test_a_spec_that_is_a_folder_or_missing_is_refused(tmp_path):
    for path, words in ((tmp_path, "cannot be read"), (tmp_path / "no.toml", "does not exist")):
        result = cli("sweep", str(path), "--out", str(tmp_path / "o"))
        assert result.returncode == 2 and words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_out_path_too_long_for_the_filesystem_is_refused(tmp_path):
    out = tmp_path / ("o" * 300)
    line = one_sentence(cli("sweep", *SMALL, "--out", str(out)), "--out")
    assert len(line) < 600 and not os.listdir(tmp_path)


# --- size ---------------------------------------------------------------------------------
def billion_grid() -> dict:
    """A grid of 10 values for each of 9 parameters: 1e9 combinations."""
    names = [p for p in PARAMETERS if p.type is float and p.high > p.low + 1][:9]
    return {p.name: [p.low + (p.high - p.low) * i / 10 for i in range(10)] for p in names}


def test_a_billion_run_grid_is_refused_before_it_is_built(tmp_path):
    spec = SweepSpec.from_dict({"grid": billion_grid()})
    assert spec.n_runs() == 10**9
    with pytest.raises(SpecError, match="1,000,000,000 runs"):
        spec.check_size()
    lines = "".join(f"{k} = {v}\n" for k, v in billion_grid().items())
    path = spec_file(tmp_path, "[grid]\n" + lines)
    one_sentence(cli("sweep", path, "--out", str(tmp_path / "o"), timeout=60), "--max-runs")
    assert not (tmp_path / "o").exists()


def test_max_runs_sets_the_limit(tmp_path):
    args = [*SMALL, "--replications", "3"]  # 12 runs
    one_sentence(cli("sweep", *args, "--max-runs", "10", "--out", str(tmp_path / "a")), "12")
    ok = cli("sweep", *args, "--max-runs", "12", "--out", str(tmp_path / "b"))
    assert ok.returncode == 0, ok.stderr
    assert len(pd.read_parquet(tmp_path / "b" / "runs.parquet")) == 12


def test_workers_are_capped_at_the_usable_cores_with_a_note(tmp_path):
    usable = len(os.sched_getaffinity(0))
    result = cli("sweep", *SMALL, "--workers", str(usable + 5), "--out", str(tmp_path / "w"))
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "usable cores" in line]
    assert len(notes) == 1 and f"using {usable}" in notes[0]


# --- one sweep per folder -----------------------------------------------------------------
def test_a_second_sweep_on_the_same_folder_is_refused_naming_the_holder(tmp_path):
    from jevons_compute.experiments.runs.storage import FolderLock

    out = tmp_path / "shared"
    # a sweep of a minute or more: still running while the second one starts
    busy = [
        "--grid",
        "price_elasticity=0.5,1.0,1.5,2.0",
        "--set",
        "demand_model=constant_elasticity",
        "--replications",
        "60",
    ]
    busy += ["--steps", "144", "--set", "n_firms=5000", "--workers", "2", "--no-progress"]
    first = start("sweep", *busy, "--out", str(out))
    try:
        wait_for_runs(out, 1)
        second = cli("sweep", *busy, "--out", str(out))
        assert first.poll() is None, "the first sweep ended before the second started"
        one_sentence(second, f"pid {first.pid}", "another sweep")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    FolderLock(out).release()  # the lock died with its holder


# --- damaged files are detected, reported in one line and run again -------------------------
def _truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


DAMAGE = {
    "empty part row": lambda out: (out / "parts" / "run-000001.json").write_bytes(b""),
    "truncated part row": lambda out: _truncate(out / "parts" / "run-000002.json"),
    "empty time series": lambda out: (out / "parts" / "run-000000.parquet").write_bytes(b""),
    "truncated time series": lambda out: _truncate(out / "parts" / "run-000003.parquet"),
    "scrambled time series": lambda out: _scramble(out / "parts" / "run-000003.parquet"),
    "truncated manifest": lambda out: _truncate(out / "manifest.json"),
    "stray part": lambda out: (out / "parts" / "run-junk.json").write_text("{}"),
    "part of another sweep": lambda out: (out / "parts" / "run-000099.json").write_text("{}"),
    "truncated runs.parquet": lambda out: _truncate(out / "runs.parquet"),
}
RERUN = {"empty part row": 1, "truncated part row": 1, "empty time series": 1}
RERUN |= {"truncated time series": 1, "scrambled time series": 1}


def _scramble(path: Path) -> None:
    """Garbage in the middle of a Parquet file whose magic markers are intact."""
    data = bytearray(path.read_bytes())
    data[8:-64] = b"\x00" * (len(data) - 72)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_files_are_reported_in_one_line_and_run_again(tmp_path, kind):
    out = tmp_path / "d"
    assert cli("sweep", *SMALL, "--workers", "1", "--out", str(out)).returncode == 0
    clean_runs, clean_series = saved(out)
    DAMAGE[kind](out)
    again = cli("sweep", *SMALL, "--workers", "1", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    rerun = RERUN.get(kind, 0)
    assert f"{rerun} run now" in again.stdout
    notes = [line for line in again.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, again.stderr
    runs, series = saved(out)
    pd.testing.assert_frame_equal(runs, clean_runs)
    pd.testing.assert_frame_equal(series, clean_series)
    assert not list((out / "parts").glob(".*.tmp"))


# --- other code, other defaults -----------------------------------------------------------
def _edit_manifest(out: Path, change) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    change(manifest)
    (out / "manifest.json").write_text(json.dumps(manifest))


def test_resuming_under_other_code_is_refused_unless_allowed(tmp_path):
    out = tmp_path / "c"
    assert cli("sweep", *SMALL, "--out", str(out)).returncode == 0
    # as if the sweep had been started under other code, one run saved by that code
    _edit_manifest(out, lambda m: m.update(code_digest="0123456789abcdef"))
    row = json.loads((out / "parts" / "run-000000.json").read_text())
    row["code_digest"] = "0123456789abcdef"
    (out / "parts" / "run-000000.json").write_text(json.dumps(row))
    (out / "parts" / "run-000003.json").unlink()
    one_sentence(cli("sweep", *SMALL, "--out", str(out)), "other code", "--allow-code-change")
    allowed = cli("sweep", *SMALL, "--allow-code-change", "--out", str(out))
    assert allowed.returncode == 0, allowed.stderr
    assert "1 run now" in allowed.stdout
    digests = pd.read_parquet(out / "runs.parquet")["code_digest"]
    assert digests.nunique() == 2 and (digests == "0123456789abcdef").sum() == 1
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["resumed_under"]) == 1


def _as_schema_1(row: dict) -> dict:
    """A schema-2 row as schema-1 code wrote it (backfire read one month's ratio)."""
    old = {k: v for k, v in row.items() if k != "results_schema"}
    for v1, v2 in RENAMED_FROM_1.items():
        old[v1] = row[v2]
    for v2 in ("jevons_ratio_month", "energy_jevons_ratio_month"):
        del old[v2]
    old["backfire"], old["backfire_12m"] = row["backfire_month"], row["backfire"]
    del old["backfire_month"], old["energy_backfire_month"]
    return old


def test_runs_of_an_older_results_schema_run_again_and_old_tables_read_renamed(tmp_path):
    out = tmp_path / "s"
    assert cli("sweep", *SMALL, "--out", str(out)).returncode == 0
    new_runs = read_runs(out)
    assert (new_runs["results_schema"] == RESULTS_SCHEMA).all()
    assert (new_runs["backfire"] == (new_runs["jevons_ratio_12m"] > 1)).all()
    # the two ratios are different numbers: a mix of meanings would show
    assert (new_runs["jevons_ratio_12m"] != new_runs["jevons_ratio_month"]).all()
    # as if two runs had been saved by schema-1 code under another digest
    _edit_manifest(
        out, lambda m: (m.update(code_digest="0123456789abcdef"), m.pop("results_schema"))
    )
    for name in ("run-000000.json", "run-000002.json"):
        row = json.loads((out / "parts" / name).read_text())
        (out / "parts" / name).write_text(json.dumps(_as_schema_1(row)))
    allowed = cli("sweep", *SMALL, "--allow-code-change", "--out", str(out))
    assert allowed.returncode == 0, allowed.stderr
    assert "results schema 1" in allowed.stderr and "2 run now" in allowed.stdout
    again = read_runs(out)
    assert (again["results_schema"] == RESULTS_SCHEMA).all()
    pd.testing.assert_series_equal(again["backfire"], new_runs["backfire"])
    assert json.loads((out / "manifest.json").read_text())["results_schema"] == RESULTS_SCHEMA
    # a runs.parquet written by schema-1 code reads with this schema's names and meanings
    table = pd.read_parquet(out / "runs.parquet")
    old = pd.DataFrame([_as_schema_1(r) for r in table.to_dict("records")])
    upgraded = upgrade_runs(old)
    assert (upgraded["results_schema"] == 1).all()
    for column in ("backfire", "backfire_month", "jevons_ratio_month", "energy_backfire"):
        assert upgraded[column].tolist() == table[column].tolist()
    assert "jevons_ratio" not in upgraded.columns and "backfire_12m" not in upgraded.columns


def test_resuming_after_a_default_changed_is_refused(tmp_path):
    out = tmp_path / "p"
    assert cli("sweep", *SMALL, "--out", str(out)).returncode == 0
    _edit_manifest(out, lambda m: m["parameters"].update(chip_lifetime=61))
    one_sentence(cli("sweep", *SMALL, "--out", str(out)), "chip_lifetime", "changed")
    assert cli("sweep", *SMALL, "--allow-code-change", "--out", str(out)).returncode == 0


# --- signals ------------------------------------------------------------------------------
def _pool_workers(proc, count=2, timeout=60) -> list[psutil.Process]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        children = psutil.Process(proc.pid).children()
        if len(children) >= count:
            return children
        time.sleep(0.05)
    raise AssertionError("the sweep started no workers")


def _gone(processes, timeout=10) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def test_workers_die_with_a_sweep_killed_by_sigkill(tmp_path):
    out = tmp_path / "k"
    proc = start("sweep", *LONG, "--out", str(out))
    workers = _pool_workers(proc)
    wait_for_runs(out, 1)
    proc.send_signal(signal.SIGKILL)  # the parent alone: its workers must not live on
    proc.wait()
    assert _gone(workers), "pool workers outlived their sweep"


#: a sweep from the Python API; with a thread running in the parent (a notebook, a UI) the
#: pool's workers come from a fork server, not forked from the sweep itself
API_SWEEP = """
import sys, threading, time
from jevons_compute.experiments.sweeps.runner import run_sweep
from jevons_compute.experiments.sweeps.spec import SweepSpec

if __name__ == "__main__":
    if sys.argv[1] == "forkserver":
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    spec = SweepSpec(steps=60, replications=6, fixed={"n_firms": 3000},
                     grid={"bass_q": [0.2, 0.3, 0.4, 0.5, 0.6]})
    run_sweep(spec, sys.argv[2], workers=2, progress=False)
"""


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_every_process_of_a_sweep_dies_with_it_on_sigkill(tmp_path, method):
    """Workers, the fork server and the resource tracker: nothing outlives a SIGKILLed
    sweep, whichever start method its pool used."""
    import subprocess
    import sys

    script = tmp_path / "sweep.py"
    script.write_text(API_SWEEP)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(script), method, str(out)])
    wait_for_runs(out, 1)
    descendants = psutil.Process(proc.pid).children(recursive=True)
    names = [" ".join(p.cmdline()) for p in descendants]
    server = [n for n in names if "forkserver" in n]
    assert server if method == "forkserver" else not server, names
    assert len(descendants) >= 2, names
    proc.kill()
    proc.wait()
    assert _gone(descendants), [p.cmdline() for p in descendants if p.is_running()]


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_a_sweep_as_ctrl_c_does(tmp_path, sig):
    out = tmp_path / sig
    proc = start("sweep", *LONG, "--out", str(out))
    workers = _pool_workers(proc)
    wait_for_runs(out, 1)
    if sig == "SIGINT":  # Ctrl-C: the terminal signals the whole process group
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(getattr(signal, sig))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().splitlines()[-1] == (
        "jevons-compute: interrupted (finished runs are saved: run the same command again to "
        "resume)"
    )
    assert "Traceback" not in stderr
    assert _gone(workers)
    resumed = cli("sweep", *LONG, "--out", str(out))
    assert resumed.returncode == 0, resumed.stderr


# --- a full disk ------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    """A 600 KiB tmpfs: room for some of the sweep's runs, not all."""
    with mounted_tmpfs(tmp_path / "disk", "600k") as mount:
        yield mount


def test_a_full_disk_stops_the_sweep_in_one_sentence_with_nothing_half_written(
    tmp_path, small_disk
):
    out = small_disk / "sweep"
    args = [
        "--grid",
        "price_elasticity=0.5,1.0,1.5,2.0",
        "--set",
        "demand_model=constant_elasticity",
        "--replications",
        "20",
    ]
    args += ["--steps", "48", "--set", "n_firms=100", "--workers", "2", "--no-progress"]
    line = one_sentence(cli("sweep", *args, "--out", str(out)), "full")
    assert str(out) in line
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert not (out / "runs.parquet").exists() and not (out / "timeseries.parquet").exists()
    rows = list((out / "parts").glob("run-*.json"))
    assert 0 < len(rows) < 80
    import pyarrow.parquet as pq

    for row_file in rows:  # every saved run is whole
        row = json.loads(row_file.read_text())
        assert len(pq.read_table(row_file.with_suffix(".parquet"))) == 49
        assert row["status"] == "ok"
