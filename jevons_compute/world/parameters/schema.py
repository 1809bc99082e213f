"""What a parameter is: its row in the table (default, unit, range, source), how a value
is checked against it (``ParameterError``, one sentence), and an uncertain parameter's
plausible range for calibration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: Longest value echoed back in an error message (a huge value is cut, not repeated whole).
MAX_SHOWN = 60


class ParameterError(ValueError):
    """A user-supplied parameter is unknown, of the wrong type or out of range."""


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter.

    Attributes:
        name: the keyword used in Python, TOML specs and ``--set NAME=VALUE``.
        default: the calibrated default.
        unit: unit in words ("per year", "USD", "1" for dimensionless).
        doc: what it means in the world.
        source: where the default comes from ("assumption" where nothing better exists).
        low, high: inclusive bounds for numbers.
        choices: allowed values for strings.
    """

    name: str
    default: Any
    unit: str
    doc: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    label: str | None = None  # a short name for controls; the doc when absent

    @property
    def title(self) -> str:
        """A control's label: the short name (or the meaning), with the unit."""
        text = self.label or self.doc[0].upper() + self.doc[1:]
        if self.unit in ("", "1", "agents") or "(" in text:
            return text
        return f"{text} (x {self.unit})" if self.unit == "per year" else f"{text} ({self.unit})"

    @property
    def type(self) -> type:
        return type(self.default)

    def allowed(self) -> str:
        if self.choices:
            return "one of " + ", ".join(f"'{c}'" for c in self.choices)
        if self.type is bool:
            return "true or false"
        kind = "an integer" if self.type is int else "a number"
        return f"{kind} from {_fmt(self.low)} to {_fmt(self.high)}"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as this parameter's type, or raise ParameterError."""
        bad = ParameterError(f"{self.name}={shown(value)} is not allowed: use {self.allowed()}.")
        if self.type is bool:
            if isinstance(value, bool | np.bool_):
                return bool(value)
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
                return value.lower() in ("true", "1", "yes")
            raise bad
        if self.type is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise bad
            return value
        try:
            if isinstance(value, bool | np.bool_):
                raise ValueError
            if self.type is int:
                number = float(value) if isinstance(value, str) else value
                if float(number) != int(float(number)):
                    raise ValueError
                number = int(float(number))
            else:
                number = float(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: int of "1e999"
            raise bad from None
        if number != number or not (self.low <= number <= self.high):  # NaN or out of range
            raise bad
        return number


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, cut to MAX_SHOWN characters."""
    text = repr(value.item() if isinstance(value, np.generic) else value)
    if len(text) <= MAX_SHOWN:
        return text
    size = len(value) if isinstance(value, str) else len(text)
    return f"{text[: MAX_SHOWN - 20]}... ({size:,} characters)"


def _fmt(x: float | None) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Uncertain:
    """A parameter the data do not pin down: calibration searches it over [low, high].

    Attributes:
        name: a parameter of the table above.
        low, high: the plausible range (inside the parameter's allowed range).
        log: search in logs (a range spanning an order of magnitude or more).
        why: the evidence for the range.
    """

    name: str
    low: float
    high: float
    log: bool
    why: str
