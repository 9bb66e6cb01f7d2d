"""Reading a file named by input (a ``file:`` template, an entry of a ``--templates`` folder),
never outside its tree.

A pull request chose the name. :func:`read_inside` opens it one path component at a time,
each from an open handle on the folder above it and with ``O_NOFOLLOW``, so the kernel
never follows a symbolic link on our behalf; see :mod:`.files` for the whole story.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from pathlib import Path, PurePosixPath

from .diagnostics import Code
from .files_bounded import FileRefused, kind_of, read_regular

MAX_LINKS = 40
"""Symbolic links followed in one path before it is refused as a loop (Linux's limit)."""

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


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
        return read_regular(fd, os.fstat(fd).st_size, limit, too_large)
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
