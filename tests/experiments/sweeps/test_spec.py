"""Sweep specs in-process (experiments/sweeps/spec.py): the shipped specs, seeds,
Latin hypercubes, explicit points and an ensemble's members, errors for API users; and how
the runner sizes its tasks."""

import pandas as pd
import pytest

from jevons_compute.experiments.sweeps.runner import TASK_SECONDS, chunk_size
from jevons_compute.experiments.sweeps.spec import SpecError, SweepSpec, bundled_specs

#: the demand model under which price_elasticity acts
CE = {"demand_model": "constant_elasticity"}


def test_shipped_specs_parse_and_expand():
    shipped = bundled_specs()
    assert shipped  # the package's sweeps/specs/*.toml
    for name, path in shipped.items():
        spec = SweepSpec.from_toml(path)
        runs = spec.runs()
        assert len(runs) == len(spec.design()) * spec.replications
        assert len({r.run_id for r in runs}) == len(runs)
        assert SweepSpec.from_toml(name).fingerprint() == spec.fingerprint()  # by its name


def test_seeds_depend_on_base_seed_and_index_only():
    spec = SweepSpec.from_dict(
        {"replications": 3, "fixed": CE, "grid": {"price_elasticity": [0.5, 1.5]}}
    )
    runs = spec.runs()
    # common random numbers: replication r has the same seed at every design point
    assert [r.seed for r in runs[:3]] == [r.seed for r in runs[3:]]
    assert len({r.seed for r in runs[:3]}) == 3
    independent = SweepSpec.from_dict(
        {
            "replications": 3,
            "common_random_numbers": False,
            "fixed": CE,
            "grid": {"price_elasticity": [0.5, 1.5]},
        }
    ).runs()
    assert len({r.seed for r in independent}) == 6
    other = SweepSpec.from_dict(
        {"replications": 3, "base_seed": 7, "fixed": CE, "grid": {"price_elasticity": [0.5, 1.5]}}
    ).runs()
    assert {r.seed for r in other}.isdisjoint({r.seed for r in runs})


def test_latin_hypercube_covers_each_range():
    spec = SweepSpec.from_dict(
        {
            "sample": {
                "method": "lhs",
                "n": 10,
                "ranges": {"price_elasticity": [0.5, 2.0], "chip_lead_time": [1, 12]},
            },
            "fixed": CE,
        }
    )
    design = pd.DataFrame(spec.design())
    assert len(design) == 10 and design["price_elasticity"].between(0.5, 2.0).all()
    # one point in each tenth of the range (Latin hypercube)
    bins = ((design["price_elasticity"] - 0.5) / 0.15).astype(int).clip(0, 9)
    assert sorted(bins) == list(range(10))
    # agents get plain Python values of the parameter's type
    assert all(type(r.params["chip_lead_time"]) is int for r in spec.runs())
    assert all(type(r.params["price_elasticity"]) is float for r in spec.runs())


def test_spec_runs_explicit_points_and_an_ensembles_members(tmp_path):
    spec = SweepSpec.from_dict(
        {
            "points": [{"price_elasticity": 0.5}, {"price_elasticity": "1.5"}],
            "replications": 2,
            "fixed": CE,
        }
    )
    assert spec.n_runs() == 4 and [r.params["price_elasticity"] for r in spec.runs()] == [
        0.5,
        0.5,
        1.5,
        1.5,
    ]
    path = tmp_path / "ensemble.csv"
    path.write_text(
        "member,max_implausibility,bass_q,inference_mfu\n0,1.2,0.5,0.05\n1,2.0,0.6,0.2\n"
    )
    spec = SweepSpec.from_dict({"ensemble": str(path), "steps": 3})
    assert spec.design() == [
        {"bass_q": 0.5, "inference_mfu": 0.05},
        {"bass_q": 0.6, "inference_mfu": 0.2},
    ]
    again = SweepSpec.from_dict(spec.to_dict())  # a saved spec reloads while the file stands
    assert again.fingerprint() == spec.fingerprint()
    path.write_text("member,bass_q\n0,0.9\n")
    with pytest.raises(SpecError, match="no longer holds the members"):
        SweepSpec.from_dict(spec.to_dict())
    with pytest.raises(SpecError, match="not several"):
        SweepSpec.from_dict({"points": [{"bass_q": 0.5}], "grid": {"bass_p": [0.1]}})
    with pytest.raises(SpecError, match="does not exist"):
        SweepSpec.from_dict({"ensemble": str(tmp_path / "missing.csv")})
    path.write_text("member,nonsense\n0,1\n")
    with pytest.raises(SpecError, match="not a parameter"):
        SweepSpec.from_dict({"ensemble": str(path)})


def test_spec_error_for_api_users():
    with pytest.raises(SpecError, match=r"give one of \[grid\], \[sample\]"):
        SweepSpec.from_dict(
            {
                "grid": {"bass_q": [0.1]},
                "sample": {"method": "lhs", "n": 2, "ranges": {"bass_q": [0, 1]}},
            }
        )


def test_tasks_hold_about_half_a_second_of_runs_and_leave_every_worker_a_share():
    assert chunk_size(None, 1000, 2) == 1  # run time unknown: one run a task
    assert chunk_size(0.05, 1000, 2) == round(TASK_SECONDS / 0.05)
    assert chunk_size(10.0, 1000, 2) == 1  # long runs: one a task
    assert chunk_size(0.0001, 1000, 4) == 1000 // 16  # the tail still spreads over the workers
    assert chunk_size(0.25, 3, 4) == 1


def test_a_parameter_that_acts_at_some_design_points_is_kept():
    """A grid limit crossed with power limits on and off acts where they are on: kept; a
    parameter that acts at no point is refused, naming the option."""
    crossed = SweepSpec.from_dict(
        {"fixed": {"ai_share_of_grid": 0.05}, "grid": {"power_limited": [True, False]}}
    )
    assert len(crossed.runs()) == 2
    never = SweepSpec.from_dict(
        {"fixed": {"ai_share_of_grid": 0.05}, "grid": {"power_limited": [False]}}
    )
    with pytest.raises(
        SpecError,
        match="at every design point: ai_share_of_grid=0.05 does "
        "not act under power_limited=false: it acts with power_limited=true",
    ):
        never.runs()
