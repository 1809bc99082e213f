"""Named experiment `calibrate`: history matching on the observations up to 2024-06.

Steps (each a sweep on the command's executor, in its own subfolder, counterfactual
'none': calibration needs no twin): (1) Morris screening of the uncertain parameters of
``model.parameters.UNCERTAIN``, one seed a point; (2) waves of design points x replicated
seeds; after each wave a Gaussian-process emulator per observation rules out the space
where any observation's implausibility exceeds 3, and the next wave samples what is left;
(3) the ensemble: the simulated points whose largest implausibility is under 3, best
first by mean squared implausibility over the observations. Writes ensemble.csv (+
ensemble.json), design.csv, morris.csv, waves.csv, observations.csv,
default_preset.json, figures and findings.md.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jevons_compute.experiments.analysis.findings import findings, save_figure
from jevons_compute.experiments.analysis.tables import load, markdown_table
from jevons_compute.experiments.calibration import history_matching as hm
from jevons_compute.experiments.calibration import observed
from jevons_compute.experiments.named.common import Experiment
from jevons_compute.experiments.runs.figures import subplots
from jevons_compute.experiments.runs.storage import code_version, write_atomic, write_json
from jevons_compute.experiments.sweeps.spec import SweepSpec
from jevons_compute.model.metrics.table import METRICS
from jevons_compute.world.parameters import BY_NAME, UNCERTAIN
from jevons_compute.world.presets import CALIBRATED_DEFAULT as DEFAULT_PATH
from jevons_compute.world.presets import ENSEMBLE_PATH

CLAIM = (
    f"history matching on observations up to {observed.FIT_END} leaves a non-implausible "
    "ensemble of parameter sets"
)


@dataclass(frozen=True)
class Settings:
    """Sizes of a calibration. ``points_per_dim`` x screened parameters points a wave."""

    n_firms: int
    trajectories: int
    waves: int
    points_per_dim: int
    seeds: int
    candidates: int
    ensemble_size: int
    base_seed: int = 20240630


# firms: regional adoption shares need many agents (heavy-tailed firm weights); 20,000 as
# in the `calibration` experiment costs ~0.2 s a run over 18 months
FULL = Settings(
    n_firms=20_000,
    trajectories=10,
    waves=3,
    points_per_dim=10,
    seeds=3,
    candidates=20_000,
    ensemble_size=30,
)
QUICK = Settings(
    n_firms=5000,
    trajectories=2,
    waves=2,
    points_per_dim=2,
    seeds=2,
    candidates=2000,
    ensemble_size=5,
)


def fit_observations(path=observed.OBSERVED_PATH, fit_end: str = observed.FIT_END) -> pd.DataFrame:
    """The rows calibration uses: dated up to ``fit_end``, with a metric the model reports
    (the others are listed in a warning)."""
    fit, _ = observed.split(observed.load_observed(path), fit_end)
    fit = observed.usable(fit, METRICS)
    if fit.empty:
        raise observed.ObservedError(
            f"no observation in {path} is dated up to {fit_end} with a metric the model reports."
        )
    return fit


def run(
    out: Path,
    quick: bool,
    sweep,
    obs_path=observed.OBSERVED_PATH,
    fit_end: str = observed.FIT_END,
    settings: Settings | None = None,
    install_ensemble: bool = False,
    write_default: bool = False,
) -> str:
    """Calibrate into ``out``; returns the findings text (also written to findings.md)."""
    s = settings or (QUICK if quick else FULL)
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    start_year = BY_NAME["start_year"].default
    fit = fit_observations(obs_path, fit_end)
    labels = observed.labels(fit)
    z, v_obs = observed.target_log(fit), observed.obs_variance(fit)
    steps = observed.steps_needed(fit, start_year)

    def simulate(name: str, points: list[dict], seeds: int) -> pd.DataFrame:
        spec = SweepSpec(
            name=f"calibrate-{name}",
            steps=steps,
            replications=seeds,
            base_seed=s.base_seed,
            counterfactual="none",
            marginal=False,
            fixed={"n_firms": s.n_firms},
            points=points,
        )
        spec.validate(f"calibration {name}")
        sweep(spec, out / name)
        _, runs, series = load(out / name)
        sim = observed.simulated_log(series, fit, start_year)
        sim = sim.reindex(runs["run_id"])  # a failed run: NaN outputs
        sim.index = runs["point"].to_numpy()
        return sim.sort_index(kind="stable")

    # 1. screening
    t0 = time.perf_counter()
    unit = hm.morris_design(UNCERTAIN, s.trajectories, s.base_seed)
    sim = simulate("morris", hm.to_params(unit, UNCERTAIN), 1)
    # a row the model never reports positive (e.g. chip revenue before the first orders
    # arrive) is structural, not a question of parameters: it leaves the calibration
    never = [c for c in sim.columns if not np.isfinite(sim[c]).any()]
    used = np.array([c not in never for c in labels])
    write_atomic(
        out / "observations.csv",
        fit.assign(target_log=z, obs_var=v_obs, used=used).to_csv(index=False),
    )
    fit, z, v_obs = fit[used].reset_index(drop=True), z[used], v_obs[used]
    labels = [c for c in labels if c not in never]
    sim = sim[labels]
    importance = hm.morris_screen(unit, sim, UNCERTAIN)
    active = [u for u in UNCERTAIN if u.name in hm.screened_in(importance)]
    write_atomic(out / "morris.csv", importance.to_csv())
    stages = [{"stage": "morris", "points": len(unit), "runs": len(unit), "seconds": 0.0}]
    stages[0]["seconds"] = time.perf_counter() - t0

    # 2. waves
    d = len(active)
    n_points = s.points_per_dim * d
    defaults = {u.name: BY_NAME[u.name].default for u in active}
    x = np.vstack(
        [np.clip(hm.to_unit(defaults, active), 0, 1), hm.lhs(n_points - 1, d, s.base_seed)]
    )
    design, emulators = [], []
    for wave in range(1, s.waves + 1):
        t0 = time.perf_counter()
        sim = simulate(f"wave-{wave}", hm.to_params(x, active), s.seeds)[labels]
        means, v_seeds = hm.point_summary(sim)
        means = means.reindex(range(len(x)))
        i_sim = hm.simulated_implausibility(means, z, v_obs, v_seeds, s.seeds)
        for p, point in enumerate(hm.to_params(x, active)):
            design.append(
                {
                    "wave": wave,
                    "point": p,
                    **point,
                    "max_implausibility": float(i_sim.iloc[p].max()),
                    "mean_sq_implausibility": float((i_sim.iloc[p] ** 2).mean()),
                    "worst_observation": str(i_sim.iloc[p].idxmax()),
                    **{f"I: {k}": v for k, v in i_sim.iloc[p].items()},
                }
            )
        row = {"stage": f"wave-{wave}", "points": len(x), "runs": len(x) * s.seeds}
        row["best_max_implausibility"] = float(i_sim.max(axis=1).min())
        if wave < s.waves:  # emulate this wave to place the next one
            emulator = hm.Emulator(s.base_seed + wave).fit(x, means, v_seeds, s.seeds)
            emulators.append((emulator, v_seeds))
            candidates = hm.lhs(s.candidates, d, s.base_seed + 100 + wave)
            keep = np.ones(len(candidates), bool)
            for emulator, v in emulators:
                keep &= (
                    hm.emulated_max_implausibility(emulator, candidates, labels, z, v_obs, v)
                    < hm.CUTOFF
                )
            row["space_left"] = float(keep.mean())
            if keep.any():
                x = hm.pick_design(candidates[keep], n_points, s.base_seed + wave)
        row["seconds"] = time.perf_counter() - t0
        stages.append(row)
        if wave < s.waves and not row["space_left"]:
            break  # the emulators rule out every candidate: no further wave

    # 3. the ensemble
    # the largest implausibility rules points out; among those left, the best fit over all
    # observations (the smallest mean squared implausibility, a Gaussian log-likelihood
    # under the discrepancy model) comes first
    table = pd.DataFrame(design).sort_values(["max_implausibility", "wave", "point"])
    plausible = table[table["max_implausibility"] < hm.CUTOFF].sort_values(
        ["mean_sq_implausibility", "max_implausibility", "wave", "point"]
    )
    chosen = (plausible if len(plausible) else table).head(s.ensemble_size)
    names = [u.name for u in active]
    ensemble = chosen[names + ["max_implausibility", "mean_sq_implausibility"]]
    ensemble = ensemble.reset_index(drop=True)
    ensemble.insert(0, "member", range(len(ensemble)))
    seconds = time.perf_counter() - started
    meta = {
        "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": quick,
        "settings": asdict(s),
        "fit_end": fit_end,
        "observations": labels,
        "never_simulated": never,
        "screened_in": names,
        "non_implausible": bool(len(plausible)),
        "non_implausible_points": int(len(plausible)),
        "simulated_points": int(len(table)),
        "cutoff": hm.CUTOFF,
        "discrepancy_log_sd": hm.DISCREPANCY_LOG_SD,
        "seconds": round(seconds, 1),
        "code_version": code_version(),
    }
    write_atomic(out / "design.csv", table.to_csv(index=False))
    write_atomic(out / "ensemble.csv", ensemble.to_csv(index=False))
    write_json(out / "ensemble.json", meta)
    best = {n: _plain(ensemble.loc[0, n]) for n in names}
    write_json(out / "default_preset.json", {"parameters": best, **meta})
    write_atomic(out / "waves.csv", pd.DataFrame(stages).to_csv(index=False))
    if install_ensemble:
        write_atomic(ENSEMBLE_PATH, ensemble.to_csv(index=False))
        write_json(ENSEMBLE_PATH.with_suffix(".json"), meta)
    if write_default:
        write_json(DEFAULT_PATH, {"parameters": best, **meta})
    figures = [
        _morris_figure(out, importance),
        _implausibility_figure(out, table, chosen, _by_importance(importance, names)),
    ]
    best = chosen.iloc[0]  # the ensemble's first member, with its implausibilities
    text = _findings(fit, never, importance, names, stages, table, ensemble, best, meta, figures)
    write_atomic(out / "findings.md", text)
    return text


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def _morris_figure(out, importance):
    score = importance.max(axis=1).sort_values()
    fig, ax = subplots(figsize=(7, 0.35 * len(score) + 1.5), constrained_layout=True)
    colours = ["tab:blue" if v >= hm.SCREEN_THRESHOLD else "tab:gray" for v in score]
    ax.barh(score.index, score.to_numpy(), color=colours)
    ax.axvline(hm.SCREEN_THRESHOLD, color="k", ls="--", label="screening threshold")
    ax.set_xlabel("largest Morris mu* over observations / output standard deviation")
    ax.set_title("screening: which uncertain parameters move the fitted observations")
    ax.legend(fontsize=8)
    return save_figure(out, "morris", fig)


def _by_importance(importance: pd.DataFrame, names: list[str]) -> list[str]:
    """The screened-in parameters, most important (largest normalised mu*) first."""
    return list(importance.loc[names].max(axis=1).sort_values(ascending=False).index)


def _implausibility_figure(out, table, chosen, names):
    """Histogram of the largest implausibility by wave; the two most important parameters
    against each other, coloured by it."""
    fig, axes = subplots(1, 2, figsize=(11, 4.4), constrained_layout=True)
    finite = np.isfinite(table["max_implausibility"])
    for wave, part in table[finite].groupby("wave"):
        axes[0].hist(np.log10(part["max_implausibility"]), bins=20, alpha=0.6, label=f"wave {wave}")
    axes[0].axvline(np.log10(hm.CUTOFF), color="k", ls="--", label="cutoff 3")
    axes[0].set_xlabel("log10 of largest implausibility of a simulated point")
    axes[0].set_ylabel("design points")
    axes[0].legend(fontsize=8)
    a, b = (names + names)[:2]
    sc = axes[1].scatter(
        table[a], table[b], c=np.log10(table["max_implausibility"].clip(upper=1e6)), s=14
    )
    axes[1].scatter(chosen[a], chosen[b], facecolors="none", edgecolors="r", s=60, label="ensemble")
    fig.colorbar(sc, ax=axes[1], label="log10 largest implausibility")
    axes[1].set_xlabel(f"{a} ({BY_NAME[a].unit})")
    axes[1].set_ylabel(f"{b} ({BY_NAME[b].unit})")
    logs = {u.name for u in UNCERTAIN if u.log}
    if a in logs:
        axes[1].set_xscale("log")
    if b in logs:
        axes[1].set_yscale("log")
    axes[1].legend(fontsize=8)
    fig.suptitle("history matching: implausibility of simulated points by wave")
    return save_figure(out, "implausibility", fig)


def _findings(fit, never, importance, names, stages, table, ensemble, best, meta, figures) -> str:
    default_row = table[(table["wave"] == 1) & (table["point"] == 0)].iloc[0]
    worst = best[[c for c in table.columns if c.startswith("I: ")]].astype(float)
    worst = worst.sort_values(ascending=False).head(5)
    plausible = meta["non_implausible"]
    body = [
        f"Observations used: {len(fit)} rows of {fit['series'].nunique()} series dated up to "
        f"{meta['fit_end']} (observations.csv); later ones are held out for the backtest. "
        f"Model discrepancy {hm.DISCREPANCY_LOG_SD} in logs; cutoff {hm.CUTOFF}.",
        "",
        *(
            [
                f"Not used: {', '.join(never)}: the model reports no positive value there in "
                "any screening run (it starts with no chip orders in flight), a structural "
                "gap no parameter closes; the backtest shows it.",
                "",
            ]
            if never
            else []
        ),
        f"Screening (Morris, {stages[0]['runs']} runs): {len(names)} of {len(importance)} "
        f"uncertain parameters screened in: {', '.join(names)}.",
        "",
        "Waves:",
        "",
        markdown_table(pd.DataFrame(stages).set_index("stage")),
        "",
        (
            f"{meta['non_implausible_points']} of {meta['simulated_points']} simulated points "
            f"are non-implausible (largest implausibility < {hm.CUTOFF})."
            if plausible
            else f"No simulated point is non-implausible: the smallest largest implausibility "
            f"is {best['max_implausibility']:.3g}. The ensemble holds the "
            f"{len(ensemble)} least implausible points instead; read it as the model's best "
            "reach, not as a fit within the stated uncertainties."
        ),
        f"The defaults score a largest implausibility of {default_row['max_implausibility']:.3g} "
        f"(worst: {default_row['worst_observation']}); the best member (smallest mean "
        f"squared implausibility {best['mean_sq_implausibility']:.3g} among the points "
        f"left) {best['max_implausibility']:.3g}, the least implausible point "
        f"{table['max_implausibility'].min():.3g}.",
        "",
        "The best member's five worst-fitting observations (implausibility):",
        "",
        *[f"- {k[3:]}: {v:.3g}" for k, v in worst.items()],
        "",
        f"Ensemble (ensemble.csv, {len(ensemble)} members; run it with a spec holding "
        'ensemble = "PATH/ensemble.csv", or install it with --install-ensemble). '
        f"Calibration took {meta['seconds']:.0f} s.",
    ]
    return findings(
        "calibrate",
        CLAIM,
        body,
        figures,
        ensemble.set_index("member"),
        caption="Ensemble members, best first (parameters screened in; others at defaults):",
    )


EXPERIMENT = Experiment("calibrate", CLAIM, None, None, run=run)
