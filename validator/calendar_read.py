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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from icalendar import Calendar

from support_policy.policy.bounds import CALENDAR_YEARS, iso_date
from support_policy.policy.diagnostics import Code, Diagnostic, Severity

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from icalendar import Component

    from support_policy.policy.models import Policy
    from support_policy.policy.rotations import RotationSchedule as Schedule

ZERO = timedelta(0)
# `<role>: <member>` or `<role> - <member>` (any of - – — with spaces around it).
_SEPARATOR = re.compile(r"^\s*:\s*(.*)$|^\s+[-\u2013\u2014]\s+(.*)$", re.DOTALL)
# `<member> (covering <member>)`, on the casefolded member part of a SUMMARY.
_COVERING = re.compile(r"^(.*?)\s*\(\s*covering\s+(.*?)\s*\)$", re.DOTALL)
MIN_YEAR, MAX_YEAR = CALENDAR_YEARS
"""Dates outside these years are refused: everything the export writes fits inside."""


class _EventProblem(Exception):
    """An event that cannot be read (reported as SP401 at its line)."""


@dataclass
class Event:
    index: int
    line: int
    person: str | None  # a member id, None when the event identifies nobody
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC, exclusive
    start_local: datetime  # naive wall-clock time in the team's zone
    end_local: datetime
    rotation: str | None = None  # the id of the rotation it belongs to
    cover: bool = False  # a `(covering <member>)` event
    covers: str | None = None  # cover events: the member stood in for

    @property
    def key(self) -> str:
        """Who this event puts on duty; an unidentified event counts as its own person."""
        return self.person if self.person is not None else f"#event-{self.index}"


@dataclass
class Reading:
    """What the calendar holds, and what could not be read."""

    events: list[Event] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    incomplete: bool = False  # some events could not be used: coverage would mislead
    series_lines: set[int] = field(default_factory=set)
    calendar_line: int = 1
    parsed: bool = True  # False: the file itself could not be read (nothing else to check)


class CalendarView:
    """The policy as a calendar reader sees it: people, labels, the team's clock."""

    def __init__(self, policy: Policy, schedules: dict[str, Schedule], display: str) -> None:
        self.policy = policy
        self.schedules = schedules
        self.display = display
        self.zone: ZoneInfo = next(iter(schedules.values())).zone  # one team zone
        self.diagnostics: list[Diagnostic] = []
        self.label_of: dict[str, str] = {}  # casefolded label → rotation id (first wins)
        self.role_names: dict[str, str] = {}
        for key, schedule in schedules.items():
            role = policy.roles.get(schedule.rotation.role)
            self.role_names[key] = schedule.rotation.role if role is None else role.name
            labels = [] if role is None else [role.name, role.plural or "", *role.aliases]
            for label in labels:
                if label.strip():
                    self.label_of.setdefault(label.strip().casefold(), key)
        self.labels_longest_first = sorted(self.label_of, key=len, reverse=True)
        self.by_email: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, str] = {}
        for key, member in policy.team.members.items():
            self.by_name[member.name.strip().casefold()].add(key)
            self.by_id[key.casefold()] = key
            if member.email:
                self.by_email[str(member.email).strip().casefold()].add(key)

    def report(self, code: Code, message: str, line: int, severity: Severity = "error") -> None:
        self.diagnostics.append(Diagnostic.make(code, message, self.display, line, 0, severity))

    def name(self, member: str) -> str:
        found = self.policy.team.members.get(member)
        return f"{found.name} ({member})" if found is not None else member

    def midnight(self, day: date) -> datetime:
        """00:00 of ``day`` in the team's zone, as a UTC instant (DST-aware)."""
        return datetime.combine(day, time(), tzinfo=self.zone).astimezone(UTC)

    def show(self, instant: datetime) -> str:
        """A date when ``instant`` is a local midnight, else the local date and time."""
        local = instant.astimezone(self.zone)
        if local.time() == time() and self.midnight(local.date()) == instant:
            return local.date().isoformat()
        return f"{iso_date(local)} {local:%H:%M} {self.zone.key}"

    def show_event(self, event: Event) -> str:
        return f"{self.show(event.start)}–{self.show(event.end)}"


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
    for index, (line, vevent) in enumerate(single):
        if str(vevent.get("STATUS", "")).upper() == "CANCELLED":
            continue
        try:
            reading.events.append(reader.read_event(index, line, vevent))
        except _EventProblem as problem:
            reading.incomplete = True
            view.report(Code.CALENDAR_UNREADABLE, str(problem), line)
    return reading


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
        self.identify(vevent, event)
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

    def lookup(self, who: str) -> set[str]:
        """Members named ``who`` (casefolded); by id only when no member has that name."""
        named = self.view.by_name.get(who)
        if named:
            return set(named)
        by_id = self.view.by_id.get(who)
        return {by_id} if by_id is not None else set()

    def summary_parts(self, summary: str) -> tuple[str, str] | None:
        """``(rotation id, casefolded <member>)`` of ``<role label><sep><member>``.

        The longest label that prefixes the SUMMARY wins, so a role name that itself holds
        a separator (``Support: Steward``) is read whole rather than cut at its own ``:``.
        """
        folded = summary.casefold()
        for label in self.view.labels_longest_first:
            if folded.startswith(label):
                found = _SEPARATOR.match(folded[len(label) :])
                if found is not None:
                    who = (found.group(1) or found.group(2) or "").strip()
                    return self.view.label_of[label], who
        return None

    def identify(self, vevent: Component, event: Event) -> None:
        """Set the event's person, rotation and (for a cover event) whom it covers."""
        view = self.view
        where = view.show_event(event)
        summary = str(vevent.get("SUMMARY", "")).strip()
        from_summary: set[str] = set()
        parts = self.summary_parts(summary)
        covered: set[str] = set()
        covered_text = ""
        if parts is not None:
            event.rotation, who = parts
            cover = _COVERING.match(who)
            if cover is not None:
                who, covered_text = cover.group(1), cover.group(2)
                event.cover = True
                covered = self.lookup(covered_text)
            from_summary = self.lookup(who)
        elif len(view.schedules) == 1:
            event.rotation = next(iter(view.schedules))
        from_attendees, unknown_addresses = self.attendees(vevent)
        if len(from_summary) > 1:
            names = ", ".join(view.name(m) for m in sorted(from_summary))
            view.report(
                Code.EVENT_AMBIGUOUS,
                f"event {where}: SUMMARY `{summary}` matches several members: {names}",
                event.line,
            )
            return
        if event.cover and len(covered) != 1:
            problem = "names no team member" if not covered else "matches several members"
            view.report(
                Code.EVENT_NO_MEMBER if not covered else Code.EVENT_AMBIGUOUS,
                f"event {where}: `(covering {covered_text})` in SUMMARY `{summary}` {problem}",
                event.line,
            )
            return
        if covered:
            event.covers = next(iter(covered))
        if len(from_summary) == 1:
            (person,) = from_summary
            if from_attendees and person not in from_attendees:
                others = ", ".join(view.name(m) for m in sorted(from_attendees))
                view.report(
                    Code.IDENTITY_CONFLICT,
                    f"event {where}: SUMMARY names {view.name(person)} but ATTENDEE names {others}",
                    event.line,
                )
                return
            event.person = person
            return
        if len(from_attendees) > 1:
            names = ", ".join(view.name(m) for m in sorted(from_attendees))
            view.report(
                Code.EVENT_AMBIGUOUS,
                f"event {where}: ATTENDEE addresses match several members: {names}",
                event.line,
            )
            return
        if len(from_attendees) == 1:
            event.person = next(iter(from_attendees))
            if event.rotation is None:
                event.rotation = self.rotation_of_attendee(event, where)
            return
        self.no_member(event, where, summary, parts is not None, unknown_addresses)

    def attendees(self, vevent: Component) -> tuple[set[str], list[str]]:
        """Members named by ATTENDEE ``mailto:`` addresses, and the addresses of nobody."""
        attendees = vevent.get("ATTENDEE")
        if attendees is None:
            attendees = []
        elif not isinstance(attendees, list):
            attendees = [attendees]
        found: set[str] = set()
        unknown: list[str] = []
        for attendee in attendees:
            address = str(attendee).strip()
            if address[:7].casefold() != "mailto:":
                continue
            members = self.view.by_email.get(address[7:].strip().casefold())
            if members:
                found |= members
            else:
                unknown.append(address[7:].strip())
        return found, unknown

    def rotation_of_attendee(self, event: Event, where: str) -> str | None:
        """The one rotation an attendee-only event can belong to (see the module notes)."""
        assert event.person is not None
        schedules = self.view.schedules
        candidates = [key for key, s in schedules.items() if event.person in s.pool]
        if len(candidates) != 1:
            day = event.start_local.date()
            joins = []
            for key, schedule in schedules.items():
                k = schedule.handoff_index(day)
                if k is not None and schedule.joiner(k) == event.person:
                    joins.append(key)
            if len(joins) == 1:
                return joins[0]
        if len(candidates) == 1:
            return candidates[0]
        which = "several rotations" if candidates else "no rotation's pool"
        labels = " or ".join(f"`{self.view.role_names[key]}: …`" for key in schedules)
        self.view.report(
            Code.EVENT_ROTATION_UNKNOWN,
            f"event {where}: ATTENDEE {self.view.name(event.person)} is in {which}; "
            f"say which rotation in the SUMMARY ({labels})",
            event.line,
        )
        return None

    def no_member(
        self, event: Event, where: str, summary: str, summary_form: bool, unknown: list[str]
    ) -> None:
        details = []
        if summary_form:
            details.append(f"SUMMARY `{summary}` names no team member (by name or id)")
        elif summary:
            example = next(iter(self.view.role_names.values()))
            details.append(
                f"SUMMARY `{summary}` is not of the form `<role>: <member>` "
                f"(e.g. `{example}: <name>`)"
            )
        else:
            details.append("no SUMMARY")
        if unknown:
            details.append(f"ATTENDEE {', '.join(unknown)} is no member's email")
        self.view.report(Code.EVENT_NO_MEMBER, f"event {where}: {'; '.join(details)}", event.line)


__all__ = ["CalendarView", "Event", "Reading", "read_calendar"]
