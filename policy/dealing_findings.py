"""The dealing's own findings: hand-offs nobody can join or someone serves back to back.

The checks of the overlays (``changes``, ``cover``) are :mod:`.dealing_cover`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dealing_types import MAX_HANDOFFS, DealingLimitError, Finding, Handoff

if TYPE_CHECKING:
    from .dealing import Dealing


def walk_findings(dealing: Dealing) -> list[Finding]:
    """Problems of the dealing itself, by hand-off: a pool too small at the start, a vacant
    tenure (an error), someone serving back to back (a warning), the walk's limit."""
    found: list[Finding] = []
    T = dealing.on_duty_count
    if len(dealing.pool_at_start) < len(dealing.pool) and len(dealing.pool_at_start) <= T:
        # Without joined/left dates the model's pool-size check already says this.
        found.append(
            Finding(
                "pool_at_start_too_small",
                "error",
                dealing.rotation.start,
                dealing.pool_at_start,
                f"only {len(dealing.pool_at_start)} rotation member(s) on the team at "
                f"{dealing.rotation.start.isoformat()}: more than {T} are needed",
            )
        )
    last = dealing.horizon()
    limit: DealingLimitError | None = None
    if last >= MAX_HANDOFFS and dealing.periodicity() is None:
        limit = dealing.limit_error(MAX_HANDOFFS)
        last = MAX_HANDOFFS - 1
    try:
        for k in range(last + 1):
            found.extend(_handoff_findings(dealing.handoff(k)))
    except DealingLimitError as error:
        limit = error
    if limit is not None:
        found.append(Finding("walk_limit", "error", limit.day, (), str(limit)))
    return found


def _handoff_findings(tenure: Handoff) -> list[Finding]:
    # A recorded change at this hand-off settles who serves; the change checks judge it.
    if tenure.change is not None or tenure.kind not in ("back_to_back", "vacant"):
        return []
    day = tenure.start.isoformat()
    blockers = ", ".join(r.describe() for r in tenure.unavailable)
    if tenure.kind == "vacant":
        return [
            Finding(
                "nobody_can_join",
                "error",
                tenure.start,
                tuple(r.member for r in tenure.unavailable),
                f"nobody can join at {day}: {blockers}",
                unavailable=tenure.unavailable,
            )
        ]
    assert tenure.scheduled is not None
    return [
        Finding(
            "back_to_back",
            "warning",
            tenure.start,
            (tenure.scheduled,),
            f"{tenure.scheduled} serves back to back from {day}: nobody else can join ({blockers})",
            unavailable=tenure.unavailable,
        )
    ]
