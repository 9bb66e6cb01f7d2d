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
from datetime import UTC, date, datetime, tzinfo
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from support_policy.policy.bounds import OutOfRange, check_date, check_instant, epoch_instant
from support_policy.policy.diagnostics import Code, Diagnostic

from .policy_path import NoPolicy

# The CLI uses no pydantic plugins; skipping their discovery (an entry-point scan of
# every installed distribution) is a large share of start-up. Setting the variable
# beforehand still wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

if TYPE_CHECKING:
    from support_policy.policy.loader import LoadedPolicy

EXIT_OK, EXIT_VIOLATIONS, EXIT_CANNOT_RUN = 0, 1, 2


class UsageError(Exception):
    """Bad command-line usage (exit status 2)."""


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
    for name in _modules_for(argv):
        module = _command_module(name)
        if module is not None:
            module.register(commands)
    return parser


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    # Importing and describing every command costs start-up time on each CI run; the
    # full set is only needed to list them (help, or a command name that is wrong).
    first = next((arg for arg in argv or () if not arg.startswith("-")), None)
    module = COMMAND_NAMES.get(first or "")
    if argv and argv[0] == first and module in COMMAND_MODULES:
        return [module]
    return list(COMMAND_MODULES)


def _command_module(name: str) -> Any:
    """The command module ``name``, or ``None`` when it is absent or fails to import.

    One broken or not-yet-written command must not take the whole CLI down: the others
    (``validate`` above all) keep working, and the failure is reported on stderr.
    """
    qualified = f"support_policy.validator.{name}"
    if find_spec(qualified) is None:
        return None
    try:
        return import_module(qualified)
    except Exception as error:  # an import failure of one command, reported not raised
        sys.stderr.write(f"support-policy: warning: command module `{name}` not loaded: {error}\n")
        return None


# Each module adds its sub-command with ``register(commands)`` and sets ``run`` as the
# parser default: ``run(args, out) -> exit status``. Modules import heavy libraries
# (icalendar, jsonschema) inside ``run`` only, so ``validate`` starts fast.
COMMAND_MODULES = [
    "validate",
    "calendar_cmd",
    "on_duty_cmd",
    "deadline_cmd",
    "diff_cmd",
    "init_cmd",
    "schema",
    "report_cmd",
]
COMMAND_NAMES = {
    "validate": "validate",
    "calendar": "calendar_cmd",
    "on-duty": "on_duty_cmd",
    "deadline": "deadline_cmd",
    "diff": "diff_cmd",
    "init": "init_cmd",
    "schema": "schema",
    "report": "report_cmd",
}


def fail(diagnostic: Diagnostic) -> None:
    """Report a problem that stops the command (on stderr, in display form)."""
    sys.stderr.write(diagnostic.format() + "\n")


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
        raise UsageError(
            f"`{text}` is not a date or datetime; write e.g. 2026-03-10, "
            "2026-03-10T09:30 or 2026-03-10T09:30Z"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=zone)
    return check_instant(moment, what)


def now() -> datetime:
    """The current instant in UTC, or ``SOURCE_DATE_EPOCH`` when set (reproducible runs)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return epoch_instant(epoch)
        except ValueError as error:
            raise UsageError(str(error)) from None
    return datetime.now(UTC)
