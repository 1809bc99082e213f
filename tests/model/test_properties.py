"""Properties over random valid scenarios (Hypothesis), as Axelrod's tests/property.py does."""

import math

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jevons_compute.model.metrics.table import MAY_BE_UNDEFINED
from jevons_compute.model.model import JevonsModel
from jevons_compute.world.parameters import BY_NAME, ParameterError
from jevons_compute.world.scenario import JevonsScenario

# Parameters drawn over their whole allowed range (others keep their defaults).
CHOICES = ["demand_model", "export_controls", "regions", "vendor_set"]
NUMBERS = [
    "price_elasticity",
    "algo_efficiency_gain",
    "hardware_efficiency_gain",
    "energy_efficiency_gain",
    "shock_factor",
    "bass_p",
    "bass_q",
    "initial_adoption",
    "switching_rate",
    "price_sensitivity",
    "premium_markup",
    "aggressive_markup",
    "training_revenue_share",
    "target_utilization",
    "task_value_median",
    "task_value_sigma",
    "tokens_per_task_minute",
    "consumer_ceiling",
    "consumer_serving_elasticity",
    "productivity_gain",
    "inference_mfu",
    "training_mfu",
    "floor_ratio",
    "tokens_per_task_growth",
    "tier_flops_factor",
    "tier_price_sensitivity",
    "capability_value",
    "chip_price_sensitivity",
    "domestic_preference",
    "ai_share_of_grid",
    "vendor_margin",
]
INTEGERS = [
    "n_providers",
    "shock_step",
    "chip_lead_time",
    "chip_lifetime",
    "generation_interval",
    "tier_interval",
    "domestic_preference_step",
    "grid_lead_time",
]
BOOLS = [
    "capacity_limited",
    "cross_region_hosting",
    "identical_firms",
    "capability_tiers",
    "power_limited",
]
MAY_BE_NAN = MAY_BE_UNDEFINED  # the model's own guard allows the same (model/metrics)
# Rebound can be negative (compute fell by more than the engineering saving), so can the
# elasticity, and so can the parts of the change in tokens.
MAY_BE_NEGATIVE = {
    "firm_surplus_usd",  # firms may pay more than AI gains them (constant_elasticity, scarcity)
    "rebound",
    "energy_rebound",
    "jevons_elasticity",
    "tokens_extensive",
    "tokens_intensive",
    "tokens_response_intensive",
    "tokens_response_displaced",
    # run - twin, and its channels
    "compute_gap",
    "compute_gap_inference",
    "compute_gap_training",
    "compute_gap_firms",
    "compute_gap_consumers",
}
REGIONAL = {
    f"{kind}_{r}"
    for kind in (
        "adoption_rate",
        "productivity_gain",
        "power_gw",
        "power_limit_gw",
        "consumer_revenue",
        "provider_revenue",
    )
    for r in ("us", "eu", "cn")
}


@st.composite
def scenarios(draw):
    params = {}
    for name in CHOICES:
        params[name] = draw(st.sampled_from(BY_NAME[name].choices))
    for name in NUMBERS:
        p = BY_NAME[name]
        params[name] = draw(st.floats(p.low, p.high, allow_nan=False))
    for name in INTEGERS:
        p = BY_NAME[name]
        params[name] = draw(st.integers(int(p.low), min(int(p.high), 60)))
    for name in BOOLS:
        params[name] = draw(st.booleans())
    params["n_providers"] = min(params["n_providers"], 12)
    params["n_firms"] = draw(st.integers(len(params["regions"].split(",")), 400))
    if params["vendor_set"] == "single_gpu" and "CN" in params["regions"]:
        params["export_controls"] = draw(st.sampled_from(["none", "capped"]))
    return JevonsScenario._unchecked(draw(st.integers(0, 2**32)), params)  # inert ones too


def log_uniform(p):
    """Log-uniform over a parameter's range (a zero lower bound: zero, or from high/1e4)."""
    low = p.low if p.low > 0 else p.high * 1e-4
    draw = st.floats(math.log(low), math.log(p.high)).map(math.exp)
    draw = draw.map(lambda x: min(max(x, p.low), p.high))
    return st.one_of(st.just(float(p.low)), draw) if p.low == 0 else draw


@st.composite
def log_scenarios(draw):
    """As scenarios(), numbers drawn log-uniformly: small values (few firms using AI at
    step 0, slow progress) are drawn as often as large ones."""
    scenario = draw(scenarios())
    params = scenario.parameters()
    for name in NUMBERS:
        params[name] = draw(log_uniform(BY_NAME[name]))
    return JevonsScenario._unchecked(scenario.rng, params)


def check_finite_non_negative(scenario, steps):
    model = JevonsModel(scenario)
    try:
        model.run_for(steps)
    except ParameterError as exc:  # an unrepresentable combination: one sentence, no garbage
        assert "cannot represent" in str(exc) or "beyond what the model" in str(exc), exc
        return
    df = model.datacollector.get_model_vars_dataframe()
    assert len(df) == steps + 1
    regions = scenario.regions.lower().split(",")
    for col in df.columns:
        if col == "date":
            continue
        values = df[col].to_numpy(dtype=float)
        if col in MAY_BE_NAN:
            values = values[~np.isnan(values)]
        if col in REGIONAL:
            if col.rsplit("_", 1)[1] not in regions:
                assert np.isnan(values).all(), col
                continue
        assert np.isfinite(values).all(), f"{col}: {values}"
        if col not in MAY_BE_NEGATIVE:
            assert (values >= 0).all(), f"{col} negative: {values.min()}"
    for p in model.providers:
        assert p.capacity_flops >= -1e-6 * max(1.0, p.capacity_flops)
        assert math.isfinite(p.price_per_mtok) and p.price_per_mtok > 0
    for v in model.vendors:
        assert all(o.units > 0 for o in v.backlog)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(1, 36))
@example(  # found by Hypothesis: a step-0 compute of ~1e-308 FLOP made the index infinite
    JevonsScenario(
        _check_acts=False,
        rng=0,
        n_firms=3,
        n_providers=1,
        price_elasticity=0.0,
        bass_p=2.0,
        initial_adoption=0.0,
        productivity_gain=1.0,
        training_revenue_share=2.2250738585072014e-308,
        capacity_limited=False,
        shock_factor=1.0,
        export_controls="none",
        regions="US,EU,CN",
    ),
    1,
)
def test_every_valid_scenario_runs_with_finite_non_negative_metrics(scenario, steps):
    check_finite_non_negative(scenario, steps)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_scenarios(), st.integers(1, 36))
def test_log_uniform_scenarios_run_with_finite_non_negative_metrics(scenario, steps):
    check_finite_non_negative(scenario, steps)


@settings(max_examples=15, deadline=None)
@given(scenarios())
def test_same_seed_same_run(scenario):
    params = scenario.parameters()
    runs = []
    for _ in range(2):
        model = JevonsModel(JevonsScenario._unchecked(scenario.rng, params))
        model.run_for(6)
        runs.append(model.datacollector.get_model_vars_dataframe())
    assert runs[0].equals(runs[1])
