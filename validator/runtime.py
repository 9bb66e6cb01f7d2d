"""What every command shares: exit statuses, reporting a stop, loading the policy, "now".

A command module (in :mod:`.commands`) reads its arguments, asks :mod:`support_policy.policy`
for what it shows, and leaves through one of these exit statuses; :func:`.cli.main`
turns exceptions (:class:`UsageError`, :class:`~support_policy.policy.policy_path.NoPolicy`,
out-of-range dates, a bad ``SOURCE_DATE_EPOCH``) into one coded line and status 2.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from support_policy.policy import clock
from support_policy.policy.bounds import check_date, check_instant
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.files import write_not_following, write_refusal

if TYPE_CHECKING:
    from support_policy.policy.loader import LoadedPolicy

EXIT_OK, EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


def fail(diagnostic: Diagnostic) -> None:
    """Report a problem that stops the command (on stderr, in display form)."""
    sys.stderr.write(diagnostic.format() + "\n")


def load_valid_policy(path: Path | None) -> LoadedPolicy | int:
    """Load a policy for a command that derives values from it.

    Returns the loaded policy, or the exit status after reporting why it cannot be used:
    2 when it cannot be read, 1 when it has errors (derived values would be wrong).
    """
    from support_policy.policy.diagnostics import has_errors
    from support_policy.policy.loader import PolicyUnreadable, load_policy

    try:
        loaded = load_policy(path)
    except PolicyUnreadable as unreadable:
        fail(unreadable.diagnostic)
        return EXIT_CANNOT_RUN
    if loaded.policy is None or has_errors(loaded.diagnostics):
        for diagnostic in loaded.diagnostics:
            fail(diagnostic)
        from support_policy.policy.safe_text import for_terminal

        sys.stderr.write(
            f"{for_terminal(loaded.display)}: the policy has errors; "
            "run `support-policy validate` first\n"
        )
        return EXIT_VIOLATIONS
    return loaded


def parse_when(text: str, zone: tzinfo, what: str = "date") -> date | datetime:
    """A date (``2026-03-10``) or an ISO datetime; a datetime without a zone is in ``zone``.

    ``Z`` and offsets such as ``+02:00`` are honoured. Raises :class:`UsageError`, or
    :class:`OutOfRange` outside the supported dates (named ``what`` in the message).
    """
    value = text.strip()
    if len(value) == 10:
        try:
            return check_date(date.fromisoformat(value), what)
        except ValueError:
            pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        written = written_as_iso(text, with_time=True)
        raise UsageError(
            f"`{text}` is not a date or datetime; "
            + (
                f"write `{written}`"
                if written
                else "write e.g. 2026-03-10, 2026-03-10T09:30 or 2026-03-10T09:30Z"
            )
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=zone)
    return check_instant(moment, what)


def parse_day(text: str | None, option: str) -> date | None:
    """A date option such as ``--from 2026-03-31``; ``None`` when not given."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} `{text}` is not a date{date_hint(text)}") from None


_YEAR_FIRST = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)


def written_as_iso(text: str, *, with_time: bool = False) -> str | None:
    """The ISO form of a date (and time) written year first another way — ``2026-3-10``,
    ``2026/03/10``, ``2026.03.10 9:30`` — or ``None`` when there is no single reading.

    Day-first and month-first dates (``10/03/2026``) are ambiguous: no suggestion.
    """
    match = _YEAR_FIRST.match(text.strip())
    if match is None or (match.group(4) is not None and not with_time):
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    written = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is not None:
        written += f"T{int(hour):02d}:{minute}" + (f":{second}" if second else "")
        if zone:
            written += "Z" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
    try:
        datetime.fromisoformat(written)
    except ValueError:  # `2026-02-30`: no such day, so nothing to suggest
        return None
    return written


def date_hint(text: str) -> str:
    """How to write the date option ``text`` (starting with ``; ``): exactly, when there
    is one reading, or by example."""
    written = written_as_iso(text)
    return f"; write `{written}`" if written else " such as 2026-03-31 (YYYY-MM-DD)"


def now() -> datetime:
    """The current instant (:func:`support_policy.policy.clock.now`: the one rule for
    ``SOURCE_DATE_EPOCH``); a bad value raises :class:`BadEpoch`, reported as SP922."""
    return clock.now()


def write_output(path: Path, data: bytes) -> int:
    """Write ``data`` to ``path`` (named on the command line); the exit status.

    A symbolic link at ``path`` is refused rather than followed
    (:func:`~support_policy.policy.files.write_not_following`).
    """
    try:
        write_not_following(path, data)
    except OSError as error:
        reason = write_refusal(path, error)
        fail(Diagnostic.make(Code.CANNOT_WRITE, f"cannot write: {reason}", str(path)))
        return EXIT_CANNOT_RUN
    return EXIT_OK
