"""The ``support-policy`` command.

Exit status: 0 clean (warnings allowed unless ``--strict``), 1 violations, 2 cannot run
(missing or unreadable file, bad usage, internal error). Never a traceback.

Imports stay light (yaml and pydantic through the policy package): the validate path
is what CI and pre-commit run on every change.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from support_policy.policy.bounds import OutOfRange
from support_policy.policy.clock import BadEpoch
from support_policy.policy.diagnostics import Code, Diagnostic

from .commands import COMMANDS, command_module
from .policy_path import NoPolicy
from .runtime import EXIT_CANNOT_RUN, UsageError, fail

# The CLI uses no pydantic plugins; skipping their discovery (an entry-point scan of
# every installed distribution) is a large share of start-up. Setting the variable
# beforehand still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

if TYPE_CHECKING:
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _VersionAction(argparse.Action):
    # argparse's own "version" action needs the text up front; reading the installed
    # metadata costs start-up time, so it is read only when asked for.
    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> NoReturn:
        from importlib.metadata import PackageNotFoundError, version

        try:
            installed = version("support-policy")
        except PackageNotFoundError:
            installed = "unknown (not installed)"
        sys.stdout.write(f"{parser.prog} {installed}\n")
        parser.exit()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given ``argv`` naming a command, only that command is loaded."""
    parser = _Parser(
        prog="support-policy",
        description="Validate a support policy file and the files that must agree with it.",
    )
    parser.add_argument(
        "--version", action=_VersionAction, help="print the installed version and exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for name in _commands_for(argv):
        command_module(name).register(commands)
    return parser


def _commands_for(argv: Sequence[str] | None) -> list[str]:
    # Importing and describing every command costs start-up time on each CI run; the
    # full set is only needed to list them (help, or a command name that is wrong).
    first = next((arg for arg in argv or () if not arg.startswith("-")), None)
    if argv and argv[0] == first and first in COMMANDS:
        return [first]
    return list(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in this process and return its exit status.

    Errors are reported, never raised; only ``--help`` and ``--version`` exit through
    :class:`SystemExit`, as argparse does.
    """
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(arguments).parse_args(arguments)
        status: int = args.run(args, sys.stdout)
        return status
    except UsageError as error:
        fail(
            Diagnostic.make(Code.USAGE, f"{error} (see `support-policy --help`)", "support-policy")
        )
        return EXIT_CANNOT_RUN
    except NoPolicy as missing:
        fail(missing.diagnostic)
        return EXIT_CANNOT_RUN
    except OutOfRange as error:
        fail(Diagnostic.make(Code.OUT_OF_RANGE, str(error), "support-policy"))
        return EXIT_CANNOT_RUN
    except BadEpoch as error:
        fail(Diagnostic.make(Code.BAD_EPOCH, str(error), "support-policy"))
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more can be said, and Python would
        # complain once more when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # as a shell reports a process ended by SIGPIPE
    except Exception as error:
        message = f"internal error: {type(error).__name__}: {error}; please report it"
        fail(Diagnostic.make(Code.INTERNAL, message, "support-policy"))
        return EXIT_CANNOT_RUN


def entry_point() -> int:
    """The ``support-policy`` process: :func:`main`, without cyclic garbage collection.

    Start-up builds a large heap that lives until exit (pydantic's schema machinery,
    icalendar's property types). The cyclic collector would scan it again and again
    while it grows, and once more at exit, finding nothing: about a fifth of a
    ``validate`` run. Inputs are size-capped, and checking them creates no reference
    cycles that outlive a call (``test_cli`` holds that over a 260-event calendar),
    so reference counting frees what the run discards and memory stays as it was.
    """
    gc.disable()
    try:
        return main()
    finally:
        # Frozen objects are left out of the interpreter's collections at exit.
        gc.freeze()
