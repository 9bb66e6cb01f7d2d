"""Derived values of a policy: the rotation schedule, working time and SLA due times.

Thin adapters from the models to the pure domain modules (:mod:`.rotation`,
:mod:`.worktime`), so that the Sphinx extension and the CLI compute the same things the
same way.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .models import Policy, SlaTarget
from .rotations import RotationSchedule, schedules
from .types import WEEKDAYS
from .worktime import WorkingTime, deadline


def team_zone(policy: Policy) -> ZoneInfo:
    """The zone in which working days and rotation hand-offs start and end."""
    return ZoneInfo(policy.effective_working_time.timezone)


def working_time_of(policy: Policy) -> WorkingTime:
    working = policy.effective_working_time
    start, end = working.window
    return WorkingTime(
        zone=team_zone(policy),
        weekdays=frozenset(WEEKDAYS.index(day) for day in working.days),
        start=start,
        end=end,
        holidays=frozenset(working.holidays),
    )


def schedule_of(policy: Policy, rotation_id: str | None = None) -> RotationSchedule | None:
    """A rotation's dealt schedule (the first one by default), or ``None`` when there is none.

    Call it on a policy that loaded without errors: the checks guarantee whole weeks,
    a large enough pool and hand-off dates for every change.
    """
    dealt = schedules(policy)
    if rotation_id is None:
        return next(iter(dealt.values()), None)
    return dealt.get(rotation_id)


def due_time(policy: Policy, target: SlaTarget, received: datetime) -> datetime:
    """When ``target`` falls due for a request received at ``received`` (aware), in UTC."""
    duration = target.duration
    return deadline(
        working_time_of(policy), received, duration.amount, duration.unit, duration.working
    )
