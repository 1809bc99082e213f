"""DESIGN.md's analytic limit: the simulation equals the closed form to float precision."""

import numpy as np
import pytest
from conftest import frame, make_model

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
def test_compute_ratio_and_rebound_match_closed_form(epsilon, algo_gain, hardware_gain):
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

    rebound = 1.0 - (1.0 - expected[1:]) / (1.0 - phi[1:])
    np.testing.assert_allclose(df["rebound"].iloc[1:], rebound, rtol=TOL)
    assert np.isnan(df["rebound"].iloc[0])  # no efficiency change yet: undefined


@pytest.mark.parametrize("epsilon", [0.5, 1.0, 1.5])
def test_hardware_fixed_rebound_formula_and_backfire_iff_elastic(epsilon):
    model = make_model(
        preset="analytic",
        n_firms=5,
        price_elasticity=epsilon,
        algo_efficiency_gain=3.0,
        hardware_efficiency_gain=1.0,
    )
    model.run_for(48)
    df = frame(model)
    phi = 3.0 ** (-df["step"].to_numpy(dtype=float) / 12.0)
    expected = 1.0 - (1.0 - phi[1:] ** (1.0 - epsilon)) / (1.0 - phi[1:])
    np.testing.assert_allclose(df["rebound"].iloc[1:], expected, rtol=TOL)
    growth = df["total_compute"].iloc[-1] / df["total_compute"].iloc[0]
    if epsilon > 1:
        assert growth > 1 and (df["rebound"].iloc[1:] > 1).all()
    elif epsilon < 1:
        assert growth < 1 and (df["rebound"].iloc[1:] < 1).all()
    else:
        assert growth == pytest.approx(1.0, rel=TOL)


def test_rebound_tends_to_epsilon_for_small_gains():
    epsilon = 1.7
    model = make_model(
        preset="analytic",
        n_firms=5,
        price_elasticity=epsilon,
        algo_efficiency_gain=1.0001,
        hardware_efficiency_gain=1.0,
    )
    model.run_for(1)
    assert frame(model)["rebound"].iloc[1] == pytest.approx(epsilon, rel=1e-4)


def test_analytic_totals_do_not_depend_on_number_of_agents():
    a = frame((m := make_model(preset="analytic", n_firms=3), m.run_for(12))[0])
    b = frame((m := make_model(preset="analytic", n_firms=300), m.run_for(12))[0])
    np.testing.assert_allclose(a["total_compute"], b["total_compute"], rtol=1e-12)
