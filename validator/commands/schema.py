"""``support-policy schema``: print the JSON Schema of the policy format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from ..runtime import EXIT_OK, write_output


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
    return write_output(args.output, text.encode("utf-8"))
