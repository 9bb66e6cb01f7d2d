"""Which policy file a command reads: one rule, shared by every command.

1. A path given on the command line: ``--policy PATH`` (every command), or the
   positional ``POLICY`` that ``validate``, ``calendar`` and ``diff --rev`` also accept.
2. ``--example``: the example policy bundled with the package, only when asked for.
3. ``[tool.support-policy] policy = "PATH"`` in ``./pyproject.toml`` (relative to it).
4. ``./policy.yaml``.
5. Otherwise the command cannot run (exit status 2) and says how to name a policy.

Only the current folder is searched: a command run elsewhere must never pick up some
other team's file (or the example) and report on it as if it were this one's.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support_policy.policy.diagnostics import Code, Diagnostic

DEFAULT_NAME = "policy.yaml"
PYPROJECT = "pyproject.toml"
SETTING_TABLE = "support-policy"
SETTING_KEY = "policy"
EXAMPLE_DISPLAY = "<bundled>/policy.yaml"
MAX_PYPROJECT_BYTES = 1024 * 1024

HOW_TO = (
    "name it with `--policy PATH`, add a `policy.yaml` to this folder, or set "
    f'`[tool.support-policy] policy = "PATH"` in ./{PYPROJECT}; '
    "`--example` uses the bundled example policy"
)


@dataclass(frozen=True)
class PolicyChoice:
    """The policy a command reads, and how it was chosen."""

    path: Path | None
    """``None`` for the bundled example."""
    display: str
    """How reports name the file."""
    found_by: str
    """``argument``, ``example``, ``pyproject.toml`` or ``discovered``."""


class NoPolicy(Exception):
    """No policy can be chosen (exit status 2); carries the diagnostic to print."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def add_policy_options(
    parser: argparse.ArgumentParser, *, positional: bool = False, example: bool = True
) -> None:
    """``--policy PATH`` and ``--example`` (and the positional ``POLICY`` alias)."""
    if positional:
        parser.add_argument(
            "policy_argument",
            nargs="?",
            type=Path,
            metavar="POLICY",
            help="the policy YAML; the same as --policy POLICY",
        )
    parser.add_argument(
        "--policy",
        type=Path,
        metavar="PATH",
        help=(
            f"the policy YAML (default: `policy` of [tool.support-policy] in ./{PYPROJECT}, "
            f"else ./{DEFAULT_NAME})"
        ),
    )
    if example:
        parser.add_argument(
            "--example",
            action="store_true",
            help="read the example policy bundled with the tool (to try it out)",
        )


def choose_policy(args: argparse.Namespace, folder: Path | None = None) -> PolicyChoice:
    """The policy that ``args`` name, or the one found in ``folder`` (default: cwd).

    Raises :class:`NoPolicy` when none is named or found, or the names disagree.
    """
    command = f"support-policy {getattr(args, 'command', None) or ''}".rstrip()
    given = [p for p in (getattr(args, "policy_argument", None), args.policy) if p is not None]
    if len(given) == 2 and given[0] != given[1]:
        raise NoPolicy(_usage(command, f"two policies given ({given[0]}, {given[1]}); give one"))
    example = bool(getattr(args, "example", False))
    if given and example:
        raise NoPolicy(_usage(command, "give a policy path or --example, not both"))
    if given:
        return PolicyChoice(given[0], str(given[0]), "argument")
    if example:
        return PolicyChoice(None, EXAMPLE_DISPLAY, "example")
    here = Path(".") if folder is None else folder
    configured = _from_pyproject(here)
    if configured is not None:
        return configured
    default = here / DEFAULT_NAME
    if default.is_file():
        return PolicyChoice(default, str(default), "discovered")
    raise NoPolicy(
        Diagnostic.make(
            Code.NO_POLICY, f"no policy file given, and none found here: {HOW_TO}", command
        )
    )


def _usage(command: str, message: str) -> Diagnostic:
    return Diagnostic.make(Code.USAGE, message, command)


def _from_pyproject(folder: Path) -> PolicyChoice | None:
    """The policy that ``pyproject.toml`` in ``folder`` names, if it names one."""
    pyproject = folder / PYPROJECT
    shown = str(pyproject)
    if not pyproject.is_file():
        return None
    import tomllib

    try:
        with pyproject.open("rb") as stream:
            raw = stream.read(MAX_PYPROJECT_BYTES + 1)
    except OSError as error:
        raise NoPolicy(_setting(shown, f"cannot be read: {error.strerror or error}")) from None
    if len(raw) > MAX_PYPROJECT_BYTES:
        message = f"is larger than {MAX_PYPROJECT_BYTES:,} bytes; not read for a policy setting"
        raise NoPolicy(_setting(shown, message))
    try:
        text = raw.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise NoPolicy(_setting(shown, "is not UTF-8 text")) from None
    except tomllib.TOMLDecodeError as error:
        line, column = _toml_position(str(error))
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", str(error))
        raise NoPolicy(_setting(shown, f"is not valid TOML: {reason}", line, column)) from None
    tool = document.get("tool")
    table: Any = tool.get(SETTING_TABLE) if isinstance(tool, dict) else None
    if table is None:
        return None
    header = rf"^\s*\[\s*tool\s*\.\s*\"?{re.escape(SETTING_TABLE)}\"?\s*\]"
    line = _line_of(text, header) or _line_of(text, rf"^\s*\"?{re.escape(SETTING_TABLE)}\"?\s*=")
    if not isinstance(table, dict):
        raise NoPolicy(_setting(shown, f"`tool.{SETTING_TABLE}` must be a table", line))
    unknown = sorted(set(table) - {SETTING_KEY})
    if unknown:
        message = f"unknown key `{unknown[0]}` in [tool.{SETTING_TABLE}] (the one key is `policy`)"
        where = _line_of(text, rf"^\s*\"?{re.escape(unknown[0])}\"?\s*=", line) or line
        raise NoPolicy(_setting(shown, message, where))
    value = table.get(SETTING_KEY)
    key_line = _line_of(text, rf"^\s*{SETTING_KEY}\s*=", line) or line
    if not isinstance(value, str) or not value.strip():
        message = f'[tool.{SETTING_TABLE}] needs `policy = "PATH"` (a path, as text)'
        raise NoPolicy(_setting(shown, message, key_line))
    path = folder / value
    if not path.is_file():
        message = f"[tool.{SETTING_TABLE}] policy = {value!r}: no such file"
        raise NoPolicy(_setting(shown, message, key_line))
    return PolicyChoice(path, str(path), PYPROJECT)


def _setting(shown: str, message: str, line: int = 0, column: int = 0) -> Diagnostic:
    return Diagnostic.make(Code.POLICY_SETTING, message, shown, line, column)


def _toml_position(message: str) -> tuple[int, int]:
    found = re.search(r"\(at line (\d+), column (\d+)\)$", message)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def _line_of(text: str, pattern: str, after_line: int = 0) -> int:
    """The 1-based line of the first match at or after ``after_line``; 0 when none."""
    start = 0
    for _ in range(max(after_line - 1, 0)):
        start = text.find("\n", start) + 1
    found = re.compile(pattern, re.MULTILINE).search(text, start)
    return text.count("\n", 0, found.start()) + 1 if found else 0
