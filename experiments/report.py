"""Reports of one output folder, and comparisons of several on shared axes."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.analysis import band_plot, headline_table, load, markdown_table  # noqa: E402
from experiments.named import EXPERIMENTS, findings, panels, save_figure  # noqa: E402
from experiments.spec import SpecError  # noqa: E402
from experiments.storage import OutputError, prepare_out_dir, write_atomic  # noqa: E402
from model.metrics import METRICS, UNITS  # noqa: E402

DEFAULT_COMPARE = ("compute_index", "price_per_mtok", "adoption_rate", "rebound")
LOG_METRICS = {
    "price_per_mtok",
    "tokens",
    "total_compute",
    "inference_flops",
    "training_flops",
    "energy_mwh",
    "compute_index",
    "energy_index",
    "efficiency_index",
    "installed_flops",
}


def check_sweep_dir(path: str | Path) -> Path:
    path = Path(path)
    if not (path / "manifest.json").exists():
        raise SpecError(f"{path} is not a sweep or experiment folder (no manifest.json).")
    if not (path / "runs.parquet").exists():
        raise SpecError(
            f"{path} has no results yet (no runs.parquet): run or resume the sweep first."
        )
    return path


def check_some_ok(path: Path, runs: pd.DataFrame) -> None:
    """Refuse a sweep without a successful run: there is nothing to draw."""
    if not (runs["status"] == "ok").any():
        first = runs["error"].iloc[0] if len(runs) else ""
        raise SpecError(
            f"every run in {path} failed (first error: {str(first)[:120]}): nothing to "
            "report; see the error column of runs.parquet."
        )


def check_writable(path: Path) -> None:
    """Refuse a folder report cannot write figures/ and findings.md into."""
    import tempfile

    try:
        tempfile.NamedTemporaryFile(dir=path, prefix=".probe-").close()
    except OSError as exc:
        raise OutputError(
            f"{path} is not writable ({exc.strerror}): report writes figures/ and findings.md "
            "there; copy the folder somewhere writable and report on the copy."
        ) from None


def report(out: str | Path) -> Path:
    """Rebuild the figures and findings.md of one output folder."""
    out = check_sweep_dir(out)
    check_writable(out)
    manifest, runs, series = load(out)
    check_some_ok(out, runs)
    name = manifest.get("experiment")
    if name in EXPERIMENTS:
        text = EXPERIMENTS[name].analyze(out, manifest, runs, series)
    else:
        figure = panels(
            out,
            "sweep",
            runs,
            series,
            [
                ("compute_index", "total compute (step 0 = 1, log)", 1.0, True),
                ("price_per_mtok", "USD per million tokens (log)", 1.0, True),
                ("adoption_rate", "firms adopted (%)", 100, False),
                ("rebound", "rebound (1 = backfire line)", 1.0, False),
            ],
            manifest["spec"].get("name", "sweep"),
        )
        failed = int((runs["status"] == "failed").sum())
        body = [f"{len(runs)} runs, {failed} failed, {manifest['spec']['steps']} months each."]
        text = findings(
            manifest["spec"].get("name", "sweep"),
            "a parameter sweep",
            body,
            [figure],
            headline_table(runs),
        )
    write_atomic(out / "findings.md", text)
    return out / "findings.md"


def compare(dirs: list[str | Path], metrics: list[str], out: str | Path) -> tuple[Path, str]:
    """Draw ``metrics`` of several folders on shared axes; return (figure path, table)."""
    for metric in metrics:
        if metric not in METRICS or metric in ("step", "date"):
            raise SpecError(
                f"--metric {metric!r} is not a metric: use one of "
                + ", ".join(m for m in METRICS if m not in ("step", "date"))
                + "."
            )
    loaded = [(Path(d), *load(check_sweep_dir(d))) for d in dirs]
    for path, _, runs, _ in loaded:
        check_some_ok(path, runs)
    out = prepare_out_dir(out)
    fig, axes = plt.subplots(
        1, len(metrics), figsize=(5.5 * len(metrics), 4.5), constrained_layout=True, squeeze=False
    )
    for ax, metric in zip(axes[0], metrics):
        for path, _, runs, series in loaded:
            band_plot(ax, runs, series, metric, log=metric in LOG_METRICS, prefix=f"{path.name}: ")
        ax.set_ylabel(f"{metric} ({UNITS.get(metric, 'see README')})")
        ax.set_title(metric)
        if metric == "rebound":
            ax.axhline(1.0, color="red", ls="--", lw=1)
    axes[0][0].legend(fontsize=7)
    fig.suptitle("comparison (mean and 90% band over seeds)")
    figure = Path(save_figure(out, "compare", fig))
    tables = []
    for path, _, runs, _ in loaded:
        table = headline_table(runs)
        table.index = [f"{path.name}: {label}" for label in table.index]
        tables.append(table)
    table = pd.concat(tables)
    table.index.name = "sweep: design point"
    text = markdown_table(table)
    write_atomic(out / "compare.md", text + "\n")
    write_atomic(
        out / "compare.json",
        json.dumps({"dirs": [str(d) for d in dirs], "metrics": metrics}) + "\n",
    )
    return out / figure, text
