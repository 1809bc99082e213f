"""One run (experiments/runs/single.py): the headline numbers of a run's time series."""

from helpers import frame, make_model

from jevons_compute.experiments.runs.single import HEADLINE_NUMBERS, headline


def test_headline_numbers_list_every_numeric_headline():
    model = make_model(seed=1, n_firms=100)
    model.run_for(3)
    h = headline(frame(model))
    numeric = [k for k, v in h.items() if not isinstance(v, bool | str | None)]
    assert list(HEADLINE_NUMBERS) == numeric
