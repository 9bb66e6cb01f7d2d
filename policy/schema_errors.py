"""Pydantic's validation errors in the policy's own words, at the value they are about.

One diagnostic per problem, positioned through the source map; the alternatives of a union
merged into one message; an unknown key with "did you mean"; a hint that can be followed
wherever the fix is known (quote a value YAML read as a number, write an id as an id).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .checks import suggest
from .diagnostics import Code, Diagnostic
from .models import Policy, yaml_fields
from .types import ID_PATTERN
from .yamlsource import Loc, SourceMap

_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list `[min, max]`",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_type": "a whole number",
    "decimal_type": "a number",
    "bool_type": "true or false",
    "date_type": "a date such as 2026-01-06",
    "date_from_datetime_inexact": "a date such as 2026-01-06",
}


def schema_diagnostics(error: ValidationError, source: SourceMap) -> list[Diagnostic]:
    """One diagnostic per problem; alternatives of a union are merged into one message."""
    grouped: dict[tuple[Loc, bool], list[dict[str, Any]]] = {}
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if detail["type"] == "repeated":
            loc = (*loc, detail["ctx"]["index"])
        at_key = detail["type"] == "extra_forbidden" or (bool(loc) and loc[-1] == "[key]")
        grouped.setdefault(
            (source.deepest(loc) if not at_key else _key_loc(loc, source), at_key), []
        ).append(dict(detail))
    diagnostics = []
    generic = {"literal_error", *_TYPE_WORDS}
    for (known, at_key), details in grouped.items():
        # A union alternative that failed on type ("expected 'all'") says nothing when
        # another alternative got further and reported something inside this value.
        deeper = any(
            other[: len(known)] == known and len(other) > len(known) for other, _ in grouped
        )
        if deeper and all(d["type"] in generic for d in details):
            continue
        code, message = _describe(details, known, source)
        line, column = source.position(known, at_key=at_key)
        diagnostics.append(Diagnostic.make(code, message, source.file, line, column))
    return diagnostics


def _key_loc(loc: Loc, source: SourceMap) -> Loc:
    trimmed = loc[:-1] if loc and loc[-1] == "[key]" else loc
    return trimmed if trimmed in source.keys else source.deepest(trimmed)


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "the top level"


def _describe(details: list[dict[str, Any]], known: Loc, source: SourceMap) -> tuple[Code, str]:
    first = details[0]
    kind = first["type"]
    loc = tuple(first["loc"])
    where = _dotted(known)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = known[:-1]
        allowed = _allowed_keys(parent)
        return Code.UNKNOWN_KEY, f"unknown key `{key}` in {_dotted(parent)}{suggest(key, allowed)}"
    if kind == "missing" and isinstance(loc[-1], int):
        # A fixed-length list such as `[min, max]` that is too short: not a missing key.
        return Code.INVALID_VALUE, f"{where}: too few items (item {loc[-1] + 1} is missing)"
    if kind == "missing":
        return Code.MISSING_KEY, f"missing required key `{loc[-1]}` in {_dotted(known)}"
    if known == ("version",):
        return Code.UNSUPPORTED_VERSION, "`version` must be 1 (the only format version so far)"
    if kind == "string_pattern_mismatch" and first.get("ctx", {}).get("pattern") == ID_PATTERN:
        what = "key" if loc and loc[-1] == "[key]" else "id"
        value = first.get("input")
        return Code.INVALID_ID, (
            f"`{value}` is not a valid {what}: use lower-case letters and digits in words "
            f"joined by single hyphens, starting with a letter ({_id_example(value)})"
        )
    if kind.endswith("_digits"):  # a number inside text, refused by its length
        return Code.NUMBER_TOO_LONG, f"{where}: {first['msg']}"
    if kind.startswith("duration"):
        return Code.INVALID_DURATION, f"{where}: {first['msg']}"
    if kind == "timezone":
        return Code.INVALID_TIMEZONE, f"{where}: {first['msg']}"
    expected = []
    for detail in details:
        word = _TYPE_WORDS.get(detail["type"])
        if detail["type"] == "literal_error":
            word = detail.get("ctx", {}).get("expected")
        if _is_decimal_check(detail):
            word = "a finite number"
        if word and word not in expected:
            expected.append(word)
    if expected and all(
        d["type"] in _TYPE_WORDS or d["type"] == "literal_error" or _is_decimal_check(d)
        for d in details
    ):
        message = f"{where}: expected {' or '.join(expected)}"
        if any(d["type"] == "string_type" for d in details):
            message += _quote_hint(known, source, first.get("input"))
        return Code.INVALID_VALUE, message
    # Of a union's alternatives, the ones that got past the type check say the most.
    specific = [d for d in details if d["type"] not in _TYPE_WORDS and d["type"] != "literal_error"]
    messages = []
    for detail in specific or details:
        bound = _BOUND_WORDS.get(detail["type"])
        text = bound.format(**detail.get("ctx", {})) if bound else str(detail["msg"])
        if text.startswith("Value error, "):
            text = text[len("Value error, ") :]
        if text not in messages:
            messages.append(text)
    return Code.INVALID_VALUE, f"{where}: {'; '.join(messages)}"


_BOUND_WORDS = {
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
}


def _is_decimal_check(detail: dict[str, Any]) -> bool:
    # Strict Decimal fields reject floats (`.inf`) and text as `is_instance_of`.
    context: dict[str, object] = detail.get("ctx", {})
    return bool(detail["type"] == "is_instance_of" and context.get("class") == "Decimal")


def _id_example(value: object) -> str:
    """``write `person-a``` for ``Person_A`` when that is an id; otherwise an example."""
    if isinstance(value, str) and len(value) <= 200:
        written = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        if re.match(ID_PATTERN, written):
            return f"write `{written}`"
    return "e.g. `person-a`"


def _quote_hint(known: Loc, source: SourceMap, value: object) -> str:
    # Only where text was expected does "quote it" help: a quoted `1` is no weekday, and
    # `.inf` quoted is no number of hours.
    if known in source.from_plain_scalar and not isinstance(value, str) and value is not None:
        plain = _plain_text(known, source)
        return f' (YAML reads `{plain}` as a {_kind_name(value)}; quote it: `"{plain}"`)'
    return ""


def _plain_text(known: Loc, source: SourceMap) -> str:
    node = source.values.get(known)
    return str(getattr(node, "value", ""))


def _kind_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return "number"
    return "date" if type(value).__name__ == "date" else type(value).__name__


def _allowed_keys(loc: Loc) -> list[str]:
    """The field names of the model that sits at ``loc`` (for "did you mean")."""
    current: Any = Policy
    for part in loc:
        current = _step_into(current, part)
        if current is None:
            return []
    model = _as_model(current)
    return list(yaml_fields(model)) if model is not None else []


def _step_into(annotation: Any, part: str | int) -> Any:
    model = _as_model(annotation)
    if model is not None:
        field_info = yaml_fields(model).get(str(part))
        return None if field_info is None else field_info.annotation
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if origin is dict:
            return typing.get_args(option)[1]
        if origin is list and isinstance(part, int):
            return typing.get_args(option)[0]
    return None


def _options(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [option for arg in typing.get_args(annotation) for option in _options(arg)]
    if typing.get_origin(annotation) is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    return [annotation]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None
