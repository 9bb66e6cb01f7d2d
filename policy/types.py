"""Value types of the policy format: durations, shares, identifiers, time zones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .bounds import MAX_NUMBER_DIGITS, number_too_long

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
VARIABLE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
DURATION_PATTERN = (
    r"^\s*([0-9]+(?:\.[0-9]+)?)\s+(?:(working)\s+)?(minutes?|hours?|days?|weeks?)\s*$"
)
PERCENT_PATTERN = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$"

Unit = Literal["minute", "hour", "day", "week"]
# Ten years in each unit: longer is a typo, and would overflow date arithmetic.
MAX_DURATION: dict[str, Decimal] = {
    "minute": Decimal(5_259_600),
    "hour": Decimal(87_660),
    "day": Decimal(3_653),
    "week": Decimal(522),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
VariableName = Annotated[str, StringConstraints(pattern=VARIABLE_PATTERN)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]


@dataclass(frozen=True)
class Duration:
    """A span of time as written in the policy, e.g. ``24 working hours``."""

    amount: Decimal
    unit: Unit
    working: bool
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def whole_weeks(self) -> int | None:
        """The number of weeks when this is a whole number of calendar weeks."""
        if self.unit != "week" or self.working or self.amount != self.amount.to_integral():
            return None
        return int(self.amount)

    def as_timedelta(self) -> timedelta | None:
        """Calendar length; ``None`` for working durations, which need working time."""
        if self.working:
            return None
        seconds = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800}[self.unit]
        return timedelta(microseconds=int(self.amount * seconds * 1_000_000))


def parse_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value > 0:
            example = _valid_duration(f"{Decimal(str(value)):f} weeks")
            if example is not None:
                raise PydanticCustomError(
                    "duration_number",
                    "a duration needs a unit: write `{example}`",
                    {"example": example},
                )
        raise PydanticCustomError(
            "duration_type", "a duration is text such as `2 weeks` or `24 working hours`"
        )
    match = re.match(DURATION_PATTERN, value)
    if match is None:
        raise PydanticCustomError(
            "duration",
            "`{value}` is not a duration; {hint}",
            {"value": value, "hint": _unmatched_duration_hint(value)},
        )
    number, working, unit = match.groups()
    if number_too_long(number):
        raise PydanticCustomError(
            "duration_digits",
            "the number of a duration has at most {limit} digits",
            {"limit": MAX_NUMBER_DIGITS},
        )
    amount = Decimal(number)
    if amount <= 0:
        raise PydanticCustomError("duration_zero", "a duration must be more than zero")
    canonical: Unit = unit.rstrip("s")  # type: ignore[assignment]
    if amount > MAX_DURATION[canonical]:
        raise PydanticCustomError(
            "duration_too_long",
            "`{value}` is longer than ten years; no support target or tenure is that long",
            {"value": value.strip()},
        )
    if working and canonical not in ("hour", "day"):
        raise PydanticCustomError(
            "duration_working",
            "`working` goes with hours or days only, not {unit}",
            {"unit": unit},
        )
    return Duration(amount, canonical, bool(working), " ".join(value.split()))


def _valid_duration(text: str) -> str | None:
    """``text`` when it is a valid duration: a hint only ever suggests one that is."""
    try:
        parse_duration(text)
    except PydanticCustomError:
        return None
    return text


def _unmatched_duration_hint(value: str) -> str:
    """What to write instead of a text that is no duration as written."""
    lowered = " ".join(value.lower().split())
    match = re.match(DURATION_PATTERN, lowered)
    if match is None:
        return "write `<number> [working] <unit>` with a unit of minutes, hours, days or weeks"
    number, working, unit = match.groups()
    if working and unit.rstrip("s") not in ("hour", "day"):
        # `2 Working Minutes`: lower-case alone would still be refused.
        suggestion = _valid_duration(f"{number} {unit}")
        if suggestion is not None:
            return (
                "units are lower-case, and `working` goes with hours or days only: "
                f"write `{suggestion}`"
            )
    suggestion = _valid_duration(lowered)
    if suggestion is not None:
        return f"units are lower-case: write `{suggestion}`"
    try:
        parse_duration(lowered)
    except PydanticCustomError as error:  # always: the suggestion above was refused
        return f"units are lower-case, and {error.message()}"
    return "units are lower-case"  # pragma: no cover - unreachable, see above


# The schema's pattern also rules out zero and `working` with minutes or weeks.
DURATION_SCHEMA_PATTERN = (
    r"^\s*(?!0+(\.0+)?\s)[0-9]+(\.[0-9]+)?\s+"
    r"(working\s+(hours?|days?)|minutes?|hours?|days?|weeks?)\s*$"
)

DurationField = Annotated[
    Duration,
    BeforeValidator(parse_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_SCHEMA_PATTERN,
            "description": "`<number> [working] <unit>`, e.g. `30 minutes`, `24 working hours`.",
        }
    ),
]


_PERCENT_IN_WORDS = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:percent|per\s*cent|pct)\s*$", re.I)


def _share_example(value: str) -> str:
    """`20%` for `20 percent` (when that is a valid share); otherwise an example."""
    match = _PERCENT_IN_WORDS.match(value)
    if (
        match is not None
        and not number_too_long(match.group(1))
        and 0 < Decimal(match.group(1)) <= 100
    ):
        return f"`{match.group(1)}%`"
    return "e.g. `20%`"


def parse_share(value: Any) -> Decimal:
    """``20%`` or ``0.2`` as an exact fraction in (0, 1]."""
    if isinstance(value, bool):
        raise PydanticCustomError("share_type", "a share is a percentage such as `20%` or `0.2`")
    if isinstance(value, str):
        match = re.match(PERCENT_PATTERN, value)
        if match is None:
            raise PydanticCustomError(
                "share",
                "`{value}` is not a percentage; write {example}",
                {"value": value, "example": _share_example(value)},
            )
        if number_too_long(match.group(1)):
            raise PydanticCustomError(
                "share_digits",
                "a percentage has at most {limit} digits",
                {"limit": MAX_NUMBER_DIGITS},
            )
        share = Decimal(match.group(1)) / 100
    elif isinstance(value, int | Decimal):
        share = Decimal(value)
    elif isinstance(value, float):
        share = Decimal(str(value))
    else:
        raise PydanticCustomError("share_type", "a share is a percentage such as `20%` or `0.2`")
    if not (0 < share <= 1):
        raise PydanticCustomError("share_range", "a share must be more than 0% and at most 100%")
    return share


def _format_share(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}%"


ShareField = Annotated[
    Decimal,
    BeforeValidator(parse_share),
    PlainSerializer(_format_share, return_type=str),
    WithJsonSchema(
        {
            "oneOf": [
                {"type": "string", "pattern": PERCENT_PATTERN},
                {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            ],
            "description": "A percentage (`20%`, `12.5%`) or a fraction (`0.2`).",
        }
    ),
]


@lru_cache(maxsize=1)
def _iana_zone_names() -> frozenset[str]:
    """The IANA names the tzdata package lists (not host files such as ``localtime``)."""
    spec = find_spec("tzdata")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    try:
        listing = (Path(spec.submodule_search_locations[0]) / "zones").read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(listing.split())


def check_timezone(name: str) -> str:
    known = _iana_zone_names()
    try:
        if known and name not in known:
            raise ValueError(name)  # e.g. `localtime`: a host-dependent file, not a zone
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise PydanticCustomError(
            "timezone",
            "`{name}` is not an IANA time zone (e.g. `UTC`, `Europe/Berlin`)",
            {"name": name},
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(check_timezone)]


def format_share(share: Decimal) -> str:
    """``Decimal('0.2')`` → ``20%``."""
    return _format_share(share)
