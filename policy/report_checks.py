"""Checks of the ``reports`` section: what it names exists, and fits the export's format.

Each finding is located by key path (the loader adds line and column), like the other
cross-section checks in :mod:`.checks`, which calls :func:`check_reports`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .diagnostics import Code
from .findings import Finding
from .urls import web_url

if TYPE_CHECKING:
    from .models import Policy, TicketExport
    from .yamlsource import Loc

CSV_FORMATS = frozenset({"freshdesk", "zendesk"})
# Characters that would end or break a link in Markdown or a terminal; `{id}` aside,
# no braces either, so the template has exactly one place for the ticket id.
_URL_UNSAFE = re.compile(r"[\s<>\"'`()\[\]\\{}|^]")


def check_reports(policy: Policy) -> Iterator[Finding]:
    """References in ``reports.sla`` resolve; format-specific keys sit on their format."""
    reports = policy.reports
    if reports is None or reports.sla is None:
        return
    for key, export in reports.sla.exports.items():
        yield from _export(policy, ("reports", "sla", "exports", key), export)


def _unknown(loc: Loc, kind: str, key: str, known: list[str]) -> Finding:
    from .checks import suggest  # checks imports this module: import when needed

    hint = suggest(key, known) or (f"; known: {', '.join(known)}" if 0 < len(known) <= 8 else "")
    if not known:
        hint = f"; the policy defines no {kind}s"
    return Finding(loc, Code.UNRESOLVED_REFERENCE, f"unknown {kind} `{key}`{hint}")


def _export(policy: Policy, loc: Loc, export: TicketExport) -> Iterator[Finding]:
    types, slas, members = list(policy.request_types), list(policy.sla), list(policy.team.members)
    channels = list(policy.channels)
    if export.channel is not None and export.channel not in policy.channels:
        yield _unknown((*loc, "channel"), "channel", export.channel, channels)
    for value, type_id in export.types.items():
        if type_id not in policy.request_types:
            yield _unknown((*loc, "types", value), "request type", type_id, types)
    for sla_id, evidence in export.answers.items():
        target = policy.sla.get(sla_id)
        if target is None:
            yield _unknown((*loc, "answers", sla_id), "SLA target", sla_id, slas)
        elif target.kind != "within":
            yield Finding(
                (*loc, "answers", sla_id),
                Code.EVIDENCE_NOT_A_DEADLINE,
                f"SLA target `{sla_id}` is `{target.kind}: {target.duration}`, not a deadline "
                f"from arrival; no `{evidence}` timestamp can show whether it was met",
            )
    for login, member in export.handles.items():
        if member not in policy.team.members:
            yield _unknown((*loc, "handles", login), "team member", member, members)
    yield from _misplaced(loc, export)
    if export.ticket_url is not None:
        problem = ticket_url_problem(export.ticket_url)
        if problem is not None:
            yield Finding((*loc, "ticket_url"), Code.TICKET_URL, problem)


def _misplaced(loc: Loc, export: TicketExport) -> Iterator[Finding]:
    if export.format in CSV_FORMATS:
        if export.handles:
            yield Finding(
                (*loc, "handles"),
                Code.EXPORT_FIELD_MISPLACED,
                f"`handles` identify team members in GitHub comments; a {export.format} "
                "export records its first response itself",
            )
        return
    for field in ("type_column", "columns", "timezone"):
        if getattr(export, field) is not None:
            why = (
                "GitHub timestamps carry their zone"
                if field == "timezone"
                else "GitHub issues are JSON, typed by their labels (map them in `types`)"
            )
            yield Finding(
                (*loc, field),
                Code.EXPORT_FIELD_MISPLACED,
                f"`{field}` does not apply to a `github` export: {why}",
            )


def ticket_url_problem(template: str) -> str | None:
    """Why ``template`` cannot build ticket links, or ``None`` when it can."""
    if web_url(template.replace("{id}", "0")) is None:
        return "`ticket_url` must be an http:// or https:// URL"
    if template.count("{id}") != 1:
        return "`ticket_url` needs `{id}` exactly once, where the ticket id goes"
    if _URL_UNSAFE.search(template.replace("{id}", "")):
        return (
            "`ticket_url` may not contain spaces, quotes, brackets, braces other than `{id}`, "
            "or `<>|^\\`"
        )
    return None
