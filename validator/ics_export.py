"""Export the rotation: an iCalendar file, a plain-text table or JSON.

Deterministic: the same policy and window give byte-identical output. UIDs derive from
content only; DTSTAMP is the rotation start at 00:00Z, or ``SOURCE_DATE_EPOCH`` when set.
icalendar is imported inside :func:`rotation_ics` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from support_policy.policy import clock
from support_policy.policy.derive import schedule_of
from support_policy.policy.safe_text import (
    for_terminal,
    has_controls,
    ics_actions_safe,
    json_text,
)

if TYPE_CHECKING:
    from support_policy.policy.loader import LoadedPolicy
    from support_policy.policy.models import Policy, Role
    from support_policy.policy.rotation import Tenure
    from support_policy.policy.rotations import RotationSchedule as Schedule

PRODID = "-//support-policy//rotation//EN"
UID_DOMAIN = "support-policy"


class NoRotation(ValueError):
    """The policy has no (valid) rotation to export."""


@dataclass(frozen=True)
class RotationWindow:
    """The tenures that overlap ``[first, first + weeks)``, with what they need for output."""

    policy: Policy
    schedule: Schedule
    role: Role | None
    first: date
    until: date  # exclusive
    tenures: list[Tenure]

    @property
    def role_name(self) -> str:
        assert self.policy.rotation is not None
        return self.role.name if self.role is not None else self.policy.rotation.role

    def member_name(self, member: str) -> str:
        found = self.policy.team.members.get(member)
        return found.name if found is not None else member

    def member_email(self, member: str) -> str | None:
        found = self.policy.team.members.get(member)
        return None if found is None or not found.email else str(found.email)


def rotation_window(loaded: LoadedPolicy, first: date, weeks: int) -> RotationWindow:
    """Every tenure overlapping ``[first, first + weeks)``, ordered by hand-off.

    Raises :class:`NoRotation` when the policy has no usable rotation and ``ValueError``
    when ``weeks`` is not positive.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    policy = loaded.policy
    schedule = schedule_of(policy) if policy is not None else None
    if policy is None or policy.rotation is None or schedule is None:
        raise NoRotation("the policy has no `rotation` section to export")
    until = first + timedelta(weeks=weeks)
    tenures = schedule.tenures_overlapping(first, until - timedelta(days=1))
    return RotationWindow(
        policy, schedule, policy.roles.get(policy.rotation.role), first, until, tenures
    )


def _dtstamp(window: RotationWindow) -> datetime:
    # SP920 past the supported dates, SP922 for a value that is not a number.
    return clock.source_date() or datetime.combine(window.schedule.start, time(), tzinfo=UTC)


def _description(tenure: Tenure) -> str | None:
    if not tenure.changed:
        return None
    reason = tenure.reason or "no reason recorded"
    return f"Recorded change to the rotation order: {reason}"


def _ics(text: str) -> str:
    # iCalendar escapes line breaks and backslashes itself, but has no escape for other
    # control characters: a text holding one is exported in display form.
    return for_terminal(text) if has_controls(text) else text


def rotation_ics(loaded: LoadedPolicy, first: date, weeks: int) -> bytes:
    """An iCalendar file with one all-day VEVENT per person per tenure in the window.

    Printed to a CI log, it acts as nothing: see :func:`ics_actions_safe`.
    """
    from icalendar import Calendar, Event, vCalAddress, vText

    window = rotation_window(loaded, first, weeks)
    policy = window.policy
    role_name = _ics(window.role_name)
    plural = role_name
    if window.role is not None and window.role.plural:
        plural = _ics(window.role.plural)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{_ics(policy.team.name)}: {plural} rotation")
    calendar.add("x-wr-timezone", window.schedule.zone.key)
    stamp = _dtstamp(window)
    for tenure in window.tenures:
        event = Event()
        event.add("uid", f"{tenure.start.isoformat()}-{tenure.person}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", tenure.start)
        event.add("dtend", tenure.end)
        name = _ics(window.member_name(tenure.person))
        event.add("summary", f"{role_name}: {name}")
        email = window.member_email(tenure.person)
        if email is not None:
            attendee = vCalAddress(f"mailto:{_ics(email)}")
            attendee.params["CN"] = vText(name)
            event.add("attendee", attendee, encode=False)
        description = _description(tenure)
        if description is not None:
            event.add("description", _ics(description))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return ics_actions_safe(data)


def _tenure_record(window: RotationWindow, tenure: Tenure) -> dict[str, Any]:
    return {
        "member": tenure.person,
        "name": window.member_name(tenure.person),
        "email": window.member_email(tenure.person),
        "start": tenure.start.isoformat(),
        "end": tenure.end.isoformat(),
        "handoff": tenure.handoff,
        "changed": tenure.changed,
        "reason": tenure.reason,
    }


def rotation_json(loaded: LoadedPolicy, first: date, weeks: int) -> str:
    """The tenures in the window as a JSON document (``end`` is exclusive)."""
    window = rotation_window(loaded, first, weeks)
    rotation = window.policy.rotation
    assert rotation is not None
    document = {
        "version": 1,
        "role": rotation.role,
        "role_name": window.role_name,
        "timezone": window.schedule.zone.key,
        "from": window.first.isoformat(),
        "until": window.until.isoformat(),
        "weeks": (window.until - window.first).days // 7,
        "on_duty": window.schedule.on_duty_count,
        "tenures": [_tenure_record(window, tenure) for tenure in window.tenures],
    }
    return json_text(document)


def rotation_table(loaded: LoadedPolicy, first: date, weeks: int) -> str:
    """The tenures in the window as an aligned plain-text table (``Until`` is exclusive)."""
    window = rotation_window(loaded, first, weeks)
    # Names and reasons come from the policy: display form, one line per row.
    role_name = for_terminal(window.role_name)
    header = ("Start", "Until", role_name, "Note")
    rows = [
        (
            tenure.start.isoformat(),
            tenure.end.isoformat(),
            for_terminal(window.member_name(tenure.person)),
            for_terminal(tenure.reason or "recorded change") if tenure.changed else "",
        )
        for tenure in window.tenures
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, tuple("-" * width for width in widths), *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    title = (
        f"{role_name} rotation, {window.first.isoformat()} until "
        f"{window.until.isoformat()} ({window.schedule.zone.key})"
    )
    return "\n".join([title, "", *lines]) + "\n"


__all__ = [
    "NoRotation",
    "RotationWindow",
    "rotation_ics",
    "rotation_json",
    "rotation_table",
    "rotation_window",
]
