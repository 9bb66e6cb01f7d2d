"""Expand recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID) into single occurrences.

A team may keep its rotation as recurring events ("Person A, every 12 weeks", with swaps
entered as changed occurrences); the calendar check then reads each occurrence as if it
were its own VEVENT. recurring-ical-events applies RFC 5545's rules (time zones, DST,
exceptions, changed occurrences); this module bounds the expansion and remembers which
``BEGIN:VEVENT`` line each occurrence comes from.

Only imported when a calendar has recurring events.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeGuard

import recurring_ical_events
from icalendar import Calendar

from support_policy.policy.bounds import CALENDAR_YEARS

MAX_OCCURRENCES = 50_000
"""Occurrences read from all recurring events together: about a century of weekly
hand-offs with ten people on duty. Nothing larger is a rotation."""
HORIZON = timedelta(weeks=52)
"""Recurrences are read until this long after the latest date the calendar states."""
# Expanding window by window keeps each step small: a rule that repeats at most daily
# yields at most a few hundred occurrences per year.
WINDOW = timedelta(weeks=52)
DAILY_OR_SLOWER = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
SUB_DAILY_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")


@dataclass(frozen=True)
class Occurrence:
    vevent: Any
    """The occurrence (an icalendar component): its own DTSTART and DTEND."""
    line: int
    """The ``BEGIN:VEVENT`` line of the changed occurrence, else of the series."""
    series_line: int
    """The ``BEGIN:VEVENT`` line of the series (the event with the RRULE or RDATE)."""


@dataclass
class Expansion:
    occurrences: list[Occurrence] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    """``(line, message)`` for series that cannot be read (reported as SP401)."""


def expand(
    calendar: Calendar, vevents: Iterable[Any], recurring: Iterable[tuple[int, Any]]
) -> Expansion:
    """Every occurrence of the recurring ``(line, vevent)`` pairs, grouped by series.

    They are read from the first DTSTART of ``vevents`` (all the calendar's events) until
    :data:`HORIZON` after the latest date they state (a DTSTART, DTEND, RDATE or UNTIL),
    so an open-ended rule is read for a year beyond everything written down.
    """
    expansion = Expansion()
    days = _stated_days(vevents)
    shared = _calendar_wide(calendar)
    first = min(days, default=None)
    until = max(days) + HORIZON if days else None
    budget = MAX_OCCURRENCES
    for members in _series_by_uid(recurring):
        series_line = next(
            (line for line, vevent in members if "RECURRENCE-ID" not in vevent), members[0][0]
        )
        if first is None or until is None:
            expansion.problems.append((series_line, "recurring event has no usable DTSTART"))
            continue
        try:
            problem = next(filter(None, (_refused(vevent) for _, vevent in members)), None)
            if problem is not None:
                expansion.problems.append((series_line, problem))
                continue
            changed = {
                vevent["RECURRENCE-ID"].dt: line
                for line, vevent in members
                if "RECURRENCE-ID" in vevent
            }
            for vevent in _occurrences(shared, members, first, until):
                budget -= 1
                if budget < 0:
                    expansion.problems.append((series_line, _too_many()))
                    return expansion
                recurrence_id = vevent.get("RECURRENCE-ID")
                line = series_line
                if recurrence_id is not None:
                    line = changed.get(recurrence_id.dt, series_line)
                expansion.occurrences.append(Occurrence(vevent, line, series_line))
        except Exception as error:  # icalendar's and the library's errors for broken series
            expansion.problems.append(
                (series_line, f"recurring event cannot be read: {_reason(error)}")
            )
    return expansion


def _series_by_uid(recurring: Iterable[tuple[int, Any]]) -> list[list[tuple[int, Any]]]:
    # A series and its changed occurrences share a UID. Expanding each series on its own
    # tells every occurrence's line for certain, even when UIDs are missing.
    groups: dict[str, list[tuple[int, Any]]] = {}
    for line, vevent in recurring:
        uid = str(vevent.get("UID", "")).strip() or f"#line-{line}"
        groups.setdefault(uid, []).append((line, vevent))
    return list(groups.values())


def _refused(vevent: Any) -> str | None:
    """Why the series cannot be a rotation's, found before expanding it (bounding the work)."""
    for rule in _listed(vevent.get("RRULE")):
        text = rule.to_ical().decode()[:80]
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        if not frequency:
            return f"RRULE {text} has no FREQ"
        if frequency not in DAILY_OR_SLOWER or any(part in rule for part in SUB_DAILY_PARTS):
            return f"RRULE {text} repeats more often than daily; a rotation's events never do"
        if any(int(interval) < 1 for interval in rule.get("INTERVAL") or ()):
            return f"RRULE {text} has an INTERVAL below 1"
    dates = sum(len(getattr(value, "dts", ())) for value in _listed(vevent.get("RDATE")))
    if dates > MAX_OCCURRENCES:
        return _too_many()
    return None


def _reason(error: Exception) -> str:
    """The innermost message: icalendar wraps a broken value's own error twice."""
    while error.__cause__ is not None and isinstance(error.__cause__, Exception):
        error = error.__cause__
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return message[:200]


def _calendar_wide(calendar: Calendar) -> list[tuple[str, Any]]:
    """What every series needs from its calendar: time zones, and Google's default zone."""
    shared: list[tuple[str, Any]] = []
    zone = calendar.get("X-WR-TIMEZONE")
    if zone is not None:  # Google's calendar-wide zone: its recurrences repeat in it
        shared.append(("X-WR-TIMEZONE", zone))
    shared += [("VTIMEZONE", timezone) for timezone in calendar.walk("VTIMEZONE")]
    return shared


def _occurrences(
    shared: list[tuple[str, Any]], members: list[tuple[int, Any]], first: date, until: date
) -> Iterator[Any]:
    single = Calendar()
    for name, value in shared:
        if name == "VTIMEZONE":
            single.add_component(value)
        else:
            single.add(name, value)
    for _, vevent in members:
        single.add_component(vevent)
    query = recurring_ical_events.of(single)
    start = first
    while start < until:
        stop = min(start + WINDOW, until)
        for occurrence in query.between(start, stop):
            # A window returns every occurrence that overlaps it; each is kept once, in
            # the window it starts in.
            if start <= _day(occurrence["DTSTART"].dt) < stop:
                yield occurrence
        start = stop


def _stated_days(vevents: Iterable[Any]) -> list[date]:
    days: list[date] = []
    for vevent in vevents:
        for read in (_event_days, _rdate_days, _until_days):
            try:
                days += read(vevent)
            except Exception:  # a broken value: its event is reported when it is read
                continue
    return days


def _event_days(vevent: Any) -> list[date]:
    values = (getattr(vevent.get(name), "dt", None) for name in ("DTSTART", "DTEND"))
    return [_day(value) for value in values if _is_day(value)]


def _rdate_days(vevent: Any) -> list[date]:
    values = (item.dt for value in _listed(vevent.get("RDATE")) for item in value.dts)
    return [_day(value) for value in values if _is_day(value)]


def _until_days(vevent: Any) -> list[date]:
    values = (until for rule in _listed(vevent.get("RRULE")) for until in rule.get("UNTIL") or ())
    return [_day(value) for value in values if _is_day(value)]


def _listed(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _is_day(value: object) -> TypeGuard[date]:
    # Dates out of range are reported with their events; they must not stretch the span.
    low, high = CALENDAR_YEARS
    return isinstance(value, date) and low <= value.year <= high


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _too_many() -> str:
    return (
        f"recurring events expand to more than {MAX_OCCURRENCES:,} occurrences; "
        "a rotation calendar never needs that many"
    )
