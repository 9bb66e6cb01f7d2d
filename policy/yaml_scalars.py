"""How a plain (unquoted) YAML scalar is read: YAML 1.2 core, with the YAML 1.1 traps named.

A value such as ``no``, ``12:30`` or ``0755`` means text to most people, ``false``, 750 or
493 to YAML 1.1 tools; :func:`yaml11_reading` says which, so the reader can refuse it
instead of guessing. Decimal numbers become :class:`~decimal.Decimal`, never floats.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
YAML11_BOOL = re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_HEX = re.compile(r"^[-+]?0x[0-9a-fA-F]+$")
_OCTAL_LIKE = re.compile(r"^[-+]?0[0-7_]+$|^[-+]?0o[0-7]+$|^[-+]?0[0-9]+$")
_UNDERSCORE_NUMBER = re.compile(r"^[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

NUMBER_START = frozenset("+-.0123456789")
_NUMERIC = (_INT, _HEX, _FLOAT, _OCTAL_LIKE, _UNDERSCORE_NUMBER, _SEXAGESIMAL)


def looks_numeric(text: str) -> bool:
    return any(pattern.match(text) for pattern in _NUMERIC)


def yaml11_reading(text: str) -> str | None:
    """What a YAML 1.1 reader makes of a plain scalar that YAML 1.2 reads otherwise."""
    if YAML11_BOOL.match(text):
        truthy = text.lower() in ("y", "yes", "on")
        return f"the boolean {str(truthy).lower()}"
    if _SEXAGESIMAL.match(text):
        return f"the number {_sexagesimal_value(text)} (base 60)"
    if _OCTAL_LIKE.match(text):
        return "an octal number" if re.match(r"^[-+]?0o?[0-7_]+$", text) else "a number"
    if _UNDERSCORE_NUMBER.match(text):
        return f"the number {text.replace('_', '')}"
    return None


def _sexagesimal_value(text: str) -> str:
    sign = -1 if text.startswith("-") else 1
    total = Decimal(0)
    for part in text.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + Decimal(part)
    return str(sign * total)


def plain_value(text: str) -> Any:
    if _INT.match(text):
        return int(text)
    if _HEX.match(text):
        return int(text, 16)
    if _SPECIAL_FLOAT.match(text):
        return float(text.lower().replace(".", ""))
    if _FLOAT.match(text):
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float | Decimal):
        return "number"
    if isinstance(value, date):
        return "date"
    if value is None:
        return "null"
    return type(value).__name__
