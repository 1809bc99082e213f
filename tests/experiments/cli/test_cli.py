"""The command line as a user meets it (`jevons-compute`; `python run.py` and `python -m
jevons_compute` are the same): files written, same seed same bytes, the verdict, the
replication diagnostic, params and help. Bad input: test_cli_errors.py."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from helpers import ROOT, cli, command

from jevons_compute.model.metrics.table import METRICS

QUICK = ["--steps", "12", "--set", "n_firms=400"]


def test_run_writes_timeseries_summary_and_figure(tmp_path):
    out = tmp_path / "run"
    result = cli("run", *QUICK, "--seed", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "compute growth" in result.stdout and "backfire" in result.stdout
    df = pd.read_csv(out / "timeseries.csv")
    assert list(df.columns) == list(METRICS) and len(df) == 13
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["parameters"]["n_firms"] == 400
    assert summary["packages"]["mesa"].startswith("3.5")
    assert summary["headline"]["compute_growth"] == pytest.approx(
        df["total_compute"].iloc[-1] / df["total_compute"].iloc[0]
    )
    png = (out / "overview.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    assert not list(out.glob(".*"))  # no temporary files left behind


#: How the command line is started -> the program its outputs record.
ENTRY_POINTS = (
    (command(), "jevons-compute"),  # the console script
    ([sys.executable, "run.py"], "run.py"),  # the checkout's thin entry point
    ([sys.executable, "-m", "jevons_compute"], "jevons-compute"),
)


def test_same_seed_gives_byte_identical_timeseries_and_different_seeds_differ(tmp_path):
    """The same bytes whichever way the command line is started; another seed, others."""
    paths = []
    for i, (entry, program) in enumerate(ENTRY_POINTS):
        out = tmp_path / f"seed-5-{i}"
        args = ["run", *QUICK, "--seed", "5", "--out", str(out)]
        done = subprocess.run([*entry, *args], cwd=ROOT, capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert json.loads((out / "summary.json").read_text())["command"] == [program, *args]
        paths.append((out / "timeseries.csv").read_bytes())
    assert cli("run", *QUICK, "--seed", "6", "--out", str(tmp_path / "c")).returncode == 0
    assert paths[0] == paths[1] == paths[2]
    assert paths[0] != (tmp_path / "c" / "timeseries.csv").read_bytes()


def test_analytic_preset_runs(tmp_path):
    result = cli(
        "run",
        "--preset",
        "analytic",
        "--steps",
        "24",
        "--set",
        "price_elasticity=1.5",
        "--out",
        str(tmp_path / "a"),
    )
    assert result.returncode == 0, result.stderr
    assert "backfire           YES" in result.stdout


def test_run_states_the_verdict_against_the_twin_and_none_gives_no_verdict(tmp_path):
    out = tmp_path / "twin"
    inelastic = ["--set", "demand_model=constant_elasticity", "--set", "price_elasticity=0.3"]
    result = cli("run", *QUICK, *inelastic, "--out", str(out))  # efficiency saves compute
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    h = summary["headline"]
    df = pd.read_csv(out / "timeseries.csv")
    assert h["jevons_ratio_12m"] == pytest.approx(df["jevons_ratio_12m"].iloc[-1])
    assert h["jevons_ratio_month"] == pytest.approx(df["jevons_ratio"].iloc[-1])
    assert h["jevons_ratio_12m"] < 1 and h["backfire"] is False
    assert summary["counterfactual"] == "algo"
    assert "backfire           no: efficiency lowered total compute of the trailing 12 months" in (
        result.stdout
    )
    assert "twin without algorithmic progress" in result.stdout

    none = cli("run", *QUICK, "--counterfactual", "none", "--out", str(tmp_path / "n"))
    assert none.returncode == 0, none.stderr
    assert "backfire           - (no counterfactual twin" in none.stdout
    summary = json.loads((tmp_path / "n" / "summary.json").read_text())
    assert summary["headline"]["backfire"] is None
    assert summary["headline"]["jevons_ratio_12m"] is None

    bad = cli("run", *QUICK, "--counterfactual", "chips", "--out", str(tmp_path / "b"))
    assert bad.returncode == 2 and "--counterfactual" in bad.stderr
    assert not (tmp_path / "b").exists()


def test_replication_diagnostic_on_a_tiny_scenario(tmp_path):
    out = tmp_path / "reps"
    result = cli(
        "replications",
        "--steps",
        "12",
        "--set",
        "n_firms=200",
        "--seeds",
        "5",
        "--target",
        "0.5",
        "--metric",
        "jevons_ratio_12m",
        "--metric",
        "adoption_rate",
        "--out",
        str(out),
        "--no-progress",
        "--workers",
        "1",
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out / "replications.csv")
    assert set(table["metric"]) == {"jevons_ratio_12m", "adoption_rate"}
    assert sorted(set(table["seeds"])) == [2, 3, 4, 5]
    runs = pd.read_parquet(out / "runs.parquet")
    five = table[(table["metric"] == "jevons_ratio_12m") & (table["seeds"] == 5)].iloc[0]
    assert five["mean"] == pytest.approx(float(runs["jevons_ratio_12m"].prod() ** (1 / 5)))
    assert "recommended:" in result.stdout or "more than 5 seeds needed" in result.stdout
    assert (out / "replications.png").stat().st_size > 20_000
    bad = cli("replications", "--target", "2", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--target" in bad.stderr
    bad = cli("replications", "--metric", "tokens", "--out", str(tmp_path / "y"))
    assert bad.returncode == 2 and "headline number" in bad.stderr
    assert not (tmp_path / "y").exists()


def test_params_lists_every_parameter_with_default_unit_and_range():
    from jevons_compute.world.parameters import PARAMETERS

    result = cli("params")
    assert result.returncode == 0
    for p in PARAMETERS:
        assert p.name in result.stdout and p.allowed() in result.stdout
    assert "Source:" in result.stdout
    from jevons_compute.world.presets import PRESETS

    # what the default preset sets differently (the calibrated member) is shown too
    shown = result.stdout.count("the default preset (calibrated):")
    assert shown == len(PRESETS["default"])


def test_help_explains_the_run_command():
    result = cli("run", "--help")
    assert result.returncode == 0 and "timeseries.csv" in result.stdout


def test_ui_refuses_a_bad_port_and_explains_its_options():
    bad = cli("ui", "--port", "70000")
    assert bad.returncode == 2 and "--port" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    helped = cli("ui", "--help")
    assert helped.returncode == 0 and "127.0.0.1" in helped.stdout
