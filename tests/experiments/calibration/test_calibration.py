"""Calibration (experiments/calibration): the observed data, history matching's pieces,
and the ensemble's band. The calibrate and backtest experiments end to end are in
tests/experiments/named/test_calibrate.py."""

import numpy as np
import pandas as pd
import pytest

from jevons_compute.experiments.calibration import history_matching as hm
from jevons_compute.experiments.calibration import observed
from jevons_compute.experiments.calibration.ensemble import band
from jevons_compute.model.metrics.table import METRICS
from jevons_compute.world.parameters import BY_NAME, UNCERTAIN

SERIES = {
    "btos_ai_use",
    "nvidia_datacenter_revenue",
    "installed_ai_compute",
    "frontier_training_compute",
    "hyperscaler_capex",
    "google_tokens_growth",
    "microsoft_tokens_growth",
    "open_weight_share",
    "custom_chip_share",
    "price_gpt4_level",
    "gpu_rental_h100",
    "packaging_capacity_growth",
    "datacentre_electricity",
}


# --- the observed data ------------------------------------------------------------------
def test_observed_file_has_the_schema_a_source_per_row_and_both_windows():
    obs = observed.load_observed()
    assert list(obs.columns) == list(observed.COLUMNS)
    assert SERIES <= set(obs["series"])
    assert obs["source"].str.len().min() > 10 and obs["url"].str.startswith("http").all()
    fit, held = observed.split(obs)
    assert len(fit) >= 10 and len(held) >= 10
    assert (fit["date"] <= "2024-06").all() and (held["date"] > "2024-06").all()
    # a metric the model does not report yet is marked pending, never silently wrong
    unknown = obs[~obs["metric"].isin(METRICS)]
    assert (unknown["metric_status"] == "pending").all()
    assert set(obs["verified"]) <= {"yes", "recalled"}
    # fiscal quarters are mapped to calendar months: NVIDIA's fiscal 2025 is Feb 2024-Jan 2025
    nvidia = obs[obs["series"] == "nvidia_datacenter_revenue"].set_index("date")
    assert nvidia.loc["2024-04", "start"] == "2024-02"
    fy2025 = nvidia.loc[["2024-04", "2024-07", "2024-10", "2025-01"], "value"].sum()
    assert fy2025 == pytest.approx(115.2e9, rel=0.002)


def test_a_row_without_a_source_is_refused_naming_its_line(tmp_path):
    obs = pd.read_csv(observed.OBSERVED_PATH, dtype=str)
    obs.loc[3, "source"] = ""
    path = tmp_path / "observed.csv"
    obs.to_csv(path, index=False)
    with pytest.raises(observed.ObservedError, match="line 5 .* source is empty"):
        observed.load_observed(path)


def test_rows_whose_metric_the_model_lacks_are_skipped_with_a_warning_listing_them():
    obs = observed.load_observed()
    assert set(observed.usable(obs, METRICS)["metric"]) <= set(METRICS)
    obs.loc[obs["series"] == "frontier_training_compute", "metric"] = "not_reported_yet"
    with pytest.warns(UserWarning, match=r"frontier_training_compute \(not_reported_yet\)"):
        kept = observed.usable(obs, METRICS)
    assert set(kept["metric"]) <= set(METRICS)
    assert len(kept) == len(obs) - (obs["metric"] == "not_reported_yet").sum()


def test_model_quantities_follow_each_rows_aggregate():
    steps = np.arange(24)
    series = pd.DataFrame(
        {"run_id": 0, "step": steps, "date": "", "tokens": 10.0 * (steps + 1), "xpu_share": 0.1}
    )
    rows = pd.DataFrame(
        [
            # fiscal quarter Feb-Apr 2023 = steps 1..3: sum 20+30+40
            ("s", "2023-02", "2023-04", "tokens", "sum", "", ""),
            ("s", "2023-02", "2023-04", "tokens", "mean", "", ""),
            ("s", "2023-01", "2023-06", "tokens", "last", "", ""),
            # mean of Jan-Mar 2024 (130, 140, 150) over Jan-Mar 2023 (10, 20, 30)
            ("s", "2024-01", "2024-03", "tokens", "ratio", "2023-01", "2023-03"),
            ("s", "2026-01", "2026-01", "tokens", "last", "", ""),  # beyond the run: NaN
        ],
        columns=["series", "start", "date", "metric", "aggregate", "ref_start", "ref_end"],
    )
    got = np.exp(observed.simulated_log(series, rows, 2023).iloc[0].to_numpy())
    assert got[:4] == pytest.approx([90.0, 30.0, 60.0, 140 / 20])
    assert np.isnan(got[4])


# --- history matching -------------------------------------------------------------------
def test_unit_cube_maps_to_parameter_ranges_and_back():
    unit = np.array([[0.0] * len(UNCERTAIN), [1.0] * len(UNCERTAIN), [0.5] * len(UNCERTAIN)])
    low, high, mid = hm.to_params(unit, UNCERTAIN)
    for u in UNCERTAIN:
        assert low[u.name] == pytest.approx(u.low) and high[u.name] == pytest.approx(u.high)
        centre = np.sqrt(u.low * u.high) if u.log else (u.low + u.high) / 2
        assert mid[u.name] == pytest.approx(centre, rel=1e-5)
        assert u.low >= BY_NAME[u.name].low and u.high <= BY_NAME[u.name].high
    assert hm.to_unit(mid, UNCERTAIN) == pytest.approx(unit[2], abs=1e-5)


def test_implausibility_is_the_standardised_distance_and_nan_is_ruled_out():
    i = hm.implausibility(z=1.0, mean=np.array([0.4, np.nan]), v_obs=0.02, v_seeds=0.0, v_md=0.07)
    assert i[0] == pytest.approx(0.6 / 0.3) and np.isinf(i[1])


def test_morris_screening_finds_the_parameter_that_matters():
    three = UNCERTAIN[:3]
    unit = hm.morris_design(three, 8, seed=1)
    outputs = pd.DataFrame({"y": 5 * unit[:, 1] + 0.001 * unit[:, 0]})
    importance = hm.morris_screen(unit, outputs, three)
    assert importance["y"].idxmax() == three[1].name
    assert hm.screened_in(importance, minimum=1) == [three[1].name]


def test_emulator_predicts_a_smooth_output_and_knows_where_it_is_unsure():
    x = hm.lhs(40, 2, seed=3)
    truth = lambda p: np.sin(3 * p[:, 0]) + p[:, 1] ** 2  # noqa: E731
    means = pd.DataFrame({"y": truth(x)})
    emulator = hm.Emulator(seed=0).fit(x, means, pd.Series({"y": 0.0}), seeds=1)
    test = np.array([[0.5, 0.9], [0.05, 0.1]])
    mean, var = emulator.predict(test, ["y"])
    assert mean[:, 0] == pytest.approx(truth(test), abs=0.05)
    assert (var < 0.01).all()
    # an observation of y: the point that produces it is plausible, the other is not
    z = truth(test[:1])  # one observation of the one output
    i = hm.emulated_max_implausibility(emulator, test, ["y"], z, np.zeros(1), pd.Series())
    assert i[0] < 1 and i[1] > hm.CUTOFF


def test_design_points_are_spread_and_reproducible():
    cand = hm.lhs(500, 3, seed=2)
    a, b = hm.pick_design(cand, 20, seed=4), hm.pick_design(cand, 20, seed=4)
    assert np.array_equal(a, b) and len(np.unique(a, axis=0)) == 20


# --- the ensemble's band ------------------------------------------------------------------
def test_the_band_of_several_runs_holds_their_mean_between_its_bounds():
    steps = np.repeat(np.arange(3), 4)
    series = pd.DataFrame(
        {
            "run_id": np.tile(np.arange(4), 3),
            "step": steps,
            "date": [f"2023-0{s + 1}" for s in steps],
            "tokens": 1e12 * (1 + steps) * np.tile([0.5, 1, 1.5, 2], 3),
        }
    )
    bands = band(series, "tokens")
    assert len(bands) == 3  # one row a month
    assert (bands["low"] < bands["mean"]).all() and (bands["mean"] < bands["high"]).all()
