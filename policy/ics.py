"""The rotation calendar as iCalendar bytes: the one builder of every ``.ics`` we write.

``support-policy calendar`` and the handbook's published feed
(``_static/support-policy/rotation.ics``) both call :func:`calendar_bytes`, so a team that
subscribes to the handbook gets the very file the command exports and ``validate
--calendar`` accepts. Deterministic: UIDs derive from content only; DTSTAMP is
``SOURCE_DATE_EPOCH`` when set, else the first rotation's start at 00:00Z.

Tenures come from the dealt schedule (:mod:`.rotations`): swaps for ``away``, owed turns and
recorded changes carry their reason. Each ``rotation.cover`` entry is one extra all-day
event, ``<Role name>: <member> (covering <member>)``, beside the unchanged tenure events.
icalendar is imported inside :func:`calendar_bytes` only (fast start).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from . import clock, facts
from .facts import member_name
from .safe_text import for_terminal, has_controls, ics_actions_safe

if TYPE_CHECKING:
    from .dealing import Cover, Handoff
    from .models import Policy, Role
    from .rotation import Tenure
    from .rotations import RotationSchedule

PRODID = "-//support-policy//rotation//EN"
UID_DOMAIN = "support-policy"


def role_name(policy: Policy, schedule: RotationSchedule) -> str:
    """The name of the role a rotation serves (its id when the role has no entry)."""
    return facts.role_name(policy, schedule.rotation)


@dataclass(frozen=True)
class RotationWindow:
    """One rotation's tenures overlapping ``[first, until)`` and the covers inside the span
    a calendar check compares (see :func:`cover_span`)."""

    policy: Policy
    schedule: RotationSchedule
    role: Role | None
    first: date
    until: date  # exclusive
    handoffs: list[Handoff]
    covers: list[Cover]

    @property
    def id(self) -> str:
        return self.schedule.id

    @property
    def tenures(self) -> list[Tenure]:
        return [handoff.as_tenure() for handoff in self.handoffs]

    @property
    def role_name(self) -> str:
        return role_name(self.policy, self.schedule)

    def member_name(self, member: str) -> str:
        return member_name(self.policy, member)

    def member_email(self, member: str) -> str | None:
        found = self.policy.team.members.get(member)
        return None if found is None or not found.email else str(found.email)

    def why(self, handoff: Handoff) -> str | None:
        """Why the joiner serves this tenure, for people; ``None`` for a regular turn."""
        if handoff.change is None and handoff.kind == "regular":
            return None
        return handoff.why(self.member_name)

    def covering(self, cover: Cover) -> str:
        """``(covering <name>)``: the part of a cover event's SUMMARY after the member."""
        return f"(covering {self.member_name(cover.covers)})"


def cover_span(schedule: RotationSchedule, first: date, until: date) -> tuple[date, date]:
    """The days ``[start, end)`` on which an export from ``first`` to ``until`` has every
    tenure: from the hand-off on or before ``first`` to the one after ``until - 1``.

    This is exactly the span the calendar check measures coverage in, so every cover it
    asks for is in the export.
    """
    start = schedule.handoff_date(schedule.latest_handoff(first))
    end = schedule.handoff_date(schedule.latest_handoff(until - timedelta(days=1)) + 1)
    return start, end


def window_of(
    policy: Policy, schedule: RotationSchedule, first: date, weeks: int
) -> RotationWindow:
    """The tenures and covers of one rotation from ``first`` for ``weeks`` weeks.

    ``ValueError`` when ``weeks`` is not positive.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    until = first + timedelta(weeks=weeks)
    handoffs = schedule.dealing.tenures_between(first, until)
    covers = schedule.covers_between(*cover_span(schedule, first, until))
    role = policy.roles.get(schedule.rotation.role)
    return RotationWindow(policy, schedule, role, first, until, handoffs, covers)


def _dtstamp(window: RotationWindow) -> datetime:
    # SP920 past the supported dates, SP922 for a value that is not a number.
    return clock.source_date() or datetime.combine(window.schedule.start, time(), tzinfo=UTC)


def _description(window: RotationWindow, handoff: Handoff) -> str | None:
    if handoff.change is not None:
        reason = handoff.change.reason or "no reason recorded"
        return f"Recorded change to the rotation order: {reason}"
    why = window.why(handoff)
    return None if why is None else why[:1].upper() + why[1:]


def _ics(text: str) -> str:
    # iCalendar escapes line breaks and backslashes itself, but has no escape for other
    # control characters: a text holding one is exported in display form.
    return for_terminal(text) if has_controls(text) else text


def _calendar_name(windows: Sequence[RotationWindow]) -> str:
    plurals = []
    for window in windows:
        role = window.role
        plurals.append(role.plural if role is not None and role.plural else window.role_name)
    rotations = "rotation" if len(windows) == 1 else "rotations"
    return f"{windows[0].policy.team.name}: {' and '.join(plurals)} {rotations}"


def calendar_bytes(windows: Sequence[RotationWindow], *, attendees: bool = True) -> bytes:
    """An iCalendar file: one all-day VEVENT per person per tenure in each window, and one
    per cover (``<Role name>: <member> (covering <member>)``, the cover's days).

    ``attendees``: each event names its member's e-mail address as an ATTENDEE, so the
    team's calendar client invites them. A feed published on a website leaves them out.

    Printed to a CI log, it acts as nothing: see :func:`.safe_text.ics_actions_safe`.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    if not windows:
        raise ValueError("no rotation window to export")
    # UIDs name the rotation only when there are several: one rotation keeps its old UIDs.
    several = len(windows) > 1
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _ics(_calendar_name(windows)))
    calendar.add("x-wr-timezone", windows[0].schedule.zone.key)
    stamp = _dtstamp(windows[0])

    def event_for(
        window: RotationWindow, uid: str, start: date, end: date, person: str, summary: str
    ) -> Event:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        email = window.member_email(person) if attendees else None
        if email is not None:
            attendee = vCalAddress(f"mailto:{_ics(email)}")
            attendee.params["CN"] = vText(_ics(window.member_name(person)))
            event.add("attendee", attendee, encode=False)
        return event

    for window in windows:
        role = _ics(window.role_name)
        tag = f"-{window.id}" if several else ""
        for handoff in window.handoffs:
            person = handoff.joiner or ""
            name = _ics(window.member_name(person))
            uid = f"{handoff.start.isoformat()}-{person}{tag}@{UID_DOMAIN}"
            event = event_for(window, uid, handoff.start, handoff.end, person, f"{role}: {name}")
            description = _description(window, handoff)
            if description is not None:
                event.add("description", _ics(description))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
        for cover in window.covers:
            name = _ics(window.member_name(cover.member))
            covering = f"{cover.member}-covering-{cover.covers}"
            uid = f"{cover.first.isoformat()}-{covering}{tag}@{UID_DOMAIN}"
            summary = f"{role}: {name} {_ics(window.covering(cover))}"
            end = cover.last + timedelta(days=1)
            event = event_for(window, uid, cover.first, end, cover.member, summary)
            if cover.reason:
                event.add("description", _ics(f"Cover: {cover.reason}"))
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return ics_actions_safe(data)
