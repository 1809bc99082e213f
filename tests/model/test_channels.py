"""The headline's trailing-12-month flows and the channels that carry them: the exact split
of C - C_cf into training and inference (firms and consumers), and the words that name the
carrying channel (model/metrics/counterfactual.py)."""

import math

import numpy as np
import pytest
from helpers import frame, make_model

from jevons_compute.experiments.runs.single import headline, summary_text
from jevons_compute.model.metrics.counterfactual import carrying_channel, channel_words


def twin_frame(model):
    return model.twin.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.fixture(scope="module")
def default_run():
    model = make_model(seed=2, n_firms=400)
    model.run_for(30)
    return frame(model), twin_frame(model)


def test_trailing_ratios_are_the_sums_of_the_last_twelve_months_of_run_and_twin(default_run):
    run, twin = default_run
    last = run.iloc[-1]
    window = slice(len(run) - 12, len(run))
    total = run["total_compute"].iloc[window].sum()
    total_cf = twin["total_compute"].iloc[window].sum()
    assert last["jevons_ratio_12m"] == pytest.approx(total / total_cf, rel=1e-12)
    assert last["compute_gap"] == pytest.approx(total - total_cf, rel=1e-9)
    energy = run["energy_mwh"].iloc[window].sum() / twin["energy_mwh"].iloc[window].sum()
    assert last["energy_jevons_ratio_12m"] == pytest.approx(energy, rel=1e-12)
    tokens = run["tokens"].iloc[window].sum() / twin["tokens"].iloc[window].sum()
    assert last["tokens_ratio_12m"] == pytest.approx(tokens, rel=1e-12)
    training = run["training_flops"].iloc[window].sum()
    assert last["jevons_ratio_training"] == pytest.approx(
        training / twin["training_flops"].iloc[window].sum(), rel=1e-12
    )
    # in the first year: all months so far
    third = run.iloc[3]
    assert third["jevons_ratio_12m"] == pytest.approx(
        run["total_compute"].iloc[:4].sum() / twin["total_compute"].iloc[:4].sum(), rel=1e-12
    )
    # the monthly ratio is a different number once the run and twin diverge
    assert last["jevons_ratio_12m"] != last["jevons_ratio"]


def test_the_compute_gap_splits_exactly_into_its_channels_every_month(default_run):
    run, _ = default_run
    gap = run["compute_gap"].to_numpy()
    inference = run["compute_gap_inference"].to_numpy()
    training = run["compute_gap_training"].to_numpy()
    firms, consumers = run["compute_gap_firms"].to_numpy(), run["compute_gap_consumers"].to_numpy()
    scale = np.abs(run[["compute_gap_inference", "compute_gap_training"]]).max(axis=1).to_numpy()
    np.testing.assert_allclose(inference + training - gap, 0.0, atol=1e-12 * scale.max())
    np.testing.assert_allclose(firms + consumers - inference, 0.0, atol=1e-12 * scale.max())
    assert (np.abs(gap) > 0).any() and (np.abs(consumers) > 0).any()  # not a split of zeros
    # consumers' compute is a real part of inference, below it
    assert (run["consumer_inference_flops"] > 0).all()
    assert (run["consumer_inference_flops"] <= run["inference_flops"] * (1 + 1e-12)).all()


def test_headline_shares_add_up_and_name_the_channel_with_the_verdicts_sign(default_run):
    run, _ = default_run
    h = headline(run)
    assert h["gap_share_inference"] + h["gap_share_training"] == pytest.approx(1.0)
    assert h["gap_share_firms"] + h["gap_share_consumers"] == pytest.approx(
        h["gap_share_inference"]
    )
    # the verdict reads the trailing 12 months; one month's ratio keeps its own name
    assert h["backfire"] == (h["jevons_ratio_12m"] > 1)
    assert h["backfire_month"] == (h["jevons_ratio_month"] > 1)
    assert h["jevons_ratio_month"] == run["jevons_ratio"].iloc[-1]
    shares = {c: h[f"gap_share_{c}"] for c in ("training", "firms", "consumers")}
    assert h["channel"] == max(shares, key=shares.get)
    text = summary_text(h, 30)
    assert "trailing 12 months" in text and f"carried by {h['channel']}"[:15] in text


def test_without_consumers_or_training_their_channels_carry_nothing():
    model = make_model(
        seed=1,
        preset="analytic",
        n_firms=200,
        price_elasticity=1.5,
        algo_efficiency_gain=3.0,
    )
    model.run_for(24)
    last = frame(model).iloc[-1]
    assert last["compute_gap_consumers"] == 0.0 and last["compute_gap_training"] == 0.0
    assert math.isnan(last["jevons_ratio_consumers"]) and math.isnan(last["jevons_ratio_training"])
    # elastic firms are the whole verdict: backfire, carried by firms
    assert last["jevons_ratio_firms"] == pytest.approx(last["jevons_ratio_12m"])
    h = headline(frame(model))
    assert h["backfire"] is True and h["channel"] == "firms"
    assert h["gap_share_firms"] == pytest.approx(1.0)


def test_inelastic_firms_save_compute_and_elastic_firms_take_more_than_they_save():
    """The analytic limit, channel by channel: firms' compute with / without efficiency
    is above 1 at elasticity 1.5 and below it at 0.5."""
    ratios = {}
    for elasticity in (0.5, 1.5):
        model = make_model(
            seed=1,
            preset="analytic",
            n_firms=200,
            price_elasticity=elasticity,
            algo_efficiency_gain=3.0,
        )
        model.run_for(24)
        ratios[elasticity] = frame(model).iloc[-1]["jevons_ratio_firms"]
    assert ratios[0.5] < 1 < ratios[1.5]


def test_carrying_channel_takes_the_largest_part_with_the_gaps_sign():
    gaps = {
        "compute_gap": 10.0,
        "compute_gap_training": 14.0,
        "compute_gap_firms": 2.0,
        "compute_gap_consumers": -6.0,
    }
    assert carrying_channel(gaps) == ("training", 1.4)
    words = channel_words(gaps)
    assert words.startswith("carried by training (140% of the extra compute")
    assert "consumers' -60%" in words and "firms' inference +20%" in words
    saved = dict(gaps, compute_gap=-10.0, compute_gap_training=-4.0)
    saved["compute_gap_consumers"] = -8.0
    assert carrying_channel(saved) == ("consumers", 0.8)
    assert "compute saved" in channel_words(saved)
    name, share = carrying_channel(dict(gaps, compute_gap=0.0))
    assert name == "" and math.isnan(share)
    assert channel_words({"compute_gap": math.nan}) == ""
