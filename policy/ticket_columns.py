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
            if column is None:
                message = (
                    f"a {fmt} export has no `{role}` column by default; name it in "
                    f"`columns.{role}` of the export's policy entry"
                )
            else:
                message = (
                    f"the header has no `{column}` column (needed for `{role}`); rename it in "
                    f"`columns` of the export's policy entry if the export calls it otherwise"
                )
            raise ExportUnreadable(Code.EXPORT_COLUMN_MISSING, message, line)
    return index
