"""The counterfactual twin: same scenario and seed, one efficiency source frozen."""

import math

import numpy as np
import pandas as pd
import pytest
from helpers import frame, make_model

from jevons_compute.experiments.runs.single import headline, summary_text
from jevons_compute.model.metrics.table import COUNTERFACTUAL_METRICS, METRICS
from jevons_compute.model.model import JevonsModel

OWN = [m for m in METRICS if m not in COUNTERFACTUAL_METRICS]


def twin_frame(model):
    return model.twin.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.mark.parametrize(
    "source,still",
    [
        ("algo", {"algo_efficiency_gain": 1.0, "shock_factor": 1.0}),
        ("shock", {"shock_factor": 1.0}),
        ("hardware", {"hardware_efficiency_gain": 1.0, "energy_efficiency_gain": 1.0}),
        (
            "all",
            {
                "algo_efficiency_gain": 1.0,
                "shock_factor": 1.0,
                "hardware_efficiency_gain": 1.0,
                "energy_efficiency_gain": 1.0,
            },
        ),
    ],
)
def test_twin_is_the_run_to_the_last_bit_when_the_frozen_source_is_still(source, still):
    shock = {} if still.get("shock_factor") == 1.0 else {"shock_step": 6}  # no shock: no step
    model = make_model(seed=3, n_firms=400, counterfactual=source, **shock, **still)
    model.run_for(30)
    run, twin = frame(model), twin_frame(model)
    pd.testing.assert_frame_equal(run[OWN], twin[OWN], check_exact=True)
    assert (run["jevons_ratio"] == 1.0).all() and (run["energy_jevons_ratio"] == 1.0).all()
    assert run["rebound"].isna().all()  # nothing saved: rebound undefined, not 0 or 1
    assert (run["tokens_response_intensive"] == 0).all()
    assert (run["tokens_response_induced"] == 0).all()


def test_twin_replays_the_same_random_draws_when_efficiency_moves():
    """Common random numbers: each agent takes the same number of draws every month
    whatever its state, so the streams of run and twin stay in step."""
    model = make_model(seed=5, n_firms=300, shock_step=3, open_adoption_p=0.3)
    model.run_for(24)
    assert frame(model)["jevons_ratio"].iloc[-1] != 1.0  # the twin did diverge
    assert model.firm_rng.bit_generator.state == model.twin.firm_rng.bit_generator.state
    for p, q in zip(model.providers, model.twin.providers):
        assert p.stream.bit_generator.state == q.stream.bit_generator.state
    assert model.random.getstate() == model.twin.random.getstate()


def test_unseeded_model_gets_a_twin_with_the_same_seed():
    model = JevonsModel(n_firms=200, algo_efficiency_gain=1.0, shock_factor=1.0)
    model.run_for(6)
    pd.testing.assert_frame_equal(frame(model)[OWN], twin_frame(model)[OWN], check_exact=True)


def test_efficiency_that_lowers_compute_is_no_backfire_although_compute_grew():
    """Inelastic demand: compute grows since step 0 (adoption, cheaper chips) but is below
    what it would be without algorithmic progress: the verdict is no backfire."""
    model = make_model(
        seed=2,
        n_firms=600,
        demand_model="constant_elasticity",
        capability_tiers=False,
        price_elasticity=0.8,
        algo_efficiency_gain=1.6,
        bass_p=0.3,  # fast diffusion: compute grows for reasons other than efficiency
        shock_factor=1.0,
    )
    model.run_for(48)
    df = frame(model)
    last = df.iloc[-1]
    assert last["compute_index"] > 1.0  # grew since step 0 ...
    assert last["jevons_ratio_12m"] < 1.0  # ... yet efficiency lowered the year's compute
    h = headline(df)
    assert h["backfire"] is False and h["compute_growth"] > 1
    text = summary_text(h, 48, "algo")
    assert "backfire           no: efficiency lowered total compute of the trailing 12" in text


def assert_tokens_split_exactly(df):
    """The change in tokens against the twin is the sum of its three parts."""
    parts = df[
        ["tokens_response_intensive", "tokens_response_induced", "tokens_response_displaced"]
    ].sum(axis=1)
    np.testing.assert_allclose(parts, df["tokens"] - df["tokens_cf"], rtol=1e-9, atol=1.0)


def test_growth_and_tokens_split_exactly():
    model = make_model(
        seed=4,
        n_firms=500,
        demand_model="constant_elasticity",
        price_elasticity=1.4,
        consumer_ceiling=0.0,
        capability_tiers=False,
        shock_step=12,
    )
    model.run_for(48)
    df = frame(model)
    np.testing.assert_allclose(
        df["compute_index"], df["compute_index_cf"] * df["jevons_ratio"], rtol=1e-12
    )
    assert_tokens_split_exactly(df)
    # elastic demand with adoption gated by price: efficiency induces adopters
    assert df["tokens_response_induced"].iloc[-1] >= 0
    assert (df["tokens_response_displaced"] <= 0).all()
    # the engineering counterfactual never exceeds the twin: efficiency saves FLOPs per token
    assert (df["compute_eng"] <= df["compute_cf"] * (1 + 1e-12)).all()
    assert df["jevons_ratio"].iloc[-1] > 1  # elasticity 1.4: backfire
    # consumers' tokens count in the split too (the defaults: task values, consumers)
    with_consumers = make_model(seed=4, n_firms=400)
    with_consumers.run_for(24)
    df = frame(with_consumers)
    assert_tokens_split_exactly(df)
    assert (df["consumer_tokens"] > df["consumer_tokens"].iloc[0]).iloc[1:].all()


def test_rebound_is_undefined_while_the_saving_is_small():
    model = make_model(seed=1, n_firms=200, algo_efficiency_gain=1.2, shock_factor=1.0)
    model.run_for(12)
    df = frame(model)
    saving = 1 - df["compute_eng"] / df["compute_cf"]
    assert df["rebound"][saving < 0.05].isna().all()
    assert df["rebound"][saving >= 0.05].notna().all()


def test_no_twin_means_no_verdict():
    model = make_model(seed=1, n_firms=200, counterfactual="none")
    model.run_for(6)
    df = frame(model)
    assert df[list(COUNTERFACTUAL_METRICS)].isna().all().all()
    h = headline(df)
    assert h["backfire"] is None and math.isnan(h["jevons_ratio_12m"])
    assert h["backfire_month"] is None and math.isnan(h["jevons_ratio_month"])
    assert "backfire           -" in summary_text(h, 6, "none")


def test_without_marginal_twin_no_elasticity():
    model = make_model(seed=1, n_firms=200, marginal=False)
    model.run_for(24)
    df = frame(model)
    assert model.marginal_twin is None and df["jevons_elasticity"].isna().all()
    assert df["jevons_ratio"].notna().all()
