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
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .diagnostics import Code, Diagnostic

PIPE_SECONDS = 60.0
"""How long a pipe named on the command line may take to deliver its whole content."""
MAX_LINKS = 40
"""Symbolic links followed in one path before it is refused as a loop (Linux's limit)."""

_CHUNK = 64 * 1024
_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


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
        return _read_regular(fd, info.st_size, limit, too_large)
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
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        except BlockingIOError:
            continue
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(too_large, limit, None)


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
                raise _too_large(too_large, limit, info.st_size)
        except BaseException:
            os.close(self._fd)
            raise
        self._pipe = stat.S_ISFIFO(info.st_mode)
        self._limit, self._too_large, self._seconds = limit, too_large, pipe_seconds

    def __enter__(self) -> NamedStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def chunks(self, size: int = _CHUNK) -> Iterator[bytes]:
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
                raise _too_large(self._too_large, self._limit, None)
            yield chunk


# --- Files named by input -------------------------------------------------------------


def read_inside(
    root: Path,
    relative: str,
    limit: int,
    *,
    where: str = "its folder",
    too_large: Code = Code.FILE_TOO_LARGE,
) -> bytes:
    """Read the regular file at ``relative`` inside ``root``, at most ``limit`` bytes.

    ``where`` names ``root`` in messages ("the policy's folder"). Raises
    :class:`FileRefused`: SP304 not found (or a path through a file), SP305 it leads
    outside ``root``, SP306 not a regular file (``kind`` says what it is), SP307 a link
    loop, ``too_large`` beyond the limit. Other ``OSError`` (permission denied, a
    missing ``root``) propagate.
    """
    fd = _open_inside(root, relative, where)
    try:
        return _read_regular(fd, os.fstat(fd).st_size, limit, too_large)
    finally:
        os.close(fd)


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part not in ("", ".")]


def _open_inside(root: Path, relative: str, where: str) -> int:
    """An open descriptor on the regular file ``relative`` names inside ``root``."""
    shown = f"`{relative}`"
    if PurePosixPath(relative).is_absolute():
        raise _outside(shown, where, "an absolute path")
    pending = deque(_parts(relative))
    folders = [os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
    links = 0
    try:
        while pending:
            if links > MAX_LINKS:
                raise FileRefused(
                    Code.SYMLINK_LOOP,
                    f"{shown} goes through more than {MAX_LINKS} symbolic links "
                    "(a link loop); nothing was read",
                    kind="link loop",
                )
            name = pending.popleft()
            if name == "..":
                if len(folders) == 1:
                    raise _outside(shown, where, "`..` climbs above it")
                os.close(folders.pop())
                continue
            try:
                mode = os.stat(name, dir_fd=folders[-1], follow_symlinks=False).st_mode
            except (FileNotFoundError, NotADirectoryError):
                raise _missing(shown) from None
            if stat.S_ISLNK(mode):
                links += 1
                target = os.readlink(name, dir_fd=folders[-1])
                if target.startswith("/"):
                    raise _outside(shown, where, "a symbolic link to an absolute path")
                pending.extendleft(reversed(_parts(target)))
                continue
            if pending:  # a folder on the way
                if not stat.S_ISDIR(mode):
                    raise _missing(shown)
                opened = _open_no_follow(name, _DIRECTORY_FLAGS, folders[-1], shown)
                if opened is None:  # replaced since the check: look at it again
                    links += 1
                    pending.appendleft(name)
                    continue
                folders.append(opened)
                continue
            if not stat.S_ISREG(mode):  # checked before the open: a FIFO is never opened
                raise _not_regular(shown, mode)
            opened = _open_no_follow(name, _FILE_FLAGS, folders[-1], shown)
            if opened is None:
                links += 1
                pending.appendleft(name)
                continue
            mode = os.fstat(opened).st_mode
            if not stat.S_ISREG(mode):  # replaced since the check
                os.close(opened)
                raise _not_regular(shown, mode)
            return opened
        raise _not_regular(shown, stat.S_IFDIR)  # the path ends at a folder
    finally:
        for folder in folders:
            os.close(folder)


def _open_no_follow(name: str, flags: int, folder: int, shown: str) -> int | None:
    """Open ``name`` in ``folder`` without following a link; ``None`` if it is one."""
    try:
        return os.open(name, flags, dir_fd=folder)
    except OSError as error:
        # O_NOFOLLOW on a link fails with ELOOP (EMLINK on FreeBSD); with O_DIRECTORY,
        # Linux says ENOTDIR. Either way the caller looks at the name again.
        if error.errno in (errno.ELOOP, errno.EMLINK) or (
            error.errno == errno.ENOTDIR and flags & os.O_DIRECTORY
        ):
            return None
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            raise _missing(shown) from None
        raise


def _missing(shown: str) -> FileRefused:
    return FileRefused(Code.TEMPLATE_FILE_MISSING, f"{shown} not found", kind="missing")


def _outside(shown: str, where: str, how: str) -> FileRefused:
    return FileRefused(
        Code.FILE_OUTSIDE_TREE,
        f"{shown} leads outside {where} ({how}); nothing was read",
        kind="outside",
    )


def _not_regular(shown: str, mode: int) -> FileRefused:
    kind = kind_of(mode)
    return FileRefused(
        Code.NOT_REGULAR_FILE,
        f"{shown} is a {kind}, not a regular file; nothing was read",
        kind=kind,
    )


# --- Reading, bounded -----------------------------------------------------------------


def _read_regular(fd: int, size: int, limit: int, too_large: Code) -> bytes:
    if size > limit:  # a sparse or huge file is refused by its size, unread
        raise _too_large(too_large, limit, size)
    chunks: list[bytes] = []
    total = 0
    # The size may be 0 (/proc) or change while we read: never read past limit + 1.
    while total <= limit:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise _too_large(too_large, limit, None)
    return b"".join(chunks)


def _too_large(code: Code, limit: int, size: int | None) -> FileRefused:
    bound = f"{limit:,} bytes ({describe_size(limit)})"
    if size is None:  # a pipe, or a file that grew: only "more than the limit" is known
        message = f"file is larger than the limit of {bound}; read no further"
    else:
        message = f"file is {size:,} bytes; the limit is {bound}"
    return FileRefused(code, message, kind="too large")
