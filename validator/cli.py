"""The ``support-policy`` command.

Exit status: 0 clean (warnings allowed unless ``--strict``), 1 violations, 2 cannot run
(missing or unreadable file, bad usage, internal error). Never a traceback.

Imports stay light (yaml and pydantic through the policy package): the validate path
is what CI and pre-commit run on every change.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic, has_errors
from support_policy.policy.loader import PolicyUnreadable, load_policy

from .reporters import REPORTERS

EXIT_OK, EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="support-policy",
        description="Validate a support policy file and the files that must agree with it.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    validate = commands.add_parser("validate", help="check a policy file (exit 1 on violations)")
    validate.add_argument(
        "policy", nargs="?", type=Path, help="the policy YAML (default: the bundled example)"
    )
    validate.add_argument(
        "--format", choices=sorted(REPORTERS), default="text", help="output format"
    )
    validate.add_argument("--strict", action="store_true", help="treat warnings as violations")

    schema = commands.add_parser("schema", help="print the JSON Schema of the policy format")
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    return parser


def run_validate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        loaded = load_policy(args.policy)
    except PolicyUnreadable as unreadable:
        REPORTERS[args.format]([unreadable.diagnostic], out)
        return EXIT_CANNOT_RUN
    diagnostics = loaded.diagnostics
    REPORTERS[args.format](diagnostics, out)
    if has_errors(diagnostics) or (args.strict and diagnostics):
        return EXIT_VIOLATIONS
    return EXIT_OK


def run_schema(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.schema import schema_text

    text = schema_text()
    if args.output is None:
        out.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        reason = error.strerror or "cannot be written"
        _fail(Diagnostic.make(Code.FILE_NOT_FOUND, reason, str(args.output)))
        return EXIT_CANNOT_RUN
    return EXIT_OK


def _fail(diagnostic: Diagnostic) -> None:
    sys.stderr.write(diagnostic.format() + "\n")


COMMANDS = {"validate": run_validate, "schema": run_schema}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args, sys.stdout)
    except UsageError as error:
        _fail(
            Diagnostic.make(Code.USAGE, f"{error} (see `support-policy --help`)", "support-policy")
        )
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = f"internal error: {type(error).__name__}: {error}; please report it"
        _fail(Diagnostic.make(Code.INTERNAL, message, "support-policy"))
        return EXIT_CANNOT_RUN
