"""Firm agents created in one pass (``Firm.create_views``) are registered with Mesa as
creating them one by one would register them."""

from jevons_compute.agents import Firm
from jevons_compute.model.model import JevonsModel
from jevons_compute.world.scenario import JevonsScenario


def make_model(n_firms: int, **options) -> JevonsModel:
    return JevonsModel(JevonsScenario(rng=1, n_firms=n_firms), counterfactual="none", **options)


def registrations(model):
    return [(type(a), a.unique_id, getattr(a, "index", None)) for a in model.agents]


def test_firm_views_register_as_one_by_one():
    fast = make_model(n_firms=50)
    slow = make_model(n_firms=50, firm_agents=False)
    for i in range(slow.firms.n):
        Firm(slow, i)
    assert registrations(fast) == registrations(slow)
    firms = list(fast.agents_by_type[Firm])
    assert [f.index for f in firms] == list(range(50)) and all(f.model is fast for f in firms)
    assert fast.agents_by_type[Firm].random is fast.random
    # the next agent gets the next id, and a firm leaves both registries
    assert Firm(fast, 0).unique_id == Firm(slow, 0).unique_id
    firms[3].remove()
    assert firms[3] not in fast.agents and firms[3] not in fast.agents_by_type[Firm]


def test_firm_views_one_by_one_when_firms_exist():
    model = make_model(n_firms=20)
    Firm.create_views(model, 5)
    assert len(model.agents_by_type[Firm]) == 25
    assert len({a.unique_id for a in model.agents}) == len(model.agents)
