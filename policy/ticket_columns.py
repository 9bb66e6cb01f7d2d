"""Which CSV column holds what: the formats' defaults and a policy's own names.

A help desk names its columns its own way (Freshdesk `Created time`, Zendesk `Created at`);
a policy's export entry may rename them. This module maps roles (`id`, `created`, the
evidence) to positions in a header, and says which column is missing in words a team
can act on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagnostics import Code
from .ticket_rows import ExportUnreadable

if TYPE_CHECKING:
    from .models import TicketExport

DEFAULT_COLUMNS: dict[str, dict[str, str]] = {
    "freshdesk": {
        "id": "Ticket ID",
        "title": "Subject",
        "type": "Type",
        "created": "Created time",
        "first_response": "Initial response time",
        "resolved": "Resolved time",
        "closed": "Closed time",
    },
    "zendesk": {
        "id": "Id",
        "title": "Subject",
        "type": "Ticket type",
        "created": "Created at",
        "first_response_minutes": "First reply time in minutes",
        "resolved": "Solved at",
        "closed": "Solved at",
    },
}


def columns_for(export: TicketExport | None, fmt: str) -> dict[str, str]:
    columns = dict(DEFAULT_COLUMNS[fmt])
    if export is not None:
        if export.type_column is not None:
            columns["type"] = export.type_column
        if export.columns is not None:
            for name, value in export.columns.model_dump(exclude_none=True).items():
                columns[name] = value
                if name == "first_response":
                    columns.pop("first_response_minutes", None)
    return columns


def header_index(
    header: list[str], columns: dict[str, str], needed: set[str], fmt: str, line: int
) -> dict[str, int]:
    folded = {name.casefold(): position for position, name in reversed(list(enumerate(header)))}
    index: dict[str, int] = {}
    for role, name in columns.items():
        position = folded.get(name.casefold())
        if position is not None:
            index[role] = position
    required = ["id", "created", "type"]
    for evidence in sorted(needed):
        if evidence == "first_response" and "first_response_minutes" in columns:
            required.append("first_response_minutes")
        else:
            required.append(evidence)
    for role in required:
        if role not in index:
            column = columns.get(role)
            claimed = set(index.values())
            unused = [name for position, name in enumerate(header) if position not in claimed]
            if column is None:
                message = f"a {fmt} export has no `{role}` column by default"
            else:
                message = f"the header has no `{column}` column (needed for `{role}`)"
            raise ExportUnreadable(
                Code.EXPORT_COLUMN_MISSING,
                message + _column_hint(role, column or role.replace("_", " "), unused),
                line,
            )
    return index


MAX_COLUMNS_COMPARED = 1000
"""A header with more unclaimed columns than this gets no "did you mean" (each is compared)."""


def _column_hint(role: str, wanted: str, unused: list[str]) -> str:
    """What to write in the export's policy entry: exactly, when one header column is close
    to the one wanted; otherwise where to name it."""
    close = []
    if len(unused) <= MAX_COLUMNS_COMPARED:
        import difflib  # only when something is wrong

        folded = {name.casefold(): name for name in reversed(unused) if name}
        close = difflib.get_close_matches(wanted.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        import json  # a JSON string is a YAML string, whatever the column's characters

        return (
            f"; if the export calls it `{folded[close[0]]}`, write "
            f"`columns: {{{role}: {json.dumps(folded[close[0]], ensure_ascii=False)}}}` "
            "in the export's policy entry"
        )
    return f"; name the export's column for it in `columns.{role}` of the export's policy entry"
