"""``support-policy calendar``: export the rotations as iCalendar, a table or JSON.

Every rotation of the policy, each labelled by its role, or the one named with
``--rotation ID`` (an unknown id is bad usage: exit 2, listing the ids).

Exit status: 0 exported; 1 the policy has errors or no rotation (nothing exported);
2 cannot run (bad usage, missing policy, unwritable output). Diagnostics go to stderr so
that stdout carries only the export.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.bounds import MAX_WEEKS, check_date, parse_weeks
from support_policy.policy.diagnostics import Code, Diagnostic, has_errors
from support_policy.policy.loader import PolicyUnreadable, load_policy
from support_policy.policy.safe_text import for_terminal

from ..policy_path import add_policy_options, choose_policy
from ..rotation_choice import add_rotation_option, chosen_schedules
from ..runtime import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_VIOLATIONS,
    date_hint,
    fail,
    now,
    write_output,
)

# The default window: the tenures of the last few weeks, and the next months' hand-offs.
DEFAULT_WEEKS_BACK = 2
DEFAULT_WEEKS = 12
FORMATS = ("ics", "table", "json")


def _iso_date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date{date_hint(text)}") from None
    # Out of range is SP920 (raised past argparse), as everywhere else.
    return check_date(day, "--from")


def _weeks(text: str) -> int:
    # Also refuses 5,000-digit numbers before int() is asked to read them.
    try:
        return parse_weeks(text, "--weeks")
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "calendar",
        help="export the rotation as iCalendar (.ics), a table or JSON",
        description=(
            "Export the rotations of the policy (or the one named with --rotation): tenures "
            "with the reason for each swap, and one event per cover. Without --from and "
            "--weeks the export is a "
            f"window around today: from {DEFAULT_WEEKS_BACK} weeks before today (UTC, or "
            f"the day of SOURCE_DATE_EPOCH when set) for {DEFAULT_WEEKS} weeks."
        ),
    )
    add_policy_options(parser, positional=True)
    parser.add_argument(
        "--from",
        dest="first",
        type=_iso_date,
        metavar="DATE",
        help=(
            "the first day of the export (YYYY-MM-DD); tenures running then are included "
            f"(default: {DEFAULT_WEEKS_BACK} weeks before today)"
        ),
    )
    parser.add_argument(
        "--weeks",
        default=DEFAULT_WEEKS,
        type=_weeks,
        metavar="N",
        help=f"how many weeks to export (1–{MAX_WEEKS})",
    )
    add_rotation_option(parser)
    parser.add_argument("--format", choices=FORMATS, default="ics", help="output format")
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from ..ics_export import NoRotation, rotation_ics, rotation_json, rotation_table

    choice = choose_policy(args)
    first = args.first
    if first is None:
        first = now().date() - timedelta(weeks=DEFAULT_WEEKS_BACK)
    try:
        loaded = load_policy(choice.path)
    except PolicyUnreadable as unreadable:
        fail(unreadable.diagnostic)
        return EXIT_CANNOT_RUN
    for diagnostic in loaded.diagnostics:
        fail(diagnostic)
    if has_errors(loaded.diagnostics) or loaded.policy is None:
        fail(
            Diagnostic.make(
                Code.POLICY_HAS_ERRORS,
                "nothing exported: fix the policy's errors first",
                loaded.display,
            )
        )
        return EXIT_VIOLATIONS
    chosen_schedules(loaded.policy, args.rotation)  # an unknown id: exit 2 before anything
    # On stderr, so that stdout stays a valid .ics or JSON document.
    shown = for_terminal(loaded.display)
    sys.stderr.write(f"{shown}: rotation from {first.isoformat()} for {args.weeks} weeks\n")
    try:
        if args.format == "ics":
            data = rotation_ics(loaded, first, args.weeks, args.rotation)
        elif args.format == "json":
            data = rotation_json(loaded, first, args.weeks, args.rotation).encode("utf-8")
        else:
            data = rotation_table(loaded, first, args.weeks, args.rotation).encode("utf-8")
    except NoRotation as missing:
        fail(Diagnostic.make(Code.NO_ROTATION, f"{missing}; nothing exported", loaded.display))
        return EXIT_VIOLATIONS
    return _write(data, args.output, out)


def _write(data: bytes, output: Path | None, out: TextIO) -> int:
    if output is not None:
        return write_output(output, data)
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        # Bytes as they are: CRLF line endings must survive text-mode newline translation.
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK
