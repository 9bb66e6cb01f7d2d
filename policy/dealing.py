"""The rotation over time: who joins at each hand-off while people join, leave and go away.

Hand-offs before ``start`` stay arithmetic (``pool_at_start[k mod N]``). From ``start`` on the
hand-offs are *dealt*: a cursor walks the pool in order, a person on leave is passed over and
owed a turn, and the first hand-off after their return pays it back — the swap teams make by
hand. Recorded ``changes`` then replace joiners and ``cover`` replaces people on single days.

The walk is lazy and memoised. Once past the latest stated date every fact is constant, so the
walk's state (cursor, owed queue, last ``T`` joiners) eventually repeats: from then on the
dealing is periodic and a hand-off fifty years out is a table lookup. Without a repeat the walk
still has a hard bound, :data:`MAX_HANDOFFS`, and costs O(pool) per hand-off.

The rule for one hand-off is :mod:`.dealing_rule`; the findings are :mod:`.dealing_findings`
(the walk's own) and :mod:`.dealing_cover` (changes and cover). The data types live in
:mod:`.dealing_types` and are re-exported here: import them from here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from .dealing_cover import overlay_findings
from .dealing_findings import walk_findings
from .dealing_rule import Dealt, Walk, deal_next
from .dealing_types import (
    ALWAYS,
    MAX_HANDOFFS,
    Availability,
    Away,
    Cause,
    Cover,
    DealingLimitError,
    Duty,
    Finding,
    FindingKind,
    Handoff,
    JoinKind,
    Reason,
    RotationSpec,
    Severity,
)
from .rotation import Change, Schedule

__all__ = [
    "ALWAYS",
    "MAX_HANDOFFS",
    "Availability",
    "Away",
    "Cause",
    "Cover",
    "Dealing",
    "DealingLimitError",
    "Duty",
    "Finding",
    "FindingKind",
    "Handoff",
    "JoinKind",
    "Reason",
    "RotationSpec",
    "Severity",
]


class Dealing:
    """The dealt rotation: cheap queries by hand-off, date or instant, and its findings.

    ``team`` holds every team member's availability (cover members too); a pool member
    missing from it is a caller error. ``exclusive_with`` are the already-built dealings of
    earlier rotations whose on-duty people may not join here.
    """

    def __init__(
        self,
        rotation: RotationSpec,
        team: Mapping[str, Availability],
        exclusive_with: Sequence[Dealing] = (),
    ) -> None:
        if rotation.on_duty < 1:
            raise ValueError(f"on_duty must be at least 1, got {rotation.on_duty}")
        # Reuse the arithmetic schedule for validation and the date/instant arithmetic.
        self._arithmetic = Schedule(
            rotation.pool,
            rotation.start,
            rotation.handover_every_weeks,
            rotation.handover_every_weeks * rotation.on_duty,
            rotation.zone,
            rotation.changes,
        )
        missing = [member for member in rotation.pool if member not in team]
        if missing:
            raise ValueError(f"no availability given for pool members: {', '.join(missing)}")
        self.rotation = rotation
        self.id = rotation.id
        self.team: Mapping[str, Availability] = team
        self.pool = rotation.pool
        self.on_duty_count = rotation.on_duty
        self.period_days = rotation.handover_every_weeks * 7
        self.exclusive_with: tuple[Dealing, ...] = tuple(exclusive_with)
        self.pool_at_start: tuple[str, ...] = tuple(
            member for member in self.pool if team[member].on_team_on(rotation.start)
        )
        self._changes = {self.change_handoff(c): c for c in rotation.changes}
        self._covers_of: dict[str, list[Cover]] = {}
        for cover in rotation.covers:
            self._covers_of.setdefault(cover.covers, []).append(cover)
        T = self.on_duty_count
        last = self._before_start(-1)
        self._walk = Walk(
            cursor=self.pool.index(last) if last is not None else len(self.pool) - 1,
            recent=[self._before_start(k) for k in range(-T, 0)],
        )
        self._dealt: list[Dealt] = []
        self._prepared = False
        self._k0 = 0  # first hand-off after the latest fact the dealing depends on
        self._env = 1  # period (in hand-offs) of what exclusive rotations look like from here
        self._detect_until = 0
        self._seen: dict[object, int] | None = None
        self._period: tuple[int, int] | None = None  # (first k, length): s(k) = s(k - length)
        self._findings: list[Finding] | None = None

    # -- dates and instants --

    def handoff_date(self, k: int) -> date:
        return self._arithmetic.handoff_date(k)

    def handoff_index_of(self, day: date) -> int | None:
        """``k`` when ``day`` is a hand-off date, else ``None``."""
        return self._arithmetic.handoff_index(day)

    def handoff_instant(self, k: int) -> datetime:
        """The UTC instant of hand-off ``k`` (00:00 local, DST-aware)."""
        return self._arithmetic.handoff_instant(k)

    def latest_handoff(self, when: date | datetime) -> int:
        """The last hand-off at or before a local date, or at or before an aware instant."""
        if not isinstance(when, datetime):
            return (when - self.rotation.start).days // self.period_days
        if when.tzinfo is None or when.utcoffset() is None:
            raise ValueError(f"datetime {when.isoformat()} is naive: give it a time zone")
        k = self.latest_handoff(when.astimezone(self.rotation.zone).date())
        # Within an hour of a DST-shifted midnight the local date can be off by one hand-off.
        try:
            if self.handoff_instant(k) > when:
                return k - 1
            if self.handoff_instant(k + 1) <= when:
                return k + 1
        except OverflowError:
            raise self.limit_error(k) from None
        return k

    def change_handoff(self, change: Change) -> int:
        """The hand-off index of a recorded change."""
        k = self.handoff_index_of(change.date)
        assert k is not None  # Schedule already rejected changes off the hand-off dates
        return k

    def local_day(self, when: date | datetime) -> date:
        if isinstance(when, datetime):
            return when.astimezone(self.rotation.zone).date()
        return when

    # -- queries --

    def handoff(self, k: int) -> Handoff:
        """Hand-off ``k`` (any integer). O(1) once the walk has passed or repeated."""
        dealt = self._before(k) if k < 0 else self._dealt_at(k)
        try:
            start = self.handoff_date(k)
            end = self.handoff_date(k + self.on_duty_count)
        except OverflowError:
            raise self.limit_error(k) from None
        return Handoff(
            k=k,
            start=start,
            end=end,
            scheduled=dealt.scheduled,
            kind=dealt.kind,
            unavailable=dealt.unavailable,
            owed=dealt.owed,
            change=self._changes.get(k),
        )

    def tenures_between(self, first: date, end: date) -> list[Handoff]:
        """Every tenure active on some day of ``[first, end)``, by hand-off (vacant ones too)."""
        if end <= first:
            return []
        newest = self.latest_handoff(end - timedelta(days=1))
        oldest = self.latest_handoff(first) - self.on_duty_count + 1
        return [self.handoff(k) for k in range(oldest, newest + 1)]

    def on_duty(self, when: date | datetime) -> list[Duty]:
        """The crew at a local date or an aware instant, after changes and cover.

        Earliest joiner first; a vacant tenure (reported as an error) has no seat.
        """
        newest = self.latest_handoff(when)
        day = self.local_day(when)
        crew: list[Duty] = []
        for k in range(newest - self.on_duty_count + 1, newest + 1):
            tenure = self.handoff(k)
            if tenure.joiner is None:
                continue
            cover = self.cover_on(tenure.joiner, day)
            person = cover.member if cover is not None else tenure.joiner
            crew.append(Duty(handoff=tenure, person=person, cover=cover))
        return crew

    def cover_on(self, covered: str, day: date) -> Cover | None:
        """The (first) cover standing in for ``covered`` on ``day``."""
        covers = self._covers_of.get(covered, ())
        return next((c for c in covers if c.first <= day <= c.last), None)

    def covers_between(self, first: date, end: date) -> list[Cover]:
        """The covers with some day in ``[first, end)``, by first day (the handbook's rows)."""
        found = [c for c in self.rotation.covers if c.first < end and first <= c.last]
        return sorted(found, key=lambda c: (c.first, c.last))

    def former_members(self, day: date) -> tuple[str, ...]:
        """Pool members no longer on the team on ``day`` (``left <= day``), in pool order."""
        return tuple(
            m for m in self.pool if (left := self.team[m].left) is not None and left <= day
        )

    def joiners_between(self, first: date, end: date) -> set[str]:
        """People on duty on some day of ``[first, end)``, after changes, before cover."""
        return {t.joiner for t in self.tenures_between(first, end) if t.joiner is not None}

    def periodicity(self) -> tuple[int, int] | None:
        """``(j, p)``: for every ``k >= j``, hand-off ``k`` repeats hand-off ``k - p``.

        ``None`` when the walk reached :data:`MAX_HANDOFFS` without repeating.
        """
        try:
            while self._period is None:
                self._step()
        except DealingLimitError:
            return None
        return self._period

    def findings(self) -> list[Finding]:
        """Every problem of the dealing, ``changes`` and ``cover``, by date. Cached."""
        if self._findings is None:
            found = walk_findings(self) + overlay_findings(self)
            found.sort(key=lambda f: f.date)
            self._findings = found
        return list(self._findings)

    # -- the walk --

    def _before_start(self, k: int) -> str | None:
        if not self.pool_at_start:
            return None
        return self.pool_at_start[k % len(self.pool_at_start)]

    def _before(self, k: int) -> Dealt:
        member = self._before_start(k)
        return Dealt(member, "regular" if member is not None else "vacant")

    def _dealt_at(self, k: int) -> Dealt:
        while k >= len(self._dealt) and self._period is None:
            self._step()
        if k < len(self._dealt):
            return self._dealt[k]
        assert self._period is not None
        first, length = self._period
        return self._dealt[first + (k - first) % length]

    def _prepare(self) -> None:
        """Find where the facts end (``k0``) and the period of the exclusive rotations."""
        self._prepared = True
        latest = self.rotation.start
        for member in self.pool:
            latest = max([latest, *self.team[member].dates()])
        env_days: list[int] = []
        for other in self.exclusive_with:
            period = other.periodicity()
            if period is None:
                return  # no repeat to lean on: walk plainly, within the bound
            first, length = period
            # From this date on every tenure active in `other` is in its periodic part.
            latest = max(latest, other.handoff_date(first + other.on_duty_count))
            env_days.append(length * other.period_days)
        self._k0 = max(0, self.latest_handoff(latest) + 1)
        self._env = 1
        for days in env_days:
            self._env = math.lcm(self._env, math.lcm(self.period_days, days) // self.period_days)
        size = len(self.pool) + self.on_duty_count + 1
        self._detect_until = min(MAX_HANDOFFS, self._k0 + 4 * size * self._env)
        self._seen = {}

    def _step(self) -> None:
        if not self._prepared:
            self._prepare()
        k = len(self._dealt)
        if self._seen is not None and self._k0 <= k:
            if k < self._detect_until:
                walk = self._walk
                key = (
                    walk.cursor,
                    tuple(walk.owed),
                    tuple(walk.recent),
                    (k - self._k0) % self._env,
                )
                seen = self._seen.get(key)
                if seen is not None:
                    self._period = (seen, k - seen)
                    self._seen = None
                    return
                self._seen[key] = k
            else:
                self._seen = None  # give up on a repeat; the bound below still holds
        if k >= MAX_HANDOFFS:
            raise self.limit_error(k)
        try:
            first = self.handoff_date(k)
            end = self.handoff_date(k + self.on_duty_count)
            dealt = deal_next(self._walk, self.pool, self.team, first, end, self._busy(first, end))
        except OverflowError:
            raise self.limit_error(k) from None
        self._dealt.append(dealt)
        self._walk.recent = [*self._walk.recent[1:], dealt.scheduled]

    def _busy(self, first: date, end: date) -> dict[str, str]:
        busy: dict[str, str] = {}
        for other in self.exclusive_with:
            for member in sorted(other.joiners_between(first, end)):
                busy.setdefault(member, other.id)
        return busy

    # -- findings of the dealing itself --

    def horizon(self) -> int:
        """The last hand-off the checks look at: one full cycle past the latest stated date."""
        latest = self.rotation.start
        for availability in self.team.values():
            latest = max([latest, *availability.dates()])
        latest = max([latest, *(c.date for c in self.rotation.changes)])
        latest = max([latest, *(c.last for c in self.rotation.covers)])
        return self.latest_handoff(latest) + len(self.pool) + self.on_duty_count

    def limit_error(self, k: int) -> DealingLimitError:
        """The error for hand-off ``k``, out of the walk's reach."""
        try:
            day = self.handoff_date(k)
        except OverflowError:
            day = date.max if k > 0 else date.min
        return DealingLimitError(
            f"the rotation cannot be dealt as far as {day.isoformat()}: at most "
            f"{MAX_HANDOFFS} hand-offs after start, within the years 1-9999",
            day,
        )
