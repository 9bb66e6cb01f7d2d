"""How fairly a rotation spreads the work: per-person numbers and warnings over a window.

"Try not to ask the same person for support help many times in a row — spread the work
across the team." This module measures it from the dealt schedule (after ``changes`` and
``cover``), so the CLI's ``report fairness`` and the handbook's ``support-fairness``
table are one computation:

- per person: tenures begun in the window, days on duty, working days, declared holidays
  and weekend days (weekdays that are not working days) on duty, an owed turn still open
  (passed over while away), the balance of recorded swaps, and the deviation of their
  days on duty per day on the team from the team's average;
- warnings: one person on duty over two holiday periods in a row (a holiday period is a
  run of consecutive non-working days that includes a declared holiday), a rotation
  member not dealt for more than two full cycles while on the team, and (when members
  declare time zones) working hours in which nobody on duty is in local daytime.

Every loop is over the days or hand-offs of the window, which :data:`MAX_WINDOW_DAYS`
bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from .dealing import Availability
from .derive import team_zone, working_time_of
from .diagnostics import Code
from .facts import member_name
from .models import Policy
from .rotations import RotationSchedule, availability

MAX_WINDOW_DAYS = 3661
"""At most ten years (and a day) per report: every number is a walk over the days."""
DAYTIME = (time(8), time(20))
"""Local daytime: a working hour is covered when someone on duty has it inside this."""
_DAY = timedelta(days=1)
_HOUR = timedelta(hours=1)


class WindowError(ValueError):
    """A report window that cannot be computed (reversed, too long, out of the calendar)."""


@dataclass
class PersonFairness:
    """One person's numbers over the window."""

    id: str
    name: str
    in_pool: bool  # a rotation member (else someone who only stood in)
    days_on_team: int = 0
    tenures: int = 0
    days: int = 0
    working_days: int = 0
    holidays: int = 0
    weekends: int = 0
    owed_open: int = 0  # a turn owed (passed over while away), not yet paid back
    swap_balance: int = 0  # recorded changes: +1 joined for someone, -1 replaced
    deviation: Fraction | None = None  # days per day on the team vs. the team, -1 … +∞


@dataclass(frozen=True)
class FairnessWarning:
    code: Code
    message: str
    people: tuple[str, ...]


@dataclass
class FairnessReport:
    rotation: str
    first: date
    last: date  # inclusive
    people: list[PersonFairness]
    warnings: list[FairnessWarning] = field(default_factory=list)
    average: Fraction | None = None  # team days on duty per day on the team


def percent(deviation: Fraction | None) -> str:
    """``+12 %``, ``-8 %``, ``0 %`` (nearest whole percent, halves away from zero)."""
    if deviation is None:
        return "–"
    scaled = abs(deviation) * 100
    whole = int(scaled + Fraction(1, 2))
    if whole == 0:
        return "0 %"
    return f"{'+' if deviation > 0 else '-'}{whole} %"


def check_window(first: date, last: date) -> None:
    if last < first:
        raise WindowError(f"the window ends ({last}) before it starts ({first})")
    if (last - first).days + 1 > MAX_WINDOW_DAYS:
        raise WindowError(
            f"the window {first}–{last} is longer than {MAX_WINDOW_DAYS} days (ten years)"
        )
    if last >= date.max - timedelta(days=400) or first <= date.min + timedelta(days=400):
        raise WindowError("the window lies too close to the ends of the calendar")


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += _DAY


def _days_on_team(member: Availability, first: date, last: date) -> int:
    start = max(first, member.joined) if member.joined is not None else first
    end = min(last + _DAY, member.left) if member.left is not None else last + _DAY
    return max(0, (end - start).days)


def fairness(policy: Policy, schedule: RotationSchedule, first: date, last: date) -> FairnessReport:
    """The report for ``first`` … ``last`` (inclusive). Raises :class:`WindowError`."""
    check_window(first, last)
    team = availability(policy)
    working = working_time_of(policy)
    pool = list(schedule.pool)
    people: dict[str, PersonFairness] = {}

    def person(key: str) -> PersonFairness:
        if key not in people:
            people[key] = PersonFairness(key, member_name(policy, key), key in schedule.pool)
        return people[key]

    for key in pool:
        person(key).days_on_team = _days_on_team(team.get(key, Availability()), first, last)
    crews: dict[date, list[str]] = {}
    for day in _days(first, last):
        crew = [duty.person for duty in schedule.crew(day)]
        crews[day] = crew
        for key in crew:
            entry = person(key)
            entry.days += 1
            entry.working_days += working.is_working_date(day)
            entry.holidays += day in working.holidays
            entry.weekends += day.weekday() not in working.weekdays
    for k in _handoffs(schedule, first, last):
        joiner = schedule.handoff(k).joiner
        if joiner is not None:
            person(joiner).tenures += 1
    _open_turns(schedule, last, person, team)
    report = FairnessReport(schedule.id, first, last, [])
    in_pool = [people[key] for key in pool if people[key].days_on_team > 0]
    team_days = sum(p.days for p in in_pool)
    team_time = sum(p.days_on_team for p in in_pool)
    if team_time:
        report.average = Fraction(team_days, team_time)
        for entry in in_pool:
            if report.average:
                rate = Fraction(entry.days, entry.days_on_team)
                entry.deviation = rate / report.average - 1
    order = {key: index for index, key in enumerate(pool)}
    report.people = sorted(people.values(), key=lambda p: (order.get(p.id, len(order)), p.id))
    report.warnings += _holiday_warnings(policy, schedule, first, last)
    report.warnings += _not_dealt(policy, schedule, team, first, last)
    report.warnings += _daytime(policy, schedule, crews)
    return report


def _handoffs(schedule: RotationSchedule, first: date, last: date) -> Iterator[int]:
    """Hand-offs whose date lies in ``first`` … ``last``."""
    k = schedule.latest_handoff(first)
    if schedule.handoff_date(k) < first:
        k += 1
    while schedule.handoff_date(k) <= last:
        yield k
        k += 1


def _open_turns(
    schedule: RotationSchedule,
    last: date,
    person: Callable[[str], PersonFairness],
    team: Mapping[str, Availability],
) -> None:
    """Owed turns and recorded swaps still open after ``last``, walking from ``start``."""
    owed: set[str] = set()
    for k in _handoffs(schedule, schedule.start, last):
        handoff = schedule.handoff(k)
        if handoff.kind == "swapped":
            owed.update(r.member for r in handoff.unavailable)
        elif handoff.kind == "owed" and handoff.scheduled is not None:
            owed.discard(handoff.scheduled)
        change = handoff.change
        if change is not None and change.joins != handoff.scheduled:
            person(change.joins).swap_balance += 1
            if handoff.scheduled is not None:
                person(handoff.scheduled).swap_balance -= 1
    for key in owed:
        left = team[key].left if key in team else None
        if left is None or last < left:
            person(key).owed_open += 1


# --- warnings ------------------------------------------------------------------------------


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


def _holiday_warnings(
    policy: Policy, schedule: RotationSchedule, first: date, last: date
) -> Iterator[FairnessWarning]:
    names = _namer(policy)
    periods = [p for p in holiday_periods(policy) if p[0] <= last and first <= p[1]]
    on_duty = [
        {duty.person for day in _days(start, end) for duty in schedule.crew(day)}
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


def _not_dealt(
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
    for k in _handoffs(schedule, first, last):
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


def _daytime(
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


REPORT_KIND = "support-policy/fairness"
COLUMNS = (
    ("tenures", "Tenures"),
    ("days", "Days on duty"),
    ("working_days", "Working days"),
    ("holidays", "Holidays"),
    ("weekends", "Weekend days"),
    ("owed_open", "Owed turns open"),
    ("swap_balance", "Swap balance"),
)
"""The per-person numbers, in the order every format shows them."""


def document(report: FairnessReport) -> dict[str, object]:
    """The report as JSON data (``report fairness --format json``)."""
    average = report.average
    return {
        "kind": REPORT_KIND,
        "version": 1,
        "rotation": report.rotation,
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "average_days_per_day_on_team": None if average is None else round(float(average), 4),
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "in_pool": p.in_pool,
                "days_on_team": p.days_on_team,
                **{key: getattr(p, key) for key, _ in COLUMNS},
                "deviation": percent(p.deviation) if p.deviation is not None else None,
                "deviation_ratio": None if p.deviation is None else round(float(p.deviation), 4),
            }
            for p in report.people
        ],
        "warnings": [
            {"code": w.code.code, "message": w.message, "people": list(w.people)}
            for w in report.warnings
        ],
    }
