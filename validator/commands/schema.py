"""``support-policy schema``: print the JSON Schema of the policy format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic

from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, fail


def register(commands: Any) -> None:
    parser = commands.add_parser("schema", help="print the JSON Schema of the policy format")
    parser.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.schema import schema_text

    text = schema_text()
    if args.output is None:
        out.write(text)
        return EXIT_OK
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(
            Diagnostic.make(Code.FILE_NOT_FOUND, error.strerror or "cannot write", str(args.output))
        )
        return EXIT_CANNOT_RUN
    return EXIT_OK
