"""The command line's bad inputs and hard cases, with real processes, files and sockets:
one sentence and exit status 2, nothing written or half-written; signals reach the UI."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from helpers import cli, make_sweep, start

from jevons_compute.experiments.sweeps.local import free_port, stop
from jevons_compute.experiments.sweeps.runner import run_sweep
from jevons_compute.experiments.sweeps.spec import SweepSpec

SMALL = ["--steps", "6", "--set", "n_firms=100"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweeps") / "ok"
    return make_sweep(
        out,
        "--grid",
        "price_elasticity=0.5,1.5",
        "--set",
        "demand_model=constant_elasticity",
        *SMALL,
    )


@pytest.fixture(scope="module")
def failed_sweep(tmp_path_factory):
    """A sweep whose every run failed (US-only chips banned from China)."""
    out = tmp_path_factory.mktemp("sweeps") / "failed"
    spec = SweepSpec.from_dict(
        {
            "steps": 6,
            "fixed": {"n_firms": 100, "vendor_set": "single_gpu"},
            "grid": {"export_controls": ["strict"]},
            "replications": 2,
        }
    )
    assert run_sweep(spec, out, workers=1, progress=False).failed == 2
    return out


@pytest.fixture
def busy_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


#: case -> (the command line from the test's folders, the words of its one sentence: a
#: string, or a tuple of strings all in it)
CASES = {
    **{
        f"run --set {item}": (
            lambda e, item=item: ["run", "--set", item, "--out", str(e["tmp"] / "r")],
            named,
        )
        for item, named in (
            ("nonsense=1", "nonsense"),
            ("price_elasticity=abc", "price_elasticity"),
            ("price_elasticity=9", "price_elasticity"),
            ("n_firms=2.5", "n_firms"),
            ("n_firms=2", "n_firms"),
            ("demand_model=linear", "demand_model"),
            ("capacity_limited=maybe", "capacity_limited"),
            ("price_elasticity", "NAME=VALUE"),
            # a parameter that would not act under the default task-value demand
            (
                "price_elasticity=0.75",
                ("does not act under demand_model=task_value", "demand_model=constant_elasticity"),
            ),
        )
    },
    "run a parameter its option leaves inert": (
        lambda e: (
            ["run", "--set", "shock_factor=1", "--set", "shock_step=40"]
            + ["--out", str(e["tmp"] / "r")]
        ),
        ("shock_step=40 does not act under shock_factor=1", "a shock_factor above 1"),
    ),
    "run cross-checked values": (
        lambda e: (
            ["run", "--set", "vendor_set=single_gpu", "--set", "export_controls=strict"]
            + ["--out", str(e["tmp"] / "r")]
        ),
        "vendor_set",
    ),
    "run unknown preset": (
        lambda e: ["run", "--preset", "nope", "--out", str(e["tmp"] / "r")],
        "preset",
    ),
    "run no steps": (lambda e: ["run", "--steps", "0", "--out", str(e["tmp"] / "r")], "--steps"),
    "run steps not a number": (
        lambda e: ["run", "--steps", "many", "--out", str(e["tmp"] / "r")],
        "--steps",
    ),
    "run --out a file": (
        lambda e: ["run", *SMALL, "--out", str(e["afile"])],
        ("--out ", "is a file, not a folder"),
    ),
    "run --out unwritable": (
        lambda e: ["run", *SMALL, "--out", "/proc/no/such/place"],
        "--out /proc/no/such/place is not writable",
    ),
    "run --out empty": (lambda e: ["run", *SMALL, "--out", ""], "--out '' is empty"),
    "run --out root": (lambda e: ["run", *SMALL, "--out", "/"], "is the root folder"),
    "run --out a sweep": (lambda e: ["run", *SMALL, "--out", str(e["sweep"])], "holds a sweep"),
    "run --out parts only": (
        lambda e: ["run", *SMALL, "--out", str(e["parts_only"])],
        "holds a sweep",
    ),
    "run huge value": (
        lambda e: [
            "run",
            *SMALL,
            "--set",
            "price_elasticity=" + "9" * 100_000,
            "--out",
            str(e["tmp"] / "r"),
        ],
        "(100,000 characters)",
    ),
    "run huge integer": (
        lambda e: ["run", "--set", "n_firms=" + "9" * 100_000, "--out", str(e["tmp"] / "r")],
        "n_firms='99",
    ),
    "run overflowing integer": (
        lambda e: ["run", "--set", "n_firms=1e999", "--out", str(e["tmp"] / "r")],
        "n_firms='1e999' is not allowed",
    ),
    "run huge preset": (
        lambda e: ["run", "--preset", "p" * 100_000, "--out", str(e["tmp"] / "r")],
        "unknown preset 'ppp",
    ),
    "ui huge host": (lambda e: ["ui", "--host", "h" * 100_000], "(100,000 characters)"),
    "run negative seed": (
        lambda e: ["run", "--seed", "-1", "--out", str(e["tmp"] / "r")],
        "--seed",
    ),
    "compare --out a file": (
        lambda e: ["compare", str(e["sweep"]), "--out", str(e["afile"])],
        "is a file, not a folder",
    ),
    "compare --out read-only": (
        lambda e: ["compare", str(e["sweep"]), "--out", str(e["ro"])],
        "not writable",
    ),
    "compare all failed": (
        lambda e: ["compare", str(e["failed"]), "--out", str(e["tmp"] / "c")],
        "every run in",
    ),
    "report read-only": (lambda e: ["report", str(e["ro_sweep"])], "not writable"),
    "report all failed": (lambda e: ["report", str(e["failed"])], "every run in"),
    "ui port in use": (lambda e: ["ui", "--port", str(e["port"])], "already in use"),
    "ui unknown host": (
        lambda e: ["ui", "--host", "no.such.host.invalid"],
        "not an address of this machine",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gets_one_sentence_exit_2_and_nothing_written(
    tmp_path, sweep, failed_sweep, busy_port, read_only, case
):
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    (tmp_path / "empty").mkdir()
    parts_only = tmp_path / "parts_only"
    (parts_only / "parts").mkdir(parents=True)
    env = {
        "sweep": sweep,
        "failed": failed_sweep,
        "afile": afile,
        "tmp": tmp_path,
        "port": busy_port,
        "parts_only": parts_only,
    }
    if "read-only" in case:
        env["ro"] = read_only(tmp_path / "empty")
        env["ro_sweep"] = read_only(sweep)
    build, words = CASES[case]
    before = sorted(p.name for p in sweep.rglob("*"))
    result = cli(*build(env))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 600, result.stderr
    for word in words if isinstance(words, tuple) else (words,):
        assert word in lines[0], result.stderr
    assert "Traceback" not in result.stderr and "open http" not in result.stdout
    assert afile.read_text() == "keep me"
    assert sorted(p.name for p in sweep.rglob("*")) == before  # nothing added to the sweep
    assert not (tmp_path / "r").exists() and not (tmp_path / "c").exists()
    assert not list(parts_only.glob("*.csv"))


def test_a_non_local_host_is_warned_about_before_anything_else(busy_port):
    result = cli("ui", "--host", "0.0.0.0", "--port", str(busy_port))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 2
    assert "warning" in lines[0] and "reachable from other machines" in lines[0]
    assert "already in use" in lines[1] and "open http" not in result.stdout


def test_a_full_disk_leaves_nothing_half_written(small_tmpfs):
    free = os.statvfs(small_tmpfs)
    (small_tmpfs / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 60_000))
    out = small_tmpfs / "run"
    result = cli("run", *SMALL, "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], result.stderr
    assert [p.name for p in small_tmpfs.iterdir()] == ["filler"]  # no folder, no temporary


def test_a_rerun_into_an_existing_run_folder_replaces_its_files(tmp_path):
    out = tmp_path / "run"
    for seed in ("1", "2"):
        result = cli("run", *SMALL, "--seed", seed, "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "overview.png",
        "summary.json",
        "timeseries.csv",
    ]
    assert '"seed": 2' in (out / "summary.json").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _processes_serving(port: int) -> list[int]:
    """Pids whose command line runs the UI app on ``port`` (read from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            except OSError:
                continue
            if b"solara" in b" ".join(argv) and str(port).encode() in argv:
                found.append(int(entry))
    return found


def test_sigterm_to_the_ui_stops_the_server_and_leaves_no_orphan():
    port = free_port()
    proc = start("ui", "--port", str(port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status == 200:
                    break
            except OSError:
                assert time.time() < deadline and proc.poll() is None, "the UI did not start"
                time.sleep(0.3)
        assert _processes_serving(port)
        os.kill(proc.pid, signal.SIGTERM)  # the process the user started, not its group
        proc.wait(timeout=30)
        deadline = time.time() + 10
        while _processes_serving(port) and time.time() < deadline:
            time.sleep(0.2)
        assert _processes_serving(port) == []
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    finally:
        stop([proc])
