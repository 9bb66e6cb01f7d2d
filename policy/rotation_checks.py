"""Invariants of each rotation: its arithmetic, its recorded changes, and its dealing.

The arithmetic (whole weeks, start on the hand-off day, changes on hand-off dates) is judged
first; only a rotation that passes is dealt, and the dealing's findings (nobody can join,
back to back, changes that overlap, covers that do not fit) become positioned findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from .dealing import Cover, Dealing, DealingLimitError
from .dealing import Finding as DealingFinding
from .diagnostics import Code
from .findings import Finding
from .models import Policy
from .rotation import Change
from .rotations import LocatedRotation, availability, located_rotations, rotation_pool, spec_of
from .types import WEEKDAYS, Duration
from .yamlsource import Loc

_CODES: dict[str, Code] = {
    "nobody_can_join": Code.NOBODY_CAN_JOIN,
    "back_to_back": Code.DEALT_BACK_TO_BACK,
    "change_overlap": Code.CHANGE_OVERLAP,
    "change_touch": Code.CHANGE_BACK_TO_BACK,
    "cover_not_on_duty": Code.COVER_NOT_ON_DUTY,
    "cover_member_off_team": Code.COVER_UNAVAILABLE,
    "cover_member_away": Code.COVER_UNAVAILABLE,
    "cover_member_on_duty": Code.COVER_UNAVAILABLE,
    "cover_overlap": Code.COVER_OVERLAP,
    "pool_at_start_too_small": Code.POOL_TOO_SMALL,
    "walk_limit": Code.ROTATION_TOO_FAR,
}


# Problems that leave no rotation to deal; the others only drop the change they are about.
_CHANGE_CODES = (Code.CHANGE_NOT_ON_HANDOFF, Code.DUPLICATE_CHANGE)
_BLOCKING = (
    Code.TENURE_NOT_MULTIPLE,
    Code.POOL_TOO_SMALL,
    Code.START_NOT_ON_HANDOVER_DAY,
)


def check_rotations(policy: Policy) -> Iterator[Finding]:
    """Every rotation in file order; later ones are dealt against the earlier ones."""
    dealt: dict[str, Dealing] = {}
    team = availability(policy)
    for located in located_rotations(policy):
        problems = list(_arithmetic(policy, located))
        yield from problems
        if any(problem.code in _BLOCKING for problem in problems):
            continue
        # Changes reported above (off the hand-off dates, repeated) are left out of the dealing.
        rejected = {p.loc[len(located.loc) + 1] for p in problems if p.code in _CHANGE_CODES}
        change_index, cover_index = _accepted(policy, located, rejected)
        changes = tuple(change for change, _ in change_index)
        spec = spec_of(policy, located, changes, tuple(cover for cover, _ in cover_index))
        if spec is None:
            continue
        earlier = [dealt[key] for key in located.rotation.exclusive_with if key in dealt]
        try:
            dealing = Dealing(spec, team, earlier)
        except DealingLimitError as error:
            yield Finding(located.loc, Code.ROTATION_TOO_FAR, str(error))
            continue
        dealt[located.id] = dealing
        for finding in dealing.findings():
            yield _positioned(policy, located, finding, [i for _, i in change_index], cover_index)


def _in_weeks(duration: Duration) -> str:
    """``write `2 weeks``` for `14 days`; an example when it is no whole number of weeks."""
    length = duration.as_timedelta()
    if length is not None and length and length % timedelta(weeks=1) == timedelta(0):
        weeks = length // timedelta(weeks=1)
        return f"write `{weeks} week{'s' if weeks != 1 else ''}`"
    return "e.g. `2 weeks`"


def _arithmetic(policy: Policy, located: LocatedRotation) -> Iterator[Finding]:
    rotation, loc = located.rotation, located.loc
    tenure, every = rotation.tenure.whole_weeks, rotation.handover_every.whole_weeks
    for field, weeks in (("tenure", tenure), ("handover_every", every)):
        if weeks is None:
            written = getattr(rotation, field)
            yield Finding(
                (*loc, field),
                Code.TENURE_NOT_MULTIPLE,
                f"`{written}` must be a whole number of weeks ({_in_weeks(written)})",
            )
    if tenure is None or every is None:
        return
    if tenure % every:
        yield Finding(
            (*loc, "tenure"),
            Code.TENURE_NOT_MULTIPLE,
            f"tenure `{rotation.tenure}` is not a whole multiple of handover_every "
            f"`{rotation.handover_every}`",
        )
        return
    on_duty = tenure // every
    if rotation.on_duty is not None and rotation.on_duty != on_duty:
        yield Finding(
            (*loc, "on_duty"),
            Code.ON_DUTY_MISMATCH,
            f"on_duty is {rotation.on_duty}, but tenure ÷ handover_every = "
            f"{tenure} ÷ {every} = {on_duty}",
        )
    pool = rotation_pool(policy, rotation)
    if len(pool) <= on_duty:
        yield Finding(
            (*loc, "members"),
            Code.POOL_TOO_SMALL,
            f"the pool has {len(pool)} member(s) but {on_duty} serve at once; "
            "it needs at least one more so that nobody serves back to back",
        )
        return
    start_day = WEEKDAYS[rotation.start.weekday()]
    if start_day != rotation.handover_day:
        yield Finding(
            (*loc, "start"),
            Code.START_NOT_ON_HANDOVER_DAY,
            f"start {rotation.start} is a {start_day.capitalize()}, "
            f"but handover_day is {rotation.handover_day}",
        )
        return
    period = every * 7
    seen: dict[date, int] = {}
    for index, change in enumerate(rotation.changes):
        here: Loc = (*loc, "changes", index, "date")
        offset = (change.date - rotation.start).days
        if offset % period:
            previous = change.date.toordinal() - offset % period
            yield Finding(
                here,
                Code.CHANGE_NOT_ON_HANDOFF,
                f"{change.date} is not a hand-off date (nearest: "
                f"{date.fromordinal(previous)} and {date.fromordinal(previous + period)})",
            )
        elif change.date in seen:
            yield Finding(
                here,
                Code.DUPLICATE_CHANGE,
                f"hand-off {change.date} already has a recorded change "
                f"(entry {seen[change.date] + 1})",
            )
        else:
            seen[change.date] = index


def _accepted(
    policy: Policy, located: LocatedRotation, rejected: set[str | int]
) -> tuple[list[tuple[Change, int]], list[tuple[Cover, int]]]:
    """The changes and covers whose people exist (others are reported as references),
    each with its index in the file."""
    members = policy.team.members
    changes = [
        (Change(c.date, c.joins, c.reason), index)
        for index, c in enumerate(located.rotation.changes)
        if c.joins in members and index not in rejected
    ]
    covers = [
        (Cover(c.member, c.covers, c.start, c.to, c.reason), index)
        for index, c in enumerate(located.rotation.cover)
        if c.member in members and c.covers in members and c.start <= c.to
    ]
    return changes, covers


def _positioned(
    policy: Policy,
    located: LocatedRotation,
    finding: DealingFinding,
    change_index: list[int],
    cover_index: list[tuple[Cover, int]],
) -> Finding:
    loc = located.loc
    code = _CODES[finding.kind]
    if finding.change_index is not None:
        where: tuple[str | int, ...] = (
            *loc,
            "changes",
            change_index[finding.change_index],
            "joins",
        )
    elif finding.cover_index is not None:
        where = (*loc, "cover", cover_index[finding.cover_index][1])
    elif finding.kind in ("nobody_can_join", "back_to_back"):
        where = _blamed_away(policy, located, finding) or (*loc, "start")
    else:
        where = (*loc, "start")
    message = finding.message
    if finding.conflict is not None:
        message = finding.conflict.describe()
    return Finding(where, code, message, finding.severity)


def _blamed_away(
    policy: Policy, located: LocatedRotation, finding: DealingFinding
) -> tuple[str | int, ...] | None:
    """The away period that keeps people from a hand-off: that is the line to look at."""
    weeks = located.rotation.tenure.whole_weeks or 0
    end = finding.date + timedelta(weeks=weeks)
    for reason in finding.unavailable:
        if reason.cause != "away":
            continue
        member = policy.team.members[reason.member]
        for index, period in enumerate(member.away):
            if period.start < end and finding.date <= period.to:
                return ("team", "members", reason.member, "away", index)
    return None
