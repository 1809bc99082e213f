"""The adversarial table: every bad input and accident the reliability promises cover, tried
as a user would from this checkout (the ``jevons-compute`` console script, real processes,
real files), one row each: what was done, the exit status, the first line of stderr,
whether anything was left in ``--out`` and whether any process outlived a killed sweep.

    ./dev python scripts/adversarial.py            # prints the table (Markdown), ~3 min

It exits 1 if a row breaks a promise (exit status other than expected, a traceback, files
left by a refused command, a survivor). The tests hold each case; this script is the
whole table at once, for a fresh clone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psutil

CLI = str(Path(sys.executable).with_name("jevons-compute"))
QUICK = ["--steps", "6", "--set", "n_firms=100"]
SWEEP = ["--steps", "60", "--set", "n_firms=3000", "--workers", "2", "--no-progress"]
SWEEP += ["--grid", "bass_q=0.2,0.3,0.4,0.5,0.6", "--replications", "6"]

#: (what, command after jevons-compute, exit status expected); OUT is the case's --out
REFUSED = [
    ("unknown parameter", ["run", "--set", "nonsense=1"]),
    ("not a number", ["run", "--set", "price_elasticity=abc"]),
    ("out of range", ["run", "--set", "price_elasticity=9"]),
    ("not finite", ["run", "--set", "bass_q=inf"]),
    ("unknown choice", ["run", "--set", "demand_model=linear"]),
    ("unknown preset", ["run", "--preset", "nonsense"]),
    ("a value 100,000 characters long", ["run", "--set", "price_elasticity=" + "9" * 100_000]),
    ("chips for no region", ["run", "--set", "vendor_set=single_gpu", "--set",
                             "export_controls=strict"]),
    ("inert: price_elasticity under task-value demand", ["run", "--set",
                                                         "price_elasticity=0.75"]),
    ("inert: shock_step without a shock", ["run", "--set", "shock_factor=1", "--set",
                                           "shock_step=40"]),
    ("inert: grid limit without power limits", ["run", "--set", "power_limited=false",
                                                "--set", "ai_share_of_grid=0.2"]),
    ("inert: swept elasticity under task-value demand", ["sweep", "--grid",
                                                         "price_elasticity=0.5,1.5"]),
    ("demand beyond a float (constant elasticity 5, algorithms 100x a year, 1,200 months)",
     ["run", "--set", "demand_model=constant_elasticity", "--set", "price_elasticity=5",
      "--set", "algo_efficiency_gain=100", "--steps", "1200", "--set", "n_firms=500"]),
    ("sweep grid without values", ["sweep", "--grid", "price_elasticity"]),
    ("sweep grid given twice", ["sweep", "--grid", "bass_q=0.1", "--grid", "bass_q=0.2"]),
    ("a billion-run sweep", ["sweep", "--grid", "bass_q=" + ",".join(["0.1"] * 1000),
                             "--replications", "1000000"]),
    ("spec file missing", ["sweep", "no/such/spec.toml"]),
    ("steps out of range", ["run", "--steps", "0"]),
    ("--out under a file", ["run", "--out", "FILE/run"]),
]  # fmt: skip


def first_line(text: str) -> str:
    line = (text.strip().splitlines() or [""])[-1]
    return line if len(line) <= 140 else line[:137] + "..."


def refused(tmp: Path) -> list[tuple]:
    (tmp / "FILE").write_text("a file, not a folder")
    rows = []
    for i, (what, args) in enumerate(REFUSED):
        out = tmp / f"out{i}"
        args = [a.replace("FILE", str(tmp / "FILE")) for a in args]
        if "--out" not in args:
            args = [*args, "--out", str(out)]
        if args[0] == "run" and "--steps" not in args:
            args = [*args, *QUICK]
        r = subprocess.run([CLI, *args], capture_output=True, text=True, cwd=tmp)
        written = out.exists() and any(out.iterdir())
        ok = r.returncode == 2 and "Traceback" not in r.stderr and not written
        ok = ok and len(r.stderr.strip().splitlines()) == 1
        rows.append((what, r.returncode, first_line(r.stderr), "yes" if written else "no", ok))
    return rows


API_SWEEP = textwrap.dedent(
    """
    import sys, threading, time
    from jevons_compute.experiments.sweeps.runner import run_sweep
    from jevons_compute.experiments.sweeps.spec import SweepSpec

    if __name__ == "__main__":
        if sys.argv[1] == "forkserver":  # a thread in the parent: the pool uses a fork server
            threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
        spec = SweepSpec(steps=60, replications=6, fixed={"n_firms": 3000},
                         grid={"bass_q": [0.2, 0.3, 0.4, 0.5, 0.6]})
        run_sweep(spec, sys.argv[2], workers=2, progress=False)
    """
)


def wait_for_a_run(out: Path, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if list((out / "parts").glob("run-*.json")) if (out / "parts").exists() else []:
            return
        time.sleep(0.05)
    raise SystemExit(f"no run saved in {out} within {timeout} s")


def killed(tmp: Path) -> list[tuple]:
    rows = []
    script = tmp / "api_sweep.py"
    script.write_text(API_SWEEP)
    cases = [
        (f"SIGKILL of a sweep ({m} workers)", [sys.executable, str(script), m], signal.SIGKILL)
        for m in ("fork", "forkserver")
    ]
    cases += [
        (f"{s.name} of `jevons-compute sweep`", [CLI, "sweep", *SWEEP], s)
        for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGKILL)
    ]
    for i, (what, cmd, sig) in enumerate(cases):
        out = tmp / f"kill{i}"
        cmd = [*cmd, str(out)] if cmd[0] == sys.executable else [*cmd, "--out", str(out)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_for_a_run(out)
        family = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
        _, alive = psutil.wait_procs(family, timeout=10)
        alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
        for p in alive:
            p.kill()
        expected = -9 if sig == signal.SIGKILL else 130
        ok = proc.returncode == expected and not alive and "Traceback" not in err
        line = first_line(err) if err.strip() else "(killed: no message)"
        if "resource_tracker" in err:  # it outlives the sweep just long enough to clean up
            line = "(killed: the resource tracker removed the sweep's semaphores, then exited)"
        rows.append((what, proc.returncode, line, f"{len(alive)} of {len(family)} alive", ok))
        if cmd[0] == CLI:  # the same command resumes it
            again = subprocess.run(cmd, capture_output=True, text=True)
            rows.append(
                ("... then the same command again", again.returncode, first_line(again.stdout),
                 "-", again.returncode == 0)
            )  # fmt: skip
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="adversarial-") as name:
        tmp = Path(name)
        rows = refused(tmp) + killed(tmp)
    print("| case | exit | what the user reads (last line of stderr) | left behind | kept |")
    print("|---|---|---|---|---|")
    for what, rc, line, left, ok in rows:
        line = line.replace("|", "\\|")
        print(f"| {what} | {rc} | {line} | {left} | {'yes' if ok else '**NO**'} |")
    broken = [r for r in rows if not r[-1]]
    print(f"\n{len(rows) - len(broken)} of {len(rows)} promises kept.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
