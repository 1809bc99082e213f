"""Observed data, history matching, calibration and backtest: what each promises."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import run_py

from jevons_compute.experiments.calibration import history_matching as hm
from jevons_compute.experiments.calibration import observed
from jevons_compute.experiments.named import backtest, calibrate
from jevons_compute.experiments.sweeps.runner import SequentialExecutor, run_sweep
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec
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


# --- sweep specs with explicit points and ensembles -------------------------------------
def test_spec_runs_explicit_points_and_an_ensembles_members(tmp_path):
    spec = SweepSpec.from_dict(
        {"points": [{"price_elasticity": 0.5}, {"price_elasticity": "1.5"}], "replications": 2}
    )
    assert spec.n_runs() == 4 and [r.params["price_elasticity"] for r in spec.runs()] == [
        0.5,
        0.5,
        1.5,
        1.5,
    ]
    path = tmp_path / "ensemble.csv"
    path.write_text(
        "member,max_implausibility,bass_q,inference_mfu\n0,1.2,0.5,0.05\n1,2.0,0.6,0.2\n"
    )
    spec = SweepSpec.from_dict({"ensemble": str(path), "steps": 3})
    assert spec.design() == [
        {"bass_q": 0.5, "inference_mfu": 0.05},
        {"bass_q": 0.6, "inference_mfu": 0.2},
    ]
    again = SweepSpec.from_dict(spec.to_dict())  # a saved spec reloads while the file stands
    assert again.fingerprint() == spec.fingerprint()
    path.write_text("member,bass_q\n0,0.9\n")
    with pytest.raises(SpecError, match="no longer holds the members"):
        SweepSpec.from_dict(spec.to_dict())
    with pytest.raises(SpecError, match="not several"):
        SweepSpec.from_dict({"points": [{"bass_q": 0.5}], "grid": {"bass_p": [0.1]}})
    with pytest.raises(SpecError, match="does not exist"):
        SweepSpec.from_dict({"ensemble": str(tmp_path / "missing.csv")})
    path.write_text("member,nonsense\n0,1\n")
    with pytest.raises(SpecError, match="not a parameter"):
        SweepSpec.from_dict({"ensemble": str(path)})


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


@pytest.mark.slow
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


@pytest.mark.slow
def test_calibrate_and_backtest_from_the_command_line(root, tmp_path):
    refused = run_py(root, "experiment", "calibrate", "--quick", "--write-default")
    assert refused.returncode == 2 and "full calibration" in refused.stderr
    cal = tmp_path / "calibrate"
    result = run_py(root, "experiment", "calibrate", "--quick", "--out", str(cal), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "largest implausibility" in result.stdout and "Screening (Morris" in result.stdout
    members = pd.read_csv(cal / "ensemble.csv")
    assert len(members) == calibrate.QUICK.ensemble_size
    design = pd.read_csv(cal / "design.csv")
    left = design[design["max_implausibility"] < 3]
    if len(left):  # the best fit of the points left comes first
        assert members["mean_sq_implausibility"].iloc[0] == left["mean_sq_implausibility"].min()
    else:  # none left: the least implausible points
        assert members["max_implausibility"].iloc[0] == design["max_implausibility"].min()
    assert {"morris", "wave-1"} <= {p.name for p in cal.iterdir()}
    out = tmp_path / "backtest"
    result = run_py(root, "experiment", "backtest", "--quick", "--out", str(out), "--no-progress")
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
    band = run_py(
        root, "run", "--preset", "ensemble", "--steps", "24", "--seeds", "1",
        "--set", "n_firms=60", "--counterfactual", "none", "--out", str(tmp_path / "ens"),
    )  # fmt: skip
    assert band.returncode == 0, band.stderr
    bands = pd.read_csv(tmp_path / "ens" / "band.csv")
    assert (bands["low"] <= bands["mean"] * (1 + 1e-9)).all() and "90% band" in band.stdout


def test_docs_list_the_uncertain_parameters_as_the_table_does(root):
    import run

    text = (root / "docs" / "calibration.md").read_text()
    start = text.index("<!-- BEGIN UNCERTAIN -->\n") + len("<!-- BEGIN UNCERTAIN -->\n")
    end = text.index("<!-- END UNCERTAIN -->")
    assert text[start:end] == run.uncertain_markdown(), (
        "docs/calibration.md is stale: paste `python run.py params --uncertain` between its markers"
    )


def test_a_written_calibrated_default_becomes_the_default_preset(tmp_path, monkeypatch):
    from jevons_compute.world import presets

    assert presets.PRESETS["default"] == presets.calibrated_default()  # {} until written
    path = tmp_path / "calibrated_default.json"
    path.write_text(json.dumps({"parameters": {"bass_q": 0.5}, "quick": False}))
    monkeypatch.setattr(presets, "CALIBRATED_DEFAULT", path)
    assert presets.calibrated_default() == {"bass_q": 0.5}


def test_the_page_shows_the_ensemble_band_once_computed(tmp_path, monkeypatch):
    import ipyvuetify as v
    import solara

    from jevons_compute.experiments.calibration.ensemble import band
    from jevons_compute.experiments.ui import charts, page

    steps = np.repeat(np.arange(3), 4)
    series = pd.DataFrame(
        {
            "run_id": np.tile(np.arange(4), 3),
            "step": steps,
            "date": [f"2023-0{s + 1}" for s in steps],
            "tokens": 1e12 * (1 + steps) * np.tile([0.5, 1, 1.5, 2], 3),
        }
    )
    bands = band(series, "tokens").assign(metric="tokens")
    assert (bands["low"] < bands["mean"]).all() and (bands["mean"] < bands["high"]).all()
    # the page's switch (experiments/ui/page.py BandSwitch): disabled with the command
    # while the band file is missing, on the tokens plot once it exists
    monkeypatch.setattr(charts, "BAND_PATH", tmp_path / "missing.csv")
    _, rc = solara.render(page.Page(), handle_error=False)
    assert rc.find(v.Switch, class_="jv-input-band").widget.disabled
    assert "--preset ensemble" in str(rc.find(v.Html, class_="jv-code").widget.children)
    path = tmp_path / "band.csv"
    bands.to_csv(path, index=False)
    (tokens,) = [p for p in charts.PANELS if p.band == "tokens"]
    frame = series.groupby("step", as_index=False).first().assign(tokens_cf=1e12)
    spec = charts.panel_spec(frame, tokens, page.HORIZON_MONTH, charts.load_bands(path)["tokens"])
    assert charts.BAND_NAME in str(spec) and "'type': 'log'" in str(spec)
