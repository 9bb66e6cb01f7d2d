"""The coverage sweep of one rotation's events: where fewer or more than ``on_duty``
distinct people are on duty.

A cover event puts its member on duty and takes the covered person off for its days, so a
count can go below zero (a cover of someone the calendar does not show on duty): only the
people with a positive count are on duty.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from .calendar_view import Event


@dataclass
class Run:
    """A stretch of consecutive instants with too few or too many people on duty."""

    kind: str  # "gap" | "overlap"
    since: datetime
    line: int  # the event to report it at
    low: int
    high: int
    until: datetime | None = None


def sweep(events: list[Event], window: tuple[datetime, datetime], need: int) -> list[Run]:
    """Every gap or overlap inside ``window``, in time order (``until`` set on each)."""
    runs: list[Run] = []
    window_start, window_end = window
    # Sweep: +1/-1 per person at each boundary; evaluate after all changes at one instant.
    boundaries: dict[datetime, list[tuple[int, Event, str]]] = defaultdict(list)
    for event in events:
        boundaries[event.start].append((1, event, event.key))
        boundaries[event.end].append((-1, event, event.key))
        if event.cover and event.covers is not None:
            boundaries[event.start].append((-1, event, event.covers))
            boundaries[event.end].append((1, event, event.covers))
    times = sorted(boundaries)
    active: Counter[str] = Counter()
    distinct = 0  # people with a positive count (a cover can take one below zero)
    run: Run | None = None
    for position, instant in enumerate(times[:-1]):
        changes = boundaries[instant]
        for delta, _, key in changes:
            before = active[key]
            active[key] = before + delta
            distinct += (before <= 0 < active[key]) - (active[key] <= 0 < before)
        seg_start = max(instant, window_start)
        seg_end = min(times[position + 1], window_end)
        if seg_end <= seg_start:
            continue
        kind = "gap" if distinct < need else "overlap" if distinct > need else ""
        if run is not None and run.kind != kind:
            run.until = seg_start
            runs.append(run)
            run = None
        if not kind:
            continue
        if run is None:
            ending = [e for d, e, _ in changes if d < 0]
            starting = [e for d, e, _ in changes if d > 0]
            culprits = (starting or ending) if kind == "overlap" else (ending or starting)
            line = min(e.line for e in culprits) if culprits else 0
            run = Run(kind, seg_start, line, distinct, distinct)
        else:
            run.low, run.high = min(run.low, distinct), max(run.high, distinct)
    if run is not None:
        run.until = window_end
        runs.append(run)
    return runs
