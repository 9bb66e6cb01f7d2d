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
from importlib import import_module
from typing import NoReturn

from support_policy.policy.diagnostics import Code, Diagnostic

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
    for module in COMMAND_MODULES:
        import_module(f"support_policy.validator.{module}").register(commands)
    return parser


# Each module adds its sub-command with ``register(commands)`` and sets ``run`` as the
# parser default: ``run(args, out) -> exit status``. Modules import heavy libraries
# (icalendar, jsonschema) inside ``run`` only, so ``validate`` starts fast.
COMMAND_MODULES = ["validate", "schema"]


def fail(diagnostic: Diagnostic) -> None:
    """Report a problem that stops the command (on stderr)."""
    sys.stderr.write(diagnostic.format() + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args, sys.stdout)
        return status
    except UsageError as error:
        fail(
            Diagnostic.make(Code.USAGE, f"{error} (see `support-policy --help`)", "support-policy")
        )
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        message = f"internal error: {type(error).__name__}: {error}; please report it"
        fail(Diagnostic.make(Code.INTERNAL, message, "support-policy"))
        return EXIT_CANNOT_RUN
