"""Reporters: how diagnostics are printed (one per ``--format``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from support_policy.policy.diagnostics import Diagnostic

Reporter = Callable[[Sequence[Diagnostic], TextIO], None]


def report_text(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for diagnostic in diagnostics:
        out.write(diagnostic.format() + "\n")
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if diagnostics:
        out.write(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}\n")


def report_json(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    document = {
        "version": 1,
        "errors": sum(d.severity == "error" for d in diagnostics),
        "warnings": sum(d.severity == "warning" for d in diagnostics),
        "diagnostics": [
            {
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "severity": d.severity,
                "subtype": d.subtype,
                "message": d.message,
            }
            for d in diagnostics
        ],
    }
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


REPORTERS: dict[str, Reporter] = {"text": report_text, "json": report_json}
