"""``support-policy validate``: check a policy file and the files that must agree with it.

Everything wrong is reported in one run, sorted by file and position. Exit status 0 when
clean (warnings allowed unless ``--strict``), 1 for violations, 2 when the check cannot run
(a missing or unreadable file or folder, bad usage).

Imports stay light: yaml and pydantic through the policy package. The calendar check
(and with it icalendar) is imported only when ``--calendar`` is given.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic, has_errors
from support_policy.policy.loader import LoadedPolicy, PolicyUnreadable, load_policy

from ..policy_path import NoPolicy, add_policy_options, choose_policy
from ..reporters import REPORTERS, Report
from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, EXIT_VIOLATIONS
from ..templates_check import TemplatesUnreadable, check_template_dirs


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check a policy file, rotation calendars and template folders (exit 1 on violations)",
        description=(
            "Check a policy file and, optionally, rotation calendars and template folders "
            "against it. Exit status: 0 clean, 1 violations, 2 cannot run."
        ),
    )
    add_policy_options(parser, positional=True)
    parser.add_argument(
        "--calendar",
        action="append",
        type=Path,
        default=[],
        metavar="FILE.ics",
        help="a rotation calendar to check against the policy (repeatable)",
    )
    parser.add_argument(
        "--templates",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="a folder of template files named <template id>.<ext> (repeatable)",
    )
    parser.add_argument(
        "--format",
        choices=list(REPORTERS),
        default=None,
        help="output format (default: text; github annotations too when GITHUB_ACTIONS=true)",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as violations")
    parser.set_defaults(run=run)


def output_format(requested: str | None) -> str:
    if requested is not None:
        return requested
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _missing_inputs(args: argparse.Namespace) -> list[Diagnostic]:
    """Calendars and template folders that cannot be read at all (exit status 2)."""
    problems = []
    for calendar in args.calendar:
        # Not `is_file()`: a pipe (`--calendar <(cat rota.ics)`) is read too; any other
        # kind of file is refused by the reader, without reading it.
        if calendar.is_dir() or not calendar.exists():
            reason = "is a directory, not a calendar file" if calendar.is_dir() else "no such file"
            problems.append(Diagnostic.make(Code.FILE_NOT_FOUND, reason, str(calendar)))
        elif not os.access(calendar, os.R_OK):
            problems.append(
                Diagnostic.make(Code.FILE_NOT_FOUND, "permission denied", str(calendar))
            )
    for folder in args.templates:
        if not folder.is_dir():
            reason = "is a file, not a template folder" if folder.exists() else "no such folder"
            problems.append(Diagnostic.make(Code.FILE_NOT_FOUND, reason, str(folder)))
    return problems


def _calendar_diagnostics(loaded: LoadedPolicy, calendars: list[Path]) -> list[Diagnostic]:
    from support_policy.validator.calendar_check import check_calendar

    found: list[Diagnostic] = []
    for calendar in calendars:
        try:
            found += check_calendar(loaded, calendar, str(calendar))
        except ValueError:
            # The rotation itself is invalid (already reported against the policy), so
            # there is no schedule to compare the calendar with.
            if not has_errors(loaded.diagnostics):
                raise
    return found


def run(args: argparse.Namespace, out: TextIO) -> int:
    reporter = REPORTERS[output_format(args.format)]
    try:
        choice = choose_policy(args)
    except NoPolicy as missing:
        reporter(Report([missing.diagnostic], missing.diagnostic.file), out)
        return EXIT_CANNOT_RUN
    subject = choice.display
    cannot_run = _missing_inputs(args)
    try:
        loaded = load_policy(choice.path)
    except PolicyUnreadable as unreadable:
        cannot_run.insert(0, unreadable.diagnostic)
    if cannot_run:
        reporter(Report(sorted(cannot_run), subject), out)
        return EXIT_CANNOT_RUN
    diagnostics = list(loaded.diagnostics)
    try:
        diagnostics += check_template_dirs(loaded, args.templates)
    except TemplatesUnreadable as unreadable:
        reporter(Report([unreadable.diagnostic], subject), out)
        return EXIT_CANNOT_RUN
    if args.calendar and loaded.policy is not None:
        try:
            diagnostics += _calendar_diagnostics(loaded, args.calendar)
        except PolicyUnreadable as unreadable:
            reporter(Report([unreadable.diagnostic], subject), out)
            return EXIT_CANNOT_RUN
        except ImportError as error:
            message = f"cannot check calendars: {error} (reinstall support-policy)"
            problem = Diagnostic.make(Code.INTERNAL, message, str(args.calendar[0]))
            reporter(Report([problem], subject), out)
            return EXIT_CANNOT_RUN
    diagnostics = sorted(set(diagnostics))
    reporter(Report(diagnostics, subject), out)
    if has_errors(diagnostics) or (args.strict and any(d.severity != "note" for d in diagnostics)):
        return EXIT_VIOLATIONS
    return EXIT_OK
