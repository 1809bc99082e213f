"""The metrics (model/metrics): accounting identities that hold at every step of a full
default market, every metric collected every step, totals in real units."""

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.agents import Firm
from jevons_compute.model.metrics.table import METRICS
from jevons_compute.world.facts import SECONDS_PER_MONTH


@pytest.fixture(scope="module")
def history():
    """Snapshots of a default market (shock, export caps, capacity limits) for 48 months."""
    model = make_model(seed=7, n_firms=2000, shock_step=6)
    snapshots = [snapshot(model)]
    for _ in range(48):
        model.step()
        snapshots.append(snapshot(model))
    return model, snapshots


def snapshot(model):
    s = model.scenario
    firms = list(model.agents_by_type[Firm])
    return {
        "metrics": dict(model.metrics),
        "providers": [
            dict(
                served=p.served_tokens,
                demand=p.demand_tokens,
                cleared=p.cleared_tokens,
                f=p.flops_per_token,
                price=p.price_per_mtok,
                revenue=p.revenue,
                inference=p.inference_flops,
                training=p.training_flops,
                capacity=p.capacity_flops * SECONDS_PER_MONTH,
                gpu_capacity=p.gpu_flops * SECONDS_PER_MONTH,
                consumer_tokens=float(model.consumers.demand[:, j].sum()),
                consumer_users=float(model.consumers.users_at[j]),
                consumer_revenue=float(model.consumers.revenue()[j]),
                region=p.region,
            )
            for j, p in enumerate(model.providers)
        ],
        "consumer_revenue_by_region": model.consumers.revenue_at.sum(axis=1),
        "regions": model.regions,
        "users_by_region": model.consumers.users.copy(),
        "firm_tokens": sum(f.tokens * f.weight for f in firms),
        "shipped": sum(v.units_shipped for v in model.vendors),
        "installed": sum(p.units_installed for p in model.providers),
        "mfu": (s.inference_mfu, s.training_mfu),
    }


def test_tokens_served_never_exceed_capacity(history):
    _, snaps = history
    for snap in snaps:
        inf_mfu, train_mfu = snap["mfu"]
        for p in snap["providers"]:
            used_peak = p["inference"] / inf_mfu + p["training"] / train_mfu
            assert used_peak <= p["capacity"] * (1 + 1e-9)
            assert p["training"] / train_mfu <= p["gpu_capacity"] * (1 + 1e-9)
            # served at most what was asked at the clearing price (which may exceed the
            # demand at the posted price when a past scarcity premium falls back)
            assert p["served"] <= p["cleared"] * (1 + 1e-12)


def test_compute_is_tokens_times_flops_per_token_plus_training(history):
    _, snaps = history
    for snap in snaps:
        m = snap["metrics"]
        inference = sum(p["served"] * p["f"] for p in snap["providers"])
        assert m["inference_flops"] == pytest.approx(inference, rel=1e-12)
        assert m["total_compute"] == pytest.approx(
            m["inference_flops"] + m["training_flops"], rel=1e-12
        )
        assert m["inference_flops"] == pytest.approx(m["tokens"] * m["flops_per_token"], rel=1e-9)


def test_revenue_is_price_times_firms_tokens_plus_the_consumers_revenue(history):
    _, snaps = history
    assert any(p["consumer_users"] > 0 for p in snaps[-1]["providers"])
    for snap in snaps:
        for p in snap["providers"]:
            # consumers' tokens move only with rationing (served / cleared), not the price
            share = p["served"] / p["cleared"] if p["cleared"] > 0 else 1.0
            firms = p["served"] - p["consumer_tokens"] * share
            consumers = p["consumer_revenue"] * share
            assert p["revenue"] == pytest.approx(
                firms * p["price"] / 1e6 + consumers, rel=1e-9, abs=1e-6
            )
        assert snap["metrics"]["provider_revenue"] == pytest.approx(
            sum(p["revenue"] for p in snap["providers"]), rel=1e-12
        )


def test_regional_revenues_add_up_to_the_providers_revenue(history):
    """Providers' revenue by home region adds up to the whole; consumers' revenue by the
    users' region adds up to what the platforms earn from consumers (as served), and that
    plus firms' token bill is the providers' revenue."""
    _, snaps = history
    for snap in snaps:
        m = snap["metrics"]
        by_home = [m[f"provider_revenue_{r}"] for r in ("us", "eu", "cn")]
        assert sum(by_home) == pytest.approx(m["provider_revenue"], rel=1e-12)
        for r in ("us", "eu", "cn"):
            home = [p["revenue"] for p in snap["providers"] if p["region"] == r.upper()]
            assert m[f"provider_revenue_{r}"] == pytest.approx(sum(home), rel=1e-12)
        from_consumers = sum(m[f"consumer_revenue_{r}"] for r in ("us", "eu", "cn"))
        served = sum(
            p["consumer_revenue"] * (p["served"] / p["cleared"] if p["cleared"] > 0 else 1.0)
            for p in snap["providers"]
        )
        assert from_consumers == pytest.approx(served, rel=1e-9)
        assert m["firm_token_bill_usd"] + from_consumers == pytest.approx(
            m["provider_revenue"], rel=1e-9
        )
    # revenue per consumer: the US above the EU above China, every month
    for snap in snaps:
        m, users = snap["metrics"], snap["users_by_region"]
        us, eu, cn = (
            m[f"consumer_revenue_{r}"] / users[i] for i, r in enumerate(("us", "eu", "cn"))
        )
        assert us > eu > cn > 0


def test_chips_shipped_equal_chips_installed(history):
    _, snaps = history
    assert snaps[-1]["shipped"] > 0
    for snap in snaps:
        assert snap["shipped"] == pytest.approx(snap["installed"], rel=1e-12)


def test_firm_agents_add_up_to_the_model_totals(history):
    _, snaps = history
    for snap in snaps:
        m = snap["metrics"]
        assert snap["firm_tokens"] + m["consumer_tokens"] == pytest.approx(m["tokens"], rel=1e-9)
        assert snap["firm_tokens"] > 0


def test_extensive_plus_intensive_is_the_change_in_tokens(history):
    _, snaps = history
    base = snaps[0]["metrics"]["tokens"]
    for snap in snaps:
        m = snap["metrics"]
        assert m["tokens_extensive"] + m["tokens_intensive"] == pytest.approx(
            m["tokens"] - base, rel=1e-9, abs=1e-6 * base
        )


def test_every_metric_is_collected_every_step(history):
    model, snaps = history
    df = model.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == list(METRICS)
    assert len(df) == len(snaps) == 49
    assert np.array_equal(df["step"].to_numpy(), np.arange(49))
    assert df["date"].iloc[0] == "2023-01" and df["date"].iloc[12] == "2024-01"


def test_shares_are_shares(history):
    model, _ = history
    df = model.datacollector.get_model_vars_dataframe()
    for col in [
        "adoption_rate",
        "adoption_rate_us",
        "adoption_rate_eu",
        "adoption_rate_cn",
        "inference_share",
        "xpu_share",
        "open_model_share",
        "us_vendor_share_cn",
        "rationed_share",
    ]:
        assert df[col].between(0, 1).all(), col
    assert df["open_model_share"].iloc[-1] > 0  # the shock at step 6 diffused


def test_totals_are_in_real_units_whatever_the_number_of_agents():
    """Each agent stands for many firms: more agents give a finer picture, not a bigger world."""
    runs = []
    for n in (10_000, 50_000):
        model = make_model(seed=3, n_firms=n)
        model.run_for(12)
        runs.append(model.datacollector.get_model_vars_dataframe())
    small, large = runs
    # sampling noise of one seed at 10,000 agents (stratified by region and sector, sizes
    # importance-sampled, adoption a share within each agent): under 1% on totals, a few
    # percent on the share of (mostly tiny) firms that adopted
    for col, tolerance in (("tokens", 0.02), ("total_compute", 0.02), ("adoption_rate", 0.05)):
        assert small[col].iloc[0] == pytest.approx(large[col].iloc[0], rel=tolerance), col
        assert small[col].iloc[-1] == pytest.approx(large[col].iloc[-1], rel=tolerance), col
    weight = sum(f.weight for f in make_model(n_firms=777).agents_by_type[Firm])
    assert weight == pytest.approx(6.1e6 + 26.1e6 + 52.8e6, rel=1e-9)


def test_firm_surplus_is_value_minus_token_bill_minus_amortised_integration():
    model = make_model(n_firms=800, counterfactual="none")
    model.run_for(6)
    last = frame(model).iloc[-1]
    firms = model.firms
    bill = firms.token_bill(model.providers).sum()
    integration = (firms.weight * firms.share).sum() * firms.integration_per_month
    assert last["firm_token_bill_usd"] == pytest.approx(bill, rel=1e-9)
    assert last["firm_surplus_usd"] == pytest.approx(
        last["productivity_gain_usd"] - bill - integration, rel=1e-9
    )
    assert 0 < last["firm_token_bill_usd"] < last["productivity_gain_usd"]
