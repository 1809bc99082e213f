"""Shared helpers: small worlds built the way a user would build them."""

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import JevonsModel, JevonsScenario  # noqa: E402


def make_model(
    seed: int = 1, preset: str = "default", counterfactual="algo", marginal=True, **params
) -> JevonsModel:
    params.setdefault("n_firms", 300)
    scenario = JevonsScenario.from_preset(preset, rng=seed, **params)
    return JevonsModel(scenario, counterfactual=counterfactual, marginal=marginal)


def wait_for_runs(out: Path, count: int, timeout: float = 120) -> None:
    """Wait until a running sweep has saved ``count`` runs in ``out`` (to kill it mid-way)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        parts = out / "parts"
        if parts.exists() and len(list(parts.glob("run-*.json"))) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"the sweep in {out} saved fewer than {count} runs in {timeout} s")


def frame(model):
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
