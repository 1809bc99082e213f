"""Named experiment `backtest`: the calibrated ensemble from 2023 against what happened after.

Every member of data/ensemble.csv runs from January 2023 with replicated seeds; each
observation of data/observed.csv is compared with the model's 90% band over members and
seeds (the ensemble band) and with that band widened by the observation's error and the
model discrepancy (the predictive band). Rows dated after the fit window are held out:
pseudo-out-of-sample, since those data were public when the model was designed. Writes
backtest.csv (per observation), coverage.csv (per series), forecasts.csv (dated bands for
the next release of each series, to be scored when it appears), a figure per series and
findings.md.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd

from jevons_compute.experiments.analysis.findings import findings, save_figure
from jevons_compute.experiments.analysis.tables import markdown_table
from jevons_compute.experiments.calibration import observed
from jevons_compute.experiments.calibration.history_matching import DISCREPANCY_LOG_SD
from jevons_compute.experiments.named.common import Experiment
from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.experiments.runs.storage import write_atomic
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec
from jevons_compute.model.metrics.table import METRICS
from jevons_compute.world.parameters import BY_NAME
from jevons_compute.world.presets import ENSEMBLE_PATH, EnsembleError, load_members

CLAIM = (
    "the calibrated ensemble's 90% band covers the observations after "
    f"{observed.FIT_END} (pseudo-out-of-sample)"
)
#: Last month simulated: the next releases after the latest observation fall before it.
HORIZON = "2026-12"
QUICK_MEMBERS = 3
LEVEL = 0.9


def make_spec(quick: bool) -> SweepSpec:
    start_year = BY_NAME["start_year"].default
    steps = observed.step_of(HORIZON, start_year) + 1
    if quick:
        try:
            members = load_members(ENSEMBLE_PATH)[:QUICK_MEMBERS]
        except EnsembleError as exc:
            raise SpecError(str(exc)) from None
        source = {"points": members}
    else:
        source = {"ensemble": "data/" + ENSEMBLE_PATH.name}
    return SweepSpec.from_dict(
        {
            "name": "backtest",
            "steps": steps,
            "replications": 2 if quick else 5,
            "base_seed": 2023,
            "counterfactual": "none",
            "marginal": False,
            "fixed": {"n_firms": 5000 if quick else 20_000},
            **source,
        },
        source="backtest",
    )


def next_releases(obs: pd.DataFrame) -> pd.DataFrame:
    """For each series, its next release: the latest row moved on by the spacing of the
    last two (a reference period moves too unless the series keeps a fixed base)."""
    rows = []
    for _, part in obs.sort_values("date").groupby("series", sort=False):
        if len(part) < 2:
            continue
        last, before = part.iloc[-1], part.iloc[-2]
        gap = _months(last["date"]) - _months(before["date"])
        length = _months(last["date"]) - _months(last["start"])
        if gap <= 0 or length != _months(before["date"]) - _months(before["start"]):
            continue  # not a regular series (e.g. surveys of different kinds)
        nxt = last.copy()
        for col in ("start", "date"):
            nxt[col] = _month(_months(last[col]) + gap)
        if last["aggregate"] == "ratio" and last["ref_start"] != before["ref_start"]:
            for col in ("ref_start", "ref_end"):
                nxt[col] = _month(_months(last[col]) + gap)
        rows.append(nxt)
    return pd.DataFrame(rows).reset_index(drop=True)


def _months(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def analyze(out, manifest, runs, series) -> str:
    start_year = BY_NAME["start_year"].default
    ok = series[series["run_id"].isin(runs.loc[runs["status"] == "ok", "run_id"])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obs = observed.usable(observed.load_observed(), METRICS)
    skipped = [str(w.message) for w in caught]
    simulated = observed.simulated_log(ok, obs, start_year)
    table = _compare(obs, simulated)
    write_atomic(out / "backtest.csv", table.to_csv(index=False))
    coverage = _coverage(table)
    write_atomic(out / "coverage.csv", coverage.to_csv())
    forecasts = _forecasts(obs, ok, start_year, manifest)
    write_atomic(out / "forecasts.csv", forecasts.to_csv(index=False))
    figures = [_figure(out, name, part) for name, part in table.groupby("series", sort=False)]
    held = table[~table["fit"]]
    body = [
        f"Ensemble: {runs['point'].nunique()} members x {manifest['spec']['replications']} "
        f"seeds from January {start_year}; {len(table)} observations, {int(table['fit'].sum())} "
        f"in the fit window (to {observed.FIT_END}), {len(held)} held out. Held-out data were "
        "public when the model was designed: this is a pseudo-out-of-sample test; "
        "forecasts.csv holds dated bands for the next releases, the true test.",
        "",
        f"Held-out coverage of the ensemble's 90% band: {_share(held['inside_ensemble'])}; "
        f"of the predictive band (with observation error and discrepancy "
        f"{DISCREPANCY_LOG_SD} in logs): {_share(held['inside_predictive'])}. Median absolute "
        f"log error (held out): {held['abs_log_error'].median():.3g} "
        f"(a factor of {np.exp(held['abs_log_error'].median()):.3g}).",
        "",
        "What the model gets wrong (held-out observations outside the predictive band):",
        "",
        *_wrong(held),
        "",
        *[line for m in skipped for line in (f"Skipped: {m}", "")],
        "Each held-out observation against the model (model units; median and 90% band over "
        "members and seeds):",
        "",
        markdown_table(
            held.set_index("series")[
                ["date", "observed_model_units", "model_median", "model_low", "model_high"]
            ]
        ),
        "",
    ]
    return findings(
        "backtest",
        CLAIM,
        body,
        figures,
        coverage,
        caption="Per series: points in the fit window and held out, held-out coverage of the "
        "ensemble and predictive 90% bands, median absolute log error (held out) and median "
        "log error in the fit window (model minus observed):",
    )


def _compare(obs: pd.DataFrame, simulated: pd.DataFrame) -> pd.DataFrame:
    """One row per observation: observed, model median and bands (model units), verdicts."""
    rng = np.random.default_rng(0)
    z = observed.target_log(obs)
    spread = np.sqrt(observed.obs_variance(obs) + DISCREPANCY_LOG_SD**2)
    q = (1 - LEVEL) / 2
    rows = []
    for j, label in enumerate(simulated.columns):
        sims = simulated[label].to_numpy(float)
        sims = sims[np.isfinite(sims)]
        row = obs.iloc[j]
        entry = {
            "series": row["series"],
            "date": row["date"],
            "fit": row["date"] <= observed.FIT_END,
            "observed_model_units": float(np.exp(z[j])),
            "runs": len(sims),
        }
        if len(sims):
            low, median, high = np.quantile(sims, [q, 0.5, 1 - q])
            draws = np.repeat(sims, 200) + rng.normal(0, spread[j], len(sims) * 200)
            p_low, p_high = np.quantile(draws, [q, 1 - q])
            entry.update(
                model_median=float(np.exp(median)),
                model_low=float(np.exp(low)),
                model_high=float(np.exp(high)),
                inside_ensemble=bool(low <= z[j] <= high),
                inside_predictive=bool(p_low <= z[j] <= p_high),
                log_error=float(median - z[j]),
                abs_log_error=float(abs(median - z[j])),
            )
        else:  # the model reports nothing positive there (e.g. zero revenue in month 1)
            entry.update(
                model_median=np.nan,
                model_low=np.nan,
                model_high=np.nan,
                inside_ensemble=False,
                inside_predictive=False,
                log_error=np.nan,
                abs_log_error=np.nan,
            )
        rows.append(entry)
    return pd.DataFrame(rows)


def _coverage(table: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name, part in table.groupby("series", sort=False):
        held = part[~part["fit"]]
        out[name] = {
            "fit_points": int(part["fit"].sum()),
            "held_out_points": len(held),
            "coverage_ensemble": held["inside_ensemble"].mean() if len(held) else np.nan,
            "coverage_predictive": held["inside_predictive"].mean() if len(held) else np.nan,
            "median_abs_log_error": held["abs_log_error"].median() if len(held) else np.nan,
            "median_log_error_fit": part.loc[part["fit"], "log_error"].median(),
        }
    return pd.DataFrame(out).T


def _share(flags: pd.Series) -> str:
    return f"{flags.mean():.0%} ({int(flags.sum())} of {len(flags)})" if len(flags) else "n/a"


def _wrong(held: pd.DataFrame) -> list[str]:
    lines = []
    for name, part in held[~held["inside_predictive"]].groupby("series", sort=False):
        errors = part["log_error"].dropna()
        if errors.empty:
            lines.append(f"- {name}: the model reports no positive value ({len(part)} point(s)).")
            continue
        factor = float(np.exp(np.abs(errors).median()))
        side = "too high" if errors.median() > 0 else "too low"
        lines.append(
            f"- {name}: {len(part)} of {len(held[held['series'] == name])} held-out points "
            f"outside; the model is {side} by a median factor of {factor:.3g}."
        )
    return lines or ["- none: every held-out point is inside its predictive band."]


def _forecasts(obs, series, start_year, manifest) -> pd.DataFrame:
    """The ensemble's band for the next release of each series, in the series' own units."""
    nxt = next_releases(obs)
    if nxt.empty:
        return pd.DataFrame()
    sims = observed.simulated_log(series, nxt, start_year)
    q = (1 - LEVEL) / 2
    rows = []
    for j, label in enumerate(sims.columns):
        row = nxt.iloc[j]
        values = sims[label].to_numpy(float)
        values = values[np.isfinite(values)] - np.log(row["factor"])
        band = np.exp(np.quantile(values, [q, 0.5, 1 - q])) if len(values) else [np.nan] * 3
        rows.append(
            {
                "series": row["series"],
                "start": row["start"],
                "date": row["date"],
                "unit": row["unit"],
                "low_5": band[0],
                "median": band[1],
                "high_95": band[2],
                "written": time.strftime("%Y-%m-%d", time.gmtime()),
                "runs": int(len(values)),
                "code_version": manifest.get("code_version", ""),
            }
        )
    return pd.DataFrame(rows)


def _figure(out, name: str, part: pd.DataFrame) -> str:
    dates = pd.to_datetime(part["date"])
    fig, ax = subplots(figsize=(7.5, 4.2), constrained_layout=True)
    ax.fill_between(dates, part["model_low"], part["model_high"], alpha=0.3, label="model 90% band")
    ax.plot(dates, part["model_median"], "o-", ms=3, label="model median")
    ax.plot(dates, part["observed_model_units"], "k^", label="observed (model units)")
    fit_end = pd.Timestamp(observed.FIT_END) + pd.offsets.MonthEnd(0)
    ax.axvspan(dates.min() - pd.Timedelta(days=45), fit_end, color="grey", alpha=0.15,
               label="fit window")  # fmt: skip
    ax.set_yscale("log")
    ax.set_ylabel(f"{name} (model units, log scale)")
    ax.set_title(f"backtest: {name}")
    ax.legend(fontsize=8)
    return save_figure(out, f"backtest_{name}", fig)


EXPERIMENT = Experiment("backtest", CLAIM, make_spec, analyze)
