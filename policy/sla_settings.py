"""How one ticket export is read against the policy: its request types, the timestamp
that answers each target, and the link to a ticket (from ``reports.sla.exports``, or the
format's defaults)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import quote

from .report_checks import ticket_url_problem

if TYPE_CHECKING:
    from .models import Policy, TicketExport

DEFAULT_LINK_PATHS = {"freshdesk": "/a/tickets/{id}", "zendesk": "/agent/tickets/{id}"}


@dataclass
class ReportSettings:
    """How one export is read against the policy (from ``reports.sla.exports``, or defaults)."""

    format: str
    export_id: str | None
    types: dict[str, str]  # folded column value or label -> request type id
    answers: dict[str, str]  # within target id -> evidence
    not_measured: list[dict[str, str]]
    ticket_url: str | None
    target_met: Decimal | None

    @property
    def needed(self) -> set[str]:
        return set(self.answers.values())


def settings_for(policy: Policy, fmt: str, export_id: str | None) -> ReportSettings:
    """The mapping for ``fmt``: the declared export ``export_id``, or the format's defaults."""
    sla_report = policy.reports.sla if policy.reports is not None else None
    export: TicketExport | None = None
    if sla_report is not None and export_id is not None:
        export = sla_report.exports[export_id]
    types: dict[str, str] = {}
    for key, kind in policy.request_types.items():
        for name in (key, kind.name, kind.plural):
            if name:
                types.setdefault(name.casefold(), key)
    if export is not None and export.types:
        types = {value.casefold(): key for value, key in export.types.items()}
    answers: dict[str, str] = {}
    not_measured: list[dict[str, str]] = []
    declared = export.answers if export is not None and export.answers else None
    for key, target in policy.sla.items():
        if target.kind != "within":
            why = "a budget of work" if target.kind == "effort" else "counted from our last message"
            not_measured.append({"sla": key, "name": target.name, "reason": why})
        elif declared is None:
            answers[key] = "first_response"
        elif key in declared:
            answers[key] = declared[key]
        else:
            not_measured.append({"sla": key, "name": target.name, "reason": "not in `answers`"})
    return ReportSettings(
        format=fmt,
        export_id=export_id,
        types=types,
        answers=answers,
        not_measured=not_measured,
        ticket_url=_ticket_url(policy, export, fmt),
        target_met=sla_report.target_met if sla_report is not None else None,
    )


def _ticket_url(policy: Policy, export: TicketExport | None, fmt: str) -> str | None:
    if export is None:
        return None
    if export.ticket_url is not None:
        return export.ticket_url if ticket_url_problem(export.ticket_url) is None else None
    channel = policy.channels.get(export.channel or "")
    path = DEFAULT_LINK_PATHS.get(fmt)
    if channel is None or channel.url is None or path is None:
        return None
    candidate = channel.url.rstrip("/") + path
    return candidate if ticket_url_problem(candidate) is None else None


def ticket_link(template: str | None, ticket_id: str) -> str | None:
    """The link to a ticket: the template with the id percent-encoded (nothing else)."""
    if template is None:
        return None
    return template.replace("{id}", quote(ticket_id, safe=""))
