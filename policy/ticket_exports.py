"""Reading ticket exports: Freshdesk and Zendesk CSV, GitHub issues as JSON — streamed.

Every export is read through :class:`~.files.NamedStream` (bounded in total) in chunks,
and parsed a row at a time, so 100,000 rows take the memory of one row. A row that
cannot be read (a bad timestamp, fields missing, bytes in another encoding, a row or
JSON item beyond :data:`MAX_ROW_BYTES`) becomes a :class:`RowProblem` with its line
number and the rest are still read; only a problem that stops the whole file (no
header, a column the mapping needs is missing, UTF-16, JSON that is not an array) is
an :class:`ExportUnreadable`.

Framework-free: the CLI and the benchmarks use it. This module reads CSV exports and is
the one address of the readers; the GitHub reader (:mod:`.ticket_github`), the CSV column
mapping (:mod:`.ticket_columns`) and what a row becomes (:mod:`.ticket_rows`) live beside it.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from .diagnostics import Code
from .ticket_columns import DEFAULT_COLUMNS, columns_for, header_index
from .ticket_github import read_github
from .ticket_rows import (
    EVIDENCE,
    MAX_EXPORT_BYTES,
    MAX_ROW_BYTES,
    ExportUnreadable,
    Row,
    RowProblem,
    Ticket,
    parse_instant,
)

if TYPE_CHECKING:
    from .models import TicketExport

__all__ = [
    "DEFAULT_COLUMNS",
    "EVIDENCE",
    "MAX_EXPORT_BYTES",
    "MAX_ROW_BYTES",
    "ExportUnreadable",
    "Row",
    "RowProblem",
    "Ticket",
    "parse_instant",
    "read_csv",
    "read_github",
]


# --- Lines of bytes, bounded ----------------------------------------------------------


class _Lines:
    """Physical lines of a byte stream, decoded with ``surrogateescape``.

    A line longer than :data:`MAX_ROW_BYTES` is not kept: an empty line stands in for it
    and its number is noted in ``too_long``, so line numbers stay true.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.too_long: list[int] = []
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        pending = bytearray()
        skipping = False
        first = True
        for chunk in self._chunks:
            if first:
                first = False
                if chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise ExportUnreadable(
                        Code.EXPORT_UNREADABLE,
                        "the export is UTF-16 text; export it as CSV in UTF-8",
                    )
                chunk = chunk.removeprefix(codecs.BOM_UTF8)
            start = 0
            while True:
                end = chunk.find(b"\n", start)
                if end < 0:
                    if not skipping:
                        pending += chunk[start:]
                        if len(pending) > MAX_ROW_BYTES:
                            skipping = True
                            pending.clear()
                    break
                if not skipping:
                    pending += chunk[start : end + 1]
                yield self._line(pending, skipping)
                pending.clear()
                skipping = False
                start = end + 1
        if pending or skipping:
            yield self._line(pending, skipping)

    def _line(self, data: bytearray, skipped: bool) -> str:
        self.number += 1
        if skipped:
            self.too_long.append(self.number)
            return "\n"
        return data.decode("utf-8", "surrogateescape")


def _has_surrogates(fields: list[str]) -> bool:
    return any(re.search("[\udc80-\udcff]", field) for field in fields)


# --- CSV exports -----------------------------------------------------------------------


def read_csv(
    chunks: Iterable[bytes],
    fmt: str,
    export: TicketExport | None,
    zone: tzinfo,
    needed: set[str],
) -> Iterator[Row]:
    """The tickets (and row problems) of a Freshdesk or Zendesk CSV export.

    ``needed`` names the evidence (``first_response``, ``resolved``, ``closed``) the
    report uses: their columns must be in the header.
    """
    lines = _Lines(chunks)
    reader = csv.reader(lines, strict=True)
    columns = columns_for(export, fmt)
    header: list[str] | None = None
    index: dict[str, int] = {}
    last_line = 0
    while True:
        start = last_line + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            last_line = lines.number
            if header is None:
                raise ExportUnreadable(
                    Code.EXPORT_UNREADABLE, f"the header cannot be read as CSV: {error}", start
                ) from None
            yield RowProblem(start, Code.ROW_MALFORMED, f"not a CSV row: {error}")
            continue
        last_line = lines.number
        for number in lines.too_long:
            yield RowProblem(number, Code.ROW_MALFORMED, _too_long())
        too_long = bool(lines.too_long)
        lines.too_long.clear()
        if too_long or not any(field.strip() for field in fields):
            continue
        if _has_surrogates(fields):
            if header is None:
                raise ExportUnreadable(
                    Code.EXPORT_UNREADABLE,
                    "the header is not UTF-8 text; export the tickets as CSV in UTF-8",
                    start,
                )
            yield RowProblem(
                start,
                Code.ROW_NOT_UTF8,
                "the row is not UTF-8 text (another encoding?); export the tickets as UTF-8",
            )
            continue
        if header is None:
            header = [field.strip() for field in fields]
            index = header_index(header, columns, needed, fmt, start)
            continue
        yield _csv_ticket(fields, len(header), index, zone, start)


def _too_long() -> str:
    return f"the line is longer than {MAX_ROW_BYTES:,} bytes; it was not read"


def _csv_ticket(
    fields: list[str], width: int, index: dict[str, int], zone: tzinfo, line: int
) -> Row:
    if len(fields) < width:
        return RowProblem(
            line,
            Code.ROW_MALFORMED,
            f"the row has {len(fields)} fields, the header {width}: columns are missing",
        )
    if any(field.strip() for field in fields[width:]):
        return RowProblem(
            line, Code.ROW_MALFORMED, f"the row has {len(fields)} fields, the header {width}"
        )

    def cell(role: str) -> str:
        position = index.get(role)
        return fields[position].strip() if position is not None else ""

    ticket_id = cell("id")
    if not ticket_id:
        return RowProblem(line, Code.ROW_MALFORMED, "the row has no ticket id")
    times: dict[str, datetime | None] = {}
    for role in ("created", *EVIDENCE):
        try:
            times[role] = parse_instant(cell(role), zone)
        except ValueError as error:
            return RowProblem(line, Code.ROW_BAD_TIME, f"ticket {ticket_id}, {role}: {error}")
    created = times["created"]
    if created is None:
        return RowProblem(line, Code.ROW_BAD_TIME, f"ticket {ticket_id} has no creation time")
    minutes = cell("first_response_minutes")
    if minutes and times["first_response"] is None:
        try:
            amount = Decimal(minutes)
            if not amount.is_finite() or amount < 0 or amount > 10**8:
                raise InvalidOperation
        except InvalidOperation:
            return RowProblem(
                line,
                Code.ROW_BAD_TIME,
                f"ticket {ticket_id}, first_response_minutes: `{minutes}` is not a number "
                "of minutes",
            )
        times["first_response"] = created + timedelta(minutes=float(amount))
    kind = cell("type")
    return Ticket(
        id=ticket_id,
        title=cell("title"),
        line=line,
        type_values=(kind,) if kind else (),
        created=created,
        first_response=times["first_response"],
        resolved=times["resolved"],
        closed=times["closed"],
    )
