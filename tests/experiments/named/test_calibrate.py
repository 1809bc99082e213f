"""The calibrate and backtest experiments (experiments/named/calibrate.py, backtest.py)
end to end, in-process and from the command line; the next data releases a backtest
forecasts."""

import json
import shutil

import pandas as pd
from helpers import cli

from jevons_compute.experiments.calibration import observed
from jevons_compute.experiments.named import backtest, calibrate
from jevons_compute.experiments.sweeps.runner import SequentialExecutor, run_sweep
from jevons_compute.world.parameters import UNCERTAIN


def test_next_releases_continue_each_regular_series():
    obs = observed.load_observed()
    nxt = backtest.next_releases(obs).set_index("series")
    # the leading vendor's fiscal Q4 2026 after Q3 (Aug-Oct 2025): Nov 2025 - Jan 2026
    assert tuple(nxt.loc["nvidia_datacenter_revenue", ["start", "date"]]) == ("2025-11", "2026-01")
    assert "open_weight_share" not in nxt.index  # different sources, no cadence


# --- calibration end to end -------------------------------------------------------------
TINY = calibrate.Settings(
    n_firms=40, trajectories=1, waves=2, points_per_dim=1, seeds=2, candidates=300, ensemble_size=3
)


def _calibrate(out, obs_path):
    def sweep(spec, folder):
        return run_sweep(spec, folder, executor=SequentialExecutor(), workers=1, progress=False)

    calibrate.run(out, True, sweep, obs_path=obs_path, settings=TINY)
    return (out / "ensemble.csv").read_text()


def test_calibration_ignores_later_observations_and_is_reproducible(tmp_path):
    later = tmp_path / "observed_plus_later.csv"
    shutil.copy(observed.OBSERVED_PATH, later)
    with later.open("a") as f:  # a wild point after the fit window: must change nothing
        f.write(
            "btos_ai_use,2024-08,2024-08,0.9,share of firms,0.01,0.01,adoption_rate_us,mean,,,"
            "1.0,test,reported,yes,a test row,https://example.org\n"
        )
    first = _calibrate(tmp_path / "a", observed.OBSERVED_PATH)
    second = _calibrate(tmp_path / "b", later)
    assert first == second
    used = pd.read_csv(tmp_path / "b" / "observations.csv")
    assert (used["date"] <= "2024-06").all() and "2024-08" not in set(used["date"])
    meta = json.loads((tmp_path / "b" / "ensemble.json").read_text())
    assert meta["fit_end"] == "2024-06" and all(
        label.split()[-1] <= "2024-06" for label in meta["observations"]
    )
    ensemble = pd.read_csv(tmp_path / "a" / "ensemble.csv")
    # ruled in by the largest implausibility, ranked by the mean squared one (by the
    # largest when no point is left)
    ruled_in = (ensemble["max_implausibility"] < 3).all()
    assert ruled_in or (ensemble["max_implausibility"] >= 3).all()
    key = "mean_sq_implausibility" if ruled_in else "max_implausibility"
    assert ensemble[key].is_monotonic_increasing
    meta_columns = {"member", "max_implausibility", "mean_sq_implausibility"}
    assert set(ensemble.columns) - meta_columns <= {u.name for u in UNCERTAIN}
    assert (tmp_path / "a" / "figures" / "implausibility.png").stat().st_size > 20_000


def test_calibrate_and_backtest_from_the_command_line(tmp_path):
    refused = cli("experiment", "calibrate", "--quick", "--write-default")
    assert refused.returncode == 2 and "full calibration" in refused.stderr
    cal = tmp_path / "calibrate"
    result = cli("experiment", "calibrate", "--quick", "--out", str(cal), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "largest implausibility" in result.stdout and "Screening (Morris" in result.stdout
    members = pd.read_csv(cal / "ensemble.csv")
    design = pd.read_csv(cal / "design.csv")
    left = design[design["max_implausibility"] < 3]
    # the points left, up to the ensemble's size (the least implausible when none is left)
    assert len(members) == min(calibrate.QUICK.ensemble_size, len(left) or len(design))
    if len(left):  # the best fit of the points left comes first
        assert members["mean_sq_implausibility"].iloc[0] == left["mean_sq_implausibility"].min()
    else:  # none left: the least implausible points
        assert members["max_implausibility"].iloc[0] == design["max_implausibility"].min()
    assert {"morris", "wave-1"} <= {p.name for p in cal.iterdir()}
    out = tmp_path / "backtest"
    result = cli("experiment", "backtest", "--quick", "--out", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "Held-out coverage" in result.stdout and "Median absolute log error" in result.stdout
    table = pd.read_csv(out / "backtest.csv")
    held = table[~table["fit"]]
    assert len(held) >= 10 and held["inside_ensemble"].isin([True, False]).all()
    coverage = pd.read_csv(out / "coverage.csv", index_col=0)
    assert coverage["coverage_ensemble"].dropna().between(0, 1).all()
    forecasts = pd.read_csv(out / "forecasts.csv")
    nvidia = forecasts.set_index("series").loc["nvidia_datacenter_revenue"]
    assert nvidia["date"] == "2026-01" and nvidia["low_5"] <= nvidia["median"] <= nvidia["high_95"]
    assert (out / "figures" / "backtest_btos_ai_use.png").exists()
    band = cli("run", "--preset", "ensemble", "--steps", "24", "--seeds", "1",
        "--set", "n_firms=60", "--counterfactual", "none", "--out", str(tmp_path / "ens"),
    )  # fmt: skip
    assert band.returncode == 0, band.stderr
    bands = pd.read_csv(tmp_path / "ens" / "band.csv")
    assert (bands["low"] <= bands["mean"] * (1 + 1e-9)).all() and "90% band" in band.stdout
