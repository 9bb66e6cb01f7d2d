"""Derived values of a policy: the rotation schedule, working time and SLA due times.

Thin adapters from the models to the pure domain modules (:mod:`.rotation`,
:mod:`.worktime`), so that the Sphinx extension and the CLI compute the same things the
same way.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .checks import rotation_pool
from .models import Policy, SlaTarget
from .rotation import Change, Schedule
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


def schedule_of(policy: Policy) -> Schedule | None:
    """The rotation schedule, or ``None`` when the policy has no (valid) rotation.

    Call it on a policy that loaded without errors: the checks guarantee whole weeks,
    a large enough pool and hand-off dates for every change.
    """
    rotation = policy.rotation
    if rotation is None:
        return None
    tenure, every = rotation.tenure.whole_weeks, rotation.handover_every.whole_weeks
    if tenure is None or every is None:
        return None
    changes = [Change(c.date, c.joins, c.reason) for c in rotation.changes]
    return Schedule(
        rotation_pool(policy), rotation.start, every, tenure, team_zone(policy), changes
    )


def due_time(policy: Policy, target: SlaTarget, received: datetime) -> datetime:
    """When ``target`` falls due for a request received at ``received`` (aware), in UTC."""
    duration = target.duration
    return deadline(
        working_time_of(policy), received, duration.amount, duration.unit, duration.working
    )
