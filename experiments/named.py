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
    band_plot,
    bands,
    headline_table,
    markdown_table,
    value_at,
)
from experiments.plots import _png  # noqa: E402
from experiments.spec import SweepSpec  # noqa: E402
from experiments.storage import write_atomic  # noqa: E402


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


def _findings(title: str, claim: str, body: list[str], figures: list[str], table=None) -> str:
    text = [f"# {title}", "", f"Claim tested: {claim}", ""] + body + [""]
    if table is not None:
        text += [
            "Headline numbers by design point (mean over seeds):",
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
        3,
        grid={
            "price_elasticity": [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0],
            "algo_efficiency_gain": [1.5, 2.0, 2.8, 4.0, 6.0],
        },
        quick_grid={"price_elasticity": [0.5, 1.5], "algo_efficiency_gain": [2.0, 4.0]},
        fixed={"shock_factor": 1.0},
        quick_steps=24,
    )


def jevons_map_analyze(out, manifest, runs, series):
    ok = runs[runs["status"] == "ok"]
    grid = (
        ok.groupby(["price_elasticity", "algo_efficiency_gain"])[
            ["rebound", "compute_growth_per_year"]
        ]
        .mean()
        .reset_index()
    )
    eps = np.sort(grid["price_elasticity"].unique())
    gains = np.sort(grid["algo_efficiency_gain"].unique())
    rebound = (
        grid.pivot(index="algo_efficiency_gain", columns="price_elasticity", values="rebound")
        .loc[gains, eps]
        .to_numpy()
    )
    growth = (
        grid.pivot(
            index="algo_efficiency_gain",
            columns="price_elasticity",
            values="compute_growth_per_year",
        )
        .loc[gains, eps]
        .to_numpy()
    )
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), constrained_layout=True)
    from matplotlib.colors import TwoSlopeNorm

    for ax, values, label, centre in (
        (axes[0], np.log10(np.clip(rebound, 1e-3, None)), "log10 rebound (0 = rebound 1)", 0.0),
        (axes[1], growth, "total compute growth (x per year; 1 = flat)", 1.0),
    ):
        low, high = np.nanmin(values), np.nanmax(values)
        norm = TwoSlopeNorm(centre, min(low, centre - 1e-9), max(high, centre + 1e-9))
        mesh = ax.pcolormesh(eps, gains, values, shading="nearest", cmap="RdBu_r", norm=norm)
        fig.colorbar(mesh, ax=ax, label=label)
        if len(eps) > 1 and len(gains) > 1:
            contour = ax.contour(eps, gains, rebound, levels=[1.0], colors="black")
            ax.clabel(contour, fmt={1.0: "backfire boundary"}, fontsize=8)
        ax.axvline(1.0, color="grey", ls=":", lw=1)
        ax.set_xlabel("price elasticity of token demand")
        ax.set_ylabel("algorithmic efficiency gain (x per year)")
    axes[0].set_title("Rebound at the horizon (black: rebound = 1)")
    axes[1].set_title("Growth of total compute")
    fig.suptitle("jevons_map: where efficiency backfires")
    figure = save_figure(out, "jevons_map", fig)
    backfire = grid[grid["rebound"] > 1]
    lines = []
    for gain in gains:
        row = backfire[backfire["algo_efficiency_gain"] == gain]
        lowest = row["price_elasticity"].min() if len(row) else None
        lines.append(
            f"- algorithmic gain {gain:g}x/yr: backfire from elasticity "
            + (f"{lowest:g}" if lowest is not None else "never (in the grid)")
            + f"; rebound {grid[grid['algo_efficiency_gain'] == gain]['rebound'].min():.3g}"
            f" to {grid[grid['algo_efficiency_gain'] == gain]['rebound'].max():.3g}."
        )
    body = [
        f"Rebound at month {manifest['spec']['steps']} over a grid of "
        f"{len(eps)} elasticities x {len(gains)} efficiency gains "
        f"({manifest['spec']['replications']} seeds each; no DeepSeek shock).",
        "",
        "In the analytic limit backfire needs elasticity > 1 (DESIGN.md). Here new "
        "adopters add an extensive margin, so the boundary can lie below 1:",
        "",
    ] + lines
    table = grid.set_index(["price_elasticity", "algo_efficiency_gain"])
    table.index = [f"e={a:g}, G={b:g}" for a, b in table.index]
    return _findings("jevons_map", EXPERIMENTS["jevons_map"].claim, body, [figure], table)


# --- deepseek_shock ---------------------------------------------------------------------
def deepseek_spec(quick):
    return _spec(
        "deepseek_shock",
        quick,
        72,
        10,
        grid={"shock_factor": [1.0, 14.0]},
        fixed={"shock_step": 24},
        quick_steps=36,
    )


def label_of(runs, **where) -> str:
    """The design-point label of the runs matching ``where`` (parameter=value)."""
    mask = np.logical_and.reduce([runs[k] == v for k, v in where.items()])
    return runs.loc[mask, "label"].iloc[0]


def deepseek_analyze(out, manifest, runs, series):
    no_shock = label_of(runs, shock_factor=1.0)
    shocked = runs.loc[runs["shock_factor"] > 1.0, "label"].iloc[0]
    labels = {no_shock: "no shock", shocked: "DeepSeek-style shock"}
    fig = panels(
        out,
        "deepseek_shock",
        runs,
        series,
        [
            ("price_per_mtok", "USD per million tokens (log)", 1.0, True),
            ("tokens", "tokens per month (log)", 1.0, True),
            ("total_compute", "FLOP per month (log)", 1.0, True),
            ("energy_mwh", "MWh per month (log)", 1.0, True),
        ],
        "deepseek_shock",
        labels,
    )
    shock = manifest["spec"]["fixed"].get("shock_step", 24)
    steps = manifest["spec"]["steps"]
    at = min(shock + 12, steps)
    rows = []
    for metric in ("price_per_mtok", "tokens", "total_compute", "energy_mwh"):
        v = value_at(runs, series, metric, at)
        ratio = v.loc[shocked, "mean"] / v.loc[no_shock, "mean"]
        rows.append(
            f"- {metric}: shock / no shock = {ratio:.3g} at month {at} "
            f"(12 months after the release at month {shock})."
        )
    body = [
        "An open-weight model needing 14x fewer FLOPs per token released at month "
        f"{shock}, against no shock; common random numbers pair the seeds.",
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
SOBOL_OUTPUTS = ("compute_growth", "adoption_rate", "rebound")


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
        if output == "compute_growth":
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
        ax.set_title("log compute growth" if output == "compute_growth" else output)
    axes[0].legend()
    fig.suptitle(f"sensitivity: Sobol indices (Saltelli sample, {len(runs)} runs)")
    figure = save_figure(out, "sensitivity", fig)
    body = [
        f"Sobol indices of compute growth (log), adoption and rebound at month "
        f"{spec.steps} over {len(problem['names'])} parameters ({len(runs)} runs; SALib).",
        "",
    ]
    for output, table in results.items():
        top = table["ST"].idxmax()
        body.append(
            f"- {output}: driven most by {top} (total index {table.loc[top, 'ST']:.2f},"
            f" first order {table.loc[top, 'S1']:.2f})."
        )
        write_atomic(out / f"sobol_{output}.csv", table.to_csv())
    return _findings("sensitivity", EXPERIMENTS["sensitivity"].claim, body, [figure])


# --- calibration ------------------------------------------------------------------------
def calibration_spec(quick):
    # 20,000 firms: regional shares of firms (the BTOS facts) need many agents per region
    return _spec("calibration", quick, 144, 5, quick_steps=36, n_firms=20_000)


def calibration_analyze(out, manifest, runs, series):
    from model import JevonsModel, JevonsScenario
    from model.calibration import STYLIZED_FACTS

    steps = manifest["spec"]["steps"]
    ok = series.merge(runs[runs["status"] == "ok"][["run_id"]], on="run_id")
    by_step = ok.groupby("step")
    mean = by_step.mean(numeric_only=True)
    years = steps / 12
    model = JevonsModel(JevonsScenario(rng=0, **manifest["spec"]["fixed"]))
    p = model.providers[0]
    wh_per_token = (
        p.flops_per_token
        * p.joules_per_peak_flop()
        / model.scenario.inference_mfu
        * model.scenario.pue
        / 3600
    )
    s = model.scenario
    values = {
        "price_fall_per_year": (mean["price_per_mtok"].iloc[0] / mean["price_per_mtok"].iloc[-1])
        ** (1 / years),
        "us_adoption_late_2023": mean["adoption_rate_us"].get(8, np.nan),
        "us_adoption_late_2025": mean["adoption_rate_us"].get(33, np.nan),
        "inference_share_2024": mean["inference_share"].loc[12:23].mean(),
        "query_energy_wh": 500 * wh_per_token,  # 500 output tokens (Epoch AI's query)
        "training_growth_per_year": (
            mean["training_flops"].get(36, np.nan) / mean["training_flops"].iloc[0]
        )
        ** (1 / 3),
        "shock_price_ratio": (1 + s.premium_markup) / (1 + s.aggressive_markup) * s.shock_factor,
    }
    rows = []
    for fact, (target, (low, high), source) in STYLIZED_FACTS.items():
        value = float(values[fact])
        rows.append(
            {
                "fact": fact,
                "target": target,
                "band": f"{low:g}-{high:g}",
                "model": value,
                "inside": bool(low <= value <= high)
                if np.isfinite(value)
                else "n/a (horizon too short)",
                "source": source,
            }
        )
    table = pd.DataFrame(rows).set_index("fact")
    write_atomic(out / "calibration.csv", table.to_csv())
    fig, ax = plt.subplots(figsize=(9, 4.5), constrained_layout=True)
    finite = table[np.isfinite(table["model"].astype(float))]
    x = np.arange(len(finite))
    ratio = finite["model"].astype(float) / finite["target"]
    bands = [
        tuple(float(v) / t for v in b.split("-")) for b, t in zip(finite["band"], finite["target"])
    ]
    ax.bar(x, ratio, color=["tab:green" if i is True else "tab:red" for i in finite["inside"]])
    ax.errorbar(
        x,
        [1] * len(x),
        yerr=[[1 - lo for lo, _ in bands], [hi - 1 for _, hi in bands]],
        fmt="k_",
        capsize=6,
        label="target and its band",
    )
    ax.set_xticks(x, finite.index, rotation=25, ha="right", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("model / target (log scale; green inside band)")
    ax.legend()
    ax.set_title("calibration: model against stylised facts")
    figure = save_figure(out, "calibration", fig)
    inside = sum(v is True for v in table["inside"])
    body = [
        f"{inside} of {len(table)} stylised facts inside their bands "
        f"({manifest['spec']['replications']} seeds, {steps} months).",
        "",
    ]
    return _findings(
        "calibration",
        EXPERIMENTS["calibration"].claim,
        body,
        [figure],
        table[["target", "band", "model", "inside", "source"]],
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
            "which assumptions drive compute growth, adoption and rebound (Sobol)",
            sensitivity_spec,
            sensitivity_analyze,
        ),
        Experiment(
            "calibration",
            "the defaults reproduce DESIGN.md's stylised facts",
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
