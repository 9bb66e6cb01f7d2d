"""The bounds of every date, window and number the tool computes with.

Python's ``date`` runs from year 1 to 9999; arithmetic that steps past either end raises
``OverflowError``. Rather than guard each sum, every date a user can give (command-line
dates, "now", the handbook's ``:from:``) is checked once against :data:`MIN_DATE` ..
:data:`MAX_DATE`, which leave a century at each end of the calendar: the longest tenure
(522 weeks) plus the longest window (:data:`MAX_WEEKS`) plus the longest duration (ten
years) all fit inside that margin, so no computation from a checked date can overflow.
Policy dates have a narrower range of their own (years 1900–2999, in the models).

Numbers are refused by their length before they are converted: Python's ``int()`` of
thousands of digits is slow and, past 4,300 digits, raises.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

MIN_DATE = date(100, 1, 1)
"""The earliest date a query may name."""
MAX_DATE = date(9899, 12, 31)
"""The latest date a query may name."""

POLICY_YEARS = (1900, 2999)
"""The years a date written in a policy may fall in (rotation dates, holidays, members'
dates): hand-off arithmetic runs thousands of intervals either side of them."""

CALENDAR_YEARS = (MIN_DATE.year - 50, MAX_DATE.year + 50)
"""The years a rotation calendar's events may fall in: whatever ``calendar`` exports from a
supported date (a window and a tenure either side, twenty years at most) passes the
calendar check."""

MIN_WEEKS = 1
MAX_WEEKS = 520
"""Every window (``calendar --weeks``, ``diff --weeks``, ``support-rotation :weeks:``) is at
most ten years: longer exports are never read, and cost time and memory in proportion."""

DEADLINE_HORIZON = timedelta(days=36_500)
"""A deadline lies at most a century after the request: durations are at most ten years, so
only a tiny working window stretches one further, and the walk over windows is day by day."""

MAX_NUMBER_DIGITS = 30
"""The longest number literal (digits, sign, point and exponent) the policy may hold."""

_EARLIEST_INSTANT = datetime.combine(MIN_DATE, datetime.min.time(), tzinfo=UTC)
_LATEST_INSTANT = datetime.combine(MAX_DATE + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


class OutOfRange(Exception):
    """A date, window or number outside the supported bounds; the message says which.

    Not a ``ValueError`` on purpose: argparse turns those into generic usage errors, and
    this one has its own code (``SP920``) wherever it is raised.
    """


def describe_range() -> str:
    return f"{iso_date(MIN_DATE)} to {iso_date(MAX_DATE)}"


def check_date(value: date, what: str) -> date:
    """``value`` itself, or :class:`OutOfRange` naming ``what`` and the supported range."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise OutOfRange(
            f"{what} {iso_date(day)} is outside the supported dates ({describe_range()})"
        )
    return value


def check_instant(value: datetime, what: str) -> datetime:
    """An aware instant whose UTC date lies in the supported range (its local one may not)."""
    # Comparing aware datetimes converts them without building an out-of-range date.
    if not _EARLIEST_INSTANT <= value < _LATEST_INSTANT:
        raise OutOfRange(
            f"{what} {value.isoformat()} is outside the supported dates ({describe_range()})"
        )
    return value


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_instant(text: str) -> datetime:
    """``SOURCE_DATE_EPOCH`` (whole seconds since 1970) as an instant in UTC.

    ``ValueError`` when it is not a whole number, :class:`OutOfRange` when the instant lies
    outside the supported dates. Nothing overflows: the number is compared before use.
    """
    stripped = text.strip()
    if not stripped.isascii() or not stripped.lstrip("-").isdigit() or stripped.count("-") > 1:
        raise ValueError(f"SOURCE_DATE_EPOCH `{_short(stripped)}` is not a whole number of seconds")
    lowest = int((_EARLIEST_INSTANT - _EPOCH).total_seconds())
    highest = int((_LATEST_INSTANT - _EPOCH).total_seconds()) - 1
    if len(stripped) > len(str(lowest)) + 1 or not lowest <= int(stripped) <= highest:
        raise OutOfRange(
            f"SOURCE_DATE_EPOCH `{_short(stripped)}` is outside the supported dates "
            f"({describe_range()})"
        )
    return _EPOCH + timedelta(seconds=int(stripped))


def check_weeks(value: int, what: str, minimum: int = MIN_WEEKS) -> int:
    if not minimum <= value <= MAX_WEEKS:
        raise OutOfRange(f"{what} must be between {minimum} and {MAX_WEEKS} weeks, got {value}")
    return value


def parse_weeks(text: str, what: str, minimum: int = MIN_WEEKS) -> int:
    """A window length given as text: a whole number of weeks within the bounds.

    ``ValueError`` when it is no whole number at all, :class:`OutOfRange` when it is one
    outside the bounds.
    """
    stripped = text.strip()
    digits = stripped.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"`{_short(stripped)}` is not a whole number of weeks")
    if len(digits) > len(str(MAX_WEEKS)) + 1:
        raise OutOfRange(
            f"{what} must be between {minimum} and {MAX_WEEKS} weeks, got `{_short(stripped)}`"
        )
    return check_weeks(int(stripped), what, minimum)


def clamp_date(value: date) -> date:
    """The nearest date inside the supported range (for look-backs that may run far)."""
    return min(max(value, MIN_DATE), MAX_DATE)


def days_before(day: date, days: int) -> date:
    """``day`` minus ``days``, never earlier than :data:`MIN_DATE` (no overflow)."""
    room = (day - MIN_DATE).days
    return MIN_DATE if days >= room else day - timedelta(days=days)


def number_too_long(text: str) -> bool:
    """Whether a number literal is longer than the limit, written out (``1e99`` has 100)."""
    body = text.strip().lstrip("+-")
    if len(body) > MAX_NUMBER_DIGITS:
        return True
    mantissa, marker, exponent = body.lower().partition("e")
    if not marker or body.lower().startswith("0x"):
        return False
    digits = exponent.lstrip("+-")
    return digits.isdigit() and len(mantissa) + int(digits) > MAX_NUMBER_DIGITS


def iso_date(value: date) -> str:
    """``YYYY-MM-DD`` with a four-digit year on every platform."""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def utc_stamp(moment: datetime, *, seconds: bool = True, sep: str = "T") -> str:
    """``YYYY-MM-DDTHH:MM[:SS]Z`` in UTC, four-digit year (``strftime`` drops the zeros)."""
    utc = moment.astimezone(UTC)
    clock = f"{utc.hour:02d}:{utc.minute:02d}" + (f":{utc.second:02d}" if seconds else "")
    return f"{iso_date(utc)}{sep}{clock}Z"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
