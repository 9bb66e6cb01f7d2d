"""The warnings of the fairness report: holidays twice in a row, a member not dealt for two
full cycles, working hours with nobody on duty in local daytime.

The per-person numbers and the report itself are :mod:`.fairness`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .dealing import Availability
from .derive import team_zone, working_time_of
from .diagnostics import Code
from .models import Policy
from .rotations import RotationSchedule

DAYTIME = (time(8), time(20))
"""Local daytime: a working hour is covered when someone on duty has it inside this."""
_DAY = timedelta(days=1)
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class FairnessWarning:
    """One warning: its code, the message, the people it is about."""

    code: Code
    message: str
    people: tuple[str, ...]


def days_between(first: date, last: date) -> Iterator[date]:
    """``first`` … ``last``, inclusive (the caller bounds the window)."""
    day = first
    while day <= last:
        yield day
        day += _DAY


def handoffs_between(schedule: RotationSchedule, first: date, last: date) -> Iterator[int]:
    """Hand-offs whose date lies in ``first`` … ``last``."""
    k = schedule.latest_handoff(first)
    if schedule.handoff_date(k) < first:
        k += 1
    while schedule.handoff_date(k) <= last:
        yield k
        k += 1


def holiday_periods(policy: Policy) -> list[tuple[date, date]]:
    """Runs of consecutive non-working days that include a declared holiday, in order."""
    working = working_time_of(policy)
    periods: set[tuple[date, date]] = set()
    for holiday in working.holidays:
        start = end = holiday
        # Bounded: at most six non-working weekdays and the declared holidays in a row.
        for _ in range(len(working.holidays) + 7):
            if start - _DAY < date.min + _DAY or working.is_working_date(start - _DAY):
                break
            start -= _DAY
        for _ in range(len(working.holidays) + 7):
            if end + _DAY > date.max - _DAY or working.is_working_date(end + _DAY):
                break
            end += _DAY
        periods.add((start, end))
    return sorted(periods)


def holiday_warnings(
    policy: Policy, schedule: RotationSchedule, first: date, last: date
) -> Iterator[FairnessWarning]:
    names = _namer(policy)
    periods = [p for p in holiday_periods(policy) if p[0] <= last and first <= p[1]]
    on_duty = [
        {duty.person for day in days_between(start, end) for duty in schedule.crew(day)}
        for start, end in periods
    ]
    for index in range(1, len(periods)):
        before, after = periods[index - 1], periods[index]
        for key in sorted(on_duty[index - 1] & on_duty[index], key=names):
            yield FairnessWarning(
                Code.HOLIDAYS_TWICE,
                f"{names(key)} is on duty over two holiday periods in a row: "
                f"{_span(before)} and {_span(after)}",
                (key,),
            )


def _span(period: tuple[date, date]) -> str:
    start, end = period
    return start.isoformat() if start == end else f"{start.isoformat()}–{end.isoformat()}"


def not_dealt_warnings(
    policy: Policy,
    schedule: RotationSchedule,
    team: Mapping[str, Availability],
    first: date,
    last: date,
) -> Iterator[FairnessWarning]:
    """Runs of hand-offs, while on the team, at which a rotation member is not dealt."""
    names = _namer(policy)
    T = schedule.on_duty_count
    runs: dict[str, list[int]] = {key: [] for key in schedule.pool}
    found: list[tuple[str, int, int, int]] = []  # member, first k, last k, cycle size

    def close(key: str) -> None:
        run = runs[key]
        if run and len(run) > 2 * run_cycle[key]:
            found.append((key, run[0], run[-1], run_cycle[key]))
        runs[key] = []
        run_cycle[key] = 0

    run_cycle: dict[str, int] = dict.fromkeys(schedule.pool, 0)
    for k in handoffs_between(schedule, first, last):
        start, end = schedule.handoff_date(k), schedule.handoff_date(k + T)
        joiner = schedule.handoff(k).joiner
        on_team = [key for key in schedule.pool if team[key].on_team(start, end)]
        cycle = len(on_team)
        for key in schedule.pool:
            if key == joiner or key not in on_team:
                close(key)
            else:
                runs[key].append(k)
                # The cycle that the run must exceed twice: the largest team during it.
                run_cycle[key] = max(run_cycle[key], cycle)
    for key in schedule.pool:
        close(key)
    for key, k0, k1, cycle in sorted(found, key=lambda item: (item[1], names(item[0]))):
        count = k1 - k0 + 1
        yield FairnessWarning(
            Code.NOT_DEALT,
            f"{names(key)} is not dealt at {count} hand-offs in a row while on the team, "
            f"{schedule.handoff_date(k0).isoformat()} to {schedule.handoff_date(k1).isoformat()}"
            f" (two full cycles of {cycle} members are {2 * cycle})",
            (key,),
        )


def daytime_warnings(
    policy: Policy, schedule: RotationSchedule, crews: dict[date, list[str]]
) -> Iterator[FairnessWarning]:
    """Working hours with nobody on duty in local daytime, grouped by crew."""
    members = policy.team.members
    if not any(members[key].timezone for key in schedule.pool if key in members):
        return  # without member time zones there is nothing to judge
    zone = team_zone(policy)
    working = working_time_of(policy)
    zones: dict[str, ZoneInfo] = {}
    for key, member in members.items():
        zones[key] = ZoneInfo(member.timezone) if member.timezone else zone
    names = _namer(policy)
    found: dict[tuple[str, ...], tuple[int, datetime, datetime]] = {}
    for day, crew in crews.items():
        if not working.is_working_date(day):
            continue
        crew_key = tuple(sorted(set(crew), key=names))
        for start, end in _hour_slots(day, working.start, working.end, zone):
            if any(_in_daytime(zones.get(key, zone), start, end) for key in crew_key):
                continue
            minutes = (end - start) // timedelta(minutes=1)
            if crew_key in found:
                total, first_start, first_end = found[crew_key]
                found[crew_key] = (total + minutes, first_start, first_end)
            else:
                found[crew_key] = (minutes, start, end)
    for crew_key, (minutes, start, end) in found.items():
        who = " and ".join(names(key) for key in crew_key) or "nobody"
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        yield FairnessWarning(
            Code.NO_DAYTIME,
            f"{who} on duty: {_hours(minutes)} of working time with nobody in local daytime "
            f"(08:00–20:00), first {local_start:%Y-%m-%d %H:%M}–{local_end:%H:%M} {zone}",
            crew_key,
        )


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def _hour_slots(
    day: date, start: time, end: time | None, zone: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    """The working window of ``day`` as hours (UTC instants); the last may be shorter."""
    first = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    local_end = datetime.combine(day + _DAY if end is None else day, end or time(0), tzinfo=zone)
    stop = local_end.astimezone(UTC)
    moment = first
    while moment < stop:
        following = min(moment + _HOUR, stop)
        yield moment, following
        moment = following


def _in_daytime(zone: ZoneInfo, start: datetime, end: datetime) -> bool:
    local = start.astimezone(zone)
    morning = datetime.combine(local.date(), DAYTIME[0], tzinfo=zone)
    evening = datetime.combine(local.date(), DAYTIME[1], tzinfo=zone)
    return morning <= start and end <= evening


def _namer(policy: Policy) -> Callable[[str], str]:
    members = policy.team.members

    def name(key: str) -> str:
        member = members.get(key)
        return member.name if member is not None else key

    return name
