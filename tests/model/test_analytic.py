"""The analytic limit: the simulation equals the closed form to float precision."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.model.metrics.counterfactual import MIN_SAVING

TOL = 1e-9


def closed_form(steps, epsilon, algo_gain, hardware_gain):
    phi = algo_gain ** (-steps / 12.0)  # f(t) / f(0)
    eta = hardware_gain ** (-steps / 12.0)  # h(t) / h(0)
    compute_ratio = phi ** (1.0 - epsilon) * eta ** (-epsilon)
    return phi, eta, compute_ratio


@pytest.mark.parametrize("epsilon", [0.3, 0.8, 1.0, 1.2, 2.5])
@pytest.mark.parametrize(
    "algo_gain,hardware_gain", [(2.8, 1.0), (2.8, 1.3), (1.1, 2.0), (10.0, 1.5)]
)
def test_compute_jevons_ratio_and_rebound_match_closed_form(epsilon, algo_gain, hardware_gain):
    model = make_model(
        preset="analytic",
        n_firms=20,
        price_elasticity=epsilon,
        algo_efficiency_gain=algo_gain,
        hardware_efficiency_gain=hardware_gain,
    )
    model.run_for(72)
    df = frame(model)
    t = df["step"].to_numpy(dtype=float)
    phi, eta, expected = closed_form(t, epsilon, algo_gain, hardware_gain)

    ratio = df["total_compute"] / df["total_compute"].iloc[0]
    np.testing.assert_allclose(ratio, expected, rtol=TOL)
    np.testing.assert_allclose(df["flops_per_token"] / df["flops_per_token"].iloc[0], phi, rtol=TOL)
    price_ratio = df["price_per_mtok"] / df["price_per_mtok"].iloc[0]
    np.testing.assert_allclose(price_ratio, phi * eta, rtol=TOL)
    # equivalently compute(t)/compute(0) = (price ratio)^-eps x f(t)/f(0)
    np.testing.assert_allclose(ratio, price_ratio**-epsilon * phi, rtol=TOL)

    # with/without: the twin freezes algorithmic progress; everything else moves alike
    jevons_ratio = phi ** (1.0 - epsilon)
    np.testing.assert_allclose(df["jevons_ratio"], jevons_ratio, rtol=TOL)
    np.testing.assert_allclose(df["compute_index_cf"], eta ** (-epsilon), rtol=TOL)
    np.testing.assert_allclose(df["compute_index"], df["compute_index_cf"] * df["jevons_ratio"])
    defined = 1.0 - phi >= MIN_SAVING
    rebound = 1.0 - (1.0 - jevons_ratio[defined]) / (1.0 - phi[defined])
    np.testing.assert_allclose(df["rebound"][defined], rebound, rtol=TOL)
    assert df["rebound"][~defined].isna().all()  # saving under 5%: undefined
    np.testing.assert_allclose(df["jevons_elasticity"][defined], epsilon - 1.0, atol=TOL)
    if epsilon > 1:
        assert (df["jevons_ratio"].iloc[1:] > 1).all()
    elif epsilon < 1:
        assert (df["jevons_ratio"].iloc[1:] < 1).all()


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 1.5])
def test_hardware_twin_has_no_compute_rebound_and_elasticity_epsilon(epsilon):
    """Freezing hardware saves no FLOPs per token: compute rebound is undefined, and compute
    responds to cheaper chips with elasticity epsilon (price ~ h, compute ~ h^-eps)."""
    model = make_model(
        preset="analytic",
        n_firms=5,
        price_elasticity=epsilon,
        algo_efficiency_gain=2.0,
        hardware_efficiency_gain=1.5,
        counterfactual="hardware",
    )
    model.run_for(48)
    df = frame(model)
    eta = 1.5 ** (-df["step"].to_numpy(dtype=float) / 12.0)
    np.testing.assert_allclose(df["jevons_ratio"], eta ** (-epsilon), rtol=TOL)
    assert df["rebound"].isna().all()
    defined = 1.0 - eta >= MIN_SAVING
    np.testing.assert_allclose(df["jevons_elasticity"][defined], epsilon, atol=TOL)


def test_analytic_totals_do_not_depend_on_number_of_agents():
    a = frame((m := make_model(preset="analytic", n_firms=3), m.run_for(12))[0])
    b = frame((m := make_model(preset="analytic", n_firms=300), m.run_for(12))[0])
    np.testing.assert_allclose(a["total_compute"], b["total_compute"], rtol=1e-12)
