"""``support-team [ROTATION]``: who is on the team, where they work, and their hand-off hour.

A table of the current members: name, time zone, and the local time on their own clock of
the next hand-off on or after the build date (``Request.today``, which the engines take
from :mod:`support_policy.policy.clock`, so ``SOURCE_DATE_EPOCH`` fixes it) or the date
of the ``:on:`` option, which a page sets to be the same whenever it is built. Hand-offs
happen at 00:00 in ``working_time.timezone``; the dealing computes that instant
(DST-aware) and :mod:`zoneinfo` moves it to each member's zone, so a member in New York
sees 19:00 the evening before in January and 20:00 in July. Former members (``left`` on
or before the build date) are listed apart with the day they left.

A member without a ``timezone`` shows a dash in both columns: the handbook does not guess
where somebody works.

Each current member's row defines a ``member`` object (``Anchor("member", …)``), where a
``[…](member:id)`` link in policy prose and the ``{support:member}`` role land.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from support_policy.policy.bounds import OutOfRange
from support_policy.policy.clock import BadEpoch
from support_policy.policy.dealing_types import Availability
from support_policy.policy.diagnostics import Code
from support_policy.policy.facts import has_left, member_name, rotation_name
from support_policy.policy.models import Member, Policy
from support_policy.policy.rotations import (
    RotationSchedule,
    availability,
    located_rotations,
    rotation_pool,
    schedules,
)

from .blocks import date_option
from .model import (
    Anchor,
    Block,
    Cell,
    Paragraph,
    Problem,
    Rendered,
    Request,
    Strong,
    Table,
    Text,
)

DASH = "—"


@dataclass(frozen=True)
class NextHandoff:
    """One rotation's next hand-off on or after the build date."""

    rotation_id: str
    label: str  # "Support Steward rotation"
    instant: datetime  # aware, UTC
    pool: frozenset[str]


def build_team(request: Request) -> Rendered:
    """The team table, then the former members; one hand-off column per rotation shown."""
    policy = request.loaded.policy
    if policy is None:
        return Rendered(())
    problems: list[Problem] = []
    day = _day(request, problems)
    if day is None:
        return Rendered((), tuple(problems))
    ids = [entry.id for entry in located_rotations(policy)]
    wanted = ids
    if request.argument:
        if request.argument not in ids:
            from support_policy.policy.checks import suggest  # only when something is wrong

            message = f"unknown rotation `{request.argument}`{suggest(request.argument, ids)}"
            return Rendered((), (Problem(Code.UNRESOLVED_REFERENCE, message),))
        wanted = [request.argument]
    # The dealing assumes what the checks guarantee: no hand-off times for a broken file.
    handoffs = _next_handoffs(policy, wanted, day, problems) if request.loaded.ok else []
    keys = list(policy.team.members)
    if request.argument:
        # One rotation named: its pool, in its order, former and future members included.
        keys = rotation_pool(policy, policy.all_rotations[request.argument])
    team = availability(policy)
    current = [key for key in keys if not has_left(policy, key, day)]
    former = [key for key in keys if has_left(policy, key, day)]
    blocks: list[Block] = []
    if handoffs:
        blocks.append(_when_paragraph(handoffs, policy))
    if current:
        blocks.append(_table(policy, current, handoffs, team, day))
    if former:
        blocks.append(_former(policy, former, team))
    return Rendered(tuple(blocks), tuple(problems))


def _day(request: Request, problems: list[Problem]) -> date | None:
    """The ``:on:`` date, else the build date; a bad ``:on:`` warns and uses the build date.

    ``None`` (after a warning) when the build date itself is unusable: a bad
    ``SOURCE_DATE_EPOCH`` leaves nothing to say who is on the team.
    """
    if request.options.get("on"):
        try:
            found = date_option(request, "on")
        except ValueError as error:
            problems.append(Problem(Code.TEAM_DATE, f"{error}; the build date is used"))
        except OutOfRange as error:
            problems.append(Problem(Code.OUT_OF_RANGE, f"{error}; the build date is used"))
        except BadEpoch:
            pass  # `:on: today`: asking the build date again below says why
        else:
            if found is not None:
                return found
    try:
        return request.current_day()
    except BadEpoch as error:
        problems.append(Problem(Code.BAD_EPOCH, f"{error}; the team is not rendered"))
    except OutOfRange as error:
        problems.append(Problem(Code.OUT_OF_RANGE, f"{error}; the team is not rendered"))
    return None


def _next_handoffs(
    policy: Policy, wanted: Sequence[str], today: date, problems: list[Problem]
) -> list[NextHandoff]:
    """Each wanted rotation's first hand-off on or after ``today``; none for a rotation whose
    schedule cannot be computed (a warning says so) or whose weeks do not add up."""
    dealt: dict[str, RotationSchedule] = schedules(policy)
    result: list[NextHandoff] = []
    for key in wanted:
        schedule = dealt.get(key)
        if schedule is None:
            continue
        try:
            k = schedule.latest_handoff(today)
            if schedule.handoff_date(k) < today:
                k += 1
            instant = schedule.handoff_instant(k)
        except (ValueError, OverflowError) as error:
            problems.append(
                Problem(Code.OUT_OF_RANGE, f"the next hand-off cannot be computed: {error}")
            )
            continue
        label = rotation_name(policy, key)
        result.append(NextHandoff(key, label, instant, frozenset(schedule.pool)))
    return result


def _when_paragraph(handoffs: Sequence[NextHandoff], policy: Policy) -> Paragraph:
    """Which hand-off the local times are for: the reader must know the date for DST."""
    zone = ZoneInfo(policy.effective_working_time.timezone)
    stated = "; ".join(
        f"{h.label}: {_moment(h.instant.astimezone(zone))} {zone.key}" for h in handoffs
    )
    return Paragraph(
        (
            Strong((Text("Next hand-off:"),)),
            Text(f" {stated}. Each member's local time below is for that day."),
        )
    )


def _table(
    policy: Policy,
    keys: Sequence[str],
    handoffs: Sequence[NextHandoff],
    team: dict[str, Availability],
    today: date,
) -> Table:
    several = len(handoffs) > 1
    header = ["Name", "Time zone"] + [
        f"Hand-off ({h.label})" if several else "Local hand-off time" for h in handoffs
    ]
    notes = {key: _note(team[key], today) for key in keys}
    with_notes = any(notes.values())
    if with_notes:
        header.append("Notes")
    members = policy.team.members
    rows: list[tuple[Cell, ...]] = []
    for key in keys:
        member = members[key]
        cells = [
            # The member's entry: `[…](member:id)` and `{support:member}` land here.
            Cell((Anchor("member", key, member.name), _text(member.name))),
            _cell(member.timezone or DASH),
        ]
        cells += [_cell(_local_time(member, h, key)) for h in handoffs]
        if with_notes:
            cells.append(_cell(notes[key]))
        rows.append(tuple(cells))
    # Character widths for the text and LaTeX builders; a hand-off cell is the longest.
    widths = (20, 20, *([38] * len(handoffs)), *([30] if with_notes else []))
    return Table(tuple(header), tuple(rows), widths=widths, classes=("support-team",))


def _local_time(member: Member, handoff: NextHandoff, key: str) -> str:
    if key not in handoff.pool:
        return "not in this rotation"
    if member.timezone is None:
        return DASH
    return _moment(handoff.instant.astimezone(ZoneInfo(member.timezone)), offset=True)


def _moment(local: datetime, *, offset: bool = False) -> str:
    """``Monday 2026-01-19 19:00``; with ``offset``, ``… 19:00 (UTC−05:00)``, that day's offset.

    The date is there because a local hand-off may fall on the day before.
    """
    text = f"{local.strftime('%A')} {local.date().isoformat()} {local.strftime('%H:%M')}"
    if not offset:
        return text
    return f"{text} (UTC{_offset(local.utcoffset() or timedelta())})"


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _note(member: Availability, today: date) -> str:
    """Future members and members away on the build date; empty otherwise."""
    if member.joined is not None and member.joined > today:
        return f"joins {member.joined.isoformat()}"
    away = member.away_during(today, today + timedelta(days=1))
    if away is None:
        return ""
    reason = f" ({away.reason})" if away.reason else ""
    return f"away until {away.last.isoformat()}{reason}"


def _former(policy: Policy, keys: Sequence[str], team: dict[str, Availability]) -> Paragraph:
    """One line naming the former members, with the day each left."""
    names = ", ".join(f"{member_name(policy, key)} (left {_left(team[key])})" for key in keys)
    return Paragraph((Strong((Text("Former members:"),)), Text(f" {names}")))


def _left(member: Availability) -> str:
    return member.left.isoformat() if member.left is not None else ""


def _text(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _cell(text: str) -> Cell:
    return Cell((_text(text),))
