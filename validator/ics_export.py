"""Export the rotations: an iCalendar file, a plain-text table or JSON.

Deterministic: the same policy and window give byte-identical output. The iCalendar bytes
come from :mod:`support_policy.policy.ics`, the one builder the handbook's published feed
uses too; this module chooses the rotations (``--rotation``) and writes the table and JSON.

A policy with several rotations exports the events of each (or of ``rotation_id``); with
one, the output is what it always was.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from support_policy.policy.ics import RotationWindow, calendar_bytes, cover_span, window_of
from support_policy.policy.safe_text import for_terminal, json_text

from .rotation_choice import chosen_schedules

if TYPE_CHECKING:
    from support_policy.policy.dealing import Cover, Handoff
    from support_policy.policy.loader import LoadedPolicy


class NoRotation(ValueError):
    """The policy has no (valid) rotation to export."""


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
    return [window_of(policy, schedule, first, weeks) for schedule in chosen.values()]


def rotation_window(loaded: LoadedPolicy, first: date, weeks: int) -> RotationWindow:
    """The first rotation's window (see :func:`rotation_windows`)."""
    return rotation_windows(loaded, first, weeks)[0]


def rotation_ics(
    loaded: LoadedPolicy, first: date, weeks: int, rotation_id: str | None = None
) -> bytes:
    """An iCalendar file of the chosen rotations (see ``policy.ics.calendar_bytes``)."""
    return calendar_bytes(rotation_windows(loaded, first, weeks, rotation_id))


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
