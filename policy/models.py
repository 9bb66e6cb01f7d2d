"""The policy file format, version 1, as pydantic models.

The sections live in their own modules (:mod:`.models_team`, :mod:`.models_rotation`,
:mod:`.models_process`, :mod:`.models_reports`, on :mod:`.models_base`); this module holds
the whole :class:`Policy` and re-exports every model, so ``from .models import X`` is the
one address callers use.

Field docstrings are the reference documentation: :mod:`.fielddocs` reads them into
the JSON Schema and the handbook's YAML reference page. Cross-section rules (references resolve, the
rotation adds up, the budget matches its formula) live in :mod:`.checks`, so that they
can all be reported in one run with positions.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from .models_base import DatedSpan, Model, yaml_fields
from .models_process import (
    Budget,
    Channel,
    GlossaryEntry,
    Priorities,
    Process,
    RequestType,
    SlaTarget,
    Step,
    Template,
)
from .models_reports import ExportColumns, Reports, SlaReport, TicketExport
from .models_rotation import Cover, Rotation, RotationChange
from .models_team import AwayPeriod, Member, Organization, Role, Team, WorkingTime
from .types import Identifier

__all__ = [
    "AwayPeriod",
    "Budget",
    "Channel",
    "Cover",
    "DatedSpan",
    "ExportColumns",
    "GlossaryEntry",
    "Member",
    "Model",
    "Organization",
    "Policy",
    "Priorities",
    "Process",
    "Reports",
    "RequestType",
    "Role",
    "Rotation",
    "RotationChange",
    "SlaReport",
    "SlaTarget",
    "Step",
    "Team",
    "Template",
    "TicketExport",
    "WorkingTime",
    "yaml_fields",
]


def _not_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("version_type", "`version` is the number 1, not a boolean")
    return value


class Policy(Model):
    """A support policy, format version 1."""

    version: Annotated[Literal[1], BeforeValidator(_not_boolean)]
    """The format version: 1."""
    organization: Organization
    team: Team
    working_time: WorkingTime | None = None
    """Working days and hours; UTC Monday–Friday, all day, when omitted."""
    roles: dict[Identifier, Role]
    """Role id → role, in render order."""
    rotation: Rotation | None = None
    """The rotation, when there is one; `rotations` holds several."""
    rotations: dict[Identifier, Rotation] = {}
    """Rotation id → rotation, dealt in file order; instead of `rotation`."""
    request_types: dict[Identifier, RequestType] = {}
    """Request type id → request type."""
    sla: dict[Identifier, SlaTarget] = {}
    """Target id → time target."""
    priorities: Priorities | None = None
    budget: Budget | None = None
    channels: dict[Identifier, Channel] = {}
    """Channel id → channel."""
    templates: dict[Identifier, Template] = {}
    """Template id → canned response."""
    processes: dict[Identifier, Process] = {}
    """Process id → process."""
    glossary: dict[Identifier, GlossaryEntry] = {}
    """Term id → extra glossary entry."""
    reports: Reports | None = None
    """How reports read the team's records (ticket exports) against this policy."""

    @property
    def all_rotations(self) -> dict[str, Rotation]:
        """Rotation id → rotation; a single `rotation` is keyed by its role."""
        if self.rotation is not None:
            return {self.rotation.role: self.rotation}
        return dict(self.rotations)

    @property
    def effective_working_time(self) -> WorkingTime:
        return self.working_time or WorkingTime()
