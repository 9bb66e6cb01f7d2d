"""Reading a rotation calendar: the ICS text → events with a person, a rotation and dates.

The first half of the calendar check (:mod:`.calendar_check` holds the second: coverage
against the dealt schedules). Every diagnostic is positioned at the ``BEGIN:VEVENT`` line of
the event it concerns (icalendar keeps no positions, so the lines are found in the raw text
and matched to events by order). Recurring events are read occurrence by occurrence
(:mod:`.calendar_recurrence`), each at its series' line.

Which rotation an event belongs to:

- ``<label><sep><member>``: the rotation whose role name, plural or alias ``<label>`` is (the
  longest label that prefixes the SUMMARY wins; roles of different rotations differ);
- ``<label><sep><member> (covering <member>)``: a *cover* event of that rotation;
- attendee-only (no ``<sep>``, an ATTENDEE who is a member): with one rotation, that one;
  with several, the rotation whose pool holds the person, or else whose schedule has them
  join at the event's start. When that still leaves several (or none), the event is
  ambiguous (SP415): the SUMMARY must name the role.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from icalendar import Calendar

from support_policy.policy.bounds import CALENDAR_YEARS
from support_policy.policy.diagnostics import Code, Diagnostic

from .calendar_identify import Identifier, OtherDuty
from .calendar_view import CalendarView, Event

if TYPE_CHECKING:
    from icalendar import Component

ZERO = timedelta(0)
MIN_YEAR, MAX_YEAR = CALENDAR_YEARS
"""Dates outside these years are refused: everything the export writes fits inside."""


MAX_SKIPPED_KINDS = 5
"""How many kinds of skipped events the note names."""


class _EventProblem(Exception):
    """An event that cannot be read (reported as SP401 at its line)."""


@dataclass
class Reading:
    """What the calendar holds, and what could not be read."""

    events: list[Event] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    incomplete: bool = False  # some events could not be used: coverage would mislead
    series_lines: set[int] = field(default_factory=set)
    calendar_line: int = 1
    parsed: bool = True  # False: the file itself could not be read (nothing else to check)


def read_calendar(view: CalendarView, raw: bytes) -> Reading:
    """Every event of ``raw`` that can be read, with the rotation and person it names."""
    reading = Reading()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        view.report(Code.CALENDAR_UNREADABLE, "the calendar is not UTF-8 text", line)
        reading.parsed = False
        return reading
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:  # icalendar raises ValueError and its own error types
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        view.report(
            Code.CALENDAR_UNREADABLE,
            f"not an iCalendar file: {message[:200]}",
            _first_content_line(text),
        )
        reading.parsed = False
        return reading
    reading.calendar_line = _calendar_line(text)
    lines = _vevent_lines(text)
    located = [
        (lines[index] if index < len(lines) else 0, vevent)
        for index, vevent in enumerate(calendar.walk("VEVENT"))
    ]
    single: list[tuple[int, Component]] = []
    recurring: list[tuple[int, Component]] = []
    for item in located:
        (recurring if _recurring(item[1]) else single).append(item)
    if recurring:
        from .calendar_recurrence import expand

        expansion = expand(calendar, (vevent for _, vevent in located), recurring)
        for line, message in expansion.problems:
            reading.incomplete = True
            view.report(Code.CALENDAR_UNREADABLE, message, line)
        single += [(o.line, o.vevent) for o in expansion.occurrences]
        reading.series_lines = {o.series_line for o in expansion.occurrences}
    reader = _EventReader(view)
    other_duties: Counter[str] = Counter()
    for index, (line, vevent) in enumerate(single):
        if str(vevent.get("STATUS", "")).upper() == "CANCELLED":
            continue
        try:
            reading.events.append(reader.read_event(index, line, vevent))
        except _EventProblem as problem:
            reading.incomplete = True
            view.report(Code.CALENDAR_UNREADABLE, str(problem), line)
        except OtherDuty as other:
            other_duties[other.prefix] += 1
    if other_duties:
        _note_other_duties(view, other_duties, reading.calendar_line)
    return reading


def _note_other_duties(view: CalendarView, skipped: Counter[str], line: int) -> None:
    """One note: how many events of other duties were skipped, and of which kinds."""
    total = sum(skipped.values())
    kinds = ", ".join(
        f"`{prefix[:60]}` ×{count}" for prefix, count in skipped.most_common(MAX_SKIPPED_KINDS)
    )
    more = (
        f" and {len(skipped) - MAX_SKIPPED_KINDS} more" if len(skipped) > MAX_SKIPPED_KINDS else ""
    )
    example = next(iter(view.role_names.values()), "<role>")
    view.report(
        Code.EVENTS_SKIPPED,
        f"skipped {total} event{'s' if total != 1 else ''} of other duties ({kinds}{more}); "
        f"rotation events read `{example}: <member>`",
        line,
        "note",
    )


def _vevent_lines(text: str) -> list[int]:
    """The 1-based line of every ``BEGIN:VEVENT``, in file order."""
    return [
        number
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _calendar_line(text: str) -> int:
    """The line of ``BEGIN:VCALENDAR`` (what a calendar without events is reported at)."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().upper() == "BEGIN:VCALENDAR":
            return number
    return _first_content_line(text)


def _first_content_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            return number
    return 1


def _recurring(vevent: Component) -> bool:
    """Whether ``vevent`` repeats, or replaces one occurrence of an event that does."""
    return any(name in vevent for name in ("RRULE", "RDATE", "RECURRENCE-ID"))


class _EventReader:
    def __init__(self, view: CalendarView) -> None:
        self.view = view
        self.zone = view.zone
        self.identifier = Identifier(view)

    def read_event(self, index: int, line: int, vevent: Component) -> Event:
        try:
            start_prop = vevent.get("DTSTART")
            if start_prop is None:
                raise _EventProblem("event has no DTSTART")
            start_value = start_prop.dt
            end_prop = vevent.get("DTEND")
            end_value = end_prop.dt if end_prop is not None else None
            duration_prop = vevent.get("DURATION")
            duration = duration_prop.dt if duration_prop is not None else None
        except _EventProblem:
            raise
        except Exception as error:
            raise _EventProblem(f"event cannot be read: {str(error)[:200]}") from error
        for value in (start_value, end_value):
            if isinstance(value, date) and not MIN_YEAR <= value.year <= MAX_YEAR:
                raise _EventProblem(f"date {value.isoformat()} is out of range")
        try:
            event = self.convert(index, line, start_prop, end_prop, duration)
        except (OverflowError, ValueError) as error:
            raise _EventProblem(f"event dates cannot be used: {error}") from error
        self.identifier.identify(vevent, event)
        return event

    def convert(
        self, index: int, line: int, start_prop: Any, end_prop: Any, duration: object
    ) -> Event:
        view = self.view
        start_value, end_value = start_prop.dt, end_prop.dt if end_prop is not None else None
        if isinstance(start_value, datetime):
            if end_value is None:
                # RFC 5545: a timed event without DTEND or DURATION takes no time.
                end_value = start_value + (duration if isinstance(duration, timedelta) else ZERO)
                end_prop = start_prop
            if not isinstance(end_value, datetime):
                raise _EventProblem("a timed event needs a date-time DTEND")
            start = self.instant(start_prop, start_value)
            end = self.instant(end_prop, end_value)
            start_local = start.astimezone(self.zone).replace(tzinfo=None)
            end_local = end.astimezone(self.zone).replace(tzinfo=None)
        elif isinstance(start_value, date):
            if end_value is None:
                # RFC 5545: an all-day event without DTEND or DURATION lasts one day.
                days = duration.days if isinstance(duration, timedelta) else 1
                end_value = start_value + timedelta(days=days)
            if isinstance(end_value, datetime) or not isinstance(end_value, date):
                raise _EventProblem("an all-day event (DTSTART;VALUE=DATE) needs a DATE DTEND")
            start, end = view.midnight(start_value), view.midnight(end_value)
            start_local = datetime.combine(start_value, time())
            end_local = datetime.combine(end_value, time())
        else:
            raise _EventProblem(f"DTSTART is not a date or date-time: {start_value!r}")
        if end.year > MAX_YEAR:
            raise _EventProblem(f"event ends after {MAX_YEAR}: out of range")
        if end <= start:
            raise _EventProblem(
                f"event ends ({view.show(end)}) before or when it starts ({view.show(start)})"
            )
        return Event(index, line, None, start, end, start_local, end_local)

    def instant(self, prop: object, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            params = getattr(prop, "params", {})
            tzid = params.get("TZID") if hasattr(params, "get") else None
            if tzid:
                raise _EventProblem(f"unknown time zone TZID={tzid}")
            # A floating time: read it as wall-clock time in the team's zone.
            value = value.replace(tzinfo=self.zone)
        return value.astimezone(UTC)


def one_per_series(diagnostics: list[Diagnostic], series_lines: set[int]) -> list[Diagnostic]:
    """Keep one diagnostic per code at a recurring event's line, counting the rest.

    A fault in a recurring event (a wrong length, say) is a fault of each occurrence;
    one line saying how many occurrences share it is what the author needs.
    """
    if not series_lines:
        return diagnostics
    counts = Counter((d.line, d.code) for d in diagnostics if d.line in series_lines)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        key = (diagnostic.line, diagnostic.code)
        count = counts.pop(key, None) if diagnostic.line in series_lines else 1
        if count is None:
            continue  # already kept the first of this series and code
        if count > 1:
            more = count - 1
            plural = "s" if more != 1 else ""
            diagnostic = replace(
                diagnostic,
                message=f"{diagnostic.message} (and {more} more occurrence{plural} of "
                "this recurring event)",
            )
        kept.append(diagnostic)
    return kept


__all__ = ["CalendarView", "Event", "Reading", "one_per_series", "read_calendar"]
