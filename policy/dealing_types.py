"""The rotation dealing's data: what it reads (a rotation, people's availability, covers) and
what it answers (hand-offs with their reasons, seats of the crew, findings).

Plain frozen dataclasses with no framework, so the models, checks, CLI and Sphinx extension
can all build and read them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from .rotation import Change, ChangeConflict, Schedule, Tenure

MAX_HANDOFFS = 20_000
"""Hard bound on the walk: hand-offs ``0 … MAX_HANDOFFS - 1`` (about 380 years at one a week)."""

JoinKind = Literal["regular", "swapped", "owed", "back_to_back", "vacant"]
Cause = Literal["away", "exclusive", "on_duty", "not_joined", "left"]
FindingKind = Literal[
    "nobody_can_join",
    "back_to_back",
    "change_overlap",
    "change_touch",
    "cover_not_on_duty",
    "cover_member_off_team",
    "cover_member_away",
    "cover_member_on_duty",
    "cover_overlap",
    "pool_at_start_too_small",
    "walk_limit",
]
Severity = Literal["error", "warning"]


def _same(member: str) -> str:
    return member


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Away:
    """A period a person is not available: ``first`` to ``last``, both inclusive."""

    first: date
    last: date
    reason: str | None = None

    def touches(self, first: date, end: date) -> bool:
        """Whether some day of the half-open span ``[first, end)`` is in this period."""
        return self.first < end and first <= self.last


@dataclass(frozen=True)
class Availability:
    """When a team member can serve. ``None`` dates mean "always" (a file without the keys)."""

    joined: date | None = None  # first day on the team
    left: date | None = None  # first day no longer on the team
    away: tuple[Away, ...] = ()

    def on_team(self, first: date, end: date) -> bool:
        """On the team on every day of ``[first, end)``."""
        return (self.joined is None or self.joined <= first) and (
            self.left is None or end <= self.left
        )

    def on_team_on(self, day: date) -> bool:
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day < self.left
        )

    def away_during(self, first: date, end: date) -> Away | None:
        return next((period for period in self.away if period.touches(first, end)), None)

    def dates(self) -> list[date]:
        stated = [d for d in (self.joined, self.left) if d is not None]
        return stated + [period.last for period in self.away]


ALWAYS = Availability()


@dataclass(frozen=True)
class Cover:
    """``member`` stands in for ``covers`` on the days ``first`` to ``last`` (inclusive)."""

    member: str
    covers: str
    first: date
    last: date
    reason: str | None = None


@dataclass(frozen=True)
class RotationSpec:
    """One rotation as the dealing needs it; the caller resolves and sorts the pool."""

    pool: tuple[str, ...]  # every rotation member, former and future ones, in the declared order
    start: date
    handover_every_weeks: int
    on_duty: int  # T = tenure / handover_every
    zone: ZoneInfo
    changes: tuple[Change, ...] = ()
    covers: tuple[Cover, ...] = ()
    id: str = "rotation"  # names the rotation in "on duty in <id>" for exclusive_with

    @classmethod
    def from_schedule(
        cls, schedule: Schedule, covers: Sequence[Cover] = (), id: str = "rotation"
    ) -> RotationSpec:
        """The same rotation as an arithmetic :class:`Schedule` (its pool, dates and changes)."""
        return cls(
            schedule.pool,
            schedule.start,
            schedule.handover_every_weeks,
            schedule.on_duty_count,
            schedule.zone,
            tuple(schedule.changes),
            tuple(covers),
            id,
        )


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why one person could not join at a hand-off (or was owed a turn)."""

    member: str
    cause: Cause
    detail: str | None = None  # away reason, rotation id, or an ISO date for joined/left

    def describe(
        self, name: Callable[[str], str] = _same, rotation: Callable[[str], str] = _same
    ) -> str:
        """Words for people; ``name`` and ``rotation`` turn member and rotation ids into names."""
        who = name(self.member)
        if self.cause == "away":
            return f"{who} (away: {self.detail})" if self.detail else f"{who} (away)"
        if self.cause == "exclusive":
            return f"{who} (on duty in {rotation(self.detail or '')})"
        if self.cause == "on_duty":
            return f"{who} (on duty)"
        if self.cause == "not_joined":
            return f"{who} (joins on {self.detail})"
        return f"{who} (off the team from {self.detail})"


@dataclass(frozen=True)
class Handoff:
    """Hand-off ``k``: who the dealing schedules, who actually joins, and why."""

    k: int
    start: date
    end: date  # exclusive: the date of hand-off ``k + T``
    scheduled: str | None  # s(k); None when nobody could join
    kind: JoinKind
    # swapped: the people passed over to reach the joiner (they are owed a turn);
    # back_to_back / vacant: why every other member could not join.
    unavailable: tuple[Reason, ...] = ()
    owed: Reason | None = None  # kind "owed": why this person's turn was owed
    change: Change | None = None

    @property
    def joiner(self) -> str | None:
        """The person serving this tenure after ``changes`` (before day-level cover)."""
        return self.change.joins if self.change is not None else self.scheduled

    def why(
        self, name: Callable[[str], str] = _same, rotation: Callable[[str], str] = _same
    ) -> str:
        """One line for people: "regular turn", "swapped in for Person E (away: Leave)", …"""
        if self.change is not None:
            reason = self.change.reason
            return f"recorded change: {reason}" if reason else "recorded change"
        if self.kind == "swapped":
            return "swapped in for " + _and(r.describe(name, rotation) for r in self.unavailable)
        if self.kind == "owed" and self.owed is not None:
            cause = (
                "away"
                if self.owed.cause == "away"
                else f"on duty in {rotation(self.owed.detail or '')}"
            )
            detail = (
                f": {self.owed.detail}" if self.owed.cause == "away" and self.owed.detail else ""
            )
            return f"owed turn (passed over while {cause}{detail})"
        if self.kind == "back_to_back":
            return "back to back: nobody else can join"
        if self.kind == "vacant":
            return "nobody can join"
        return "regular turn"

    def as_tenure(self) -> Tenure:
        """The arithmetic module's :class:`Tenure` (``person`` is ``""`` when vacant)."""
        change = self.change
        return Tenure(
            person=self.joiner or "",
            handoff=self.k,
            start=self.start,
            end=self.end,
            changed=change is not None,
            reason=change.reason if change is not None else None,
        )


@dataclass(frozen=True)
class Duty:
    """One seat of the crew on a given day: the tenure and who sits in it after cover."""

    handoff: Handoff
    person: str
    cover: Cover | None = None


@dataclass(frozen=True)
class Finding:
    """A problem of the dealing or its overlays; the caller positions it in the file."""

    kind: FindingKind
    severity: Severity
    date: date  # the hand-off date, or the first day a cover goes wrong
    people: tuple[str, ...]
    message: str
    unavailable: tuple[Reason, ...] = ()  # nobody_can_join / back_to_back: who and why
    change_index: int | None = None  # index into RotationSpec.changes
    cover_index: int | None = None  # index into RotationSpec.covers
    other_cover_index: int | None = None  # cover_overlap: the earlier cover
    conflict: ChangeConflict | None = None  # change_overlap / change_touch


class DealingLimitError(ValueError):
    """A hand-off the walk cannot reach: past :data:`MAX_HANDOFFS` without a repeat, or
    outside the calendar (years 1-9999). ``day`` is the date it gave up at."""

    def __init__(self, message: str, day: date) -> None:
        super().__init__(message)
        self.day = day


def _and(parts: Iterable[str]) -> str:
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
