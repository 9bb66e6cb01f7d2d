"""The team and its rotations over time, compared: what a roster edit means for people.

A roster edit done the right way (a dated ``joined`` or ``left``, a future ``away``, a
``cover``) is told in words, with whose upcoming tenures move. One done the wrong way
(deleting a member, adding one without ``joined``, an ``away`` inside a tenure that has
begun) rewrites history or today's crew: it is flagged, with the exact key and value that
would keep the past.

Pure: no I/O, no clock (``today`` is a parameter).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from .bounds import days_before
from .diff_words import Collector, fields, member_name
from .models import AwayPeriod, Member, Policy
from .rotation import Tenure
from .rotations import LocatedRotation, RotationSchedule, located_rotations, rotation_pool
from .rotations import schedules as dealt_schedules
from .safe_text import mark_code as _code
from .safe_text import mention_suffix

MAX_PAST_ENTRIES = 8
"""At most this many rewritten past hand-offs are listed one by one."""

_CHANGES = _code("rotation.changes")
_COVER = _code("rotation.cover")


# --- the team ---------------------------------------------------------------------------


def team_entries(out: Collector, old: Policy, new: Policy) -> None:
    """Members added, removed, renamed; ``joined``/``left``/``away`` in words."""
    for text in fields("Team", old.team, new.team, skip=("members",)):
        out.add("team", text)
    before, after = old.team.members, new.team.members
    for key, member in after.items():
        if key not in before:
            since = f" on {member.joined.isoformat()}" if member.joined else ""
            out.add("team", f"Team: {member.name} joins the team{since} ({_code(key)})")
    for key, member in before.items():
        if key not in after:
            out.add("team", f"Team: {member.name} is removed from the team ({_code(key)})")
    for key, member in before.items():
        if key in after and after[key] != member:
            _member_entries(out, key, member, after[key])


def _member_entries(out: Collector, key: str, was: Member, now: Member) -> None:
    name = now.name
    if was.name != now.name:
        out.add("team", f"Team: {was.name} renamed to {now.name} ({_code(key)})")
    if was.joined != now.joined:
        out.add("team", f"Team: {name} {_date_move('joins the team', was.joined, now.joined)}")
    if was.left != now.left:
        if now.left is not None and was.left is None:
            out.add("team", f"Team: {name} leaves the team on {now.left.isoformat()}")
        else:
            out.add("team", f"Team: {name} {_date_move('leaves the team', was.left, now.left)}")
    old_away, new_away = set(map(_span, was.away)), set(map(_span, now.away))
    for period in now.away:
        if _span(period) not in old_away:
            out.add("team", f"Team: {name} away {_describe_away(period)}")
    for period in was.away:
        if _span(period) not in new_away:
            out.add("team", f"Team: {name} no longer away {_describe_away(period)}")
    skipped = ("name", "joined", "left", "away")
    for text in fields(f"Team member {name}", was, now, skip=skipped):
        out.add("team", text)


def _date_move(what: str, before: date | None, after: date | None) -> str:
    if after is None:
        return f"{what}: date removed (was {before.isoformat() if before else '(none)'})"
    if before is None:
        return f"{what} on {after.isoformat()}"
    return f"{what}: {before.isoformat()} → {after.isoformat()}"


def _span(period: AwayPeriod) -> tuple[date, date, str | None]:
    return (period.start, period.to, period.reason)


def _describe_away(period: AwayPeriod) -> str:
    reason = f" ({period.reason})" if period.reason else ""
    return f"{period.start.isoformat()} to {period.to.isoformat()}{reason}"


# --- the rotations ----------------------------------------------------------------------


def rotation_entries(out: Collector, old: Policy, new: Policy, today: date, weeks: int) -> None:
    """Every rotation of either version, matched by id, in the new file's order."""
    before = {entry.id: entry for entry in located_rotations(old)}
    after = {entry.id: entry for entry in located_rotations(new)}
    several = len(before) > 1 or len(after) > 1 or bool(old.rotations or new.rotations)
    old_dealt, new_dealt = dealt_schedules(old), dealt_schedules(new)
    for key in [*after, *(key for key in before if key not in after)]:
        label = f"Rotation {_code(key)}" if several else "Rotation"
        was, now = before.get(key), after.get(key)
        if was is None or now is None:
            out.add("rotation", f"{label} {'added' if was is None else 'removed'}")
            continue
        old_side = _Side(old, was, old_dealt.get(key))
        new_side = _Side(new, now, new_dealt.get(key))
        _rotation(out, old_side, new_side, label, today, weeks)


class _Side:
    """One version of one rotation: the policy, its entry, and its dealt schedule."""

    def __init__(
        self, policy: Policy, located: LocatedRotation, schedule: RotationSchedule | None
    ) -> None:
        self.policy = policy
        self.rotation = located.rotation
        self.schedule = schedule


def _rotation(out: Collector, old: _Side, new: _Side, label: str, today: date, weeks: int) -> None:
    old_pool = rotation_pool(old.policy, old.rotation)
    new_pool = rotation_pool(new.policy, new.rotation)
    # Membership through sets: a list scan per member is quadratic in a large team.
    old_set, new_set = set(old_pool), set(new_pool)
    names = _Names(old.policy, new.policy)
    for key in new_pool:
        if key not in old_set:
            out.add("rotation", f"{label}: {names.new(key)} joins the pool")
    for key in old_pool:
        if key not in new_set:
            out.add("rotation", f"{label}: {names.old(key)} leaves the pool")
    kept_old = [key for key in old_pool if key in new_set]
    kept_new = [key for key in new_pool if key in old_set]
    if kept_old != kept_new:
        order = ", ".join(names.new(key) for key in new_pool)
        out.add("rotation", f"{label}: the pool's order changes to {order}")
    skip = ("members", "changes", "cover")
    for text in fields(label, old.rotation, new.rotation, skip=skip):
        out.add("rotation", text)
    _recorded_changes(out, old, new, label, names)
    _covers(out, old, new, label, names)
    if old.schedule is None or new.schedule is None:
        return
    _guard_past(out, old, new, old.schedule, new.schedule, label, names, today)
    _upcoming(out, old.schedule, new.schedule, label, names, today, weeks)


class _Names:
    def __init__(self, old: Policy, new: Policy) -> None:
        self._old, self._new = old, new

    def old(self, key: str) -> str:
        return member_name(self._old, self._new, key)

    def new(self, key: str) -> str:
        return member_name(self._new, self._old, key)

    def mention(self, key: str) -> str:
        """The person's declared GitHub handle as a Markdown-only mention, or nothing."""
        member = self._new.team.members.get(key)
        return mention_suffix(member.github) if member and member.github else ""


def _recorded_changes(out: Collector, old: _Side, new: _Side, label: str, names: _Names) -> None:
    before = {change.date: change for change in old.rotation.changes}
    after = {change.date: change for change in new.rotation.changes}
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        when = day.isoformat()
        if was == now:
            continue
        if was is None and now is not None:
            reason = f" ({now.reason})" if now.reason else ""
            text = f"recorded change added: on {when} {names.new(now.joins)} joins{reason}"
        elif now is None and was is not None:
            text = f"recorded change removed: on {when} {names.old(was.joins)} joined"
        elif was is not None and now is not None and was.joins != now.joins:
            text = f"recorded change on {when}: {names.old(was.joins)} → {names.new(now.joins)}"
        else:
            text = f"reason of the change on {when} edited"
        out.add("rotation", f"{label}: {text}")


def _covers(out: Collector, old: _Side, new: _Side, label: str, names: _Names) -> None:
    before, after = set(old.rotation.cover), set(new.rotation.cover)
    for cover in new.rotation.cover:
        if cover not in before:
            reason = f" ({cover.reason})" if cover.reason else ""
            out.add(
                "rotation",
                f"{label}: cover added: {names.new(cover.member)} covers "
                f"{names.new(cover.covers)} {cover.start.isoformat()} to "
                f"{cover.to.isoformat()}{reason}",
            )
    for cover in old.rotation.cover:
        if cover not in after:
            out.add(
                "rotation",
                f"{label}: cover removed: {names.old(cover.member)} covering "
                f"{names.old(cover.covers)} {cover.start.isoformat()} to {cover.to.isoformat()}",
            )


def _joiners(schedule: RotationSchedule, first: date, last: date) -> dict[date, str]:
    """Hand-off date → who joins, for every hand-off in ``first..last``."""
    joiners: dict[date, str] = {}
    k = schedule.latest_handoff(first)
    while schedule.handoff_date(k) <= last:
        day = schedule.handoff_date(k)
        if day >= first:
            joiners[day] = schedule.joiner(k)
        k += 1
    return joiners


def _guard_past(
    out: Collector,
    old: _Side,
    new: _Side,
    old_schedule: RotationSchedule,
    new_schedule: RotationSchedule,
    label: str,
    names: _Names,
    today: date,
) -> None:
    """Flag edits that rewrite hand-offs on or before ``today`` or today's tenures.

    Before the old rotation's ``start`` nothing has happened yet, so nothing is guarded.
    """
    if today < old_schedule.start:
        return
    cycle_weeks = (len(old_schedule.pool) + old_schedule.on_duty_count) * (
        old_schedule.handover_every_weeks
    )
    # A large pool makes the cycle reach back centuries: stop at the supported dates.
    first = days_before(today, cycle_weeks * 7)
    before = _joiners(old_schedule, first, today)
    after = _joiners(new_schedule, first, today)
    rewritten: list[str] = []
    fixes: list[str] = []
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        if was == now:
            continue
        when = day.isoformat()
        if was is None and now is not None:
            rewritten.append(f"a hand-off on {when} appears, {names.new(now)} joining")
        elif now is None and was is not None:
            rewritten.append(f"the hand-off on {when} disappears ({names.old(was)} joined)")
        elif was is not None and now is not None:
            rewritten.append(
                f"the hand-off on {when} would have {names.new(now)} joining "
                f"instead of {names.old(was)}"
            )
            fixes.append(_code(f"{{date: {when}, joins: {was}}}"))
    roster = _roster_fixes(old, new, old_schedule, new_schedule, today)
    if rewritten:
        shown = rewritten[-MAX_PAST_ENTRIES:]
        earlier = len(rewritten) - len(shown)
        head = f"{earlier} earlier ones and " if earlier > 0 else ""
        if roster:
            advice = "; to keep the past: " + "; ".join(roster)
        elif old_schedule.pool != new_schedule.pool:
            advice = (
                "; a change of pool without dates re-deals every hand-off, so confirm the "
                "rewritten history, or date the change with `joined`/`left`"
            )
        elif fixes:
            advice = f"; record past deviations as {_CHANGES} instead, e.g. " + ", ".join(
                fixes[-3:]
            )
        else:
            advice = f"; keep the hand-off dates and record deviations as {_CHANGES}"
        out.add(
            "rotation",
            f"{label}: this edit rewrites past hand-offs: {head}" + "; ".join(shown) + advice,
            flag=True,
        )
    if _crew(old_schedule, today) != _crew(new_schedule, today):
        advice = "; ".join(roster) if roster else f"record deviations as {_CHANGES}"
        out.add(
            "rotation",
            f"{label}: this edit changes who is on duty today ({today.isoformat()}): "
            f"{_describe_crew(names.old, old_schedule.on_duty(today))} → "
            f"{_describe_crew(names.new, new_schedule.on_duty(today))}; tenures that have "
            f"begun must not change: {advice}",
            flag=True,
        )


def _roster_fixes(
    old: _Side,
    new: _Side,
    old_schedule: RotationSchedule,
    new_schedule: RotationSchedule,
    today: date,
) -> list[str]:
    """The exact keys and values that would have kept the past, for each roster edit."""
    fixes: list[str] = []
    before, after = old.policy.team.members, new.policy.team.members
    next_handoff = new_schedule.handoff_date(new_schedule.latest_handoff(today) + 1)
    for key in old_schedule.pool:
        if key not in after:
            left = max(next_handoff, _end_of_running_tenure(old_schedule, key, today))
            fixes.append(f"keep {_code(key)} with {_code(f'left: {left.isoformat()}')}")
    for key in new_schedule.pool:
        if key not in before and after[key].joined is None:
            fixes.append(
                f"add {_code(f'joined: {next_handoff.isoformat()}')} to {_code(key)} "
                "(the next hand-off)"
            )
    for key, member in after.items():
        was = before.get(key)
        if was is None:
            continue
        running = [t for t in old_schedule.on_duty(today) if t.person == key and t.start <= today]
        known = set(map(_span, was.away))
        for period in member.away:
            if _span(period) in known:
                continue
            if any(t.start <= period.to and period.start < t.end for t in running):
                fixes.append(
                    f"use {_COVER} for the days of {_code(key)}'s away period "
                    f"{period.start.isoformat()}–{period.to.isoformat()} inside the tenure "
                    "that has begun"
                )
        if member.left is not None and member.left != was.left and member.left <= today:
            left = max(next_handoff, _end_of_running_tenure(old_schedule, key, today))
            fixes.append(f"set {_code(key)}'s {_code(f'left: {left.isoformat()}')}")
        if member.joined is not None and member.joined != was.joined and member.joined <= today:
            fixes.append(f"a {_code('joined')} date for {_code(key)} must not be in the past")
    return fixes


def _end_of_running_tenure(schedule: RotationSchedule, key: str, today: date) -> date:
    ends = [t.end for t in schedule.on_duty(today) if t.person == key]
    return max(ends, default=today)


def _crew(schedule: RotationSchedule, day: date) -> list[tuple[str, date, date]]:
    return [(t.person, t.start, t.end) for t in schedule.on_duty(day)]


def _describe_crew(name: Callable[[str], str], tenures: Sequence[Tenure]) -> str:
    return ", ".join(
        f"{name(t.person)} ({t.start.isoformat()}–{t.end.isoformat()})" for t in tenures
    )


def _upcoming(
    out: Collector,
    old_schedule: RotationSchedule,
    new_schedule: RotationSchedule,
    label: str,
    names: _Names,
    today: date,
    weeks: int,
) -> None:
    """Hand-offs after ``today`` within the window whose joiner changes, then by person."""
    first = date.fromordinal(today.toordinal() + 1)
    last = date.fromordinal(min(today.toordinal() + weeks * 7, date.max.toordinal()))
    if last < first:
        return
    before = _joiners(old_schedule, first, last)
    after = _joiners(new_schedule, first, last)
    lead = True
    moved: dict[str, tuple[list[date], list[date]]] = {}
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        if was == now:
            continue
        when = day.isoformat()
        if was:
            moved.setdefault(was, ([], []))[0].append(day)
        if now:
            moved.setdefault(now, ([], []))[1].append(day)
        if was and now:
            what = f"{names.new(now)} joins instead of {names.old(was)}"
        elif now:
            what = f"a new hand-off: {names.new(now)} joins"
        else:
            what = f"nobody can join any more ({names.old(was or '')} was due to)"
        if lead:
            out.add("rotation", f"{label}: from {when} the schedule changes: {what}")
            lead = False
        else:
            out.add("rotation", f"{label}: {when}: {what}")
    for person, (lost, gained) in sorted(moved.items(), key=lambda item: names.new(item[0])):
        was_text = ", ".join(day.isoformat() for day in lost) or "no tenure"
        now_text = ", ".join(day.isoformat() for day in gained) or "no tenure"
        out.add(
            "rotation",
            f"{label}: {names.new(person)}'s upcoming tenures move: {was_text} → {now_text}"
            + names.mention(person),
        )
