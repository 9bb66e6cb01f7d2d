"""The steward rotation: who joins at each hand-off and who is on duty when.

Hand-off ``k`` (any integer) falls on ``start + k * handover_every`` at 00:00 local time in
the team's zone. The person ``pool[k mod N]`` joins there unless a recorded change names
someone else, and serves ``T = tenure / handover_every`` hand-offs. The schedule is treated as
always running, so exactly ``T`` tenures are active at every instant, before ``start`` too.

Everything is arithmetic on ``k``: no walking from ``start``, so far-away dates cost the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class Tenure:
    """One person's stint, from the hand-off they joined at to the one ``T`` hand-offs later."""

    person: str
    handoff: int
    start: date
    end: date  # exclusive: the date of hand-off ``handoff + T``
    changed: bool
    reason: str | None = None


@dataclass(frozen=True)
class Change:
    """A recorded deviation: on this hand-off date ``joins`` joins instead of the due person."""

    date: date
    joins: str
    reason: str | None = None


@dataclass(frozen=True)
class ChangeConflict:
    """A change that makes its person serve two tenures that overlap or touch."""

    change: Change
    other: Tenure
    severity: Literal["error", "warning"]

    def describe(self) -> str:
        # Every tenure has the same length, so the change's own tenure follows from `other`.
        tenure_length = self.other.end - self.other.start
        changed_span = (self.change.date, self.change.date + tenure_length)
        other_span = (self.other.start, self.other.end)
        first, second = sorted([changed_span, other_span])
        kind = "overlapping tenures" if self.severity == "error" else "back-to-back tenures"
        return f"{self.change.joins} would serve {_span(*first)} and {_span(*second)} ({kind})"


def _span(start: date, end: date) -> str:
    return f"{start.isoformat()}–{end.isoformat()}"


class Schedule:
    """The rotation as a pure function of the hand-off index ``k``."""

    def __init__(
        self,
        pool: Sequence[str],
        start: date,
        handover_every_weeks: int,
        tenure_weeks: int,
        zone: ZoneInfo,
        changes: Sequence[Change] = (),
    ) -> None:
        if not pool:
            raise ValueError("rotation pool is empty: at least one member is needed")
        duplicates = sorted(person for person, count in Counter(pool).items() if count > 1)
        if duplicates:
            raise ValueError(f"rotation pool lists members more than once: {', '.join(duplicates)}")
        if handover_every_weeks < 1:
            raise ValueError(
                f"handover_every must be at least 1 week, got {handover_every_weeks} weeks"
            )
        if tenure_weeks < 1 or tenure_weeks % handover_every_weeks != 0:
            raise ValueError(
                f"tenure ({tenure_weeks} weeks) must be a positive whole multiple of "
                f"handover_every ({handover_every_weeks} weeks)"
            )
        self.pool: tuple[str, ...] = tuple(pool)
        self.start = start
        self.zone = zone
        self.handover_every_weeks = handover_every_weeks
        self.on_duty_count: int = tenure_weeks // handover_every_weeks
        self._period_days = handover_every_weeks * DAYS_PER_WEEK
        # Keyed by hand-off index so that looking up any hand-off stays O(1).
        self._changes_by_handoff: dict[int, Change] = {}
        for change in changes:
            k = self.handoff_index(change.date)
            if k is None:
                raise ValueError(
                    f"change on {change.date.isoformat()} is not on a hand-off date "
                    f"(hand-offs are every {handover_every_weeks} weeks from "
                    f"{start.isoformat()})"
                )
            if k in self._changes_by_handoff:
                raise ValueError(f"more than one change recorded for {change.date.isoformat()}")
            self._changes_by_handoff[k] = change

    @property
    def changes(self) -> list[Change]:
        return [self._changes_by_handoff[k] for k in sorted(self._changes_by_handoff)]

    def handoff_date(self, k: int) -> date:
        return self.start + timedelta(days=k * self._period_days)

    def handoff_index(self, day: date) -> int | None:
        offset_days = (day - self.start).days
        if offset_days % self._period_days != 0:
            return None
        return offset_days // self._period_days

    def handoff_instant(self, k: int) -> datetime:
        # fold=0 picks the first 00:00 when midnight repeats; when midnight falls in a DST gap,
        # zoneinfo's pre-transition offset lands exactly on the first instant of the day.
        local_midnight = datetime.combine(self.handoff_date(k), time(), tzinfo=self.zone)
        return local_midnight.astimezone(UTC)

    def computed_joiner(self, k: int) -> str:
        # Python's % is already the non-negative remainder for negative k.
        return self.pool[k % len(self.pool)]

    def joiner(self, k: int) -> str:
        change = self._changes_by_handoff.get(k)
        return change.joins if change is not None else self.computed_joiner(k)

    def tenure(self, k: int) -> Tenure:
        change = self._changes_by_handoff.get(k)
        return Tenure(
            person=self.joiner(k),
            handoff=k,
            start=self.handoff_date(k),
            end=self.handoff_date(k + self.on_duty_count),
            changed=change is not None,
            reason=change.reason if change is not None else None,
        )

    def tenures_overlapping(self, first: date, last: date) -> list[Tenure]:
        """Every tenure active on some day in ``first..last`` (inclusive), ordered by hand-off."""
        if last < first:
            raise ValueError(f"date range ends ({last}) before it starts ({first})")
        # A tenure k overlaps when start(k) <= last and end(k) = start(k + T) > first.
        newest = self._latest_handoff_on_or_before(last)
        oldest = self._latest_handoff_on_or_before(first) - self.on_duty_count + 1
        return [self.tenure(k) for k in range(oldest, newest + 1)]

    def on_duty(self, when: date | datetime) -> list[Tenure]:
        """The ``T`` tenures active at ``when``, earliest joiner first.

        A date means that local date in the zone (hand-offs happen at midnight, so the whole
        day has one crew); an aware datetime is compared against the hand-off instants.
        """
        if isinstance(when, datetime):
            newest = self._latest_handoff_at_or_before_instant(when)
        else:
            newest = self._latest_handoff_on_or_before(when)
        oldest = newest - self.on_duty_count + 1
        return [self.tenure(k) for k in range(oldest, newest + 1)]

    def conflicts(self) -> list[ChangeConflict]:
        """Changes that put their person into overlapping (error) or touching (warning) tenures."""
        found: list[ChangeConflict] = []
        reported_pairs: set[frozenset[int]] = set()
        span = self.on_duty_count
        for k in sorted(self._changes_by_handoff):
            change = self._changes_by_handoff[k]
            for j in range(k - span, k + span + 1):
                pair = frozenset((j, k))
                # Two changes naming the same person would otherwise be reported from both sides.
                if j == k or pair in reported_pairs or self.joiner(j) != change.joins:
                    continue
                reported_pairs.add(pair)
                severity: Literal["error", "warning"] = "error" if abs(j - k) < span else "warning"
                found.append(ChangeConflict(change=change, other=self.tenure(j), severity=severity))
        return found

    def _latest_handoff_on_or_before(self, day: date) -> int:
        return (day - self.start).days // self._period_days

    def _latest_handoff_at_or_before_instant(self, when: datetime) -> int:
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError(f"datetime {when.isoformat()} is naive: give it a time zone")
        # The local date gives the right hand-off except within an hour of a DST-shifted
        # midnight, so confirm against the real instants on either side.
        k = self._latest_handoff_on_or_before(when.astimezone(self.zone).date())
        if self.handoff_instant(k) > when:
            return k - 1
        if self.handoff_instant(k + 1) <= when:
            return k + 1
        return k
