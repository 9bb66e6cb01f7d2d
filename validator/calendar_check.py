"""Check a rotation calendar (an iCalendar export) against the policy's dealt schedules.

Reading the file (events → person, rotation, dates) is :mod:`.calendar_read`; this module
checks what was read, rotation by rotation: each event's shape (hand-off instant and day,
tenure length), nobody serving twice at once, coverage (exactly ``on_duty`` people at every
instant), the order of joins, and the cover events against ``rotation.cover`` both ways.

Cover events (``<Role>: <member> (covering <member>)``) are neither tenures nor hand-offs:
on their days the covering person counts instead of the covered one, and each must match a
``cover`` entry exactly (SP414), as each entry inside the checked span must have its event
(SP415). Only imported when a calendar is given, so importing icalendar keeps the
``validate`` path light.

Cost: one parse, one sort and one sweep per rotation; a calendar ten times longer costs about
ten times as much.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from support_policy.policy.bounds import utc_stamp
from support_policy.policy.diagnostics import Code, Diagnostic, Severity
from support_policy.policy.facts import member_name
from support_policy.policy.files import FileRefused
from support_policy.policy.loader import read_bytes
from support_policy.policy.rotations import schedules
from support_policy.policy.types import WEEKDAYS

from .calendar_coverage import Run, sweep
from .calendar_read import CalendarView, Event, one_per_series, read_calendar

if TYPE_CHECKING:
    from pathlib import Path

    from support_policy.policy.dealing import Cover
    from support_policy.policy.loader import LoadedPolicy
    from support_policy.policy.rotations import RotationSchedule

MAX_ORDER_REPORTS = 5
"""How many divergences from the computed order are reported one by one."""
# A century of weekly hand-offs is well under this; anything larger is not a rotation.
MAX_CALENDAR_BYTES = 16 * 1024 * 1024


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
    dealt = schedules(policy) if policy is not None else {}
    if policy is None or not dealt:
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
    view = CalendarView(policy, dealt, display)
    reading = read_calendar(view, raw)
    if not reading.parsed:
        return sorted(view.diagnostics)
    by_rotation: dict[str, list[Event]] = defaultdict(list)
    for event in reading.events:
        # An event of no rotation (several rotations, nobody identified) is already an
        # error; counting it anywhere would add a second, misleading one.
        if event.rotation is not None:
            by_rotation[event.rotation].append(event)
    if not by_rotation and not reading.incomplete:
        view.report(
            Code.COVERAGE_GAP, "the calendar holds no rotation events", reading.calendar_line
        )
    # A team may keep one calendar per rotation: only the rotations it holds are checked.
    for key, events in by_rotation.items():
        check = _RotationCheck(view, dealt[key], reading.calendar_line)
        check.run(events, complete=not reading.incomplete)
    return one_per_series(sorted(view.diagnostics), reading.series_lines)


class _RotationCheck:
    """The checks of one rotation's events against its dealt schedule."""

    def __init__(self, view: CalendarView, schedule: RotationSchedule, calendar_line: int) -> None:
        self.view = view
        self.calendar_line = calendar_line  # where a missing event is reported, if no other
        # `rotation` for a single rotation, `rotations.<id>` for one of several.
        single = view.policy.rotation is not None
        self.path = "rotation" if single else f"rotations.{schedule.id}"
        self.schedule = schedule
        self.rotation = schedule.rotation
        self.zone = schedule.zone
        self.on_duty = schedule.on_duty_count
        self.tenure_days = schedule.on_duty_count * schedule.handover_every_weeks * 7
        self.report = view.report
        self.name = view.name
        self.show = view.show
        self.show_event = view.show_event

    def run(self, events: list[Event], *, complete: bool) -> None:
        events.sort(key=lambda e: (e.start, e.end, e.line))
        events = self.drop_duplicates(events)
        tenures = [e for e in events if not e.cover]
        covers = [e for e in events if e.cover]
        for event in tenures:
            self.check_shape(event)
        self.check_people(tenures)
        window = self.window(tenures)
        if complete and tenures:
            self.check_coverage(events, window)
        self.check_order(tenures)
        self.check_covers(covers, window)

    def drop_duplicates(self, events: list[Event]) -> list[Event]:
        """Report and drop events with the same person, kind and span as an earlier one."""
        first_seen: dict[tuple[str, str | None, datetime, datetime], Event] = {}
        kept = []
        for event in events:
            if event.person is None:
                kept.append(event)
                continue
            key = (event.person, event.covers, event.start, event.end)
            original = first_seen.get(key)
            if original is None or original.line > event.line:
                first_seen[key] = event
        for event in events:
            if event.person is None:
                continue
            original = first_seen[(event.person, event.covers, event.start, event.end)]
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

    def check_shape(self, event: Event) -> None:
        """The event's start instant, its hand-off day and its length."""
        start_day = event.start_local.date()
        at_midnight = event.start_local.time() == time() and event.start == self.view.midnight(
            start_day
        )
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

    def misplaced(self, day: date, event: Event) -> str:
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

    def check_people(self, events: list[Event]) -> None:
        """Nobody serves two tenures that overlap or touch."""
        by_person: dict[str, list[Event]] = defaultdict(list)
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

    def scheduled(self, *events: Event) -> bool:
        """Whether the policy's own schedule has these joins (then it already warned)."""
        for event in events:
            k = self.schedule.handoff_index(event.start_local.date())
            if k is None or self.schedule.joiner(k) != event.person:
                return False
        return True

    def window(self, tenures: list[Event]) -> tuple[datetime, datetime] | None:
        """From the start of the ``on_duty``-th earliest tenure to the end of the
        ``on_duty``-th latest: a calendar's own edges are not gaps."""
        need = self.on_duty
        if len(tenures) < need:
            return None
        starts = sorted(e.start for e in tenures)
        ends = sorted((e.end for e in tenures), reverse=True)
        start, end = starts[need - 1], ends[need - 1]
        return (start, end) if start < end else None

    def check_coverage(self, events: list[Event], window: tuple[datetime, datetime] | None) -> None:
        """Exactly ``on_duty`` distinct people at every instant inside the window.

        A cover event puts its member on duty and takes the covered person off for its days.
        """
        need = self.on_duty
        tenures = [e for e in events if not e.cover]
        if len(tenures) < need:
            self.report(
                Code.COVERAGE_GAP,
                f"the calendar holds {len(tenures)} tenure(s) but {need} people are on duty "
                "at a time",
                tenures[0].line,
            )
            return
        if window is None:
            return
        for run in sweep(events, window, need):
            self.report_run(run)

    def report_run(self, run: Run) -> None:
        kind, since, until, line = run.kind, run.since, run.until, run.line
        lo, hi = run.low, run.high
        assert until is not None
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

    def check_order(self, events: list[Event]) -> None:
        """Each join matches ``schedule.joiner(k)`` (the dealing, recorded changes applied)."""
        divergences: list[tuple[Event, str]] = []
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

    def check_covers(self, events: list[Event], window: tuple[datetime, datetime] | None) -> None:
        """Cover events against ``rotation.cover``, both ways.

        An event matches an entry with the same member, covered person, first day and day
        after the last (all-day, or timed at the team's midnights). Entries are asked for
        only on days inside the coverage window: a calendar of some weeks holds the covers
        of those weeks.
        """
        entries = {
            (c.member, c.covers, self.view.midnight(c.first), self.view.midnight(_after(c))): c
            for c in self.schedule.dealing.rotation.covers
        }
        matched: set[tuple[str, str, datetime, datetime]] = set()
        for event in events:
            if event.person is None or event.covers is None:
                continue  # already reported: it names nobody
            key = (event.person, event.covers, event.start, event.end)
            if key in entries:
                matched.add(key)
                continue
            self.report(
                Code.COVER_EVENT_UNLISTED,
                f"cover event {self.show_event(event)}: {self.name(event.person)} covering "
                f"{self.name(event.covers)} is not in `{self.path}.cover`; add "
                f"`{{member: {event.person}, covers: {event.covers}, from: "
                f"{event.start_local.date().isoformat()}, to: "
                f"{(event.end_local - timedelta(days=1)).date().isoformat()}}}` or remove "
                "the event",
                event.line,
            )
        if window is None:
            return
        start, end = window
        line = min((e.line for e in events), default=0)
        for key, cover in entries.items():
            if key in matched or not (key[2] < end and start < key[3]):
                continue
            self.report(
                Code.COVER_EVENT_MISSING,
                f"`{self.path}.cover`: {self.name(cover.member)} covering "
                f"{self.name(cover.covers)} from {cover.first.isoformat()} to "
                f"{cover.last.isoformat()} has no event `{self.view.role_names[self.schedule.id]}: "
                f"{member_name(self.view.policy, cover.member)} (covering "
                f"{member_name(self.view.policy, cover.covers)})` on those days",
                line or self.calendar_line,
            )


def _after(cover: Cover) -> date:
    return cover.last + timedelta(days=1)


def _days(length: timedelta) -> str:
    if length % timedelta(days=1) == timedelta(0):
        days = length.days
        weeks, rest = divmod(days, 7)
        if rest == 0:
            return f"{weeks} week{'s' if weeks != 1 else ''} ({days} days)"
        return f"{days} day{'s' if days != 1 else ''}"
    hours = length / timedelta(hours=1)
    return f"{hours:g} hours"


__all__ = ["MAX_CALENDAR_BYTES", "check_calendar", "check_calendar_bytes"]
