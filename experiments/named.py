"""The article's claims as named experiments: a sweep spec each, and its analysis.

Each experiment writes its sweep data (manifest.json, runs.parquet, timeseries.parquet),
figures (PNG, mean and 90% band over seeds, labelled axes with units) and findings.md
stating what it found, in numbers. ``quick`` runs a reduced version in well under a
minute (for tests and a first look).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from experiments.analysis import (  # noqa: E402
    RATIO_METRICS,
    band_plot,
    bands,
    describe,
    headline_table,
    markdown_table,
    over_seeds,
    share_of_seeds,
    value_at,
    verdict_summary,
)
from experiments.plots import _png  # noqa: E402
from experiments.spec import SweepSpec  # noqa: E402
from experiments.storage import write_atomic  # noqa: E402
from model.parameters import BY_NAME  # noqa: E402


@dataclass
class Experiment:
    name: str
    claim: str
    make_spec: Callable[[bool], SweepSpec]
    analyze: Callable[[Path, dict, pd.DataFrame, pd.DataFrame], str]


def _spec(
    name,
    quick,
    steps,
    replications,
    grid=None,
    fixed=None,
    quick_steps=None,
    quick_grid=None,
    n_firms=4000,
    sample=None,
):
    return SweepSpec(
        name=name,
        steps=(quick_steps or min(steps, 36)) if quick else steps,
        replications=2 if quick else replications,
        fixed={"n_firms": 400 if quick else n_firms, **(fixed or {})},
        grid=(quick_grid if quick and quick_grid is not None else grid) or {},
        sample=sample or {},
    )


def save_figure(out: Path, name: str, fig) -> str:
    (out / "figures").mkdir(exist_ok=True)
    write_atomic(out / "figures" / f"{name}.png", _png(fig))
    return f"figures/{name}.png"


def panels(
    out: Path, name: str, runs, series, specs: list[tuple], title: str, labels: dict | None = None
) -> str:
    """A row of band plots: specs are (metric, y label, scale, log)."""
    fig, axes = plt.subplots(
        1, len(specs), figsize=(5.2 * len(specs), 4.2), constrained_layout=True, squeeze=False
    )
    for ax, (metric, ylabel, scale, log) in zip(axes[0], specs):
        band_plot(ax, runs, series, metric, scale=scale, log=log, labels=labels)
        ax.set_ylabel(ylabel)
        ax.set_title(metric)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"{title} (mean and 90% band over seeds)")
    return save_figure(out, name, fig)


def _findings(
    title: str,
    claim: str,
    body: list[str],
    figures: list[str],
    table=None,
    caption: str = "Headline numbers by design point (over seeds; geometric means of ratios):",
) -> str:
    text = [f"# {title}", "", f"Claim tested: {claim}", ""] + body + [""]
    if table is not None:
        text += [
            caption,
            "",
            markdown_table(table),
            "",
        ]
    text += ["Figures: " + ", ".join(f"[{f}]({f})" for f in figures), ""]
    return "\n".join(text)


# --- jevons_map -------------------------------------------------------------------------
def jevons_map_spec(quick):
    return _spec(
        "jevons_map",
        quick,
        72,
        5,
        grid={
            "price_elasticity": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0],
            "algo_efficiency_gain": [1.5, 2.0, 2.8, 4.0, 6.0],
        },
        quick_grid={"price_elasticity": [0.5, 1.5], "algo_efficiency_gain": [2.0, 4.0]},
        fixed={"shock_factor": 1.0},
        quick_steps=24,
    )


def jevons_map_analyze(out, manifest, runs, series):
    table = verdict_summary(runs, ["price_elasticity", "algo_efficiency_gain"])
    eps = np.sort(table["price_elasticity"].unique())
    gains = np.sort(table["algo_efficiency_gain"].unique())

    def grid(column):
        return (
            table.pivot(index="algo_efficiency_gain", columns="price_elasticity", values=column)
            .loc[gains, eps]
            .to_numpy()
        )

    ratio, share = grid("jevons_ratio"), grid("backfire_share")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    from matplotlib.colors import TwoSlopeNorm

    log_ratio = np.log10(ratio)
    low, high = np.nanmin(log_ratio), np.nanmax(log_ratio)
    norm = TwoSlopeNorm(0.0, min(low, -1e-9), max(high, 1e-9))
    mesh = axes[0].pcolormesh(eps, gains, log_ratio, shading="nearest", cmap="RdBu_r", norm=norm)
    fig.colorbar(mesh, ax=axes[0], label="log10 jevons_ratio (0: compute unchanged)")
    mesh = axes[1].pcolormesh(
        eps, gains, 100 * share, shading="nearest", cmap="RdBu_r", vmin=0, vmax=100
    )
    fig.colorbar(mesh, ax=axes[1], label="seeds with backfire (%)")
    for ax in axes:
        if len(eps) > 1 and len(gains) > 1:
            contour = ax.contour(eps, gains, ratio, levels=[1.0], colors="black")
            ax.clabel(contour, fmt={1.0: "jevons_ratio = 1"}, fontsize=8)
        ax.axvline(1.0, color="grey", ls=":", lw=1, label="analytic boundary (elasticity 1)")
        ax.set_xlabel("price elasticity of token demand")
        ax.set_ylabel("algorithmic efficiency gain (x per year)")
    axes[0].legend(fontsize=8, loc="upper left")
    axes[0].set_title("Compute, run / twin (geometric mean over seeds)")
    axes[1].set_title("Share of seeds where efficiency raised compute")
    steps = manifest["spec"]["steps"]
    fig.suptitle(f"jevons_map: where efficiency backfires (month {steps}, against the twin)")
    figure = save_figure(out, "jevons_map", fig)
    lines = []
    for gain in gains:
        row = table[table["algo_efficiency_gain"] == gain].sort_values("price_elasticity")
        backfire = row[row["backfire_share"] >= 0.5]
        below = row[row["backfire_share"] < 0.5]
        lines.append(
            f"- algorithmic gain {gain:g}x/yr: backfire (in at least half the seeds) from "
            f"elasticity {backfire['price_elasticity'].min():g}"
            if len(backfire)
            else f"- algorithmic gain {gain:g}x/yr: no backfire in the grid"
        )
        lines[-1] += (
            f"; highest elasticity without: {below['price_elasticity'].max():g}."
            if len(below)
            else "."
        )
        for _, r in row.iterrows():
            lines.append(
                f"  - elasticity {r['price_elasticity']:g}: jevons_ratio "
                f"{r['jevons_ratio']:.3g} (90% band {r['jevons_ratio_low']:.3g}-"
                f"{r['jevons_ratio_high']:.3g}); backfire in {100 * r['backfire_share']:.0f}% "
                f"of {int(r['seeds'])} seeds."
            )
    body = [
        f"Compute at month {steps} with algorithmic progress against its counterfactual twin "
        f"without it (same seed, every other rule active; no open-weight shock), over "
        f"{len(eps)} elasticities x {len(gains)} efficiency gains, "
        f"{manifest['spec']['replications']} seeds each. Backfire: jevons_ratio > 1.",
        "",
        "In the analytic limit backfire needs elasticity > 1. Adoption responds to price "
        "here (new adopters are an extensive margin) and training follows revenue, so the "
        "boundary need not sit exactly at 1:",
        "",
    ] + lines
    shown = table.set_index(["price_elasticity", "algo_efficiency_gain"])
    shown.index = [f"e={a:g}, G={b:g}" for a, b in shown.index]
    return _findings("jevons_map", EXPERIMENTS["jevons_map"].claim, body, [figure], shown)


# --- deepseek_shock ---------------------------------------------------------------------
def deepseek_spec(quick):
    spec = _spec("deepseek_shock", quick, 72, 10, fixed={"shock_step": 24}, quick_steps=36)
    spec.counterfactual = "shock"  # the twin: the same world without the shock
    return spec


def deepseek_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "deepseek_shock",
        runs,
        series,
        [
            ("jevons_ratio", "compute with / without the shock", 1.0, False),
            ("energy_jevons_ratio", "energy with / without the shock", 1.0, False),
            ("tokens", "tokens per month, with the shock (log)", 1.0, True),
            ("tokens_cf", "tokens per month, without (log)", 1.0, True),
        ],
        "deepseek_shock",
    )
    shock = manifest["spec"]["fixed"].get("shock_step", 24)
    factor = manifest["spec"]["fixed"].get("shock_factor", BY_NAME["shock_factor"].default)
    steps = manifest["spec"]["steps"]
    ok = series.merge(runs[runs["status"] == "ok"][["run_id"]], on="run_id")
    rows = []
    for at in sorted({min(shock + 12, steps), steps}):
        month = ok[ok["step"] == at]
        tokens = month["tokens"] / month["tokens_cf"]
        share, n = share_of_seeds(month["jevons_ratio"] > 1)
        rows += [
            f"- month {at} ({at - shock} months after the release): compute with / without "
            f"the shock {describe(month['jevons_ratio'], ratio=True)}; energy "
            f"{describe(month['energy_jevons_ratio'], ratio=True)}; tokens "
            f"{describe(tokens, ratio=True)}; the shock raised compute in "
            f"{100 * share:.0f}% of {n} seeds.",
        ]
    body = [
        f"An open-weight model needing {factor:g}x fewer FLOPs per "
        f"token released at month {shock}, against the counterfactual twin without it (same "
        "seed and draws; algorithmic and hardware progress in both).",
        "",
    ] + rows
    return _findings(
        "deepseek_shock", EXPERIMENTS["deepseek_shock"].claim, body, [fig], headline_table(runs)
    )


# --- inference_shift --------------------------------------------------------------------
def inference_spec(quick):
    return _spec("inference_shift", quick, 144, 5)


def inference_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "inference_shift",
        runs,
        series,
        [
            ("inference_share", "inference share of compute (%)", 100, False),
            ("xpu_share", "XPU share of installed capacity (%)", 100, False),
            ("inference_flops", "inference FLOP per month (log)", 1.0, True),
            ("training_flops", "training FLOP per month (log)", 1.0, True),
        ],
        "inference_shift",
    )
    lines = []
    for step in (12, 36, 84, 144):
        if step <= manifest["spec"]["steps"]:
            inf = value_at(runs, series, "inference_share", step).iloc[0]
            xpu = value_at(runs, series, "xpu_share", step).iloc[0]
            lines.append(
                f"- month {step}: inference {100 * inf['mean']:.0f}% of compute "
                f"(90% band {100 * inf['low']:.0f}-{100 * inf['high']:.0f}%), XPUs "
                f"{100 * xpu['mean']:.0f}% of installed capacity."
            )
    return _findings(
        "inference_shift",
        EXPERIMENTS["inference_shift"].claim,
        [
            "Baseline runs: how compute divides between inference and training, "
            "and custom inference chips' share of capacity.",
            "",
        ]
        + lines,
        [fig],
    )


# --- export_controls --------------------------------------------------------------------
def export_spec(quick):
    return _spec(
        "export_controls", quick, 96, 5, grid={"export_controls": ["none", "strict", "capped"]}
    )


def export_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "export_controls",
        runs,
        series,
        [
            ("adoption_rate_cn", "Chinese firms that adopted AI (%)", 100, False),
            ("us_vendor_share_cn", "US vendors' share of chips sold into China (%)", 100, False),
            ("vendor_revenue_cn", "chip revenue from China (USD per month)", 1.0, False),
            ("us_vendor_revenue", "US vendors' revenue (USD per month)", 1.0, False),
        ],
        "export_controls",
    )
    steps = manifest["spec"]["steps"]
    adoption = value_at(runs, series, "adoption_rate_cn", steps)
    share = value_at(runs, series, "us_vendor_share_cn", steps)
    lines = [
        f"- {label}: Chinese firm adoption {100 * adoption.loc[label, 'mean']:.2f}%, US "
        f"vendors' share of chips sold into China {100 * share.loc[label, 'mean']:.0f}% "
        f"at month {steps}."
        for label in adoption.index
    ]
    return _findings(
        "export_controls",
        EXPERIMENTS["export_controls"].claim,
        ["US chip sales to China: none, a strict ban, or H20-like capped chips.", ""] + lines,
        [fig],
        headline_table(runs),
    )


# --- open_models ------------------------------------------------------------------------
def open_spec(quick):
    return _spec(
        "open_models",
        quick,
        72,
        5,
        grid={"open_adoption_q": [0.1, 0.4, 1.0]},
        fixed={"shock_step": 12},
        quick_grid={"open_adoption_q": [0.1, 1.0]},
    )


def open_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "open_models",
        runs,
        series,
        [
            ("open_model_share", "share of tokens served by open models (%)", 100, False),
            ("open_derivatives", "derivative open models published", 1.0, False),
            ("price_per_mtok", "USD per million tokens (log)", 1.0, True),
        ],
        "open_models",
    )
    steps = manifest["spec"]["steps"]
    share = value_at(runs, series, "open_model_share", steps)
    deriv = value_at(runs, series, "open_derivatives", steps)
    mean_share = bands(runs, series, "open_model_share")
    half = {}
    for label, part in mean_share.groupby("label"):
        above = part.loc[part["mean"] >= 0.5, "step"]
        half[label] = f"month {int(above.min())}" if len(above) else "never"
    lines = [
        f"- {label}: open models pass half of all tokens at {half[label]}; they serve "
        f"{100 * share.loc[label, 'mean']:.0f}% of tokens, with "
        f"{deriv.loc[label, 'mean']:.0f} derivatives, at month {steps}."
        for label in share.index
    ]
    return _findings(
        "open_models",
        EXPERIMENTS["open_models"].claim,
        [
            "Diffusion of the open-weight model among providers (imitation rate "
            "varied) after its release at month 12.",
            "",
        ]
        + lines,
        [fig],
    )


# --- wages ------------------------------------------------------------------------------
def wages_spec(quick):
    return _spec("wages", quick, 144, 5, n_firms=20_000)


def wages_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "wages",
        runs,
        series,
        [
            ("adoption_rate_us", "US firms adopted (%)", 100, False),
            ("adoption_rate_eu", "EU firms adopted (%)", 100, False),
            ("adoption_rate_cn", "Chinese firms adopted (%)", 100, False),
            ("productivity_gain_us", "US gains (USD bn per month)", 1e-9, False),
            ("productivity_gain_eu", "EU gains (USD bn per month)", 1e-9, False),
            ("productivity_gain_cn", "Chinese gains (USD bn per month)", 1e-9, False),
        ],
        "wages",
    )
    steps = manifest["spec"]["steps"]
    from model.calibration import MONTHLY_WAGE_USD, REAL_FIRMS

    lines = []
    for region in ("us", "eu", "cn"):
        a = value_at(runs, series, f"adoption_rate_{region}", steps).iloc[0]["mean"]
        g = value_at(runs, series, f"productivity_gain_{region}", steps).iloc[0]["mean"]
        per_firm = g / (REAL_FIRMS[region.upper()] * max(a, 1e-12))
        lines.append(
            f"- {region.upper()} (mean wage ${MONTHLY_WAGE_USD[region.upper()]:,.0f}"
            f"/month): {100 * a:.1f}% of firms adopted; gains ${g / 1e9:.2f}bn a "
            f"month, ${per_firm:,.0f} per adopting firm."
        )
    return _findings(
        "wages",
        EXPERIMENTS["wages"].claim,
        [
            "Adoption and productivity gains by region at month "
            f"{steps}: a firm adopts when gain x wage bill x exposure exceeds the "
            "token bill and the amortised integration cost.",
            "",
        ]
        + lines,
        [fig],
    )


# --- cloud_alignment --------------------------------------------------------------------
def cloud_spec(quick):
    return _spec(
        "cloud_alignment",
        quick,
        72,
        5,
        grid={"cross_region_hosting": [True, False]},
        fixed={"shock_step": 12},
    )


def cloud_analyze(out, manifest, runs, series):
    fig = panels(
        out,
        "cloud_alignment",
        runs,
        series,
        [
            ("open_model_share", "share of tokens from open models (%)", 100, False),
            ("price_per_mtok", "USD per million tokens (log)", 1.0, True),
            ("tokens", "tokens per month (log)", 1.0, True),
        ],
        "cloud_alignment",
    )
    steps = manifest["spec"]["steps"]
    share = value_at(runs, series, "open_model_share", steps)
    price = value_at(runs, series, "price_per_mtok", steps)
    lines = [
        f"- {label}: open models {100 * share.loc[label, 'mean']:.0f}% of tokens, price "
        f"${price.loc[label, 'mean']:.3g} per million tokens at month {steps}."
        for label in share.index
    ]
    return _findings(
        "cloud_alignment",
        EXPERIMENTS["cloud_alignment"].claim,
        ["Western clouds allowed, or not, to host the Chinese open model.", ""] + lines,
        [fig],
        headline_table(runs),
    )


# --- sensitivity ------------------------------------------------------------------------
SOBOL_RANGES = {
    "price_elasticity": [0.5, 2.0],
    "algo_efficiency_gain": [1.5, 4.0],
    "hardware_efficiency_gain": [1.1, 1.6],
    "bass_q": [0.1, 0.8],
    "shock_factor": [1.0, 30.0],
    "training_revenue_share": [0.1, 0.6],
}
SOBOL_OUTPUTS = ("jevons_ratio", "compute_growth", "adoption_rate")


def sensitivity_spec(quick):
    ranges = dict(list(SOBOL_RANGES.items())[:3]) if quick else SOBOL_RANGES
    spec = _spec(
        "sensitivity",
        quick,
        72,
        1,
        quick_steps=12,
        sample={"method": "sobol", "n": 8 if quick else 128, "ranges": ranges},
        n_firms=2000,
    )
    spec.fixed["n_firms"] = 200 if quick else 2000
    spec.replications = 1
    return spec


def sensitivity_analyze(out, manifest, runs, series):
    from SALib.analyze import sobol

    spec = SweepSpec.from_dict(dict(manifest["spec"]))
    problem = spec.salib_problem()
    ordered = runs.sort_values("point")
    results = {}
    for output in SOBOL_OUTPUTS:
        y = ordered[output].to_numpy(dtype=float)
        if output in RATIO_METRICS:
            y = np.log(y)
        y = np.where(np.isfinite(y), y, np.nanmean(y[np.isfinite(y)]))
        res = sobol.analyze(problem, y, calc_second_order=False, seed=spec.base_seed)
        results[output] = pd.DataFrame(
            {
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            },
            index=problem["names"],
        )
    fig, axes = plt.subplots(
        1, len(results), figsize=(5.5 * len(results), 4.5), constrained_layout=True
    )
    for ax, (output, table) in zip(axes, results.items()):
        x = np.arange(len(table))
        ax.bar(x - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], label="first order S1")
        ax.bar(x + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], label="total ST")
        ax.set_xticks(x, table.index, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("Sobol index (share of variance)")
        ax.set_title(f"log {output}" if output in RATIO_METRICS else output)
    axes[0].legend()
    fig.suptitle(f"sensitivity: Sobol indices (Saltelli sample, {len(runs)} runs)")
    figure = save_figure(out, "sensitivity", fig)
    backfire, n = share_of_seeds(runs["backfire"])
    body = [
        f"Sobol indices of log jevons_ratio (compute with / without algorithmic progress), "
        f"log compute growth and adoption at month {spec.steps} over "
        f"{len(problem['names'])} parameters ({len(runs)} runs; SALib; 95% confidence "
        f"intervals of the indices by bootstrap in sobol_*.csv). Over the sample, efficiency "
        f"backfired (jevons_ratio > 1) in {100 * backfire:.0f}% of {n} runs; jevons_ratio "
        f"{describe(runs['jevons_ratio'], ratio=True).replace('seeds', 'runs')}.",
        "",
    ]
    for output, table in results.items():
        top = table["ST"].idxmax()
        body.append(
            f"- {output}: driven most by {top} (total index {table.loc[top, 'ST']:.2f} "
            f"+- {table.loc[top, 'ST_conf']:.2f}, first order {table.loc[top, 'S1']:.2f})."
        )
        write_atomic(out / f"sobol_{output}.csv", table.to_csv())
    return _findings("sensitivity", EXPERIMENTS["sensitivity"].claim, body, [figure])


# --- calibration ------------------------------------------------------------------------
def calibration_spec(quick):
    # 20,000 firms: regional shares of firms (the BTOS facts) need many agents per region
    spec = _spec("calibration", quick, 48, 5, quick_steps=36, n_firms=20_000)
    spec.counterfactual = "none"  # facts of the run itself: no twin needed
    return spec


def fact_value(run_series: pd.DataFrame, how: str, months: tuple[int, int], series: str):
    """One stylised fact from one run's simulated series (NaN past its horizon)."""
    first, last = months
    values = run_series.set_index("step")[series]
    if last > values.index.max():
        return np.nan
    if how == "mean":
        return float(values.loc[first:last].mean())
    ratio = values.loc[last] / values.loc[first]
    years = (last - first) / 12
    return float((ratio if how == "growth" else 1 / ratio) ** (1 / years))


def calibration_analyze(out, manifest, runs, series):
    from model.calibration import STYLIZED_FACTS

    steps = manifest["spec"]["steps"]
    ok = series.merge(runs[runs["status"] == "ok"][["run_id"]], on="run_id")
    rows = []
    for fact, (name, how, months, target, (low, high), unit, source) in STYLIZED_FACTS.items():
        per_seed = [fact_value(part, how, months, name) for _, part in ok.groupby("run_id")]
        if fact.startswith("ai_energy_twh"):
            per_seed = [v * 12 / 1e6 for v in per_seed]
        s = over_seeds(per_seed, ratio=how != "mean")
        inside = np.array([low <= v <= high for v in per_seed if np.isfinite(v)])
        rows.append(
            {
                "fact": fact,
                "unit": unit,
                "target": target,
                "band": f"{low:g}-{high:g}",
                "model": s["mean"],
                "model_low": s["low"],
                "model_high": s["high"],
                "inside": bool(low <= s["mean"] <= high)
                if np.isfinite(s["mean"])
                else "n/a (horizon too short)",
                "seeds_inside": float(inside.mean()) if len(inside) else np.nan,
                "source": source,
            }
        )
    table = pd.DataFrame(rows).set_index("fact")
    write_atomic(out / "calibration.csv", table.to_csv())
    fig, ax = plt.subplots(figsize=(9, 4.8), constrained_layout=True)
    finite = table[np.isfinite(table["model"].astype(float))]
    x = np.arange(len(finite))
    ratio = finite["model"].astype(float) / finite["target"]
    errors = [
        ratio - finite["model_low"] / finite["target"],
        finite["model_high"] / finite["target"] - ratio,
    ]
    bands_ = [
        tuple(float(v) / t for v in b.split("-")) for b, t in zip(finite["band"], finite["target"])
    ]
    colours = ["tab:green" if i is True else "tab:red" for i in finite["inside"]]
    ax.bar(x, ratio, color=colours, yerr=errors, capsize=3, label="model (90% band over seeds)")
    ax.errorbar(
        x,
        [1] * len(x),
        yerr=[[1 - lo for lo, _ in bands_], [hi - 1 for _, hi in bands_]],
        fmt="k_",
        capsize=6,
        label="target and its band",
    )
    ax.set_xticks(x, finite.index, rotation=25, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("model / target (log scale; green: mean inside band)")
    ax.legend(fontsize=8)
    ax.set_title("calibration: simulated series against observed stylised facts")
    figure = save_figure(out, "calibration", fig)
    inside = sum(v is True for v in table["inside"])
    body = [
        f"{inside} of {len(table)} stylised facts inside their bands (mean over "
        f"{manifest['spec']['replications']} seeds; {steps} months; every value computed from "
        "the simulated series, none from the inputs). `seeds_inside`: share of seeds whose "
        "own value is inside the band.",
        "",
    ]
    return _findings(
        "calibration",
        EXPERIMENTS["calibration"].claim,
        body,
        [figure],
        table[
            ["unit", "target", "band", "model", "model_low", "model_high", "inside", "seeds_inside"]
        ],
        caption="Each fact: target, band, model mean and 90% band over seeds:",
    )


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment(
            "jevons_map",
            "cheaper AI -> more use (Jevons); elasticity x efficiency gain, the backfire boundary",
            jevons_map_spec,
            jevons_map_analyze,
        ),
        Experiment(
            "deepseek_shock",
            "DeepSeek: ~30x cheaper tokens; shock vs no shock",
            deepseek_spec,
            deepseek_analyze,
        ),
        Experiment(
            "inference_shift",
            "inference demand grows faster than training; custom XPUs",
            inference_spec,
            inference_analyze,
        ),
        Experiment(
            "export_controls",
            "export controls slow but don't stop China; US vendors lose China",
            export_spec,
            export_analyze,
        ),
        Experiment(
            "open_models",
            "open-source R-1 spawns thousands of derivatives; open models' share of tokens",
            open_spec,
            open_analyze,
        ),
        Experiment(
            "wages", "productivity gains largest where wages are high", wages_spec, wages_analyze
        ),
        Experiment(
            "cloud_alignment",
            "US and Chinese interests align: Western clouds host Chinese open models",
            cloud_spec,
            cloud_analyze,
        ),
        Experiment(
            "sensitivity",
            "which assumptions drive the Jevons effect (Sobol on log jevons_ratio), growth and "
            "adoption",
            sensitivity_spec,
            sensitivity_analyze,
        ),
        Experiment(
            "calibration",
            "the defaults reproduce observed stylised facts of 2023-2026",
            calibration_spec,
            calibration_analyze,
        ),
    )
}

# --- backfire_discovery (experiments/discovery.py) ---------------------------------------
from experiments import discovery  # noqa: E402

EXPERIMENTS["backfire_discovery"] = Experiment(
    "backfire_discovery", discovery.CLAIM, discovery.make_spec, discovery.analyze
)
