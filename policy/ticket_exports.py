"""Reading ticket exports: Freshdesk and Zendesk CSV, GitHub issues as JSON — streamed.

Every export is read through :class:`~.files.NamedStream` (bounded in total) in chunks,
and parsed a row at a time, so 100,000 rows take the memory of one row. A row that
cannot be read (a bad timestamp, fields missing, bytes in another encoding, a row or
JSON item beyond :data:`MAX_ROW_BYTES`) becomes a :class:`RowProblem` with its line
number and the rest are still read; only a problem that stops the whole file (no
header, a column the mapping needs is missing, UTF-16, JSON that is not an array) is
an :class:`ExportUnreadable`.

Framework-free: the CLI and the benchmarks use it.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from .diagnostics import Code

if TYPE_CHECKING:
    from .models import TicketExport

MAX_EXPORT_BYTES = 2 * 1024**3
"""A ticket export may hold this much in all (it is streamed, never held)."""
MAX_ROW_BYTES = 4 * 1024 * 1024
"""One CSV line or one JSON item (an issue with its comments) may hold this much."""

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


def _columns(export: TicketExport | None, fmt: str) -> dict[str, str]:
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
    columns = _columns(export, fmt)
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
            index = _header_index(header, columns, needed, fmt, start)
            continue
        yield _csv_ticket(fields, len(header), index, zone, start)


def _too_long() -> str:
    return f"the line is longer than {MAX_ROW_BYTES:,} bytes; it was not read"


def _header_index(
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


# --- GitHub issues (JSON) --------------------------------------------------------------


def read_github(chunks: Iterable[bytes], handles: dict[str, str], zone: tzinfo) -> Iterator[Row]:
    """The issues of ``gh issue list --json number,title,labels,createdAt,closedAt,comments``.

    An array of objects (or one object per line, as ``--jq '.[]'`` writes). The first
    response is the first comment by a login in ``handles`` (compared ignoring case).
    """
    members = {login.casefold() for login in handles}
    for line, item in _json_items(chunks):
        yield _issue(item, line, members, zone)


def _json_items(chunks: Iterable[bytes]) -> Iterator[tuple[int, Any]]:
    import json  # only GitHub exports need it

    decoder = json.JSONDecoder()
    text_decoder = codecs.getincrementaldecoder("utf-8")()
    source = iter(chunks)
    buffer, position, line, at_end = "", 0, 1, False

    def more() -> bool:
        nonlocal buffer, position, at_end
        if at_end:
            return False
        chunk = next(source, None)
        try:
            text = text_decoder.decode(chunk or b"", final=chunk is None)
        except UnicodeDecodeError:
            raise ExportUnreadable(
                Code.EXPORT_UNREADABLE, "the export is not UTF-8 text", line
            ) from None
        if chunk is None:
            at_end = True
        if position > len(buffer) // 2:  # drop what was read; keeps slicing linear
            buffer, position = buffer[position:], 0
        buffer += text
        return True

    def skip(characters: str) -> str | None:
        """The next character that is not in ``characters``, reading on; None at the end."""
        nonlocal position, line
        while True:
            while position < len(buffer) and buffer[position] in characters:
                line += buffer[position] == "\n"
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not more():
                return None

    first = skip(" \t\r\n\ufeff")
    if first is None:
        return
    in_array = first == "["
    if in_array:
        position += 1
    elif first != "{":
        raise ExportUnreadable(
            Code.EXPORT_UNREADABLE,
            "a GitHub export is a JSON array of issues (`gh issue list --json …`)",
            line,
        )
    number = 0
    while True:
        after = skip(" \t\r\n," if in_array else " \t\r\n")
        if after is None:
            if in_array:
                raise ExportUnreadable(Code.EXPORT_UNREADABLE, "the JSON array is not closed", line)
            return
        if in_array and after == "]":
            return
        number += 1
        while True:
            try:
                item, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as error:
                if len(buffer) - position > MAX_ROW_BYTES:
                    raise ExportUnreadable(
                        Code.ROW_MALFORMED,
                        f"issue {number} is larger than {MAX_ROW_BYTES:,} bytes or not JSON: "
                        f"{error.msg}",
                        line,
                    ) from None
                if not more():
                    raise ExportUnreadable(
                        Code.EXPORT_UNREADABLE,
                        f"issue {number} is not valid JSON: {error.msg}",
                        line + buffer.count("\n", position, error.pos),
                    ) from None
        yield line, item
        line += buffer.count("\n", position, end)
        position = end


def _issue(item: Any, line: int, members: set[str], zone: tzinfo) -> Row:
    if not isinstance(item, dict) or not isinstance(item.get("number"), int):
        return RowProblem(line, Code.ROW_MALFORMED, "an item without an issue `number`")
    ticket_id = str(item["number"])
    title = item.get("title")
    labels = item.get("labels") or []
    comments = item.get("comments") or []
    if not isinstance(labels, list) or not isinstance(comments, list):
        return RowProblem(
            line, Code.ROW_MALFORMED, f"issue {ticket_id}: `labels` and `comments` are lists"
        )
    names = tuple(
        label["name"]
        for label in labels
        if isinstance(label, dict) and isinstance(label.get("name"), str)
    )
    try:
        created = _github_time(item.get("createdAt"), zone)
        closed = _github_time(item.get("closedAt"), zone)
        first: datetime | None = None
        for comment in comments:
            author = comment.get("author") if isinstance(comment, dict) else None
            login = author.get("login") if isinstance(author, dict) else None
            if isinstance(login, str) and login.casefold() in members:
                when = _github_time(comment.get("createdAt"), zone)
                if when is not None and (first is None or when < first):
                    first = when
    except ValueError as error:
        return RowProblem(line, Code.ROW_BAD_TIME, f"issue {ticket_id}: {error}")
    if created is None:
        return RowProblem(line, Code.ROW_BAD_TIME, f"issue {ticket_id} has no `createdAt`")
    return Ticket(
        id=ticket_id,
        title=title if isinstance(title, str) else "",
        line=line,
        type_values=names,
        created=created,
        first_response=first,
        resolved=closed,
        closed=closed,
    )


def _github_time(value: Any, zone: tzinfo) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("a timestamp is text such as 2026-03-10T09:30:00Z")
    return parse_instant(value, zone)
