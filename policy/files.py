"""Reading files: the one way the tool reads a file — bounded, and never out of its tree.

Files reach the tool in two ways, trusted differently:

* **Named on the command line** (the policy, ``--calendar``) or in ``conf.py``: whoever
  wrote the command chose the file, so :func:`read_named` reads it where it is (symlinks
  followed). Regular files and pipes are accepted, so ``--calendar <(cat rota.ics)``
  works; a device, socket or folder is refused before anything is read. A pipe must
  deliver its content within :data:`PIPE_SECONDS`, so a silent writer cannot stall CI.
* **Named by input** (``file:`` templates, the entries of a ``--templates`` folder): a
  pull request chose them. :func:`read_inside` opens them one path component at a time,
  each from an open handle on the folder above it and with ``O_NOFOLLOW``, so the kernel
  never follows a symbolic link on our behalf. A link is read with ``readlink`` and its
  target walked by the same rules: a link that stays inside the tree is followed (a link
  from ``templates/a.md`` to ``shared/a.md`` is fine), one that leaves it — absolute, or
  climbing above the root with ``..`` — is refused. Because every step opens a name
  relative to a folder already open and never follows a link, swapping a checked file
  or folder for a link between the check and the open cannot lead outside either. Only
  a regular file is read: its type is checked before the open (so a FIFO is never
  opened for reading, a device never opened at all) and again on the open handle.

Either way at most ``limit + 1`` bytes are read before "too large" is decided, so neither
``/dev/zero`` nor a sparse 2 GiB file is ever held in memory. Every refusal is a
:class:`FileRefused` carrying a stable code and a message that names the file and its
kind, never its content.

This module reads files named on the command line; :mod:`.files_inside` those named by
input, and :mod:`.files_bounded` holds what both share.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import Code
from .files_bounded import (
    CHUNK,
    FileRefused,
    describe_size,
    kind_of,
    read_regular,
    too_large_error,
)
from .files_inside import MAX_LINKS, read_inside

__all__ = [
    "MAX_LINKS",
    "PIPE_SECONDS",
    "FileRefused",
    "NamedStream",
    "check_not_redirected",
    "describe_size",
    "kind_of",
    "read_inside",
    "read_named",
]

PIPE_SECONDS = 60.0
"""How long a pipe named on the command line may take to deliver its whole content."""


# --- Files named on the command line --------------------------------------------------


def read_named(
    path: Path,
    limit: int,
    *,
    too_large: Code = Code.FILE_TOO_LARGE,
    pipe_seconds: float = PIPE_SECONDS,
) -> bytes:
    """Read a regular file or a pipe named by the user, at most ``limit`` bytes.

    Raises ``OSError`` when the file cannot be opened (``IsADirectoryError`` for a
    folder), :class:`FileRefused` for a device or socket (SP004), a pipe that is too slow
    (SP005), a relative path that a link leads out of the current folder (SP006) or
    content beyond ``limit`` (``too_large``).
    """
    check_not_redirected(path)
    _check_named(os.stat(path).st_mode)  # before the open: a device is never opened
    # O_NONBLOCK: opening a FIFO must not wait for a writer; reads wait in select().
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        _check_named(info.st_mode)  # what was opened, should the path have changed
        if stat.S_ISFIFO(info.st_mode):
            return _read_pipe(fd, limit, too_large, pipe_seconds)
        return read_regular(fd, info.st_size, limit, too_large)
    finally:
        os.close(fd)


def check_not_redirected(path: Path) -> None:
    """Refuse a relative path inside the current folder that a link leads out of it.

    CI names files of the checkout (``validate policy.yaml --templates templates``), and a
    pull request can turn any of them into a symbolic link: to ``/etc`` or the runner's
    home. An absolute path, or one that climbs out with ``..`` as written, was chosen as
    such and is read where it leads. (Not race-free like :func:`read_inside`: it guards
    against links committed to the checkout, which do not move while the tool runs.)
    """
    if path.is_absolute():
        return
    try:
        here = Path.cwd()
    except OSError:  # the current folder is gone: the open fails on its own
        return
    if not Path(os.path.normpath(here / path)).is_relative_to(here):
        return
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(here)):
        raise FileRefused(
            Code.NAMED_OUTSIDE_TREE,
            "a symbolic link leads this path out of the current folder; nothing was read "
            "(name the file by an absolute path to read it anyway)",
            kind="outside",
        )


def _check_named(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise FileRefused(
            Code.NOT_A_FILE,
            f"is a {kind_of(mode)}, not a regular file or pipe; nothing was read",
            kind=kind_of(mode),
        )


def _read_pipe(fd: int, limit: int, too_large: Code, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    total = 0
    while True:
        left = deadline - time.monotonic()
        # A FIFO no writer has opened yet is not readable (not at end): we wait for it.
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise FileRefused(
                Code.PIPE_TIMEOUT,
                f"the pipe did not deliver its content within {seconds:g} seconds",
                kind="pipe",
            )
        try:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_large_error(too_large, limit, None)


class NamedStream:
    """A file named by the user, read in bounded chunks: :func:`read_named` for streams.

    For inputs too large to hold at once (a ticket export of 100,000 rows): the same
    refusals as :func:`read_named` when it is opened (``OSError``, SP004, SP006), then
    :meth:`chunks` yields at most ``limit`` bytes in all, raising ``too_large`` beyond
    and SP005 when a pipe stalls. Use it as a context manager: the file is closed on exit.
    """

    def __init__(
        self,
        path: Path,
        limit: int,
        *,
        too_large: Code = Code.FILE_TOO_LARGE,
        pipe_seconds: float = PIPE_SECONDS,
    ) -> None:
        check_not_redirected(path)
        _check_named(os.stat(path).st_mode)
        self._fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            info = os.fstat(self._fd)
            _check_named(info.st_mode)
            if info.st_size > limit and stat.S_ISREG(info.st_mode):
                raise too_large_error(too_large, limit, info.st_size)
        except BaseException:
            os.close(self._fd)
            raise
        self._pipe = stat.S_ISFIFO(info.st_mode)
        self._limit, self.too_large_error, self._seconds = limit, too_large, pipe_seconds

    def __enter__(self) -> NamedStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The content in chunks of at most ``size`` bytes, in order."""
        deadline = time.monotonic() + self._seconds
        total = 0
        while True:
            if self._pipe:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._fd], [], [], left)[0]:
                    raise FileRefused(
                        Code.PIPE_TIMEOUT,
                        f"the pipe did not deliver its content within {self._seconds:g} seconds",
                        kind="pipe",
                    )
            try:
                chunk = os.read(self._fd, min(size, self._limit + 1 - total))
            except BlockingIOError:
                continue
            if not chunk:
                return
            total += len(chunk)
            if total > self._limit:
                raise too_large_error(self.too_large_error, self._limit, None)
            yield chunk


def write_not_following(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, refusing a symbolic link there rather than following it.

    Output folders can hold what a pull request planted (a committed link where CI writes
    its export or the site's feed), pointing at a file of the runner's. ``OSError`` when
    the file cannot be written; :func:`write_refusal` says why in words.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o644)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)


def write_refusal(path: Path, error: OSError) -> str:
    """Why :func:`write_not_following` failed, for a one-line message."""
    return "is a symbolic link; not followed" if path.is_symlink() else str(error.strerror)
