"""Reading a GitHub issues export (JSON), streamed one issue at a time."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from typing import Any

from .diagnostics import Code
from .ticket_rows import MAX_ROW_BYTES, ExportUnreadable, Row, RowProblem, Ticket, parse_instant


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

    from .json_input import NumberRefused, strict_decoder

    decoder = strict_decoder()
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
            except NumberRefused as error:  # NaN, 1e400, a thousand digits: not an issue
                raise ExportUnreadable(
                    Code.ROW_MALFORMED, f"issue {number} is not valid JSON: {error}", line
                ) from None
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
