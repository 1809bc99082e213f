"""The command line as a user meets it: files written, same seed same bytes, bad input."""

import json

import pandas as pd
import pytest
from conftest import run_py as run_cli

from jevons_compute.model.metrics.table import METRICS

pytestmark = pytest.mark.slow

QUICK = ["--steps", "12", "--set", "n_firms=400"]


def test_run_writes_timeseries_summary_and_figure(root, tmp_path):
    out = tmp_path / "run"
    result = run_cli(root, "run", *QUICK, "--seed", "3", "--out", str(out))
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


def test_same_seed_gives_byte_identical_timeseries_and_different_seeds_differ(root, tmp_path):
    paths = []
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        out = tmp_path / name
        assert run_cli(root, "run", *QUICK, "--seed", seed, "--out", str(out)).returncode == 0
        paths.append((out / "timeseries.csv").read_bytes())
    assert paths[0] == paths[1]
    assert paths[0] != paths[2]


def test_analytic_preset_runs(root, tmp_path):
    result = run_cli(
        root,
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


def test_run_states_the_verdict_against_the_twin_and_none_gives_no_verdict(root, tmp_path):
    out = tmp_path / "twin"
    result = run_cli(root, "run", *QUICK, "--set", "price_elasticity=0.5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    h = summary["headline"]
    df = pd.read_csv(out / "timeseries.csv")
    assert h["jevons_ratio"] == pytest.approx(df["jevons_ratio"].iloc[-1])
    assert h["jevons_ratio"] < 1 and h["backfire"] is False and summary["counterfactual"] == "algo"
    assert "backfire           no: efficiency lowered total compute" in result.stdout
    assert "twin without algorithmic progress" in result.stdout

    none = run_cli(root, "run", *QUICK, "--counterfactual", "none", "--out", str(tmp_path / "n"))
    assert none.returncode == 0, none.stderr
    assert "backfire           - (no counterfactual twin" in none.stdout
    summary = json.loads((tmp_path / "n" / "summary.json").read_text())
    assert summary["headline"]["backfire"] is None and summary["headline"]["jevons_ratio"] is None

    bad = run_cli(root, "run", *QUICK, "--counterfactual", "chips", "--out", str(tmp_path / "b"))
    assert bad.returncode == 2 and "--counterfactual" in bad.stderr
    assert not (tmp_path / "b").exists()


def test_replication_diagnostic_on_a_tiny_scenario(root, tmp_path):
    out = tmp_path / "reps"
    result = run_cli(
        root,
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
        "jevons_ratio",
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
    assert set(table["metric"]) == {"jevons_ratio", "adoption_rate"}
    assert sorted(set(table["seeds"])) == [2, 3, 4, 5]
    runs = pd.read_parquet(out / "runs.parquet")
    five = table[(table["metric"] == "jevons_ratio") & (table["seeds"] == 5)].iloc[0]
    assert five["mean"] == pytest.approx(float(runs["jevons_ratio"].prod() ** (1 / 5)))
    assert "recommended:" in result.stdout or "more than 5 seeds needed" in result.stdout
    assert (out / "replications.png").stat().st_size > 20_000
    bad = run_cli(root, "replications", "--target", "2", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--target" in bad.stderr
    bad = run_cli(root, "replications", "--metric", "tokens", "--out", str(tmp_path / "y"))
    assert bad.returncode == 2 and "headline number" in bad.stderr
    assert not (tmp_path / "y").exists()


@pytest.mark.parametrize(
    "args,named",
    [
        (["--set", "nonsense=1"], "nonsense"),
        (["--set", "price_elasticity=abc"], "price_elasticity"),
        (["--set", "price_elasticity=9"], "price_elasticity"),
        (["--set", "n_firms=2.5"], "n_firms"),
        (["--set", "demand_model=linear"], "demand_model"),
        (["--set", "capacity_limited=maybe"], "capacity_limited"),
        (["--set", "price_elasticity"], "NAME=VALUE"),
        (["--preset", "nope"], "preset"),
        (["--steps", "0"], "--steps"),
        (["--steps", "many"], "--steps"),
        (["--seed", "-4"], "--seed"),
        (["--set", "n_firms=2"], "n_firms"),
        (["--set", "vendor_set=single_gpu", "--set", "export_controls=strict"], "vendor_set"),
    ],
)
def test_bad_input_gets_one_sentence_exit_2_and_writes_nothing(root, tmp_path, args, named):
    out = tmp_path / "out"
    result = run_cli(root, "run", *args, "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_bad_out_folder_is_refused(root, tmp_path, kind):
    if kind == "file":
        target = tmp_path / "afile"
        target.write_text("keep me")
    else:
        target = "/proc/no/such/place"
    result = run_cli(root, "run", *QUICK, "--out", str(target))
    assert result.returncode == 2 and "--out" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if kind == "file":
        assert target.read_text() == "keep me"


def test_params_lists_every_parameter_with_default_unit_and_range(root):
    from jevons_compute.world.parameters import PARAMETERS

    result = run_cli(root, "params")
    assert result.returncode == 0
    for p in PARAMETERS:
        assert p.name in result.stdout and p.allowed() in result.stdout
    assert "Source:" in result.stdout
    from jevons_compute.world.presets import PRESETS

    # what the default preset sets differently (the calibrated member) is shown too
    shown = result.stdout.count("the default preset (calibrated):")
    assert shown == len(PRESETS["default"])


def test_help_explains_the_run_command(root):
    result = run_cli(root, "run", "--help")
    assert result.returncode == 0 and "timeseries.csv" in result.stdout


def test_ui_refuses_a_bad_port_and_explains_its_options(root):
    bad = run_cli(root, "ui", "--port", "70000")
    assert bad.returncode == 2 and "--port" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    helped = run_cli(root, "ui", "--help")
    assert helped.returncode == 0 and "127.0.0.1" in helped.stdout
