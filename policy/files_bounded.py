"""What every file read shares: the refusal it raises and the bounded read of a regular file.

At most ``limit + 1`` bytes are read before "too large" is decided, so neither
``/dev/zero`` nor a sparse 2 GiB file is ever held in memory. How a file is *found* (named
on the command line, or by input and confined to its tree) is :mod:`.files` and
:mod:`.files_inside`.
"""

from __future__ import annotations

import os
import stat

from .diagnostics import Code, Diagnostic

CHUNK = 64 * 1024
"""How much one ``read`` asks for."""


class FileRefused(Exception):
    """A file the tool will not read (or not read further); a violation, exit status 1."""

    def __init__(self, code: Code, message: str, *, kind: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.kind = kind
        """What was found instead of a readable file, e.g. ``"folder"`` or ``"FIFO"``."""

    def diagnostic(self, file: str, line: int = 1, column: int = 1) -> Diagnostic:
        return Diagnostic.make(self.code, self.message, file, line, column)


def describe_size(limit: int) -> str:
    """``1 MiB`` for 1,048,576 and the like: how limits are shown in messages."""
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    return f"{limit:,} bytes"


def kind_of(mode: int) -> str:
    """A file type in words, for messages."""
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    return "special file"


def read_regular(fd: int, size: int, limit: int, too_large: Code) -> bytes:
    """The content of the regular file open as ``fd``, or ``too_large`` past ``limit`` bytes."""
    if size > limit:  # a sparse or huge file is refused by its size, unread
        raise too_large_error(too_large, limit, size)
    chunks: list[bytes] = []
    total = 0
    # The size may be 0 (/proc) or change while we read: never read past limit + 1.
    while total <= limit:
        chunk = os.read(fd, min(CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise too_large_error(too_large, limit, None)
    return b"".join(chunks)


def too_large_error(code: Code, limit: int, size: int | None) -> FileRefused:
    """The refusal of content past ``limit`` (``size`` when known before reading)."""
    bound = f"{limit:,} bytes ({describe_size(limit)})"
    if size is None:  # a pipe, or a file that grew: only "more than the limit" is known
        message = f"file is larger than the limit of {bound}; read no further"
    else:
        message = f"file is {size:,} bytes; the limit is {bound}"
    return FileRefused(code, message, kind="too large")
