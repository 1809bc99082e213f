"""The model as a Python user meets it: the `jevons_compute` import name from any folder
(a real process), the public ``headline``, numpy seeds. The scenario's own checks (numpy
scalars, one-sentence ParameterErrors) are in tests/world/test_scenario.py."""

import subprocess
import sys

import numpy as np

from jevons_compute.model.model import JevonsModel


def test_a_user_folder_with_its_own_model_and_agents_can_import_the_project(tmp_path):
    for name in ("model", "agents", "experiments"):
        (tmp_path / f"{name}.py").write_text(f"WHO = 'the user {name}'\n")
    script = (
        "import jevons_compute, model, agents\n"
        "from jevons_compute import JevonsModel, JevonsScenario, headline, run_scenario\n"
        "m = JevonsModel(rng=3, n_firms=100)\n"
        "m.run_for(3)\n"
        "h = headline(run_scenario(JevonsScenario(rng=3, n_firms=100), 6))\n"
        "print(model.WHO, '|', agents.WHO, '|', m.steps, '|', h['compute_growth'] > 0,\n"
        "      '|', jevons_compute.__version__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    from jevons_compute import __version__

    assert result.stdout.split("|") == [
        "the user model ",
        " the user agents ",
        " 3 ",
        " True ",
        f" {__version__}\n",
    ]


def test_headline_is_public_and_the_same_function_as_the_sweeps_use():
    import jevons_compute
    from jevons_compute.experiments.runs.single import headline as internal

    assert jevons_compute.headline.__code__.co_code == internal.__code__.co_code
    assert "headline" in jevons_compute.__all__ and jevons_compute.headline.__doc__


def test_the_same_numpy_and_python_seed_give_the_same_run():
    a, b = JevonsModel(rng=np.int64(5), n_firms=200), JevonsModel(rng=5, n_firms=200)
    a.run_for(6)
    b.run_for(6)
    da = a.datacollector.get_model_vars_dataframe()
    db = b.datacollector.get_model_vars_dataframe()
    assert da.equals(db)
