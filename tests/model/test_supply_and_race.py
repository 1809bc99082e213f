"""The supply side and the training race at the default preset (slow): the projection
has no collapse of chip sales unless finance is withdrawn, and with constant-elasticity
firms the firms' compute answers efficiency through their elasticity."""

import numpy as np
import pytest

from jevons_compute import JevonsScenario, run_scenario

pytestmark = pytest.mark.slow


def yearly_chip_sales(df):
    sales = df["us_vendor_revenue"] + df["cn_vendor_revenue"]
    years = df["date"].str[:4]
    whole = years.map(years.value_counts()) == 12  # full calendar years only
    return sales[whole].groupby(years[whole]).sum()


def worst_yearly_change(**params):
    scenario = JevonsScenario.from_preset("default", rng=1, n_firms=2000, **params)
    sales = yearly_chip_sales(run_scenario(scenario, 144, marginal=False))
    change = (sales / sales.shift(1)).dropna()
    return float(change.loc["2025":].min())


def test_chip_sales_fall_by_more_than_60_percent_in_a_year_only_after_a_financing_shock():
    assert worst_yearly_change() > 0.4
    assert worst_yearly_change(financing_shock=0.7, financing_shock_step=48) < 0.4


def test_firms_compute_backfires_with_elastic_firms_and_not_with_inelastic_ones():
    def firms_ratio(elasticity):
        ratios = []
        for seed in (1, 2, 3):
            scenario = JevonsScenario.from_preset(
                "default",
                rng=seed,
                n_firms=2000,
                demand_model="constant_elasticity",
                price_elasticity=elasticity,
            )
            ratios.append(run_scenario(scenario, 72, marginal=False)["jevons_ratio_firms"].iloc[-1])
        return float(np.mean(ratios))

    inelastic, elastic = firms_ratio(0.75), firms_ratio(1.5)
    assert inelastic < 1.0 < elastic
