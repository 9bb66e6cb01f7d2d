"""JSON from outside the policy, read strictly: every number is finite and short.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``1e400`` (an infinite float), and
integers thousands of digits long; none is JSON a tool of ours writes, and each crashes
arithmetic later (a bar's width, a percentage). :func:`strict_decoder` refuses them while
reading, with :class:`NumberRefused`, a ``ValueError`` the readers report as a bad file.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: Longer numbers are refused: no count, hour or percentage of a report comes near it.
MAX_NUMBER_CHARS = 30


class NumberRefused(ValueError):
    """A number the strict reader does not take (not finite, or too long)."""


def _constant(name: str) -> Any:
    raise NumberRefused(f"`{name}` is not a JSON number")


def _too_long(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberRefused(f"a number is longer than {MAX_NUMBER_CHARS} characters")


def _float(text: str) -> float:
    _too_long(text)
    value = float(text)
    if not math.isfinite(value):
        raise NumberRefused(f"the number {text} is out of range")
    return value


def _int(text: str) -> int:
    _too_long(text)
    return int(text)


def strict_decoder() -> json.JSONDecoder:
    """A decoder that raises :class:`NumberRefused` for a number it does not take."""
    return json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_int)


def strict_loads(text: str) -> Any:
    """``json.loads`` with :func:`strict_decoder`: ``ValueError`` for bad JSON or numbers."""
    return strict_decoder().decode(text)
