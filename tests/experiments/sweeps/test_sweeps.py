"""The sweep engine with real worker processes: determinism across workers, resume after
SIGKILL, a refused different spec, failures recorded, the progress bar, the manifest, the
twin in rows and series, the time series in row groups."""

import json
import os
import signal
import subprocess

import pandas as pd
import pytest
from helpers import cli, start, wait_for_runs

from jevons_compute.experiments.sweeps.runner import run_sweep
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec
from jevons_compute.model.metrics.table import COUNTERFACTUAL_METRICS

GRID = [
    "--grid",
    "price_elasticity=0.5,1.5",
    "--set",
    "demand_model=constant_elasticity",
    "--grid",
    "algo_efficiency_gain=2,4",
]


def results(out):
    runs = pd.read_parquet(out / "runs.parquet").drop(columns="wall_time_s")
    series = pd.read_parquet(out / "timeseries.parquet")
    return runs, series


# --- execution --------------------------------------------------------------------------
def test_same_results_with_one_and_two_workers(tmp_path):
    args = [*GRID, "--replications", "2", "--steps", "18", "--set", "n_firms=300", "--no-progress"]
    one, two = tmp_path / "one", tmp_path / "two"
    assert cli("sweep", *args, "--workers", "1", "--out", str(one)).returncode == 0
    assert cli("sweep", *args, "--workers", "2", "--out", str(two)).returncode == 0
    runs1, series1 = results(one)
    runs2, series2 = results(two)
    pd.testing.assert_frame_equal(runs1, runs2)
    pd.testing.assert_frame_equal(series1, series2)
    assert len(runs1) == 8 and (runs1["status"] == "ok").all()
    assert series1.groupby("run_id").size().eq(19).all()
    manifest = json.loads((one / "manifest.json").read_text())
    assert manifest["base_seed"] == 42 and "mesa" in manifest["packages"]


def test_resume_after_sigkill_runs_only_missing_runs_and_matches(tmp_path):
    args = [
        "sweep",
        "--grid",
        "price_elasticity=0.4,0.8,1.2,1.6,2.0",
        "--set",
        "demand_model=constant_elasticity",
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
    proc = start(*args, "--out", str(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_runs(killed, 4)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its workers, mid-sweep
    proc.wait()
    done_before = len(list((killed / "parts").glob("run-*.json")))
    assert 4 <= done_before < 30, "the sweep must be killed mid-way"
    assert not (killed / "runs.parquet").exists()

    resumed = cli(*args, "--out", str(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert f"{30 - done_before} run now, {done_before} already done" in resumed.stdout
    assert cli(*args, "--out", str(clean)).returncode == 0
    runs_k, series_k = results(killed)
    runs_c, series_c = results(clean)
    assert runs_k["run_id"].is_unique and len(runs_k) == 30
    pd.testing.assert_frame_equal(runs_k, runs_c)
    pd.testing.assert_frame_equal(series_k, series_c)
    assert not list(killed.glob(".*tmp")) and not list((killed / "parts").glob(".*"))


def test_a_different_spec_is_refused_in_an_existing_folder(tmp_path):
    out = tmp_path / "out"
    base = [*GRID, "--steps", "6", "--set", "n_firms=100", "--no-progress", "--out", str(out)]
    assert cli("sweep", *base).returncode == 0
    again = cli("sweep", *base)
    assert again.returncode == 0 and "0 run now, 4 already done" in again.stdout
    other = cli("sweep", *base, "--replications", "2")
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


def test_cli_exit_status_says_some_runs_failed(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text("steps = 4\n[fixed]\nn_firms = 50\n[grid]\nbass_q = [0.1, 0.2]\n")
    ok = cli("sweep", str(spec), "--out", str(tmp_path / "a"), "--no-progress")
    assert ok.returncode == 0 and "0 failed" in ok.stdout


def test_progress_bar_reports_runs_done_and_failed(tmp_path):
    result = cli(
        "sweep", *GRID, "--steps", "4", "--set", "n_firms=100", "--out", str(tmp_path / "p")
    )
    assert result.returncode == 0
    assert "4/4" in result.stderr and "failed=0" in result.stderr


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
            "fixed": {"n_firms": 30, "demand_model": "constant_elasticity"},
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


def test_sweep_rows_and_series_carry_the_twin_and_the_spec_chooses_it(tmp_path):
    spec = SweepSpec.from_dict(
        {
            "steps": 12,
            "replications": 2,
            "counterfactual": "hardware",
            "marginal": False,
            "fixed": {"n_firms": 150, "demand_model": "constant_elasticity"},
            "grid": {"price_elasticity": [0.5, 1.5]},
        }
    )
    result = run_sweep(spec, tmp_path / "sw", workers=1, progress=False)
    assert result.ok
    runs = pd.read_parquet(tmp_path / "sw" / "runs.parquet")
    series = pd.read_parquet(tmp_path / "sw" / "timeseries.parquet")
    assert runs["jevons_ratio_12m"].notna().all() and runs["rebound"].isna().all()  # hardware
    assert runs["jevons_elasticity"].isna().all()  # no marginal twin
    high = runs[runs["price_elasticity"] == 1.5]
    assert (high["backfire"] == (high["jevons_ratio_12m"] > 1)).all()
    assert (high["backfire_month"] == (high["jevons_ratio_month"] > 1)).all()
    assert set(COUNTERFACTUAL_METRICS) <= set(series.columns)
    with pytest.raises(SpecError, match="counterfactual = 'chips' must be one of"):
        SweepSpec.from_dict({"counterfactual": "chips"})


# --- tasks of several runs, streamed assembly -------------------------------------------------
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
