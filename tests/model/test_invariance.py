"""Totals do not depend on the number of firm agents (DESIGN v3.1): each agent stands for
many real firms, and its adopted share follows the expected Bass path, so 2,000 agents
give the means of 20,000 (benchmarks/invariance.py prints the full table)."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario

COLUMNS = (
    "tokens",
    "adoption_rate",
    "adoption_rate_us",
    "adoption_rate_eu",
    "adoption_rate_cn",
    "total_compute",
    "inference_flops",
)
MONTHS = (12, 36, 72)
SEEDS = range(6)


def default_run(seed: int, n_firms: int):
    scenario = JevonsScenario.from_preset("default", rng=seed, n_firms=n_firms)
    model = JevonsModel(scenario, counterfactual="none", firm_agents=False)
    model.run_for(MONTHS[-1])
    df = frame(model)
    df["firm_tokens"] = df["tokens"] - df["consumer_tokens"]
    return df.loc[list(MONTHS), [*COLUMNS, "firm_tokens"]].to_numpy()


def test_means_over_seeds_at_2000_and_20000_firm_agents_are_within_5_percent():
    small, large = (np.mean([default_run(s, n) for s in SEEDS], axis=0) for n in (2000, 20000))
    difference = small / large - 1
    assert np.abs(difference).max() < 0.05, difference


@pytest.mark.parametrize("n_firms", [3, 40, 900])
def test_a_groups_adopted_share_follows_the_bass_path_whatever_the_number_of_agents(n_firms):
    """Identical firms for which adoption pays: the adopted share of each region is the
    Bass path itself, 1 - s' = (1 - s) exp(-(p + q s) / 12) a month, with 3 agents as with
    900 (a coin flip per agent left it to chance, and low on average)."""
    params = dict(
        identical_firms=True, integration_cost=0.0, initial_adoption=0.02, bass_p=0.5, bass_q=2.0
    )
    model = make_model(n_firms=n_firms, regions="US", counterfactual="none", **params)
    share = [0.02]
    for _ in range(12):
        s = share[-1]
        share.append(1 - (1 - s) * np.exp(-(0.5 + 2.0 * s) / 12))
    model.run_for(12)
    np.testing.assert_allclose(frame(model)["adoption_rate"], share, rtol=1e-12)
    assert model.firms.adopted.all() and (model.firms.share == model.firms.share[0]).all()
