"""The `reports` section: how reports read the team's own records (ticket exports)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from .models_base import Model
from .types import Identifier, ShareField, Text, TimeZoneName

Evidence = Literal["first_response", "resolved", "closed"]
GitHubLogin = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")]


class ExportColumns(Model):
    """Column names of a CSV ticket export, when they differ from the format's defaults."""

    id: Text | None = None
    """The ticket number (Freshdesk `Ticket ID`, Zendesk `Id`)."""
    title: Text | None = None
    """The ticket's subject (`Subject` in both)."""
    created: Text | None = None
    """When the request arrived (Freshdesk `Created time`, Zendesk `Created at`)."""
    first_response: Text | None = None
    """When the team first answered (Freshdesk `Initial response time`)."""
    first_response_minutes: Text | None = None
    """Minutes from arrival to the first answer, when the export has no instant for it
    (Zendesk `First reply time in minutes`)."""
    resolved: Text | None = None
    """When the ticket was resolved (Freshdesk `Resolved time`, Zendesk `Solved at`)."""
    closed: Text | None = None
    """When the ticket was closed (Freshdesk `Closed time`)."""


class TicketExport(Model):
    """How to read one kind of ticket export: its format, request types and timestamps."""

    format: Literal["freshdesk", "zendesk", "github"]
    """`freshdesk` or `zendesk` (their CSV ticket exports), or `github` (the JSON of
    `gh issue list --json number,title,labels,createdAt,closedAt,comments`)."""
    channel: Identifier | None = None
    """The channel the tickets come from (a key of `channels`); its `url` gives the
    default ticket links."""
    timezone: TimeZoneName | None = None
    """IANA zone of timestamps written without an offset (help desks export in the
    account's zone); default: the working-time zone."""
    type_column: Text | None = None
    """The column holding the request type (default: `Type` for Freshdesk, `Ticket type`
    for Zendesk). GitHub issues are typed by their labels instead."""
    types: dict[Text, Identifier] = {}
    """Column value (or GitHub label) → request type id. Without it a value matches the
    request type whose id, name or plural it equals, ignoring case."""
    answers: dict[Identifier, Evidence] = {}
    """SLA target id → the timestamp that answers it: `first_response`, `resolved` or
    `closed`. Only `within` targets can be measured; default: each of them by
    `first_response`."""
    columns: ExportColumns | None = None
    """Column names for CSV formats, where they differ from the defaults."""
    ticket_url: str | None = None
    """Link to a ticket: an `http`/`https` URL with `{id}` where the ticket id goes, e.g.
    `https://example.freshdesk.com/a/tickets/{id}`."""
    handles: dict[GitHubLogin, Identifier] = {}
    """For `github`: GitHub login → team member id. A ticket's first response is the
    first comment by one of these logins."""


class SlaReport(Model):
    """What `support-policy report sla` measures, and against which threshold."""

    target_met: ShareField | None = None
    """The share of tickets each target must meet (`95%`); `report sla --strict` fails
    when a target and request type fall below it."""
    exports: dict[Identifier, TicketExport] = {}
    """Export id → how to read that export (`report sla --export ID`)."""


class Reports(Model):
    """Reports computed from the team's own records, measured against this policy."""

    sla: SlaReport | None = None
    """SLA compliance from ticket exports."""
