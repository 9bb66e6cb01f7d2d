"""The building blocks every section of the policy models shares.

The base :class:`Model` (frozen, strict, no extra keys), the annotated field types that
carry their own checks (dates in range, lists without repeats, exact numbers), and
:class:`DatedSpan`, the inclusive ``from`` … ``to`` of away periods and covers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from .bounds import POLICY_YEARS
from .types import ID_PATTERN, Identifier


def _exact_number(value: object) -> object:
    """Whole numbers become Decimals; text and booleans stay as they are to be rejected."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _pair(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


CountRange = Annotated[
    tuple[Annotated[int, Field(gt=0)], Annotated[int, Field(gt=0)]], BeforeValidator(_pair)
]


def _no_repeats(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item in seen:
            # ``index`` lets the loader point at the repeated entry itself.
            raise PydanticCustomError(
                "repeated", "lists `{item}` more than once", {"item": item, "index": index}
            )
        seen.add(item)
    return items


def _in_calendar_range(value: date) -> date:
    # Hand-off arithmetic runs thousands of intervals either side of a date.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "date_range", "dates run from {low} to {high}", {"low": MIN_YEAR, "high": MAX_YEAR}
        )
    return value


MIN_YEAR, MAX_YEAR = POLICY_YEARS
IdList = Annotated[
    list[Identifier],
    AfterValidator(_no_repeats),
    WithJsonSchema(
        {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "uniqueItems": True}
    ),
]
AllOrIds = Literal["all"] | IdList
PolicyDate = Annotated[date, AfterValidator(_in_calendar_range)]
# A month has at most 31 × 24 = 744 hours.
HoursPerMonth = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Field(gt=0, le=744, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 744}),
]


class Model(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        hide_input_in_errors=True,
        defer_build=True,
    )


def yaml_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the key a policy file uses for them (``from``, not ``start``)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


class DatedSpan(Model):
    """Inclusive dates, ``from`` … ``to`` (``from`` is a Python keyword, hence the alias)."""

    start: PolicyDate = Field(alias="from")
    """The first day."""
    to: PolicyDate
    """The last day (inclusive)."""
    reason: str | None = None
    """Why; public text, shown in the handbook's schedule."""
