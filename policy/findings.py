"""A problem found in a policy, located by key path; the loader adds line and column."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Code, Severity
from .yamlsource import Loc


@dataclass(frozen=True)
class Finding:
    loc: Loc
    code: Code
    message: str
    severity: Severity = "error"
    offset: int | None = None  # a character offset inside the string at ``loc``
