"""The dealing rule: who joins at one hand-off, given the walk so far.

Owed turns are paid back first (the cursor stays); otherwise the next eligible member after
the cursor joins, and the people passed over because they are away or busy in an exclusive
rotation are owed a turn. With nobody eligible the person leaving serves again if they can,
else the tenure is vacant. The lazy, memoised walk over hand-offs is :mod:`.dealing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .dealing_types import Availability, JoinKind, Reason


@dataclass(frozen=True)
class Dealt:
    """One hand-off as dealt: the joiner, how they came to join, who could not."""

    scheduled: str | None
    kind: JoinKind
    unavailable: tuple[Reason, ...] = ()
    owed: Reason | None = None


@dataclass
class Walk:
    """The state the dealing carries from one hand-off to the next."""

    cursor: int  # index into the pool of c
    owed: list[Reason] = field(default_factory=list)  # the queue Q, first owed first
    recent: list[str | None] = field(default_factory=list)  # s(k-T) … s(k-1)


def deal_next(
    walk: Walk,
    pool: Sequence[str],
    team: Mapping[str, Availability],
    first: date,
    end: date,
    busy: Mapping[str, str],
) -> Dealt:
    """Who joins for the tenure ``[first, end)``, moving ``walk`` on.

    ``busy`` maps a member on duty in an exclusive rotation to that rotation's id.
    """

    def blocked(member: str) -> Reason | None:
        # The order matters: only people on the team and off duty can be owed a turn.
        availability = team[member]
        if availability.joined is not None and first < availability.joined:
            return Reason(member, "not_joined", availability.joined.isoformat())
        if availability.left is not None and availability.left < end:
            return Reason(member, "left", availability.left.isoformat())
        if member in walk.recent:
            return Reason(member, "on_duty")
        away = availability.away_during(first, end)
        if away is not None:
            return Reason(member, "away", away.reason)
        if member in busy:
            return Reason(member, "exclusive", busy[member])
        return None

    # Members who left are gone for good: drop them from the owed queue.
    walk.owed = [r for r in walk.owed if (left := team[r.member].left) is None or first < left]
    # 1. Owed turns first; the cursor stays where it is.
    for index, owed in enumerate(walk.owed):
        if blocked(owed.member) is None:
            del walk.owed[index]
            return Dealt(owed.member, "owed", owed=owed)
    # 2. The next eligible member after the cursor; those away are owed a turn.
    size = len(pool)
    passed: list[Reason] = []
    for offset in range(1, size + 1):
        index = (walk.cursor + offset) % size
        member = pool[index]
        reason = blocked(member)
        if reason is None:
            walk.cursor = index
            queued = {r.member for r in walk.owed}
            walk.owed.extend(r for r in passed if r.member not in queued)
            return Dealt(member, "swapped" if passed else "regular", tuple(passed))
        if reason.cause in ("away", "exclusive"):
            passed.append(reason)
    # 3. Nobody eligible: the person leaving serves again if they can, else a hole.
    reasons = [r for member in pool if (r := blocked(member)) is not None]
    again = walk.recent[0]
    if (
        again is not None
        and again not in walk.recent[1:]
        and team[again].on_team(first, end)
        and team[again].away_during(first, end) is None
        and again not in busy
    ):
        others = tuple(r for r in reasons if r.member != again)
        return Dealt(again, "back_to_back", others)
    return Dealt(None, "vacant", tuple(reasons))
