"""The fall of the fixed-capability price in its parts (model/metrics/price_split.py): the
parts multiply to the price's fall, and each part moves with its own cause alone."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.model.metrics.price_split import PARTS
from jevons_compute.world.parameters import ParameterError

FALLS = [f"price_fall_{part}" for part in PARTS]


def price_fall(df):
    return df["hedonic_price_index"].iloc[0] / df["hedonic_price_index"]


def test_the_parts_multiply_to_the_fall_of_the_fixed_capability_price_every_month():
    # the default world: tiers, the shock, scarcity, several providers and regions
    model = make_model(seed=3, n_firms=300, counterfactual="none", shock_step=6)
    model.run_for(30)
    df = frame(model)
    product = np.prod(df[FALLS].to_numpy(), axis=1)
    np.testing.assert_allclose(product, price_fall(df), rtol=1e-9)
    assert (df[FALLS].iloc[0] == 1.0).all()
    assert price_fall(df).iloc[-1] > 10  # a real fall to split, not ones
    # FLOPs per token: the GPT-4-class tier's own path toward its floor at
    # algo_efficiency_gain a year, until the open-weight model (released in this tier at
    # month 6) saves more as providers take it up
    s = model.scenario
    assert model.open_tier == 0
    f0 = model.tiers.flops_at_release[0]
    floor = s.floor_ratio * f0
    months = df["step"].to_numpy()
    path = f0 / (floor + (f0 - floor) * s.algo_efficiency_gain ** (-months / 12.0))
    flops = df["price_fall_flops_per_token"].to_numpy()
    np.testing.assert_allclose(flops[:6], path[:6], rtol=1e-12)
    assert (flops[6:] >= path[6:] * (1 - 1e-12)).all() and flops[-1] > 1.1 * path[-1]
    # constant serving MFU: no utilisation part
    np.testing.assert_allclose(df["price_fall_utilisation"], 1.0, rtol=1e-12)
    assert (df["serving_mfu"] == s.inference_mfu).all()


def test_serving_mfu_grows_to_its_bound_and_the_price_falls_with_it_alone():
    # one provider, no algorithmic or hardware progress, unlimited capacity: only the MFU
    # moves, so the price per token falls as useful FLOPs per peak FLOP rise
    model = make_model(
        seed=1,
        preset="analytic",
        n_firms=50,
        counterfactual="none",
        algo_efficiency_gain=1.0,
        hardware_efficiency_gain=1.0,
        energy_efficiency_gain=1.0,
        inference_mfu=0.05,
        inference_mfu_growth=2.0,
        inference_mfu_max=0.15,
    )
    model.run_for(30)
    df = frame(model)
    mfu = df["serving_mfu"].to_numpy()
    assert mfu[12] == pytest.approx(0.10, rel=1e-12)  # doubled in a year
    assert (mfu[20:] == 0.15).all() and (np.diff(mfu) >= 0).all()  # capped at the bound
    np.testing.assert_allclose(price_fall(df), mfu / 0.05, rtol=1e-12)
    np.testing.assert_allclose(df["price_fall_utilisation"], mfu / 0.05, rtol=1e-12)
    for part in ("flops_per_token", "hardware", "markup", "scarcity"):
        np.testing.assert_allclose(df[f"price_fall_{part}"], 1.0, rtol=1e-12)
    # the fleet serves more useful FLOPs per peak FLOP-second
    peak = sum(p.inference_peak_seconds for p in model.providers)
    assert peak == pytest.approx(df["inference_flops"].iloc[-1] / 0.15, rel=1e-12)


def test_chip_price_performance_is_the_hardware_part():
    model = make_model(
        seed=1,
        preset="analytic",
        n_firms=50,
        counterfactual="none",
        algo_efficiency_gain=1.0,
        hardware_efficiency_gain=2.0,
    )
    model.run_for(24)
    df = frame(model)
    # a generation a month, no electricity: rent per FLOP halves every year
    np.testing.assert_allclose(df["price_fall_hardware"], 2.0 ** (df["step"] / 12.0), rtol=1e-9)
    np.testing.assert_allclose(df["price_fall_hardware"], price_fall(df), rtol=1e-9)


def test_the_all_twin_freezes_serving_mfu_growth():
    model = make_model(
        seed=1,
        n_firms=150,
        counterfactual="all",
        marginal=False,
        inference_mfu_growth=1.5,
    )
    model.run_for(13)
    run, twin = frame(model), frame(model.twin)
    assert run["serving_mfu"].iloc[-1] > run["serving_mfu"].iloc[0]
    assert (twin["serving_mfu"] == model.scenario.inference_mfu).all()


def test_a_bound_below_the_starting_mfu_and_a_bound_that_cannot_act_are_refused():
    with pytest.raises(ParameterError, match="inference_mfu_max=0.02 is below inference_mfu"):
        make_model(n_firms=50, inference_mfu=0.05, inference_mfu_growth=1.5, inference_mfu_max=0.02)
    with pytest.raises(ParameterError, match="inference_mfu_max=0.3 does not act"):
        make_model(n_firms=50, inference_mfu_max=0.3)
