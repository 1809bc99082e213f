"""The run against its counterfactual twins: with/without measures of the Jevons effect.

The Jevons effect is measured **with/without** efficiency: each run is paired with a
counterfactual twin (same scenario, same seed, same random draws, every rule active) in
which the studied efficiency source is frozen (``JevonsModel(counterfactual=...)``).
With C the run's total compute (inference + training), C_cf the twin's, and
C_eng = tokens_cf x flops_per_token + training_cf the twin's activity at the run's FLOPs
per token (what efficiency would save if demand did not respond):

- ``jevons_ratio`` = C / C_cf: efficiency raised compute (backfire) iff above 1;
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
        q, q_cf = m.firms.served_tokens(), twin.firms.served_tokens()
        both = m.firms.adopted & twin.firms.adopted
        only_run = m.firms.adopted & ~twin.firms.adopted
        only_twin = ~m.firms.adopted & twin.firms.adopted
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
            "tokens_response_intensive": float((q - q_cf)[both].sum())
            + row["consumer_tokens"]
            - cf["consumer_tokens"],
            "tokens_response_induced": float(q[only_run].sum()),
            "tokens_response_displaced": -float(q_cf[only_twin].sum()),
        }

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


def finite_ratio(a: float, b: float) -> float:
    """a / b; NaN where b is zero or so near it that the ratio is not a finite number."""
    if not b > 0:
        return math.nan
    if type(a) is float and type(b) is float:  # plain floats overflow to inf silently
        r = a / b
    else:
        with np.errstate(over="ignore"):
            r = a / b
    return float(r) if math.isfinite(r) else math.nan
