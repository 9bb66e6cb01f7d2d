"""The verdict of one time target for one ticket: met, breached or pending.

A working target is met when the working time from arrival to the evidence is at most
the target; a calendar target when the evidence is at or before the due time. Response
times are working time (:func:`.worktime.elapsed`); percentiles are nearest-rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil
from typing import TYPE_CHECKING

from .worktime import WorkingTime, deadline, elapsed

if TYPE_CHECKING:
    from .models import SlaTarget


def percentile(sorted_values: list[float], share: int) -> float:
    """The nearest-rank ``share``-th percentile of ascending ``sorted_values`` (not empty)."""
    rank = max(1, ceil(share * len(sorted_values) / 100))
    return sorted_values[rank - 1]


@dataclass
class Measure:
    """What one target asks of one ticket: due time, evidence, verdict."""

    due: datetime
    evidence: datetime | None
    verdict: str  # "met", "breached" or "pending"
    working: timedelta | None  # arrival to evidence, when answered
    over: timedelta | None  # beyond the due time, when breached


def working_amount(working_time: WorkingTime, target: SlaTarget) -> timedelta | None:
    """A working target's length in working time (an hour, or a window per day); else None."""
    duration = target.duration
    if not duration.working:
        return None
    unit = working_time.window_length if duration.unit == "day" else timedelta(hours=1)
    return timedelta(microseconds=int(duration.amount * (unit // timedelta(microseconds=1))))


def measure(
    working_time: WorkingTime,
    target: SlaTarget,
    received: datetime,
    evidence: datetime | None,
    as_of: datetime,
) -> Measure:
    """The verdict of ``target`` for one ticket (see the module's docstring).

    A working target is met when the working time from arrival to the evidence is at
    most the target (an answer at 18:00 to a request due at 17:00 the same day used no
    working time beyond it); a calendar target when the evidence is at or before the
    due time.
    """
    duration = target.duration
    due = deadline(working_time, received, duration.amount, duration.unit, duration.working)
    allowed = working_amount(working_time, target)
    until = evidence if evidence is not None else as_of
    taken = elapsed(working_time, received, until)
    if allowed is not None:
        late = taken > allowed
        over = taken - allowed
    else:
        late = until > due
        over = elapsed(working_time, due, until)
    if evidence is not None:
        return Measure(due, evidence, "breached" if late else "met", taken, over if late else None)
    if late:
        return Measure(due, None, "breached", None, over)
    return Measure(due, None, "pending", None, None)
