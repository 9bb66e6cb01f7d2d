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
bounds. The warnings are computed in :mod:`.fairness_warnings`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from .dealing import Availability
from .derive import working_time_of
from .facts import member_name
from .fairness_warnings import (
    DAYTIME,
    FairnessWarning,
    days_between,
    daytime_warnings,
    handoffs_between,
    holiday_periods,
    holiday_warnings,
    not_dealt_warnings,
)
from .models import Policy
from .rotations import RotationSchedule, availability

__all__ = [
    "COLUMNS",
    "DAYTIME",
    "MAX_WINDOW_DAYS",
    "FairnessReport",
    "FairnessWarning",
    "PersonFairness",
    "WindowError",
    "check_window",
    "document",
    "fairness",
    "holiday_periods",
    "percent",
]

MAX_WINDOW_DAYS = 3661
"""At most ten years (and a day) per report: every number is a walk over the days."""
_DAY = timedelta(days=1)


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
    for day in days_between(first, last):
        crew = [duty.person for duty in schedule.crew(day)]
        crews[day] = crew
        for key in crew:
            entry = person(key)
            entry.days += 1
            entry.working_days += working.is_working_date(day)
            entry.holidays += day in working.holidays
            entry.weekends += day.weekday() not in working.weekdays
    for k in handoffs_between(schedule, first, last):
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
    report.warnings += holiday_warnings(policy, schedule, first, last)
    report.warnings += not_dealt_warnings(policy, schedule, team, first, last)
    report.warnings += daytime_warnings(policy, schedule, crews)
    return report


def _open_turns(
    schedule: RotationSchedule,
    last: date,
    person: Callable[[str], PersonFairness],
    team: Mapping[str, Availability],
) -> None:
    """Owed turns and recorded swaps still open after ``last``, walking from ``start``."""
    owed: set[str] = set()
    for k in handoffs_between(schedule, schedule.start, last):
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
