"""The Scenario: every parameter of one computational experiment, validated."""

from __future__ import annotations

from typing import Any

import numpy as np
from mesa.experimental.scenarios import Scenario

from jevons_compute.world.parameters import BY_NAME as PARAMETERS_BY_NAME
from jevons_compute.world.parameters import (
    PARAMETERS,
    ParameterError,
    shown,
    validate,
)
from jevons_compute.world.parameters.acts import check_acts
from jevons_compute.world.presets import PRESETS


def _scenario_namespace() -> dict[str, Any]:
    namespace: dict[str, Any] = {"__annotations__": {}}
    lines = []
    for p in PARAMETERS:
        namespace["__annotations__"][p.name] = p.type
        namespace[p.name] = p.default
        lines.append(f"        {p.name}: {p.doc} [{p.unit or '-'}]; default {p.default!r}.")
    namespace["__doc__"] = (
        "Parameters of a Jevons compute-market run (defaults from world/parameters).\n\n"
        "    Attributes:\n" + "\n".join(lines) + "\n"
    )
    return namespace


_NAMESPACE = _scenario_namespace()


class JevonsScenario(Scenario):
    __doc__ = _NAMESPACE["__doc__"]
    __annotations__ = _NAMESPACE["__annotations__"]
    locals().update({p.name: p.default for p in PARAMETERS})  # class attributes = defaults

    def __init__(self, *, rng=None, **kwargs):
        """Build a validated scenario; bad values raise ParameterError (one sentence), and
        so does a parameter moved from its default that would not act under the options
        given (``world.parameters.acts``: e.g. price_elasticity under task_value demand)."""
        kwargs.pop("_scenario_id", None)
        check = kwargs.pop("_check_acts", True)
        values = validate(kwargs)
        if check:
            check_acts(values, values)
        super().__init__(rng=self._checked_rng(rng), **values)

    @classmethod
    def _unchecked(cls, rng, values: dict[str, Any]) -> JevonsScenario:
        """A scenario rebuilt from every parameter of another (a twin, a sweep's run of a
        preset): values are validated, but none is refused for not acting."""
        return cls(rng=rng, _check_acts=False, **values)

    @staticmethod
    def _checked_rng(rng):
        return check_rng(rng)

    @classmethod
    def from_preset(cls, name: str = "default", rng=None, **overrides) -> JevonsScenario:
        """A preset's values with ``overrides`` on top."""
        if name not in PRESETS:
            raise ParameterError(
                f"unknown preset {shown(name)}: use one of {', '.join(sorted(PRESETS))}."
            )
        given = validate(overrides)
        values = {**PRESETS[name], **given}
        check_acts(given, values)
        return cls._unchecked(rng, values)

    def parameters(self) -> dict[str, Any]:
        """Plain dict of every parameter (no rng, no model)."""
        return {p.name: getattr(self, p.name) for p in PARAMETERS}

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.parameters().items() if v != PARAMETERS_BY_NAME[k].default}
        return (
            f"JevonsScenario(rng={self.rng!r}, "
            + ", ".join(f"{k}={v!r}" for k, v in changed.items())
            + ")"
        )


#: What ``rng`` may be besides a seed: numpy's own generators, used as they are.
_GENERATORS = (np.random.Generator, np.random.BitGenerator, np.random.SeedSequence)


def check_rng(rng):
    """``rng`` as Mesa takes it: None, a non-negative integer seed (numpy integers become
    Python ints) or a numpy Generator/BitGenerator/SeedSequence; else ParameterError."""
    if rng is None or isinstance(rng, _GENERATORS):
        return rng
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool | np.bool_) and rng >= 0:
        return int(rng)
    raise ParameterError(
        f"rng={shown(rng)} is not allowed: use a whole-number seed from 0 up, None "
        "(a fresh random seed) or a numpy Generator."
    )


def check_duration(duration) -> int:
    """``duration`` for ``run_for``: a whole number of months from 0 up (numpy integers
    and whole floats included), else ParameterError in one sentence."""
    whole = isinstance(duration, int | np.integer | float | np.floating) and not isinstance(
        duration, bool | np.bool_
    )
    if whole and duration == duration and abs(duration) != float("inf"):
        whole = float(duration).is_integer()
    else:
        whole = False
    if not whole or duration < 0:
        raise ParameterError(
            f"run_for({shown(duration)}) is not allowed: give a whole number of months from 0 up."
        )
    return int(duration)
