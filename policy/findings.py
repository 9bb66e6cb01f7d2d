"""A problem found in a policy, located by key path; the loader adds line and column."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Code, Diagnostic, Severity
from .yamlsource import Loc, SourceMap


@dataclass(frozen=True)
class Finding:
    loc: Loc
    code: Code
    message: str
    severity: Severity = "error"
    offset: int | None = None  # a character offset inside the string at ``loc``


def finding_diagnostic(finding: Finding, source: SourceMap) -> Diagnostic:
    """``finding`` at its line and column in the file ``source`` maps."""
    if finding.offset is not None and source.deepest(finding.loc) == finding.loc:
        line, column = source.text_position(finding.loc, finding.offset)
    else:
        line, column = source.position(finding.loc)
    return Diagnostic.make(
        finding.code, finding.message, source.file, line, column, finding.severity
    )
