"""Export the rotations: an iCalendar file, a plain-text table or JSON.

Deterministic: the same policy and window give byte-identical output. UIDs derive from
content only; DTSTAMP is the rotation start at 00:00Z, or ``SOURCE_DATE_EPOCH`` when set.
icalendar is imported inside :func:`rotation_ics` only.

Tenures come from the dealt schedule (:mod:`support_policy.policy.rotations`): swaps for
``away``, owed turns and recorded changes carry their reason. Each ``rotation.cover`` entry
is one extra all-day event, ``<Role name>: <member> (covering <member>)``, beside the
unchanged tenure events, so that the calendar check can count the covering person on those
days. A policy with several rotations exports the events of each (or of ``rotation_id``);
with one, the output is what it always was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from support_policy.policy import clock
from support_policy.policy.safe_text import (
    for_terminal,
    has_controls,
    ics_actions_safe,
    json_text,
)

from .rotation_choice import chosen_schedules, member_name, role_name

if TYPE_CHECKING:
    from support_policy.policy.dealing import Cover, Handoff
    from support_policy.policy.loader import LoadedPolicy
    from support_policy.policy.models import Policy, Role
    from support_policy.policy.rotation import Tenure
    from support_policy.policy.rotations import RotationSchedule

PRODID = "-//support-policy//rotation//EN"
UID_DOMAIN = "support-policy"


class NoRotation(ValueError):
    """The policy has no (valid) rotation to export."""


@dataclass(frozen=True)
class RotationWindow:
    """One rotation's tenures overlapping ``[first, first + weeks)`` and the covers inside
    the span a calendar check compares (see :func:`cover_span`)."""

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


def rotation_windows(
    loaded: LoadedPolicy, first: date, weeks: int, rotation_id: str | None = None
) -> list[RotationWindow]:
    """Each chosen rotation's window, in file order.

    Raises :class:`NoRotation` when the policy has no usable rotation,
    :class:`~.runtime.UsageError` for an unknown ``rotation_id`` and ``ValueError`` when
    ``weeks`` is not positive.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    policy = loaded.policy
    chosen = chosen_schedules(policy, rotation_id) if policy is not None else {}
    if policy is None or not chosen:
        raise NoRotation("the policy has no `rotation` section to export")
    until = first + timedelta(weeks=weeks)
    windows = []
    for schedule in chosen.values():
        handoffs = schedule.dealing.tenures_between(first, until)
        covers = schedule.covers_between(*cover_span(schedule, first, until))
        role = policy.roles.get(schedule.rotation.role)
        windows.append(RotationWindow(policy, schedule, role, first, until, handoffs, covers))
    return windows


def rotation_window(loaded: LoadedPolicy, first: date, weeks: int) -> RotationWindow:
    """The first rotation's window (see :func:`rotation_windows`)."""
    return rotation_windows(loaded, first, weeks)[0]


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


def _calendar_name(windows: list[RotationWindow]) -> str:
    plurals = []
    for window in windows:
        role = window.role
        plurals.append(role.plural if role is not None and role.plural else window.role_name)
    rotations = "rotation" if len(windows) == 1 else "rotations"
    return f"{windows[0].policy.team.name}: {' and '.join(plurals)} {rotations}"


def rotation_ics(
    loaded: LoadedPolicy, first: date, weeks: int, rotation_id: str | None = None
) -> bytes:
    """An iCalendar file: one all-day VEVENT per person per tenure in the window, and one
    per cover (``<Role name>: <member> (covering <member>)``, the cover's days).

    Printed to a CI log, it acts as nothing: see :func:`ics_actions_safe`.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    windows = rotation_windows(loaded, first, weeks, rotation_id)
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
        email = window.member_email(person)
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


def _tenure_record(window: RotationWindow, handoff: Handoff) -> dict[str, Any]:
    person = handoff.joiner or ""
    change = handoff.change
    return {
        "member": person,
        "name": window.member_name(person),
        "email": window.member_email(person),
        "start": handoff.start.isoformat(),
        "end": handoff.end.isoformat(),
        "handoff": handoff.k,
        "changed": change is not None,
        "reason": change.reason if change is not None else None,
        "kind": handoff.kind,
        "why": handoff.why(window.member_name),
    }


def _cover_record(window: RotationWindow, cover: Cover) -> dict[str, Any]:
    return {
        "member": cover.member,
        "name": window.member_name(cover.member),
        "covers": cover.covers,
        "covers_name": window.member_name(cover.covers),
        "start": cover.first.isoformat(),
        "end": (cover.last + timedelta(days=1)).isoformat(),
        "reason": cover.reason,
    }


def _window_record(window: RotationWindow) -> dict[str, Any]:
    return {
        "role": window.schedule.rotation.role,
        "role_name": window.role_name,
        "timezone": window.schedule.zone.key,
        "from": window.first.isoformat(),
        "until": window.until.isoformat(),
        "weeks": (window.until - window.first).days // 7,
        "on_duty": window.schedule.on_duty_count,
        "tenures": [_tenure_record(window, handoff) for handoff in window.handoffs],
        "covers": [_cover_record(window, cover) for cover in window.covers],
    }


def rotation_json(
    loaded: LoadedPolicy, first: date, weeks: int, rotation_id: str | None = None
) -> str:
    """The tenures and covers in the window as JSON (``end`` is exclusive).

    One rotation: its record at the top level, as always; several: ``rotations``, a list
    of records, each with its ``id``.
    """
    windows = rotation_windows(loaded, first, weeks, rotation_id)
    if len(windows) == 1:
        document = {"version": 1, "rotation": windows[0].id, **_window_record(windows[0])}
    else:
        rotations = [{"id": w.id, **_window_record(w)} for w in windows]
        document = {"version": 1, "rotations": rotations}
    return json_text(document)


def _table(window: RotationWindow) -> list[str]:
    # Names and reasons come from the policy: display form, one line per row.
    role = for_terminal(window.role_name)
    header = ("Start", "Until", role, "Note")
    rows: list[tuple[str, str, str, str]] = []
    for handoff in window.handoffs:
        note = ""
        if handoff.change is not None:
            note = for_terminal(handoff.change.reason or "recorded change")
        elif (why := window.why(handoff)) is not None:
            note = for_terminal(why)
        name = for_terminal(window.member_name(handoff.joiner or ""))
        rows.append((handoff.start.isoformat(), handoff.end.isoformat(), name, note))
    for cover in window.covers:
        note = window.covering(cover)[1:-1]
        if cover.reason:
            note += f": {cover.reason}"
        end = (cover.last + timedelta(days=1)).isoformat()
        name = for_terminal(window.member_name(cover.member))
        rows.append((cover.first.isoformat(), end, name, for_terminal(note)))
    rows.sort(key=lambda row: (row[0], row[1]))
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, tuple("-" * width for width in widths), *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    title = (
        f"{role} rotation, {window.first.isoformat()} until "
        f"{window.until.isoformat()} ({window.schedule.zone.key})"
    )
    return [title, "", *lines]


def rotation_table(
    loaded: LoadedPolicy, first: date, weeks: int, rotation_id: str | None = None
) -> str:
    """The tenures and covers in the window as aligned plain-text tables, one per rotation
    (``Until`` is exclusive)."""
    windows = rotation_windows(loaded, first, weeks, rotation_id)
    blocks = ["\n".join(_table(window)) for window in windows]
    return "\n\n".join(blocks) + "\n"


__all__ = [
    "NoRotation",
    "RotationWindow",
    "cover_span",
    "rotation_ics",
    "rotation_json",
    "rotation_table",
    "rotation_window",
    "rotation_windows",
]
