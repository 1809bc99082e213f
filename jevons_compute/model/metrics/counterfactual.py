"""The run against its counterfactual twins: with/without measures of the Jevons effect.

The Jevons effect is measured **with/without** efficiency: each run is paired with a
counterfactual twin (same scenario, same seed, same random draws, every rule active) in
which the studied efficiency source is frozen (``JevonsModel(counterfactual=...)``).
With C the run's total compute (inference + training), C_cf the twin's, and
C_eng = tokens_cf x flops_per_token + training_cf the twin's activity at the run's FLOPs
per token (what efficiency would save if demand did not respond):

- ``jevons_ratio`` = C / C_cf of this month alone (the verdict, backfire, reads the
  trailing 12 months' ``jevons_ratio_12m`` below: above 1);
- ``rebound`` = (C - C_eng) / (C_cf - C_eng): the share of the engineering saving taken
  back by demand (above 1 is backfire); NaN while the saving is under 5% of C_cf, and
  always for the ``hardware`` source (it saves no FLOPs);
- energy likewise, the engineering energy at the twin's facility energy per useful FLOP
  (with hardware frozen, the twin's fleet at the run's joules per FLOP of each vintage);
- ``jevons_elasticity`` = d ln C / d ln(1/phi) from the marginal twin, whose log
  efficiency gain is 0.9 times the run's (phi: FLOPs per token for ``algo``/``shock``, cost
  per useful FLOP for ``hardware``, their product for ``all``); eps - 1 in the analytic
  limit, so backfire iff above 0;
- growth since step 0 splits exactly: compute_index = compute_index_cf x jevons_ratio;
- tokens - tokens_cf splits firm by firm (the same agent in run and twin) into firms
  adopted in both (intensive), adopted only with efficiency (induced) and adopted only
  without it (displaced, counted negative).

The headline and the channels use the trailing 12 months' flows (all months so far in the
first year), not one month's: with sums over those months,

- ``jevons_ratio_12m`` = sum C / sum C_cf (energy and tokens likewise);
- ``jevons_ratio_inference``, ``_training``, ``_firms``, ``_consumers``: the same ratio of
  each channel's compute (inference serving firms and consumers, training);
- ``compute_gap`` = sum C - sum C_cf splits exactly into ``compute_gap_inference`` +
  ``compute_gap_training``, and the inference part into ``compute_gap_firms`` +
  ``compute_gap_consumers`` (consumers' compute: their served tokens x their provider's
  FLOPs per token; firms': the rest of the inference compute).

Indices relative to step 0 are NaN when their step-0 value is zero. The change in tokens
since step 0 splits (before/after, midpoint rule) into new adopters and more use per
adopter: dT = dN x (q0 + q1)/2 + dq x (N0 + N1)/2.
"""

from __future__ import annotations

import math

import numpy as np

from jevons_compute.model.metrics.table import COUNTERFACTUAL_METRICS

#: Rebound is NaN while the engineering saving is under this share of the twin's compute.
MIN_SAVING = 0.05
#: The monthly flows kept for the trailing 12 months, in the order ``remember_flows`` keeps.
FLOWS = ("firms", "consumers", "training", "energy", "tokens")
#: The channels of the compute gap, for the words that say which carries a verdict.
CHANNELS = ("training", "firms", "consumers")


class Counterfactual:
    """The with/without part of ``Metrics`` (a mixin: ``self`` is the Metrics)."""

    def before_after(self, row: dict, cost_per_flop: float, adopters: float) -> dict:
        """Indices against step 0 and the before/after split of tokens."""
        tokens = row["tokens"]
        f = row["flops_per_token"]
        if self.base is None:
            self.base = {
                "tokens": tokens,
                "f": f,
                "total": row["total_compute"],
                "energy": row["energy_mwh"],
                "cost": cost_per_flop,
                "adopters": adopters,
            }
        b = self.base
        per_adopter0 = b["tokens"] / b["adopters"] if b["adopters"] else 0.0
        per_adopter = tokens / adopters if adopters else 0.0
        return {
            "efficiency_index": finite_ratio(b["f"] * b["cost"], f * cost_per_flop),
            "compute_index": finite_ratio(row["total_compute"], b["total"]),
            "energy_index": finite_ratio(row["energy_mwh"], b["energy"]),
            "tokens_extensive": (adopters - b["adopters"]) * (per_adopter0 + per_adopter) / 2,
            "tokens_intensive": (per_adopter - per_adopter0) * (b["adopters"] + adopters) / 2,
        }

    def remember_flows(self, row: dict) -> None:
        """Keep this month's flows (``FLOWS``) for the trailing 12-month sums."""
        inference = row["inference_flops"]
        # consumers' part, never above the whole (rounding of the per-provider sums)
        consumers = min(row["consumer_inference_flops"], inference)
        if inference - consumers <= 1e-12 * inference:  # no firms: not rounding noise
            consumers = inference
        self.flow_window.append(
            (
                inference - consumers,
                consumers,
                row["training_flops"],
                row["energy_mwh"],
                row["tokens"],
            )
        )

    def trailing(self) -> dict[str, float]:
        """The flows summed over the trailing 12 months, by name (``FLOWS``)."""
        sums = [math.fsum(x) for x in zip(*self.flow_window)]
        return dict(zip(FLOWS, sums))

    def channels(self, twin) -> dict:
        """The trailing 12 months, run over twin, and the exact split of C - C_cf."""
        run, cf = self.trailing(), twin.metrics_tracker.trailing()
        gap = {k: run[k] - cf[k] for k in FLOWS}
        inference, inference_cf = run["firms"] + run["consumers"], cf["firms"] + cf["consumers"]
        return {
            "jevons_ratio_12m": finite_ratio(
                inference + run["training"], inference_cf + cf["training"]
            ),
            "energy_jevons_ratio_12m": finite_ratio(run["energy"], cf["energy"]),
            "tokens_ratio_12m": finite_ratio(run["tokens"], cf["tokens"]),
            "jevons_ratio_inference": finite_ratio(inference, inference_cf),
            "jevons_ratio_training": finite_ratio(run["training"], cf["training"]),
            "jevons_ratio_firms": finite_ratio(run["firms"], cf["firms"]),
            "jevons_ratio_consumers": finite_ratio(run["consumers"], cf["consumers"]),
            "compute_gap": gap["firms"] + gap["consumers"] + gap["training"],
            "compute_gap_inference": gap["firms"] + gap["consumers"],
            "compute_gap_training": gap["training"],
            "compute_gap_firms": gap["firms"],
            "compute_gap_consumers": gap["consumers"],
        }

    def with_without(self, row: dict, cost_per_flop: float) -> dict:
        """The run against its counterfactual twin (all NaN without one)."""
        m = self.model
        twin = m.twin
        if twin is None:
            return dict.fromkeys(COUNTERFACTUAL_METRICS, math.nan)
        cf = twin.metrics
        source = m.counterfactual
        compute, compute_cf = row["total_compute"], cf["total_compute"]
        energy, energy_cf = row["energy_mwh"], cf["energy_mwh"]
        # the twin's activity at the run's FLOPs per token and joules per FLOP
        f_ratio = finite_ratio(row["flops_per_token"], cf["flops_per_token"])
        compute_eng = cf["inference_flops"] * f_ratio + cf["training_flops"]
        ratios = [p.reference_energy_ratio() for p in twin.providers]
        inference_ref = sum(p.inference_energy_mwh * r for p, r in zip(twin.providers, ratios))
        all_ref = sum(p.energy_mwh * r for p, r in zip(twin.providers, ratios))
        energy_eng = inference_ref * f_ratio + (all_ref - inference_ref)
        # each agent's real firms adopted in both, only in the run, only in the twin
        share, share_cf = m.firms.share, twin.firms.share
        both = np.minimum(share, share_cf)
        base_compute = self.base["total"]
        return {
            "tokens_cf": cf["tokens"],
            "compute_cf": compute_cf,
            "energy_cf": energy_cf,
            "compute_eng": compute_eng,
            "energy_eng": energy_eng,
            "compute_index_cf": finite_ratio(compute_cf, base_compute),
            "jevons_ratio": finite_ratio(compute, compute_cf),
            "energy_jevons_ratio": finite_ratio(energy, energy_cf),
            "rebound": math.nan
            if source == "hardware"
            else _rebound(compute, compute_cf, compute_eng),
            "energy_rebound": _rebound(energy, energy_cf, energy_eng),
            "jevons_elasticity": self.elasticity(row, cost_per_flop),
            "tokens_response_intensive": float(
                (m.firms.served_tokens(both) - twin.firms.served_tokens(both)).sum()
            )
            + row["consumer_tokens"]
            - cf["consumer_tokens"],
            "tokens_response_induced": float(m.firms.served_tokens(share - both).sum()),
            "tokens_response_displaced": -float(twin.firms.served_tokens(share_cf - both).sum()),
        } | self.channels(twin)

    def elasticity(self, row: dict, cost_per_flop: float) -> float:
        """d ln C / d ln(1/phi) between the run and its marginal twin (NaN without one or
        while the run's efficiency gain over the twin is under MIN_SAVING)."""
        m = self.model
        if m.marginal_twin is None:
            return math.nan
        phi = self._efficiency(row, cost_per_flop)
        phi_cf = self._efficiency(m.twin.metrics, m.twin.metrics_tracker.cost_per_flop)
        phi_marginal = self._efficiency(
            m.marginal_twin.metrics, m.marginal_twin.metrics_tracker.cost_per_flop
        )
        compute = row["total_compute"]
        compute_marginal = m.marginal_twin.metrics["total_compute"]
        if not (phi > 0 and phi_cf > 0 and phi_marginal > 0 and compute > 0 < compute_marginal):
            return math.nan
        if 1.0 - phi / phi_cf < MIN_SAVING:
            return math.nan
        ratio, efficiency = finite_ratio(compute, compute_marginal), finite_ratio(phi_marginal, phi)
        if not (ratio > 0 and efficiency > 0) or efficiency == 1.0:
            return math.nan
        return math.log(ratio) / math.log(efficiency)

    def _efficiency(self, row: dict, cost_per_flop: float) -> float:
        """The studied source's efficiency measure phi (lower is more efficient)."""
        source = self.model.counterfactual
        if source in ("algo", "shock"):
            return row["flops_per_token"]
        if source == "hardware":
            return cost_per_flop
        return row["flops_per_token"] * cost_per_flop


def _rebound(actual: float, counterfactual: float, engineering: float) -> float:
    """(actual - engineering) / (counterfactual - engineering), NaN for a small saving."""
    saved = counterfactual - engineering
    if not counterfactual > 0 or saved < MIN_SAVING * counterfactual:
        return math.nan
    return finite_ratio(actual - engineering, saved)


#: Types whose division is the same in plain floats (without numpy's overflow warning).
_DOUBLES = (float, np.float64)


def finite_ratio(a: float, b: float) -> float:
    """a / b; NaN where b is zero or so near it that the ratio is not a finite number."""
    if not b > 0:
        return math.nan
    if type(a) in _DOUBLES and type(b) in _DOUBLES:
        # the same IEEE division in plain floats, which overflow to inf silently
        r = float(a) / float(b)
    else:
        with np.errstate(over="ignore"):
            r = a / b
    return float(r) if math.isfinite(r) else math.nan


def carrying_channel(gaps: dict[str, float]) -> tuple[str, float]:
    """The channel (``CHANNELS``) whose compute gap has the verdict's sign and is the
    largest, and its share of the whole gap; ``gaps``: ``compute_gap`` and
    ``compute_gap_<channel>`` values. ("", NaN) where the gap is zero or not a number."""
    total = gaps.get("compute_gap", math.nan)
    if not (math.isfinite(total) and total != 0.0):
        return "", math.nan
    parts = {c: gaps[f"compute_gap_{c}"] for c in CHANNELS}
    sign = 1.0 if total > 0 else -1.0
    name = max(parts, key=lambda c: sign * parts[c])
    return name, parts[name] / total


def channel_words(gaps: dict[str, float]) -> str:
    """Which channel carries the verdict, in words: e.g. "carried by training (96% of the
    extra compute of the trailing 12 months; firms' inference +7%, consumers' -3%)";
    "" where the gap is zero or not a number."""
    name, share = carrying_channel(gaps)
    if not name:
        return ""
    total = gaps["compute_gap"]
    what = "extra compute" if total > 0 else "compute saved"
    label = {"training": "training", "firms": "firms' inference", "consumers": "consumers'"}
    others = [
        f"{label[c]} {100 * gaps[f'compute_gap_{c}'] / total:+.0f}%" for c in CHANNELS if c != name
    ]
    return (
        f"carried by {label[name]}{' inference' if name == 'consumers' else ''} "
        f"({100 * share:.0f}% of the {what} of the trailing 12 months; {', '.join(others)})"
    )
