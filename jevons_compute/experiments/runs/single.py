"""One scenario run: the time series, its headline numbers and its files."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from jevons_compute.experiments.runs.storage import (
    code_version,
    package_versions,
    write_atomic,
    write_json,
)
from jevons_compute.model.metrics.counterfactual import (
    carrying_channel,
    channel_words,
    finite_ratio,
)
from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario

#: What each counterfactual twin goes without, in words (for verdicts).
WITHOUT = {
    "algo": "algorithmic progress and the open-weight shock",
    "shock": "the open-weight shock",
    "hardware": "hardware progress (cost and energy per FLOP)",
    "all": "any efficiency progress",
}


#: The numeric headline numbers (columns of runs.parquet besides parameters and status).
HEADLINE_NUMBERS = (
    "compute_growth",
    "compute_growth_per_year",
    "compute_growth_cf",
    "energy_growth",
    "tokens_growth",
    "price_fall",
    "price_fall_per_year",
    "adoption_rate",
    "inference_share",
    "xpu_share",
    "open_model_share",
    "jevons_ratio_month",
    "energy_jevons_ratio_month",
    "rebound",
    "energy_rebound",
    "jevons_elasticity",
    "jevons_ratio_12m",
    "energy_jevons_ratio_12m",
    "tokens_ratio_12m",
    "jevons_ratio_inference",
    "jevons_ratio_training",
    "jevons_ratio_firms",
    "jevons_ratio_consumers",
    "gap_share_inference",
    "gap_share_training",
    "gap_share_firms",
    "gap_share_consumers",
)
#: The trailing-12-month columns the headline copies from the last month.
TRAILING = HEADLINE_NUMBERS[HEADLINE_NUMBERS.index("jevons_ratio_12m") : -4]


def run_scenario(
    scenario: JevonsScenario, steps: int, counterfactual: str = "algo", marginal: bool = True
) -> pd.DataFrame:
    """Run ``steps`` months with the counterfactual twin; one row per step (step 0 included).

    The frame carries the run's metrics and the with/without columns (``jevons_ratio``,
    ``compute_cf``, ``rebound``, ...; NaN with ``counterfactual='none'``).
    """
    model = JevonsModel(scenario, counterfactual=counterfactual, marginal=marginal)
    model.run_for(steps)
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def headline(df: pd.DataFrame, counterfactual: str = "algo") -> dict[str, float | bool | None]:
    """Headline numbers of one run, at its last month.

    ``backfire`` is True when efficiency raised the trailing 12 months' total compute
    against the twin (``jevons_ratio_12m`` > 1), False when it did not, None when there is
    no twin: the verdict the summary and every finding print. ``backfire_month`` is the
    same for the last month alone (``jevons_ratio_month``, the time series' last
    ``jevons_ratio``). ``gap_share_<channel>``: each
    channel's part of the 12 months' C - C_cf (they add to 1; NaN for a zero gap), and
    ``channel`` the one that carries the verdict (``carrying_channel``).
    ``compute_growth`` is the before/after growth; ``compute_growth_cf`` the twin's, so
    compute_growth = compute_growth_cf x jevons_ratio_month.
    """
    first, last = df.iloc[0], df.iloc[-1]
    years = max(float(last["step"] - first["step"]) / 12.0, 1e-9)
    compute_growth = finite_ratio(last["total_compute"], first["total_compute"])
    price_fall = finite_ratio(first["price_per_mtok"], last["price_per_mtok"])
    jevons_ratio = float(last["jevons_ratio"])
    energy_ratio = float(last["energy_jevons_ratio"])
    gaps = {k: float(v) for k, v in last.items() if str(k).startswith("compute_gap")}
    total = gaps.get("compute_gap", math.nan)
    channel, _ = carrying_channel(gaps)
    return {
        "compute_growth": compute_growth,
        "compute_growth_per_year": compute_growth ** (1 / years),
        "compute_growth_cf": float(last["compute_index_cf"]),
        "energy_growth": finite_ratio(last["energy_mwh"], first["energy_mwh"]),
        "tokens_growth": finite_ratio(last["tokens"], first["tokens"]),
        "price_fall": price_fall,
        "price_fall_per_year": price_fall ** (1 / years),
        "adoption_rate": float(last["adoption_rate"]),
        "inference_share": float(last["inference_share"]),
        "xpu_share": float(last["xpu_share"]),
        "open_model_share": float(last["open_model_share"]),
        "jevons_ratio_month": jevons_ratio,
        "energy_jevons_ratio_month": energy_ratio,
        "rebound": float(last["rebound"]),
        "energy_rebound": float(last["energy_rebound"]),
        "jevons_elasticity": float(last["jevons_elasticity"]),
        **{k: float(last[k]) for k in TRAILING},
        **{
            f"gap_share_{c}": finite_share(gaps[f"compute_gap_{c}"], total)
            for c in ("inference", "training", "firms", "consumers")
        },
        "backfire": _verdict(float(last["jevons_ratio_12m"])),
        "energy_backfire": _verdict(float(last["energy_jevons_ratio_12m"])),
        "backfire_month": _verdict(jevons_ratio),
        "energy_backfire_month": _verdict(energy_ratio),
        "channel": channel or None,
        "channel_words": channel_words(gaps) or None,
    }


def finite_share(part: float, total: float) -> float:
    """part / total, NaN for a zero or non-finite total (a share of a gap of either sign)."""
    if not (math.isfinite(total) and total != 0.0):
        return math.nan
    return part / total


def _verdict(ratio: float) -> bool | None:
    return None if math.isnan(ratio) else bool(ratio > 1.0)


def summary_text(h: dict, steps: int, counterfactual: str = "algo") -> str:
    """The printed summary: before/after growth, then the answer against the twin."""
    years = steps / 12
    lines = [
        f"compute growth     {h['compute_growth']:.3g}x over {years:g} years "
        f"({h['compute_growth_per_year']:.3g}x a year; before/after, not a rebound)",
        f"price fall         {h['price_fall']:.3g}x ({h['price_fall_per_year']:.3g}x a year)",
        f"energy growth      {h['energy_growth']:.3g}x",
        f"adoption           {100 * h['adoption_rate']:.1f}% of firms",
    ]
    if counterfactual == "none":
        lines.append("backfire           - (no counterfactual twin: run with --counterfactual)")
        return "\n".join(lines)
    if h["backfire"] is None:
        lines.append("backfire           - (undefined: the twin used no compute at the end)")
        return "\n".join(lines)
    without = WITHOUT[counterfactual]
    r = h["jevons_ratio_12m"]
    lines += [
        f"twin's growth      {_g(h['compute_growth_cf'])}x (the same world without {without})",
        f"jevons ratio       {_g(h['jevons_ratio_12m'])} compute with / without, trailing "
        f"12 months (energy {_g(h['energy_jevons_ratio_12m'])}; last month "
        f"{_g(h['jevons_ratio_month'])})",
        f"by channel         inference {_g(h['jevons_ratio_inference'])} (firms "
        f"{_g(h['jevons_ratio_firms'])}, consumers {_g(h['jevons_ratio_consumers'])}), "
        f"training {_g(h['jevons_ratio_training'])}",
        f"rebound            {_g(h['rebound'])} (energy {_g(h['energy_rebound'])}); "
        f"jevons elasticity {_g(h['jevons_elasticity'])}",
        "backfire           "
        + (
            f"YES: efficiency raised total compute of the trailing 12 months {r:.3g}x "
            f"against the twin without {without} (jevons_ratio_12m > 1)"
            if h["backfire"]
            else f"no: efficiency {'lowered' if r < 1 else 'left'} total compute of the "
            f"trailing 12 months {'to ' if r < 1 else 'at '}{r:.3g}x of "
            f"the twin without {without} (jevons_ratio_12m <= 1)"
        ),
    ]
    if h.get("channel_words"):
        lines.append(f"channel            {h['channel_words']}")
    return "\n".join(lines)


def _g(x: float) -> str:
    return "-" if x is None or math.isnan(x) else f"{x:.3g}"


def timeseries_csv(df: pd.DataFrame) -> str:
    """A run's time series as timeseries.csv holds it: one row per month, every float
    written exactly (the browser UI's export is the same text)."""
    buf = io.StringIO()
    df.reset_index(drop=True).to_csv(buf, index=False, float_format="%.17g")
    return buf.getvalue()


def write_run(
    out: Path,
    df: pd.DataFrame,
    scenario: JevonsScenario,
    seed: int,
    preset: str,
    steps: int,
    counterfactual: str = "algo",
) -> dict:
    """Write timeseries.csv, summary.json and overview.png into ``out`` (each atomically)."""
    from jevons_compute.experiments.runs.figures import overview_figure

    h = headline(df)
    summary = {
        "preset": preset,
        "seed": seed,
        "steps": steps,
        "counterfactual": counterfactual,
        "counterfactual_freezes": WITHOUT.get(counterfactual, "nothing (no twin)"),
        "parameters": scenario.parameters(),
        "headline": h,
        "code_version": code_version(),
        "packages": package_versions(),
    }
    png = overview_figure(df, title=f"preset {preset}, seed {seed}")
    write_atomic(out / "timeseries.csv", timeseries_csv(df))
    write_json(out / "summary.json", _finite(summary))
    write_atomic(out / "overview.png", png)
    return summary


def _finite(obj):
    """NaN/inf become None so summary.json is strict JSON."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, float | np.floating) and not math.isfinite(obj):
        return None
    return obj
