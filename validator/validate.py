"""``support-policy validate``: check a policy file (exit 1 on violations)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import has_errors
from support_policy.policy.loader import PolicyUnreadable, load_policy

from .cli import EXIT_CANNOT_RUN, EXIT_OK, EXIT_VIOLATIONS
from .reporters import REPORTERS


def register(commands: Any) -> None:
    parser = commands.add_parser("validate", help="check a policy file (exit 1 on violations)")
    parser.add_argument(
        "policy", nargs="?", type=Path, help="the policy YAML (default: the bundled example)"
    )
    parser.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format")
    parser.add_argument("--strict", action="store_true", help="treat warnings as violations")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
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
