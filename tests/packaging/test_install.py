"""A real installation: ``pip install .`` (not editable) into a fresh virtualenv, used from
a folder outside the checkout, as a user who downloaded the package would."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtualenv with the package installed from this checkout (versions pinned by
    requirements.lock, so pip's cache from the set-up serves them)."""
    base = tmp_path_factory.mktemp("install")
    venv = base / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(ROOT / "requirements.lock"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    work = base / "work"
    work.mkdir()
    return venv, work


def run(venv: Path, work: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*args],
        cwd=work,
        capture_output=True,
        text=True,
        env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work), "MPLBACKEND": "Agg"},
    )


def test_the_console_script_runs_a_scenario(installed):
    venv, work = installed
    done = run(
        venv, work, "jevons-compute", "run", "--set", "n_firms=500", "--steps", "12", "--out", "r"
    )
    assert done.returncode == 0, done.stderr
    assert "jevons ratio" in done.stdout
    assert {p.name for p in (work / "r").iterdir()} >= {"timeseries.csv", "summary.json"}


def test_a_named_experiment_runs_from_the_installed_package(installed):
    venv, work = installed
    done = run(
        venv,
        work,
        "jevons-compute",
        "experiment",
        "jevons_map",
        "--quick",
        "--out",
        "e",
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    assert (work / "e" / "findings.md").read_text().startswith("# jevons_map")


def test_the_package_data_is_installed_and_read(installed):
    venv, work = installed
    code = (
        "import json; from jevons_compute import PRESETS; from jevons_compute.world import "
        "presets; print(json.dumps([PRESETS['default'], len(presets.load_members()), "
        "str(presets.CALIBRATED_DEFAULT)]))"
    )
    done = run(venv, work, str(venv / "bin" / "python"), "-c", code)
    assert done.returncode == 0, done.stderr
    default, members, path = json.loads(done.stdout)
    shipped = json.loads((ROOT / "jevons_compute" / "data" / "calibrated_default.json").read_text())
    assert default == shipped["parameters"] and members > 0
    assert "site-packages" in path  # read from the installed package, not this checkout


def test_nothing_generic_is_installed_at_top_level(installed):
    venv, work = installed
    for name in ("model", "agents", "experiments", "run"):
        done = run(venv, work, str(venv / "bin" / "python"), "-c", f"import {name}")
        assert done.returncode != 0 and "ModuleNotFoundError" in done.stderr, name
    site = next((venv / "lib").glob("python3*/site-packages"))
    record = next(site.glob("jevons_compute-*.dist-info")) / "RECORD"
    paths = [line.split(",")[0] for line in record.read_text().splitlines()]
    tops = {p.split("/")[0] for p in paths if not p.startswith("../")}  # ../bin: the script
    assert {t.split("-")[0] for t in tops} == {"jevons_compute"}, tops
