"""Reporters: how diagnostics are printed (one per ``--format``).

Each reporter is ``reporter(report, out)``: it writes the whole report to ``out``. The
diagnostics are already sorted (by file, then position). Every format is deterministic:
the same diagnostics give byte-identical output.

File names and messages quote input from pull requests, so every format prints them in
their display form (:func:`~support_policy.policy.safe_text.for_terminal`): one line
stays one line, no control sequence, no GitHub workflow command, valid UTF-8.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import quote

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal, json_text, path_bytes

TOOL_NAME = "support-policy"
INFORMATION_URI = "https://support-policy.readthedocs.io"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
JSON_FORMAT_VERSION = 1


@dataclass(frozen=True)
class Report:
    """What one run found: the diagnostics and the policy file they are about."""

    diagnostics: Sequence[Diagnostic]
    subject: str
    """The policy file as shown to the user (e.g. ``policy.yaml``)."""

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)


Reporter = Callable[[Report, TextIO], None]


# --- text ------------------------------------------------------------------------------


def report_text(report: Report, out: TextIO) -> None:
    """``path:line:col: CODE message`` lines and a summary, or ``<policy>: ok``."""
    if not report.diagnostics:
        out.write(f"{for_terminal(report.subject)}: ok\n")
        return
    for diagnostic in report.diagnostics:
        out.write(diagnostic.format() + "\n")
    out.write(f"{_count(report.errors, 'error')}, {_count(report.warnings, 'warning')}\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


# --- json ------------------------------------------------------------------------------


def report_json(report: Report, out: TextIO) -> None:
    """One JSON object, keys always in this order:

    ``version``
        The version of this JSON format (``1``); a change of meaning increments it.
    ``policy``
        The policy file as given on the command line (``<bundled>/policy.yaml`` for the
        bundled example).
    ``ok``
        ``true`` when there is no error and no warning.
    ``errors``, ``warnings``
        How many diagnostics of each severity.
    ``diagnostics``
        A list, sorted by file and position, of objects with the keys ``file`` (path as
        given), ``line`` and ``column`` (1-based; ``0`` when the problem concerns the whole
        file or the column is unknown), ``code`` (e.g. ``"SP203"``), ``severity``
        (``"error"`` or ``"warning"``), ``subtype`` (the Sphinx warning subtype, e.g.
        ``"rotation"``) and ``message``.

    Strings are in the display form the text format shows: a line break in a message is
    ``\\n``, an undecodable byte of a file name ``\\xff``, a backslash ``\\\\``.
    """
    document = {
        "version": JSON_FORMAT_VERSION,
        "policy": report.subject,
        "ok": not report.diagnostics,
        "errors": report.errors,
        "warnings": report.warnings,
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
            for d in report.diagnostics
        ],
    }
    out.write(json_text(document))


# --- GitHub Actions workflow commands --------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message (the part after ``::``), as the runner unescapes."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``file=…``, ``title=…``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(diagnostic: Diagnostic) -> str:
    """``::error file=…,line=…,col=…,title=SP203::message`` (positions only when known).

    File and message are in display form, then escaped as the runner unescapes them: the
    annotation shows what the text report shows, and stays one command on one line.
    """
    properties = [f"file={escape_property(for_terminal(diagnostic.file))}"]
    if diagnostic.line > 0:
        properties.append(f"line={diagnostic.line}")
        if diagnostic.column > 0:
            properties.append(f"col={diagnostic.column}")
    properties.append(f"title={escape_property(diagnostic.code)}")
    message = escape_data(for_terminal(diagnostic.message))
    command = "notice" if diagnostic.severity == "note" else diagnostic.severity
    return f"::{command} {','.join(properties)}::{message}"


def report_github(report: Report, out: TextIO) -> None:
    """Annotations for GitHub Actions, followed by the plain text report for the log.

    The plain report is in display form, so none of its lines starts with ``::`` or
    contains ``##[``: the annotations are the only workflow commands in the output.
    """
    for diagnostic in report.diagnostics:
        out.write(github_annotation(diagnostic) + "\n")
    report_text(report, out)


# --- SARIF 2.1.0 -----------------------------------------------------------------------

_CODES = {code.code: code for code in Code}


def _rule(code: str) -> dict[str, Any]:
    known = _CODES.get(code)
    summary = known.summary if known is not None else code
    rule: dict[str, Any] = {"id": code}
    if known is not None:
        rule["name"] = "".join(part.capitalize() for part in known.name.split("_"))
    rule["shortDescription"] = {"text": summary}
    return rule


def _uri(path: str) -> str:
    """The path as given, as a URI reference (``/`` separators, unsafe characters quoted).

    Quoted as bytes, so an undecodable byte of a file name is that byte (``%FF``).
    """
    return quote(path_bytes(path.replace("\\", "/")), safe="/-._~!$&'()*+,;=@")


def _sarif_text(text: str) -> str:
    """A plain-text SARIF message: display form, with brackets escaped as SARIF says.

    ``[text](1)`` in a SARIF message is an embedded link to a related location; input
    must not form one.
    """
    return for_terminal(text).replace("[", "\\[").replace("]", "\\]")


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(diagnostic.file)}}
    region: dict[str, int] = {}
    if diagnostic.line > 0:
        region["startLine"] = diagnostic.line
        if diagnostic.column > 0:
            region["startColumn"] = diagnostic.column
    if region:
        physical["region"] = region
    return {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": diagnostic.severity,
        "message": {"text": _sarif_text(diagnostic.message)},
        "locations": [{"physicalLocation": physical}],
    }


def sarif_document(report: Report) -> dict[str, Any]:
    codes = sorted({d.code for d in report.diagnostics})
    index = {code: position for position, code in enumerate(codes)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(d, index[d.code]) for d in report.diagnostics],
            }
        ],
    }


def report_sarif(report: Report, out: TextIO) -> None:
    """A SARIF 2.1.0 log with one run (for GitHub code scanning and other viewers)."""
    out.write(json_text(sarif_document(report), shown=True))


REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
}
