"""What reading a ticket export yields: tickets, row problems, or a file that cannot be read.

Shared by the CSV and the GitHub readers, and by the SLA report that counts the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from .diagnostics import Code

MAX_EXPORT_BYTES = 2 * 1024**3
"""A ticket export may hold this much in all (it is streamed, never held)."""
MAX_ROW_BYTES = 4 * 1024 * 1024
"""One CSV line or one JSON item (an issue with its comments) may hold this much."""

EVIDENCE = ("first_response", "resolved", "closed")


@dataclass(frozen=True)
class Ticket:
    """One ticket, as the report needs it; instants are aware."""

    id: str
    title: str
    line: int
    type_values: tuple[str, ...]
    created: datetime
    first_response: datetime | None
    resolved: datetime | None
    closed: datetime | None

    def evidence(self, name: str) -> datetime | None:
        value: datetime | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class RowProblem:
    """A row that was not counted, and why (a warning at ``line``)."""

    line: int
    code: Code
    message: str


class ExportUnreadable(Exception):
    """The export cannot be read at all (a violation, exit status 1)."""

    def __init__(self, code: Code, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


Row = Ticket | RowProblem

# An offset written after the time, with or without a colon or a space: `+0000`, ` UTC`.
_TRAILING_OFFSET = re.compile(r"\s*(?:([+-])(\d{2}):?(\d{2})|(Z|UTC|GMT))$", re.IGNORECASE)


def parse_instant(text: str, zone: tzinfo) -> datetime | None:
    """An export's timestamp; ``None`` when empty. Raises ``ValueError`` when unreadable.

    ISO 8601 with ``T`` or a space, seconds optional, an offset (``Z``, ``+02:00``,
    ``+0200``, `` UTC``) optional; without one the time is in ``zone`` (a repeated
    autumn hour means its first occurrence, as in deadlines).
    """
    value = text.strip()
    if not value:
        return None
    offset = ""
    match = _TRAILING_OFFSET.search(value)
    if match is not None and len(value) > 10:
        sign, hours, minutes, utc = match.groups()
        offset = "+00:00" if utc else f"{sign}{hours}:{minutes}"
        value = value[: match.start()]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?", value):
        raise ValueError(f"`{text.strip()}` is not a date and time such as 2026-03-10 09:30:00")
    moment = datetime.fromisoformat(value.replace(" ", "T") + offset)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone, fold=0)
    return moment
