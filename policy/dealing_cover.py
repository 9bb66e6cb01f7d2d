"""The overlays' checks: recorded ``changes`` and day-level ``cover`` on top of the dealing.

Changes are judged as the arithmetic schedule judges them (a person in two overlapping tenures
is an error, touching tenures a warning), against the dealt joiners. A cover must replace
someone on duty, by someone free to stand in, and one person's covers do not overlap.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from .dealing_types import MAX_HANDOFFS, Cover, DealingLimitError, Finding, Handoff
from .rotation import ChangeConflict

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from .dealing import Dealing

ONE_DAY = timedelta(days=1)


def overlay_findings(dealing: Dealing) -> list[Finding]:
    """Problems of ``changes`` and ``cover``, in input order."""
    return (
        list(_changes(dealing))
        + list(_covers(dealing))
        + list(_overlaps(dealing.rotation.covers, "covers"))
        + list(_overlaps(dealing.rotation.covers, "member"))
    )


def _changes(dealing: Dealing) -> Iterator[Finding]:
    span = dealing.on_duty_count
    reported: set[frozenset[int]] = set()
    # By hand-off, as the arithmetic schedule does, so a pair is reported from the same side.
    ordered = sorted(enumerate(dealing.rotation.changes), key=lambda e: e[1].date)
    for index, change in ordered:
        k = dealing.change_handoff(change)
        for j in range(k - span, k + span + 1):
            pair = frozenset((j, k))
            if j == k or pair in reported:
                continue
            try:
                other = dealing.handoff(j)
            except DealingLimitError:
                continue  # the dealing's own walk_limit finding says why
            if other.joiner != change.joins:
                continue
            # Two changes naming the same person would otherwise be reported from both sides.
            reported.add(pair)
            overlap = abs(j - k) < span
            conflict = ChangeConflict(change, other.as_tenure(), "error" if overlap else "warning")
            yield Finding(
                "change_overlap" if overlap else "change_touch",
                conflict.severity,
                change.date,
                (change.joins,),
                conflict.describe(),
                change_index=index,
                conflict=conflict,
            )


def _covers(dealing: Dealing) -> Iterator[Finding]:
    limit_days = MAX_HANDOFFS * dealing.period_days
    for index, cover in enumerate(dealing.rotation.covers):
        if cover.last < cover.first:
            continue  # the model's own check reports a reversed period
        if cover.last == date.max or (cover.last - cover.first).days >= limit_days:
            yield Finding(
                "walk_limit",
                "error",
                cover.first,
                (cover.member, cover.covers),
                f"cover from {cover.first.isoformat()} to {cover.last.isoformat()} is too long: "
                f"at most {MAX_HANDOFFS} hand-offs, within the years 1-9999",
                cover_index=index,
            )
            continue
        try:
            tenures = dealing.tenures_between(cover.first, cover.last + ONE_DAY)
        except DealingLimitError:
            continue
        yield from _cover_findings(dealing, index, cover, tenures)


def _cover_findings(
    dealing: Dealing, index: int, cover: Cover, tenures: Sequence[Handoff]
) -> Iterator[Finding]:
    who, whom = cover.member, cover.covers
    gap = _first_day_off(tenures, whom, cover.first, cover.last)
    if gap is not None:
        yield _finding(
            "cover_not_on_duty",
            gap,
            cover,
            index,
            f"{whom} is not on duty on {gap.isoformat()}: there is nobody to cover",
        )
    availability = dealing.team.get(who)
    if availability is None:
        yield _finding(
            "cover_member_off_team", cover.first, cover, index, f"{who} is not on the team"
        )
        return
    off_team: date | None = None
    if availability.joined is not None and cover.first < availability.joined:
        off_team = cover.first
    elif availability.left is not None and availability.left <= cover.last:
        off_team = max(availability.left, cover.first)
    if off_team is not None:
        yield _finding(
            "cover_member_off_team",
            off_team,
            cover,
            index,
            f"{who} is not on the team on {off_team.isoformat()}",
        )
    away = availability.away_during(cover.first, cover.last + ONE_DAY)
    if away is not None:
        day = max(away.first, cover.first)
        reason = f" ({away.reason})" if away.reason else ""
        yield _finding(
            "cover_member_away", day, cover, index, f"{who} is away on {day.isoformat()}{reason}"
        )
    busy = [max(t.start, cover.first) for t in tenures if t.joiner == who]
    if busy:
        day = min(busy)
        yield _finding(
            "cover_member_on_duty",
            day,
            cover,
            index,
            f"{who} is on duty on {day.isoformat()}: double duty is no cover",
        )


def _first_day_off(tenures: Sequence[Handoff], person: str, first: date, last: date) -> date | None:
    """The first day of ``first..last`` on which ``person`` serves no tenure."""
    day = first
    for tenure in sorted((t for t in tenures if t.joiner == person), key=lambda t: t.start):
        if tenure.start > day:
            return day
        day = max(day, tenure.end)
        if day > last:
            return None
    return day if day <= last else None


def _overlaps(covers: Sequence[Cover], by: Literal["covers", "member"]) -> Iterator[Finding]:
    """Covers of one person (``covers``), or by one person (``member``), that overlap."""
    groups: dict[str, list[tuple[int, Cover]]] = {}
    for index, cover in enumerate(covers):
        if cover.first <= cover.last:
            groups.setdefault(getattr(cover, by), []).append((index, cover))
    for person, entries in groups.items():
        # One sweep per person: compare each cover with the longest-reaching one before it.
        entries.sort(key=lambda entry: (entry[1].first, entry[0]))
        reach_index, reach = entries[0]
        for index, cover in entries[1:]:
            if cover.first <= reach.last:
                day = cover.first.isoformat()
                text = (
                    f"covers of {person} overlap on {day}"
                    if by == "covers"
                    else f"{person} covers two people on {day}"
                )
                yield Finding(
                    "cover_overlap",
                    "error",
                    cover.first,
                    (person,),
                    text,
                    cover_index=index,
                    other_cover_index=reach_index,
                )
            if cover.last > reach.last:
                reach_index, reach = index, cover


def _finding(
    kind: Literal[
        "cover_not_on_duty", "cover_member_off_team", "cover_member_away", "cover_member_on_duty"
    ],
    day: date,
    cover: Cover,
    index: int,
    message: str,
) -> Finding:
    return Finding(kind, "error", day, (cover.member, cover.covers), message, cover_index=index)
