"""A sweep folder's manifest: what the sweep is, and the code and parameter values it was
started under (a resume under others is refused unless allowed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from jevons_compute.experiments.runs.schema import RESULTS_SCHEMA
from jevons_compute.experiments.runs.storage import (
    code_digest,
    code_version,
    package_versions,
    write_json,
)
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec

MANIFEST = "manifest.json"


def resolved_parameters(spec: SweepSpec) -> dict:
    """Every parameter's value before the varied ones: defaults, preset, fixed."""
    from jevons_compute.world.parameters import PARAMETERS
    from jevons_compute.world.presets import PRESETS

    values = {p.name: p.default for p in PARAMETERS}
    values.update(PRESETS[spec.preset])
    values.update(spec.fixed)
    return json.loads(json.dumps(values, default=_plain))


def start_manifest(
    spec: SweepSpec,
    out: Path,
    extra: dict | None,
    allow_code_change: bool,
    note: Callable[[str], None],
) -> None:
    """Write the manifest, or check that ``out`` holds this very sweep (resume) under the
    same code and parameter defaults."""
    path = out / MANIFEST
    now = {
        "code_version": code_version(),
        "code_digest": code_digest(),
        "parameters": resolved_parameters(spec),
    }
    if path.exists():
        try:
            old = json.loads(path.read_text())
            old["fingerprint"]
        except (OSError, ValueError, TypeError, KeyError):
            note(
                f"{path} is damaged (empty or truncated): writing it again from this spec; "
                "saved runs are kept only where their seed and parameters match it."
            )
        else:
            if old.get("fingerprint") != spec.fingerprint():
                raise SpecError(
                    f"{out} holds a different sweep ({_differences(old.get('spec'), spec)}); "
                    "give another --out or delete that folder to start afresh."
                )
            if _check_code(old, now, out, allow_code_change):
                old.setdefault("resumed_under", []).append(
                    {k: now[k] for k in ("code_version", "code_digest")}
                )
                schema = old.get("results_schema", 1)
                if schema != RESULTS_SCHEMA:
                    note(
                        f"{out} was started under results schema {schema} (backfire read "
                        f"another ratio); this code writes schema {RESULTS_SCHEMA} "
                        "(backfire: jevons_ratio_12m > 1): its saved runs run again."
                    )
                    old["results_schema"] = RESULTS_SCHEMA
                write_json(path, old, sort_keys=False)
            return
    elif any(p for p in out.iterdir() if not p.name.startswith(".")):
        raise SpecError(f"{out} is not empty and holds no sweep: give an empty or new --out.")
    write_json(
        path,
        {
            "spec": spec.to_dict(),
            "fingerprint": spec.fingerprint(),
            "base_seed": spec.base_seed,
            "n_runs": spec.n_runs(),
            "results_schema": RESULTS_SCHEMA,
            **now,
            "packages": package_versions(),
            **(extra or {}),
        },
        sort_keys=False,  # key order is meaning: it orders the grid's runs and sample's columns
    )


def _check_code(old: dict, now: dict, out: Path, allowed: bool) -> bool:
    """True if the code or a parameter default changed since ``out`` was started (and the
    user allowed it); SpecError if it changed and was not allowed."""
    changed = None
    if old.get("code_digest") != now["code_digest"]:
        changed = (
            f"{out} was started under other code (digest {old.get('code_digest', 'unknown')}, "
            f"commit {old.get('code_version', 'unknown')}; now {now['code_digest']})"
        )
    else:
        before = old.get("parameters", {})
        for name, value in now["parameters"].items():
            if name in before and before[name] != value:
                changed = (
                    f"the value of {name} changed from {before[name]!r} to {value!r} since "
                    f"{out} was started"
                )
                break
    if changed and not allowed:
        raise SpecError(
            f"{changed}: resuming would mix results of two versions; pass "
            "--allow-code-change to do it anyway (runs.parquet records each run's code "
            "digest), or give another --out."
        )
    return changed is not None


def _plain(x):
    return x.item() if hasattr(x, "item") else str(x)


def _differences(old, spec) -> str:
    """Which keys of a saved sweep's spec differ from ``spec``'s, named, not dumped (a
    design of hundreds of points would fill the screen)."""
    if not isinstance(old, dict):
        return "its spec is unreadable"
    new = spec.to_dict()
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    if not keys:
        return "same spec, other fingerprint"
    return "its " + ", ".join(keys) + (" differs" if len(keys) == 1 else " differ")
