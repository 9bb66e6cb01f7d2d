"""Check a rotation calendar (an iCalendar export) against the policy's schedule.

Only imported when a calendar is given, so importing icalendar at module level keeps the
``validate`` path light. Every diagnostic is positioned at the ``BEGIN:VEVENT`` line of the
event it concerns (icalendar keeps no positions, so the lines are found in the raw text and
matched to events by order) and names the dates involved. Recurring events are read
occurrence by occurrence (:mod:`.calendar_recurrence`), each at its series' line.

Cost: one parse, one sort and one sweep; a calendar ten times longer costs about ten times
as much.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from icalendar import Calendar

from support_policy.policy.bounds import CALENDAR_YEARS, iso_date, utc_stamp
from support_policy.policy.derive import schedule_of
from support_policy.policy.diagnostics import Code, Diagnostic, Severity
from support_policy.policy.files import FileRefused
from support_policy.policy.loader import read_bytes
from support_policy.policy.types import WEEKDAYS

if TYPE_CHECKING:
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from icalendar import Component

    from support_policy.policy.loader import LoadedPolicy
    from support_policy.policy.models import Policy
    from support_policy.policy.rotations import RotationSchedule as Schedule

ZERO = timedelta(0)
# `<role>: <member>` or `<role> - <member>` (any of - – — with spaces around it).
_SEPARATOR = re.compile(r"^\s*:\s*(.*)$|^\s+[-\u2013\u2014]\s+(.*)$", re.DOTALL)
_ANY_SEPARATOR = re.compile(r"\s*:|\s+[-\u2013\u2014]\s")
NEAR_MISS_EDITS = 2
"""A prefix this close to a role label is a typo (an error), not another duty (skipped)."""
MAX_SKIPPED_KINDS = 5
"""How many kinds of skipped events the note names."""
MIN_YEAR, MAX_YEAR = CALENDAR_YEARS
"""Dates outside these years are refused: everything the export writes fits inside."""
MAX_ORDER_REPORTS = 5
"""How many divergences from the computed order are reported one by one."""
# A century of weekly hand-offs is well under this; anything larger is not a rotation.
MAX_CALENDAR_BYTES = 16 * 1024 * 1024


class _EventProblem(Exception):
    """An event that cannot be read (reported as SP401 at its line)."""


class _OtherDuty(Exception):
    """An event of another duty (``Meeting Facilitator: …``): skipped, counted in a note."""

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix)
        self.prefix = prefix


def _within_edits(word: str, target: str, limit: int) -> bool:
    """Whether ``word`` is at most ``limit`` edits (Levenshtein) from ``target``."""
    if abs(len(word) - len(target)) > limit:
        return False
    previous = list(range(len(target) + 1))
    for i, char in enumerate(word, 1):
        current = [i]
        for j, other in enumerate(target, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


@dataclass
class _Event:
    index: int
    line: int
    person: str | None  # a member id, None when the event identifies nobody
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC, exclusive
    start_local: datetime  # naive wall-clock time in the team's zone
    end_local: datetime

    @property
    def key(self) -> str:
        """Who this event puts on duty; an unidentified event counts as its own person."""
        return self.person if self.person is not None else f"#event-{self.index}"


@dataclass
class _Run:
    """A stretch of consecutive instants with too few or too many people on duty."""

    kind: str  # "gap" | "overlap"
    since: datetime
    line: int
    low: int
    high: int


def check_calendar(loaded: LoadedPolicy, path: Path, display: str) -> list[Diagnostic]:
    """Check the calendar at ``path`` against ``loaded`` (a policy without errors).

    Raises :class:`~support_policy.policy.loader.PolicyUnreadable` when the file cannot be
    opened; everything else is a diagnostic (a device, a stalled pipe or a file over the
    limit too, found reading at most one byte past it).
    """
    try:
        raw = read_bytes(path, display, MAX_CALENDAR_BYTES, Code.CALENDAR_UNREADABLE)
    except FileRefused as refused:
        return [refused.diagnostic(display)]
    return check_calendar_bytes(loaded, raw, display)


def check_calendar_bytes(loaded: LoadedPolicy, raw: bytes, display: str) -> list[Diagnostic]:
    """Like :func:`check_calendar`, on the file's content."""
    policy = loaded.policy
    schedule = schedule_of(policy) if policy is not None else None
    if policy is None or schedule is None:
        return [
            Diagnostic.make(
                Code.MISSING_KEY,
                "the policy has no valid `rotation` to check the calendar against",
                display,
            )
        ]
    if len(raw) > MAX_CALENDAR_BYTES:
        message = f"calendar is {len(raw):,} bytes; the limit is {MAX_CALENDAR_BYTES:,} (16 MiB)"
        return [Diagnostic.make(Code.CALENDAR_UNREADABLE, message, display, 1, 1)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return [
            Diagnostic.make(
                Code.CALENDAR_UNREADABLE, "the calendar is not UTF-8 text", display, line
            )
        ]
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:  # icalendar raises ValueError and its own error types
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [
            Diagnostic.make(
                Code.CALENDAR_UNREADABLE,
                f"not an iCalendar file: {message[:200]}",
                display,
                _first_content_line(text),
            )
        ]
    checker = _Checker(policy, schedule, display)
    checker.calendar_line = _calendar_line(text)
    return checker.run(calendar, _vevent_lines(text))


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


def _span(start: str, end: str) -> str:
    return f"{start}–{end}"


class _Checker:
    def __init__(self, policy: Policy, schedule: Schedule, display: str) -> None:
        self.policy = policy
        self.schedule = schedule
        self.display = display
        self.zone: ZoneInfo = schedule.zone
        rotation = policy.rotation
        assert rotation is not None
        self.rotation = rotation
        self.tenure_days = (
            schedule.on_duty_count * schedule.handover_every_weeks * 7  # tenure in days
        )
        self.on_duty = schedule.on_duty_count
        self.diagnostics: list[Diagnostic] = []
        self.calendar_line = 1
        role = policy.roles.get(rotation.role)
        self.role_name = rotation.role if role is None else role.name
        labels = [] if role is None else [role.name, role.plural or "", *role.aliases]
        self.labels = {label.strip().casefold() for label in labels if label.strip()}
        self.labels_longest_first = sorted(self.labels, key=len, reverse=True)
        self.by_email: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, str] = {}
        for key, member in policy.team.members.items():
            self.by_name[member.name.strip().casefold()].add(key)
            self.by_id[key.casefold()] = key
            if member.email:
                self.by_email[str(member.email).strip().casefold()].add(key)

    # --- helpers ---------------------------------------------------------------------

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

    def show_event(self, event: _Event) -> str:
        return _span(self.show(event.start), self.show(event.end))

    # --- the checks --------------------------------------------------------------------

    def run(self, calendar: Calendar, lines: list[int]) -> list[Diagnostic]:
        located = [
            (lines[index] if index < len(lines) else 0, vevent)
            for index, vevent in enumerate(calendar.walk("VEVENT"))
        ]
        single: list[tuple[int, Component]] = []
        recurring: list[tuple[int, Component]] = []
        for item in located:
            (recurring if _recurring(item[1]) else single).append(item)
        incomplete = False  # some events could not be used: coverage would be misleading
        series_lines: set[int] = set()
        if recurring:
            from .calendar_recurrence import expand

            expansion = expand(calendar, (vevent for _, vevent in located), recurring)
            for line, message in expansion.problems:
                incomplete = True
                self.report(Code.CALENDAR_UNREADABLE, message, line)
            single += [(o.line, o.vevent) for o in expansion.occurrences]
            series_lines = {o.series_line for o in expansion.occurrences}
        events: list[_Event] = []
        other_duties: Counter[str] = Counter()
        for index, (line, vevent) in enumerate(single):
            if str(vevent.get("STATUS", "")).upper() == "CANCELLED":
                continue
            try:
                event = self.read_event(index, line, vevent)
            except _EventProblem as problem:
                incomplete = True
                self.report(Code.CALENDAR_UNREADABLE, str(problem), line)
                continue
            except _OtherDuty as other:
                other_duties[other.prefix] += 1
                continue
            events.append(event)
        if other_duties:
            self.note_other_duties(other_duties)
        if not events:
            if not incomplete:
                self.report(
                    Code.COVERAGE_GAP, "the calendar holds no rotation events", self.calendar_line
                )
            return sorted(self.diagnostics)
        events.sort(key=lambda e: (e.start, e.end, e.line))
        events = self.drop_duplicates(events)
        for event in events:
            self.check_shape(event)
        self.check_people(events)
        if not incomplete:
            self.check_coverage(events)
        self.check_order(events)
        return _one_per_series(sorted(self.diagnostics), series_lines)

    def read_event(self, index: int, line: int, vevent: Component) -> _Event:
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
            return self.convert(index, line, vevent, start_prop, end_prop, duration)
        except (OverflowError, ValueError) as error:
            raise _EventProblem(f"event dates cannot be used: {error}") from error

    def convert(
        self,
        index: int,
        line: int,
        vevent: Component,
        start_prop: Any,
        end_prop: Any,
        duration: object,
    ) -> _Event:
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
            start, end = self.midnight(start_value), self.midnight(end_value)
            start_local = datetime.combine(start_value, time())
            end_local = datetime.combine(end_value, time())
        else:
            raise _EventProblem(f"DTSTART is not a date or date-time: {start_value!r}")
        if end.year > MAX_YEAR:
            raise _EventProblem(f"event ends after {MAX_YEAR}: out of range")
        if end <= start:
            raise _EventProblem(
                f"event ends ({self.show(end)}) before or when it starts ({self.show(start)})"
            )
        event = _Event(index, line, None, start, end, start_local, end_local)
        event.person = self.identify(vevent, event)
        return event

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
        named = self.by_name.get(who)
        if named:
            return set(named)
        by_id = self.by_id.get(who)
        return {by_id} if by_id is not None else set()

    def summary_member(self, summary: str) -> str | None:
        """The casefolded ``<member>`` of ``<role label><sep><member>``, or ``None``.

        The longest label that prefixes the SUMMARY wins, so a role name that itself holds
        a separator (``Support: Steward``) is read whole rather than cut at its own ``:``.
        """
        folded = summary.casefold()
        for label in self.labels_longest_first:
            if folded.startswith(label):
                found = _SEPARATOR.match(folded[len(label) :])
                if found is not None:
                    return (found.group(1) or found.group(2) or "").strip()
        return None

    def identify(self, vevent: Component, event: _Event) -> str | None:
        where = self.show_event(event)
        summary = str(vevent.get("SUMMARY", "")).strip()
        from_summary: set[str] = set()
        summary_form = False
        who = self.summary_member(summary)
        if who is not None:
            summary_form = True
            from_summary = self.lookup(who)
        attendees = vevent.get("ATTENDEE")
        if attendees is None:
            attendees = []
        elif not isinstance(attendees, list):
            attendees = [attendees]
        from_attendees: set[str] = set()
        unknown_addresses: list[str] = []
        for attendee in attendees:
            address = str(attendee).strip()
            if address[:7].casefold() != "mailto:":
                continue
            email = address[7:].strip().casefold()
            members = self.by_email.get(email)
            if members:
                from_attendees |= members
            else:
                unknown_addresses.append(address[7:].strip())
        if who is None and (_ANY_SEPARATOR.search(summary) or not from_attendees):
            # Not `<role><sep><member>` nor the attendee-only form: another duty, or a typo.
            self.not_a_rotation_event(summary, event)
            return None
        if len(from_summary) > 1:
            names = ", ".join(self.name(m) for m in sorted(from_summary))
            self.report(
                Code.EVENT_AMBIGUOUS,
                f"event {where}: SUMMARY `{summary}` matches several members: {names}",
                event.line,
            )
            return None
        if len(from_summary) == 1:
            (person,) = from_summary
            if from_attendees and person not in from_attendees:
                others = ", ".join(self.name(m) for m in sorted(from_attendees))
                self.report(
                    Code.IDENTITY_CONFLICT,
                    f"event {where}: SUMMARY names {self.name(person)} but ATTENDEE names {others}",
                    event.line,
                )
                return None
            return person
        if len(from_attendees) > 1:
            names = ", ".join(self.name(m) for m in sorted(from_attendees))
            self.report(
                Code.EVENT_AMBIGUOUS,
                f"event {where}: ATTENDEE addresses match several members: {names}",
                event.line,
            )
            return None
        if len(from_attendees) == 1:
            return next(iter(from_attendees))
        details = []
        if summary_form:
            details.append(f"SUMMARY `{summary}` names no team member (by name or id)")
        elif summary:
            details.append(
                f"SUMMARY `{summary}` is not of the form `<role>: <member>` "
                f"(e.g. `{self.role_name}: <name>`)"
            )
        else:
            details.append("no SUMMARY")
        if unknown_addresses:
            details.append(f"ATTENDEE {', '.join(unknown_addresses)} is no member's email")
        self.report(Code.EVENT_NO_MEMBER, f"event {where}: {'; '.join(details)}", event.line)
        return None

    def not_a_rotation_event(self, summary: str, event: _Event) -> None:
        """Report a near miss of a role label ("did you mean"); skip any other event."""
        separator = _ANY_SEPARATOR.search(summary)
        prefix = (summary[: separator.start()] if separator else summary).strip()
        folded = prefix.casefold()
        for label in self.labels_longest_first:
            # Without a separator the label may be followed by the name: compare its length.
            candidate = folded if separator else folded[: len(label)]
            if _within_edits(candidate, label, NEAR_MISS_EDITS):
                self.report(
                    Code.EVENT_NO_MEMBER,
                    f"event {self.show_event(event)}: SUMMARY `{summary}` is not of the form "
                    f"`<role>: <member>` (did you mean `{self.role_label(label)}: …`?)",
                    event.line,
                )
                return
        raise _OtherDuty(prefix or "(no SUMMARY)")

    def role_label(self, folded: str) -> str:
        """A casefolded label as the policy writes it."""
        role = self.policy.roles.get(self.rotation.role)
        labels = [] if role is None else [role.name, role.plural or "", *role.aliases]
        return next(
            (label.strip() for label in labels if label.strip().casefold() == folded), folded
        )

    def note_other_duties(self, skipped: Counter[str]) -> None:
        total = sum(skipped.values())
        kinds = ", ".join(
            f"`{prefix[:60]}` ×{count}" for prefix, count in skipped.most_common(MAX_SKIPPED_KINDS)
        )
        more = (
            f" and {len(skipped) - MAX_SKIPPED_KINDS} more"
            if len(skipped) > MAX_SKIPPED_KINDS
            else ""
        )
        self.report(
            Code.EVENTS_SKIPPED,
            f"skipped {total} event{'s' if total != 1 else ''} of other duties ({kinds}{more}); "
            f"rotation events read `{self.role_name}: <member>`",
            self.calendar_line,
            "note",
        )

    def drop_duplicates(self, events: list[_Event]) -> list[_Event]:
        """Report and drop events with the same person and span as an earlier one."""
        first_seen: dict[tuple[str, datetime, datetime], _Event] = {}
        kept = []
        for event in events:
            if event.person is None:
                kept.append(event)
                continue
            key = (event.person, event.start, event.end)
            original = first_seen.get(key)
            if original is None or original.line > event.line:
                first_seen[key] = event
        for event in events:
            if event.person is None:
                continue
            original = first_seen[(event.person, event.start, event.end)]
            if original is event:
                kept.append(event)
            else:
                self.report(
                    Code.DUPLICATE_EVENT,
                    f"duplicate event: {self.name(event.person)} {self.show_event(event)} "
                    f"is already the event at line {original.line}",
                    event.line,
                )
        kept.sort(key=lambda e: (e.start, e.end, e.line))
        return kept

    def check_shape(self, event: _Event) -> None:
        """The event's start instant, its hand-off day and its length."""
        start_day = event.start_local.date()
        at_midnight = event.start_local.time() == time() and event.start == self.midnight(start_day)
        if not at_midnight:
            starts = utc_stamp(event.start, seconds=False, sep=" ")
            self.report(
                Code.TIMED_EVENT_OFFSET,
                f"event {self.show_event(event)} starts at {starts}, "
                f"not at a hand-off instant (00:00 {self.zone.key}"
                f"{self.instant_hint(start_day)})",
                event.line,
            )
        if self.schedule.handoff_index(start_day) is None:
            self.report(Code.HANDOFF_MISPLACED, self.misplaced(start_day, event), event.line)
        length = event.end_local - event.start_local
        if length != timedelta(days=self.tenure_days):
            self.report(
                Code.TENURE_LENGTH,
                f"event {self.show_event(event)} lasts {_days(length)}, but a tenure is "
                f"{self.rotation.tenure} ({self.tenure_days} days)",
                event.line,
            )

    def instant_hint(self, day: date) -> str:
        k = self.schedule.handoff_index(day)
        if k is None:
            return ""
        instant = utc_stamp(self.schedule.handoff_instant(k), seconds=False, sep=" ")
        return f", i.e. {instant}"

    def misplaced(self, day: date, event: _Event) -> str:
        weekday = WEEKDAYS[day.weekday()]
        every = self.rotation.handover_every
        before = self.schedule.handoff_date(self.schedule.latest_handoff(day))
        after = before + timedelta(weeks=self.schedule.handover_every_weeks)
        expected = (
            f"hand-offs are every {every} on {self.rotation.handover_day.title()} from "
            f"{self.rotation.start.isoformat()} (nearest: {before.isoformat()}, "
            f"{after.isoformat()})"
        )
        if weekday != self.rotation.handover_day:
            return f"event {self.show_event(event)} starts on a {weekday.title()}; {expected}"
        return f"event {self.show_event(event)} starts between hand-offs; {expected}"

    def check_people(self, events: list[_Event]) -> None:
        """Nobody serves two tenures that overlap or touch."""
        by_person: dict[str, list[_Event]] = defaultdict(list)
        for event in events:  # already sorted by start
            if event.person is not None:
                by_person[event.person].append(event)
        for person, own in by_person.items():
            for previous, current in pairwise(own):
                if current.start > previous.end:
                    continue
                severity: Severity = "error"
                if current.start < previous.end:
                    kind = "overlapping tenures"
                else:
                    kind = "back-to-back tenures"
                    if self.scheduled(previous, current):
                        severity = "warning"
                note = " (as the policy's recorded changes say)" if severity == "warning" else ""
                self.report(
                    Code.PERSON_BACK_TO_BACK,
                    f"{self.name(person)} serves {self.show_event(previous)} (line "
                    f"{previous.line}) and {self.show_event(current)} ({kind}){note}",
                    current.line,
                    severity,
                )

    def scheduled(self, *events: _Event) -> bool:
        """Whether the policy's own schedule has these joins (then it already warned)."""
        for event in events:
            k = self.schedule.handoff_index(event.start_local.date())
            if k is None or self.schedule.joiner(k) != event.person:
                return False
        return True

    def check_coverage(self, events: list[_Event]) -> None:
        """Exactly ``on_duty`` distinct people at every instant inside the calendar's span."""
        need = self.on_duty
        if len(events) < need:
            self.report(
                Code.COVERAGE_GAP,
                f"the calendar holds {len(events)} tenure(s) but {need} people are on duty "
                "at a time",
                events[0].line,
            )
            return
        starts = sorted(e.start for e in events)
        ends = sorted((e.end for e in events), reverse=True)
        window_start, window_end = starts[need - 1], ends[need - 1]
        if window_end <= window_start:
            return
        # Sweep: +1/-1 per person at each boundary; evaluate after all changes at one instant.
        boundaries: dict[datetime, list[tuple[int, _Event]]] = defaultdict(list)
        for event in events:
            boundaries[event.start].append((1, event))
            boundaries[event.end].append((-1, event))
        times = sorted(boundaries)
        active: Counter[str] = Counter()
        run: _Run | None = None
        for position, instant in enumerate(times[:-1]):
            changes = boundaries[instant]
            for delta, event in changes:
                active[event.key] += delta
                if active[event.key] == 0:
                    del active[event.key]
            seg_start = max(instant, window_start)
            seg_end = min(times[position + 1], window_end)
            if seg_end <= seg_start:
                continue
            distinct = len(active)
            kind = "gap" if distinct < need else "overlap" if distinct > need else ""
            if run is not None and run.kind != kind:
                self.report_run(run, seg_start)
                run = None
            if not kind:
                continue
            if run is None:
                ending = [e for d, e in changes if d < 0]
                starting = [e for d, e in changes if d > 0]
                culprits = (starting or ending) if kind == "overlap" else (ending or starting)
                line = min(e.line for e in culprits) if culprits else 0
                run = _Run(kind, seg_start, line, distinct, distinct)
            else:
                run.low, run.high = min(run.low, distinct), max(run.high, distinct)
        if run is not None:
            self.report_run(run, window_end)

    def report_run(self, run: _Run, until: datetime) -> None:
        kind, since, line, lo, hi = run.kind, run.since, run.line, run.low, run.high
        span = f"from {self.show(since)} until {self.show(until)}"
        if kind == "gap":
            count = f"only {lo}" if lo == hi else f"only {lo}–{hi}"
            self.report(
                Code.COVERAGE_GAP,
                f"gap {span}: {count} on duty, but on_duty is {self.on_duty}",
                line,
            )
        else:
            count = str(hi) if lo == hi else f"{lo}–{hi}"
            self.report(
                Code.COVERAGE_OVERLAP,
                f"overlap {span}: {count} people on duty, but on_duty is {self.on_duty}",
                line,
            )

    def check_order(self, events: list[_Event]) -> None:
        """Each join matches ``schedule.joiner(k)`` (recorded changes applied)."""
        divergences: list[tuple[_Event, str]] = []
        for event in events:
            if event.person is None:
                continue
            day = event.start_local.date()
            k = self.schedule.handoff_index(day)
            if k is None:
                continue
            expected = self.schedule.joiner(k)
            if expected != event.person:
                divergences.append((event, expected))
        for number, (event, expected) in enumerate(divergences[:MAX_ORDER_REPORTS], start=1):
            assert event.person is not None
            message = (
                f"hand-off {event.start_local.date().isoformat()}: the calendar has "
                f"{self.name(event.person)} join, the policy's order has {self.name(expected)}"
            )
            rest = len(divergences) - MAX_ORDER_REPORTS
            if number == MAX_ORDER_REPORTS and rest > 0:
                lines = ", ".join(str(e.line) for e, _ in divergences[MAX_ORDER_REPORTS:][:10])
                message += f" (… and {rest} more, at lines {lines}{'…' if rest > 10 else ''})"
            self.report(Code.ORDER_DIVERGES, message, event.line)


def _recurring(vevent: Component) -> bool:
    """Whether ``vevent`` repeats, or replaces one occurrence of an event that does."""
    return any(name in vevent for name in ("RRULE", "RDATE", "RECURRENCE-ID"))


def _one_per_series(diagnostics: list[Diagnostic], series_lines: set[int]) -> list[Diagnostic]:
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


def _days(length: timedelta) -> str:
    if length % timedelta(days=1) == timedelta(0):
        days = length.days
        weeks, rest = divmod(days, 7)
        if rest == 0:
            return f"{weeks} week{'s' if weeks != 1 else ''} ({days} days)"
        return f"{days} day{'s' if days != 1 else ''}"
    hours = length / timedelta(hours=1)
    return f"{hours:g} hours"


__all__ = ["check_calendar", "check_calendar_bytes"]
