"""The rotation: who serves in a role, when, and the recorded deviations."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .models_base import AllOrIds, DatedSpan, IdList, Model, PolicyDate
from .types import DurationField, Identifier, Weekday


class RotationChange(Model):
    """A recorded deviation from the computed rotation order."""

    date: PolicyDate
    """A hand-off date."""
    joins: Identifier
    """The team member who joins at that hand-off instead of the person due."""
    reason: str | None = None
    """Why; shown in the schedule."""


class Cover(DatedSpan):
    """A day-level stand-in inside a tenure that has begun."""

    member: Identifier
    """Who stands in (a key of `team.members`)."""
    covers: Identifier
    """Who is on duty and stood in for on those days (a key of `team.members`)."""


class Rotation(Model):
    """Who serves in a role, and when: a round robin with overlapping tenures."""

    role: Identifier
    """The role served (a key of `roles`)."""
    members: AllOrIds = "all"
    """`all` team members, or a list of member ids: the pool."""
    order: Literal["alphabetical", "listed"] = "alphabetical"
    """`alphabetical` by name (case-insensitive, ties by id) or `listed` (pool order)."""
    tenure: DurationField
    """How long each person serves: whole weeks."""
    handover_every: DurationField
    """How often one person leaves and the next joins: whole weeks."""
    handover_day: Weekday
    """The weekday of every hand-off."""
    handover_event: str | None = None
    """Where hand-offs usually happen, for prose (e.g. `sprint meeting`)."""
    start: PolicyDate
    """The first hand-off; must fall on `handover_day`."""
    on_duty: Annotated[int, Field(ge=1)] | None = None
    """Optional assertion: how many people serve at once (tenure ÷ handover_every)."""
    changes: list[RotationChange] = []
    """Recorded deviations, one hand-off each (a swap is two changes)."""
    cover: list[Cover] = []
    """Day-level stand-ins: someone covers a person on duty on the listed days only."""
    exclusive_with: IdList = []
    """Rotations earlier in `rotations` whose people on duty cannot serve here at once."""
    announcement: str | None = None
    """The hand-off message of `support-policy handoff`: text with `{{ JOINER }}`,
    `{{ LEAVER }}`, `{{ STAYING }}`, `{{ DATE }}`, `{{ UNTIL }}`, `{{ TENURE }}`,
    `{{ REASON }}`, `{{ ROLE }}` and `{{ NEXT }}` (and `{{ policy.… }}` values); a
    sensible default when omitted."""
