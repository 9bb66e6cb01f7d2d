"""Who an event puts on duty, and in which rotation: SUMMARY labels and ATTENDEEs.

The rules are in :mod:`.calendar_read`'s notes; every problem is reported through the
:class:`~.calendar_view.CalendarView` at the event's line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from support_policy.policy.diagnostics import Code

from .calendar_view import CalendarView, Event

if TYPE_CHECKING:
    from icalendar import Component

# `<role>: <member>` or `<role> - <member>` (any of - – — with spaces around it).
_SEPARATOR = re.compile(r"^\s*:\s*(.*)$|^\s+[-\u2013\u2014]\s+(.*)$", re.DOTALL)
_ANY_SEPARATOR = re.compile(r"\s*:|\s+[-\u2013\u2014]\s")
NEAR_MISS_EDITS = 2
"""A prefix this close to a role label is a typo (an error), not another duty (skipped)."""
# `<member> (covering <member>)`, on the casefolded member part of a SUMMARY.
_COVERING = re.compile(r"^(.*?)\s*\(\s*covering\s+(.*?)\s*\)$", re.DOTALL)


class OtherDuty(Exception):
    """An event of another duty (``Meeting Facilitator: …``): skipped, counted in a note."""

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix)
        self.prefix = prefix


def within_edits(word: str, target: str, limit: int) -> bool:
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


class Identifier:
    """Sets an event's person, rotation and, for a cover event, whom it covers."""

    def __init__(self, view: CalendarView) -> None:
        self.view = view

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
        if parts is None and (_ANY_SEPARATOR.search(summary) or not from_attendees):
            # Neither `<role><sep><member>` nor the attendee-only form: a typo of a role
            # label is an error; anything else is another duty of a team's roles calendar.
            self.not_a_rotation_event(summary, event, where)
            return
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

    def not_a_rotation_event(self, summary: str, event: Event, where: str) -> None:
        """Report a near miss of a role label ("did you mean"); raise :class:`OtherDuty`."""
        separator = _ANY_SEPARATOR.search(summary)
        prefix = (summary[: separator.start()] if separator else summary).strip()
        folded = prefix.casefold()
        for label in self.view.labels_longest_first:
            # Without a separator the label may be followed by the name: compare its length.
            candidate = folded if separator else folded[: len(label)]
            if within_edits(candidate, label, NEAR_MISS_EDITS):
                # The same SUMMARY with the label spelt right: the rest is kept as written.
                rest = summary[separator.end() :].strip() if separator else ""
                meant = f"{self.view.label_text[label]}: {rest or '…'}"
                self.view.report(
                    Code.EVENT_NO_MEMBER,
                    f"event {where}: SUMMARY `{summary}` is not of the form "
                    f"`<role>: <member>` (did you mean `{meant}`?)",
                    event.line,
                )
                return
        raise OtherDuty(prefix or "(no SUMMARY)")

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


__all__ = ["Identifier", "OtherDuty", "within_edits"]
