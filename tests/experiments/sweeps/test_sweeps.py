"""The sweep engine: specs, determinism across workers, resume after SIGKILL, failures."""

import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest
from conftest import run_py as cli
from conftest import wait_for_runs

from jevons_compute.experiments.sweeps.runner import run_sweep
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec

pytestmark = pytest.mark.slow

GRID = ["--grid", "price_elasticity=0.5,1.5", "--grid", "algo_efficiency_gain=2,4"]


def results(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_time_s")
    series = pd.read_parquet(out / "timeseries.parquet")
    return runs, series


# --- specs ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,named",
    [
        ("[grid]\nnonsense = [1, 2]\n", "nonsense"),
        ("[grid]\nprice_elasticity = []\n", "price_elasticity"),
        (
            "[sample]\nmethod = 'lhs'\nn = 4\n[sample.ranges]\nprice_elasticity = [2.0, 0.5]\n",
            "inverted",
        ),
        ("[grid\nprice_elasticity = [1]\n", "not valid TOML"),
        ("steps = 0\n[grid]\nprice_elasticity = [1.0]\n", "steps"),
        ("[grid]\nprice_elasticity = [1.0, 99.0]\n", "price_elasticity"),
        ("[sample]\nmethod = 'sobol'\nn = 6\n[sample.ranges]\nbass_q = [0.1, 0.5]\n", "power of 2"),
        ("[fixed]\nn_firms = 2\n[grid]\nregions = ['US,EU,CN']\n", "n_firms"),
        ("colour = 'blue'\n", "colour"),
    ],
)
def test_bad_spec_gets_one_sentence_and_exit_2(root, tmp_path, text, named):
    spec = tmp_path / "spec.toml"
    spec.write_text(text)
    out = tmp_path / "out"
    result = cli(root, "sweep", str(spec), "--out", str(out), "--no-progress")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in result.stderr
    assert not (out / "runs.parquet").exists()


def test_a_spec_that_is_a_folder_or_missing_is_refused(root, tmp_path):
    for path, words in ((tmp_path, "cannot be read"), (tmp_path / "no.toml", "does not exist")):
        result = cli(root, "sweep", str(path), "--out", str(tmp_path / "o"))
        assert result.returncode == 2 and words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_bad_grid_option_is_refused(root, tmp_path):
    result = cli(root, "sweep", "--grid", "price_elasticity", "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "NAME=V1,V2" in result.stderr


def test_shipped_specs_parse_and_expand():
    from pathlib import Path

    for path in Path("experiments/specs").glob("*.toml"):
        spec = SweepSpec.from_toml(path)
        runs = spec.runs()
        assert len(runs) == len(spec.design()) * spec.replications
        assert len({r.run_id for r in runs}) == len(runs)


def test_seeds_depend_on_base_seed_and_index_only():
    spec = SweepSpec.from_dict({"replications": 3, "grid": {"price_elasticity": [0.5, 1.5]}})
    runs = spec.runs()
    # common random numbers: replication r has the same seed at every design point
    assert [r.seed for r in runs[:3]] == [r.seed for r in runs[3:]]
    assert len({r.seed for r in runs[:3]}) == 3
    independent = SweepSpec.from_dict(
        {
            "replications": 3,
            "common_random_numbers": False,
            "grid": {"price_elasticity": [0.5, 1.5]},
        }
    ).runs()
    assert len({r.seed for r in independent}) == 6
    other = SweepSpec.from_dict(
        {"replications": 3, "base_seed": 7, "grid": {"price_elasticity": [0.5, 1.5]}}
    ).runs()
    assert {r.seed for r in other}.isdisjoint({r.seed for r in runs})


def test_latin_hypercube_covers_each_range():
    spec = SweepSpec.from_dict(
        {
            "sample": {
                "method": "lhs",
                "n": 10,
                "ranges": {"price_elasticity": [0.5, 2.0], "chip_lead_time": [1, 12]},
            }
        }
    )
    design = pd.DataFrame(spec.design())
    assert len(design) == 10 and design["price_elasticity"].between(0.5, 2.0).all()
    # one point in each tenth of the range (Latin hypercube)
    bins = ((design["price_elasticity"] - 0.5) / 0.15).astype(int).clip(0, 9)
    assert sorted(bins) == list(range(10))
    # agents get plain Python values of the parameter's type
    assert all(type(r.params["chip_lead_time"]) is int for r in spec.runs())
    assert all(type(r.params["price_elasticity"]) is float for r in spec.runs())


# --- execution --------------------------------------------------------------------------
def test_same_results_with_one_and_two_workers(root, tmp_path):
    args = [*GRID, "--replications", "2", "--steps", "18", "--set", "n_firms=300", "--no-progress"]
    one, two = tmp_path / "one", tmp_path / "two"
    assert cli(root, "sweep", *args, "--workers", "1", "--out", str(one)).returncode == 0
    assert cli(root, "sweep", *args, "--workers", "2", "--out", str(two)).returncode == 0
    runs1, series1 = results(one)
    runs2, series2 = results(two)
    pd.testing.assert_frame_equal(runs1, runs2)
    pd.testing.assert_frame_equal(series1, series2)
    assert len(runs1) == 8 and (runs1["status"] == "ok").all()
    assert series1.groupby("run_id").size().eq(19).all()
    manifest = json.loads((one / "manifest.json").read_text())
    assert manifest["base_seed"] == 42 and "mesa" in manifest["packages"]


def test_resume_after_sigkill_runs_only_missing_runs_and_matches(root, tmp_path):
    args = [
        "sweep",
        "--grid",
        "price_elasticity=0.4,0.8,1.2,1.6,2.0",
        "--replications",
        "6",
        "--steps",
        "60",
        "--set",
        "n_firms=3000",
        "--workers",
        "2",
        "--no-progress",
    ]
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    proc = subprocess.Popen(
        [sys.executable, "run.py", *args, "--out", str(killed)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for_runs(killed, 4)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, mid-sweep
    proc.wait()
    done_before = len(list((killed / "parts").glob("run-*.json")))
    assert 4 <= done_before < 30, "the sweep must be killed mid-way"
    assert not (killed / "runs.parquet").exists()

    resumed = cli(root, *args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert f"{30 - done_before} run now, {done_before} already done" in resumed.stdout
    assert cli(root, *args, "--out", str(clean)).returncode == 0
    runs_k, series_k = results(killed)
    runs_c, series_c = results(clean)
    assert runs_k["run_id"].is_unique and len(runs_k) == 30
    pd.testing.assert_frame_equal(runs_k, runs_c)
    pd.testing.assert_frame_equal(series_k, series_c)
    assert not list(killed.glob(".*tmp")) and not list((killed / "parts").glob(".*"))


def test_a_different_spec_is_refused_in_an_existing_folder(root, tmp_path):
    out = tmp_path / "out"
    base = [*GRID, "--steps", "6", "--set", "n_firms=100", "--no-progress", "--out", str(out)]
    assert cli(root, "sweep", *base).returncode == 0
    again = cli(root, "sweep", *base)
    assert again.returncode == 0 and "0 run now, 4 already done" in again.stdout
    other = cli(root, "sweep", *base, "--replications", "2")
    assert other.returncode == 2 and "different sweep (its replications differs)" in other.stderr
    assert len(other.stderr.strip().splitlines()[-1]) < 300  # names what differs, no dump


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    spec = SweepSpec.from_dict(
        {
            "steps": 6,
            "fixed": {"n_firms": 100, "vendor_set": "single_gpu"},
            "grid": {"export_controls": ["none", "strict", "capped"]},
        }
    )
    result = run_sweep(spec, tmp_path / "out", workers=2, progress=False)
    assert result.failed == 1 and not result.ok
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    failed = runs[runs["status"] == "failed"]
    assert list(failed["export_controls"]) == ["strict"]
    assert "without any chip" in failed["error"].iloc[0]
    assert (runs.loc[runs["status"] == "ok", "compute_growth"] > 0).all()
    series = pd.read_parquet(tmp_path / "out" / "timeseries.parquet")
    assert set(series["run_id"]) == set(runs.loc[runs["status"] == "ok", "run_id"])


def test_cli_exit_status_says_some_runs_failed(root, tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text("steps = 4\n[fixed]\nn_firms = 50\n[grid]\nbass_q = [0.1, 0.2]\n")
    ok = cli(root, "sweep", str(spec), "--out", str(tmp_path / "a"), "--no-progress")
    assert ok.returncode == 0 and "0 failed" in ok.stdout


def test_progress_bar_reports_runs_done_and_failed(root, tmp_path):
    result = cli(
        root, "sweep", *GRID, "--steps", "4", "--set", "n_firms=100", "--out", str(tmp_path / "p")
    )
    assert result.returncode == 0
    assert "4/4" in result.stderr and "failed=0" in result.stderr


def test_spec_error_for_api_users():
    with pytest.raises(SpecError, match=r"give one of \[grid\], \[sample\]"):
        SweepSpec.from_dict(
            {
                "grid": {"bass_q": [0.1]},
                "sample": {"method": "lhs", "n": 2, "ranges": {"bass_q": [0, 1]}},
            }
        )


def test_manifest_keeps_the_order_of_sampled_parameters(tmp_path):
    """Sobol indices are read back in the sample's column order: the manifest must keep it."""
    ranges = {
        "price_elasticity": [0.5, 2.0],
        "algo_efficiency_gain": [1.5, 4.0],
        "bass_q": [0.1, 0.8],
    }
    spec = SweepSpec.from_dict(
        {
            "steps": 2,
            "fixed": {"n_firms": 30},
            "sample": {"method": "sobol", "n": 2, "ranges": ranges},
        }
    )
    run_sweep(spec, tmp_path / "s", workers=1, progress=False)
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    back = SweepSpec.from_dict(manifest["spec"])
    assert back.salib_problem()["names"] == list(ranges)
    assert back.fingerprint() == spec.fingerprint()
    reordered = SweepSpec.from_dict(
        {
            "steps": 2,
            "fixed": {"n_firms": 30},
            "sample": {"method": "sobol", "n": 2, "ranges": dict(reversed(ranges.items()))},
        }
    )
    assert reordered.fingerprint() != spec.fingerprint()


# --- tasks of several runs, streamed assembly -------------------------------------------------
def test_tasks_hold_about_half_a_second_of_runs_and_leave_every_worker_a_share():
    from jevons_compute.experiments.sweeps.runner import TASK_SECONDS, chunk_size

    assert chunk_size(None, 1000, 2) == 1  # run time unknown: one run a task
    assert chunk_size(0.05, 1000, 2) == round(TASK_SECONDS / 0.05)
    assert chunk_size(10.0, 1000, 2) == 1  # long runs: one a task
    assert chunk_size(0.0001, 1000, 4) == 1000 // 16  # the tail still spreads over the workers
    assert chunk_size(0.25, 3, 4) == 1


def test_timeseries_is_assembled_in_row_groups_of_runs(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from jevons_compute.experiments.sweeps import parts

    monkeypatch.setattr(parts, "ROW_GROUP_RUNS", 4)
    spec = SweepSpec.from_dict(
        {"steps": 3, "replications": 5, "fixed": {"n_firms": 50}, "grid": {"bass_q": [0.1, 0.2]}}
    )
    result = run_sweep(spec, tmp_path / "g", workers=2, progress=False)
    assert result.ok and result.ran == 10
    table = pq.ParquetFile(tmp_path / "g" / "timeseries.parquet")
    assert table.metadata.num_row_groups == 3  # 4 + 4 + 2 runs
    series = table.read().to_pandas()
    assert list(series["run_id"].unique()) == list(range(10))
    assert series.groupby("run_id").size().eq(4).all()
