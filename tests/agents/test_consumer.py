"""Consumers and platforms (agents/consumer.py): users diffuse (Bass); tokens per user
follow the provider's cost per token; their tokens are served by the same providers."""

from types import SimpleNamespace

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents.consumer import ConsumerMarket
from jevons_compute.world.facts import INTERNET_USERS


def test_users_diffuse_by_bass_toward_the_ceiling():
    model = make_model(n_firms=100, counterfactual="none")
    s = model.scenario
    ceiling = s.consumer_ceiling * np.array([INTERNET_USERS[r] for r in model.regions])
    users = s.consumer_initial_share * ceiling
    model.run_for(60)
    expected = [users.sum()]
    for _ in range(60):
        hazard = 1 - np.exp(-(s.consumer_bass_p + s.consumer_bass_q * users / ceiling) / 12)
        users = users + hazard * (ceiling - users)
        expected.append(users.sum())
    df = frame(model)
    np.testing.assert_allclose(df["consumer_users"], expected, rtol=1e-12)
    assert (np.diff(df["consumer_users"]) > 0).all() and expected[-1] < ceiling.sum()


def test_tokens_per_user_follow_the_providers_cost_per_token():
    model = make_model(n_firms=100, counterfactual="none", consumer_elasticity=0.7)
    model.run_for(24)
    c = model.consumers
    for j, p in enumerate(model.providers):
        per_user = (
            model.scenario.consumer_tokens_per_user
            * (p.cost_per_token() / c.reference_cost[j]) ** -0.7
        )
        assert c.demand[:, j] == pytest.approx(c.users * c.shares[:, j] * per_user, rel=1e-12)
    assert all(p.cost_per_token() < r for p, r in zip(model.providers, c.reference_cost))


def test_users_stay_with_their_platform_and_new_users_choose_by_the_logit():
    """A month after the choice probabilities flip, only switching_rate of the users who
    were there move; new users follow the new probabilities."""
    s = make_model(n_firms=50, switching_rate=0.1).scenario
    market = ConsumerMarket(s, ("US",))
    market.users = np.array([100.0])
    providers = [SimpleNamespace(cost_per_token=lambda: 1.0)] * 2
    market.ask(s, providers, np.array([[1.0, 0.0]]), 0)
    assert market.shares == pytest.approx(np.array([[1.0, 0.0]]), 0)
    market.diffuse(s, np.array([[0.0, 1.0]]))  # the second provider is now the choice
    new = market.users[0] - 100.0
    assert new > 0
    market.ask(s, providers, np.array([[0.0, 1.0]]), 0)
    stayed_first = 100.0 * 0.9  # 10% of the first 100 switch; the new ones choose
    assert market.users_at == pytest.approx([stayed_first, market.users[0] - stayed_first])
    again = market.ask(s, providers, np.array([[0.0, 1.0]]), 0)  # asking twice moves nobody
    assert again == pytest.approx(market.demand)
    assert market.users_at[0] == pytest.approx(stayed_first)


def test_consumer_tokens_add_to_what_providers_serve():
    kw = dict(n_firms=300, capacity_limited=False, counterfactual="none")
    with_consumers = make_model(**kw)
    without = make_model(consumer_ceiling=0.0, **kw)
    with_consumers.run_for(12)
    without.run_for(12)
    a, b = frame(with_consumers), frame(without)
    assert (b["consumer_tokens"] == 0).all() and (a["consumer_tokens"] > 0).all()
    np.testing.assert_allclose(a["tokens"] - a["consumer_tokens"], b["tokens"], rtol=1e-9)
