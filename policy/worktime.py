"""Due-time arithmetic for SLA targets such as "24 working hours" or "3 days".

Every function returns an aware UTC datetime.

Working time is counted as real elapsed time inside the team's daily windows. A
00:00-24:00 window on a daylight-saving change day therefore holds 23 or 25 hours
of working time, and the deadline never moves backwards when the received time
moves forwards.

Local wall-clock times that do not exist (skipped by a spring-forward change) are
read with the offset in force before the change, so 02:30 becomes 03:30 summer
time; ambiguous times (repeated by an autumn change) mean the first occurrence.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from .bounds import DEADLINE_HORIZON

__all__ = [
    "ELAPSED_UNITS",
    "WORKING_UNITS",
    "WorkingTime",
    "add_elapsed",
    "add_working",
    "deadline",
    "elapsed",
]

ELAPSED_UNITS: dict[str, timedelta] = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
WORKING_UNITS: frozenset[str] = frozenset({"hour", "day"})

# A calendar whose holidays hide every working date for this long is a
# configuration error, not a reason to search forever.
MAX_SEARCH_DAYS = 366 * 8

_ONE_DAY = timedelta(days=1)
_ONE_MICROSECOND = timedelta(microseconds=1)
_ONE_HOUR = timedelta(hours=1)


def _offset_into_day(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )


def _as_utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a time zone")
    return moment.astimezone(UTC)


def _scale(unit_length: timedelta, amount: Decimal, unit: str) -> timedelta:
    """Return ``amount`` × ``unit_length`` exactly; a float would lose microseconds."""
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"amount must be a positive number, got {amount}")
    numerator, denominator = amount.as_integer_ratio()
    microseconds, remainder = divmod(numerator * (unit_length // _ONE_MICROSECOND), denominator)
    if remainder:
        raise ValueError(f"{amount} {unit} is not a whole number of microseconds")
    try:
        return timedelta(microseconds=microseconds)
    except OverflowError as error:
        raise ValueError(f"{amount} {unit} is too long to represent") from error


@dataclass(frozen=True)
class WorkingTime:
    """When a team works: one daily window on the working weekdays, minus holidays.

    ``start`` and ``end`` are naive local wall-clock times in ``zone``; ``end=None``
    means 24:00, i.e. 00:00 of the next day. Windows cannot cross midnight.
    """

    zone: ZoneInfo
    weekdays: frozenset[int]  # 0 = Monday … 6 = Sunday
    start: time
    end: time | None
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not self.weekdays:
            raise ValueError("working time needs at least one working weekday")
        if not self.weekdays <= frozenset(range(7)):
            raise ValueError(f"weekdays run from 0 (Monday) to 6 (Sunday), got {self.weekdays}")
        if self.start.tzinfo is not None or (self.end is not None and self.end.tzinfo is not None):
            raise ValueError("start and end are local wall-clock times; give the zone as `zone`")
        if self.window_length <= timedelta(0):
            raise ValueError("the daily window must end after it starts (end=None means 24:00)")

    @property
    def window_length(self) -> timedelta:
        """Nominal wall-clock length of one window; a DST day may hold an hour more or less."""
        end = _ONE_DAY if self.end is None else _offset_into_day(self.end)
        return end - _offset_into_day(self.start)

    def is_working_date(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def windows(self, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working windows ``[start, end)`` in UTC, in order, that end after ``after``.

        The first window may contain ``after``. Raises ValueError (while iterating)
        if no working date occurs within ``MAX_SEARCH_DAYS`` days.
        """
        # Checked here rather than inside the generator so a naive time fails at the call.
        return self._windows_after(_as_utc(after, "after"))

    def contains(self, instant: datetime) -> bool:
        """Whether ``instant`` lies inside a window (start inclusive, end exclusive)."""
        start, _end = next(self.windows(instant))
        return start <= instant

    def _window_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The window of ``day`` in UTC, or None when that day holds no working time."""
        if not self.is_working_date(day):
            return None
        local_start = datetime.combine(day, self.start, tzinfo=self.zone)
        if self.end is None:
            local_end = datetime.combine(day + _ONE_DAY, time(0), tzinfo=self.zone)
        else:
            local_end = datetime.combine(day, self.end, tzinfo=self.zone)
        start, end = local_start.astimezone(UTC), local_end.astimezone(UTC)
        # A window starting in the hour a spring-forward change skips can come out empty.
        return (start, end) if start < end else None

    def _windows_after(self, after: datetime) -> Iterator[tuple[datetime, datetime]]:
        # A window ends by 24:00 of its own date, so earlier dates cannot reach `after`.
        day = after.astimezone(self.zone).date()
        days_without_window = 0
        while True:
            window = self._window_on(day)
            if window is None:
                days_without_window += 1
                if days_without_window > MAX_SEARCH_DAYS:
                    raise ValueError(f"no working date in the {MAX_SEARCH_DAYS} days up to {day}")
            else:
                days_without_window = 0
                if window[1] > after:
                    yield window
            day += _ONE_DAY


def add_elapsed(received: datetime, amount: Decimal, unit: str) -> datetime:
    """Add a calendar duration (working hours ignored).

    Minutes and hours are exact elapsed time. Days and weeks keep the local
    wall-clock time in the zone of ``received``: "1 day" from 12:00 is 12:00 the
    next day even if a DST change makes that 23 or 25 hours later. Fractions move
    the wall clock proportionally (1.5 days = 36 wall-clock hours).
    """
    received_utc = _as_utc(received, "received time")
    unit_length = ELAPSED_UNITS.get(unit)
    if unit_length is None:
        raise ValueError(f"unknown unit {unit!r}; expected one of {sorted(ELAPSED_UNITS)}")
    length = _scale(unit_length, amount, unit)
    try:
        if unit in {"minute", "hour"}:
            return received_utc + length
        # Aware + timedelta moves the wall clock and keeps the zone; fold=0 picks
        # the first of two repeated local times, as for windows.
        return (received + length).replace(fold=0).astimezone(UTC)
    except OverflowError as error:
        raise ValueError("deadline lies beyond the supported calendar") from error


def add_working(
    working_time: WorkingTime, received: datetime, amount: Decimal, unit: str
) -> datetime:
    """Add working time: "hour" is one real hour, "day" is one ``window_length``.

    Counting starts at ``received``, or at the next window start when ``received``
    is outside working time. The result is the instant at which the working time
    has been accumulated; when that happens exactly at a window end, the result is
    that window end, so it always lies inside a window, end inclusive.
    """
    received_utc = _as_utc(received, "received time")
    if unit not in WORKING_UNITS:
        raise ValueError(f"unknown working unit {unit!r}; expected one of {sorted(WORKING_UNITS)}")
    unit_length = working_time.window_length if unit == "day" else timedelta(hours=1)
    remaining = _scale(unit_length, amount, unit)
    # A week holds at most this much working time (a DST day is an hour longer), so a
    # deadline past the horizon is refused before any walk over windows.
    weekly = len(working_time.weekdays) * (working_time.window_length + _ONE_HOUR)
    horizon = received_utc + DEADLINE_HORIZON
    if remaining / weekly * 7 > DEADLINE_HORIZON.days:
        raise ValueError(_beyond_horizon())
    try:
        for start, end in working_time.windows(received_utc):
            if start >= horizon:
                raise ValueError(_beyond_horizon())
            counting_from = max(start, received_utc)
            available = end - counting_from
            if remaining <= available:
                return counting_from + remaining
            remaining -= available
    except OverflowError as error:
        raise ValueError("deadline lies beyond the supported calendar") from error
    raise AssertionError("windows() is endless or raises")


def _beyond_horizon() -> str:
    years = DEADLINE_HORIZON.days // 365
    return f"the deadline lies more than {years} years after the request (too little working time)"


def deadline(
    working_time: WorkingTime, received: datetime, amount: Decimal, unit: str, working: bool
) -> datetime:
    """Due time in UTC for ``amount`` ``unit`` of working or calendar time.

    Calendar days and weeks keep the wall-clock time in the team's zone, whatever
    zone ``received`` is given in.
    """
    if working:
        return add_working(working_time, received, amount, unit)
    in_team_zone = _as_utc(received, "received time").astimezone(working_time.zone)
    return add_elapsed(in_team_zone, amount, unit)


def elapsed(working_time: WorkingTime, start: datetime, end: datetime) -> timedelta:
    """Working time between ``start`` and ``end``: the inverse of :func:`add_working`.

    The real time inside the team's windows that lies in ``[start, end)``; zero when
    ``end`` is not after ``start``. For every working ``amount`` and ``unit``,
    ``elapsed(wt, t, add_working(wt, t, amount, unit))`` is that amount of working time
    (hours, or ``window_length`` per day), DST and holidays included. The loop visits
    one window per working date between the two instants, so its cost is linear in
    their distance (and a calendar without working dates stops as ``windows`` does).
    """
    start_utc = _as_utc(start, "start")
    end_utc = _as_utc(end, "end")
    total = timedelta(0)
    if end_utc <= start_utc:
        return total
    for window_start, window_end in working_time.windows(start_utc):
        if window_start >= end_utc:
            break
        total += min(window_end, end_utc) - max(window_start, start_utc)
    return total
