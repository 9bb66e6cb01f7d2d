"""What a calendar reader knows of the policy: its people, its rotations' labels, the
team's clock; and the event it reads (:class:`Event`). Shared by :mod:`.calendar_read`,
:mod:`.calendar_identify` and :mod:`.calendar_check`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from support_policy.policy.bounds import iso_date
from support_policy.policy.diagnostics import Code, Diagnostic, Severity
from support_policy.policy.facts import role_name

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from support_policy.policy.models import Policy
    from support_policy.policy.rotations import RotationSchedule


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


class CalendarView:
    """The policy as a calendar reader sees it: people, labels, the team's clock."""

    def __init__(
        self, policy: Policy, schedules: dict[str, RotationSchedule], display: str
    ) -> None:
        self.policy = policy
        self.schedules = schedules
        self.display = display
        self.zone: ZoneInfo = next(iter(schedules.values())).zone  # one team zone
        self.diagnostics: list[Diagnostic] = []
        self.label_of: dict[str, str] = {}  # casefolded label → rotation id (first wins)
        self.label_text: dict[str, str] = {}  # casefolded label → as the policy writes it
        self.role_names: dict[str, str] = {}
        for key, schedule in schedules.items():
            role = policy.roles.get(schedule.rotation.role)
            self.role_names[key] = role_name(policy, schedule.rotation)
            labels = [] if role is None else [role.name, role.plural or "", *role.aliases]
            for label in labels:
                if label.strip():
                    self.label_of.setdefault(label.strip().casefold(), key)
                    self.label_text.setdefault(label.strip().casefold(), label.strip())
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


__all__ = ["CalendarView", "Event"]
