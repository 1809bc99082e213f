"""Output files describe themselves: every parameter, units, dates, provenance, version;
and they are as readable as the user's umask allows."""

import json
import stat
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
from helpers import cli, make_sweep

from jevons_compute import __version__
from jevons_compute.world.parameters import BY_NAME, PARAMETERS
from jevons_compute.world.presets import PRESETS

SMALL = ["--steps", "6", "--set", "n_firms=100"]


@pytest.fixture(scope="module")
def analytic_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs") / "sweep"
    grid = ["--grid", "price_elasticity=0.5,1.5", "--set", "demand_model=constant_elasticity"]
    return make_sweep(out, "--preset", "analytic", *grid, *SMALL, "--format", "csv")


def test_runs_parquet_holds_every_resolved_parameter_with_units(analytic_sweep):
    runs = pd.read_parquet(analytic_sweep / "runs.parquet")
    for p in PARAMETERS:
        assert p.name in runs.columns, p.name
    # the preset's values, not only the varied and fixed ones; the rest at their defaults
    for name, value in PRESETS["analytic"].items():
        assert (runs[name] == value).all(), name
    assert (runs["n_firms"] == 100).all() and (runs["cost_of_capital"] == 0.10).all()
    schema = pq.read_schema(analytic_sweep / "runs.parquet")
    field = schema.field("price_elasticity")
    assert field.metadata[b"unit"] == BY_NAME["price_elasticity"].unit.encode()
    assert field.metadata[b"description"] == BY_NAME["price_elasticity"].doc.encode()
    assert schema.field("wall_time_s").metadata[b"unit"] == b"s"
    assert schema.field("compute_growth").metadata[b"description"].startswith(b"total compute")
    assert schema.metadata[b"jevons_compute.version"] == __version__.encode()


def test_timeseries_parquet_has_dates_and_units(analytic_sweep):
    schema = pq.read_schema(analytic_sweep / "timeseries.parquet")
    assert str(schema.field("date").type) == "date32[day]"
    assert schema.field("energy_mwh").metadata[b"unit"] == b"MWh/month"  # the metric table
    assert schema.field("adoption_rate").metadata[b"unit"] == b"share"
    series = pd.read_parquet(analytic_sweep / "timeseries.parquet")
    assert str(series["date"].iloc[0]) == "2023-01-01"


def test_manifest_records_command_platform_times_and_version(analytic_sweep):
    manifest = json.loads((analytic_sweep / "manifest.json").read_text())
    assert manifest["version"] == __version__
    assert (
        manifest["command"][:2] == ["jevons-compute", "sweep"] and "--format" in manifest["command"]
    )
    assert manifest["platform"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert manifest["started"] <= manifest["finished"]


def test_format_csv_writes_csv_beside_parquet(analytic_sweep):
    runs = pd.read_csv(analytic_sweep / "runs.csv")
    parquet = pd.read_parquet(analytic_sweep / "runs.parquet")
    assert list(runs.columns) == list(parquet.columns) and len(runs) == 2
    series = pd.read_csv(analytic_sweep / "timeseries.csv")
    assert series["date"].iloc[0] == "2023-01-01" and len(series) == 2 * 7


def test_a_run_records_its_version_and_can_write_parquet(tmp_path):
    out = tmp_path / "run"
    result = cli("run", *SMALL, "--out", str(out), "--format", "parquet")
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["version"] == __version__ and summary["command"][1] == "run"
    assert not (out / "timeseries.csv").exists()
    assert str(pq.read_schema(out / "timeseries.parquet").field("date").type) == "date32[day]"


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_file_modes_follow_the_umask(tmp_path, umask):
    run_out, sweep_out = tmp_path / "run", tmp_path / "sweep"
    assert cli("run", *SMALL, "--out", str(run_out), umask=umask).returncode == 0
    result = cli(
        "experiment",
        "jevons_map",
        "--quick",
        "--out",
        str(sweep_out),
        "--no-progress",
        "--workers",
        "1",
        umask=umask,
    )
    assert result.returncode == 0, result.stderr
    files = [p for p in [*run_out.rglob("*"), *sweep_out.rglob("*")] if p.is_file()]
    names = {p.name for p in files}
    assert {"runs.parquet", "manifest.json", "findings.md", "summary.json", "overview.png"} <= names
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path
    assert stat.S_IMODE(run_out.stat().st_mode) == 0o777 & ~umask
