"""Scenario discovery: PRIM over a real sweep finds the analytic limit's backfire region."""

import json

import pytest
from helpers import cli, make_sweep

ELASTICITIES = "0.25,0.5,0.75,1.0,1.25,1.5,2.0,2.5"


@pytest.fixture(scope="module")
def analytic_sweep(tmp_path_factory):
    """The analytic limit with fixed hardware: compute grows iff the elasticity exceeds 1."""
    out = tmp_path_factory.mktemp("discover") / "analytic"
    grid = ["--grid", f"price_elasticity={ELASTICITIES}", "--grid", "algo_efficiency_gain=2,4"]
    fixed = ["--set", "hardware_efficiency_gain=1", "--set", "n_firms=50", "--steps", "12"]
    return make_sweep(out, "--preset", "analytic", *grid, *fixed)


def test_prim_finds_a_box_holding_the_known_backfire_region(analytic_sweep, tmp_path):
    out = tmp_path / "found"
    result = cli(
        "discover", str(analytic_sweep), "--where", "compute_growth > 1", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    found = json.loads((out / "discovery.json").read_text())
    assert found["runs"] == 16 and found["runs_of_interest"] == 8  # elasticities 1.25 to 2.5
    box = found["box"]
    assert box["coverage"] == 1.0 and box["density"] == 1.0
    low, high = box["limits"]["price_elasticity"]
    assert 1.0 < low <= 1.25 and high >= 2.5  # exactly the runs with elasticity > 1
    assert "algo_efficiency_gain" not in box["limits"]  # efficiency gain does not matter
    assert "price_elasticity" in result.stdout and "coverage 1.00" in result.stdout
    png = (out / "discovery.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 30_000
    assert "(reported)" in (out / "discovery.md").read_text()


def test_cart_finds_the_same_region_as_a_leaf(analytic_sweep, tmp_path):
    out = tmp_path / "cart"
    result = cli(
        "discover",
        str(analytic_sweep),
        "--where",
        "compute_growth > 1",
        "--method",
        "cart",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    found = json.loads((out / "discovery.json").read_text())
    assert found["method"].startswith("CART") and len(found["leaves"]) == 1
    leaf = found["leaves"][0]
    assert leaf["coverage"] == 1.0 and leaf["density"] == 1.0
    low, high = leaf["limits"]["price_elasticity"]
    assert 1.0 < low <= 1.25 and high >= 2.5 and list(leaf["limits"]) == ["price_elasticity"]
    assert "CART: 1 leaf where" in result.stdout
    assert (out / "discovery.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_default_output_goes_beside_the_sweep(analytic_sweep):
    result = cli("discover", str(analytic_sweep), "--where", "price_elasticity > 1.7")
    assert result.returncode == 0, result.stderr
    found = json.loads((analytic_sweep / "discovery" / "discovery.json").read_text())
    assert found["box"]["limits"]["price_elasticity"][0] > 1.5


@pytest.mark.parametrize(
    "where,words",
    [
        ("nonsense > 1", "unknown column 'nonsense'"),
        ("compute_growth >", "not a valid condition"),
        ("compute_growth * 2", "not a condition"),
        ("   ", "--where is empty"),
        ("compute_growth > 1e9", "no successful run satisfies"),
        ("compute_growth > 0", "every successful run satisfies"),
        ("x" * 100_000 + " > 1", "characters"),
    ],
)
def test_a_bad_condition_gets_one_sentence_and_exit_2(analytic_sweep, tmp_path, where, words):
    out = tmp_path / "o"
    result = cli("discover", str(analytic_sweep), "--where", where, "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and len(lines[0]) < 1000
    assert not out.exists()


@pytest.mark.parametrize(
    "args,words",
    [
        (["--inputs", "nonsense"], "--inputs names 'nonsense'"),
        (["--min-coverage", "1.5"], "--min-coverage"),
    ],
)
def test_bad_options_are_refused(analytic_sweep, args, words):
    result = cli("discover", str(analytic_sweep), "--where", "compute_growth > 1", *args)
    assert result.returncode == 2 and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_read_only_sweep_needs_another_out(analytic_sweep, read_only, tmp_path):
    frozen = read_only(analytic_sweep)
    result = cli("discover", str(frozen), "--where", "compute_growth > 1")
    assert result.returncode == 2 and "not writable" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    ok = cli(
        "discover",
        str(frozen),
        "--where",
        "compute_growth > 1",
        "--out",
        str(tmp_path / "elsewhere"),
    )
    assert ok.returncode == 0, ok.stderr
