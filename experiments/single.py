"""One scenario run: the time series, its headline numbers and its files."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.storage import code_version, package_versions, write_atomic, write_json
from model import JevonsModel, JevonsScenario


def run_scenario(scenario: JevonsScenario, steps: int) -> pd.DataFrame:
    """Run ``steps`` months and return one row per step (step 0 included)."""
    model = JevonsModel(scenario)
    model.run_for(steps)
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def headline(df: pd.DataFrame) -> dict[str, float | bool]:
    """Headline numbers of one run: growth, price fall, adoption, rebound, backfire."""
    first, last = df.iloc[0], df.iloc[-1]
    years = max(float(last["step"] - first["step"]) / 12.0, 1e-9)
    compute_growth = _ratio(last["total_compute"], first["total_compute"])
    price_fall = _ratio(first["price_per_mtok"], last["price_per_mtok"])
    rebound = float(last["rebound"])
    return {
        "compute_growth": compute_growth,
        "compute_growth_per_year": compute_growth ** (1 / years),
        "energy_growth": _ratio(last["energy_mwh"], first["energy_mwh"]),
        "tokens_growth": _ratio(last["tokens"], first["tokens"]),
        "price_fall": price_fall,
        "price_fall_per_year": price_fall ** (1 / years),
        "adoption_rate": float(last["adoption_rate"]),
        "inference_share": float(last["inference_share"]),
        "xpu_share": float(last["xpu_share"]),
        "open_model_share": float(last["open_model_share"]),
        "rebound": rebound,
        "energy_rebound": float(last["energy_rebound"]),
        "backfire": bool(rebound > 1.0) if not math.isnan(rebound) else False,
    }


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")


def summary_text(h: dict, steps: int) -> str:
    years = steps / 12
    lines = [
        f"compute growth     {h['compute_growth']:.3g}x over {years:g} years "
        f"({h['compute_growth_per_year']:.3g}x a year)",
        f"price fall         {h['price_fall']:.3g}x ({h['price_fall_per_year']:.3g}x a year)",
        f"energy growth      {h['energy_growth']:.3g}x",
        f"adoption           {100 * h['adoption_rate']:.1f}% of firms",
        f"rebound            {h['rebound']:.3g} (energy {h['energy_rebound']:.3g})",
        "backfire           "
        + (
            "YES: efficiency raised total compute (rebound > 1)"
            if h["backfire"]
            else "no (rebound <= 1)"
        ),
    ]
    return "\n".join(lines)


def write_run(
    out: Path, df: pd.DataFrame, scenario: JevonsScenario, seed: int, preset: str, steps: int
) -> dict:
    """Write timeseries.csv, summary.json and overview.png into ``out`` (each atomically)."""
    from experiments.plots import overview_figure

    buf = io.StringIO()
    df.to_csv(buf, index=False, float_format="%.17g")
    h = headline(df)
    summary = {
        "preset": preset,
        "seed": seed,
        "steps": steps,
        "parameters": scenario.parameters(),
        "headline": h,
        "code_version": code_version(),
        "packages": package_versions(),
    }
    png = overview_figure(df, title=f"preset {preset}, seed {seed}")
    write_atomic(out / "timeseries.csv", buf.getvalue())
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
