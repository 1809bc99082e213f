"""Shared helpers: small worlds built the way a user would build them."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import JevonsModel, JevonsScenario  # noqa: E402


def make_model(seed: int = 1, preset: str = "default", **params) -> JevonsModel:
    params.setdefault("n_firms", 300)
    return JevonsModel(JevonsScenario.from_preset(preset, rng=seed, **params))


def frame(model):
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
