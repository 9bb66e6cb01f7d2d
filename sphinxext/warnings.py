"""The one way the extension warns: a catalogue code, its subtype, a location.

Every warning reads ``SPxxx message [support-policy.<subtype>]``, so a site silences a
kind of problem with ``suppress_warnings = ["support-policy.<subtype>"]`` and the same
problem carries the same code in ``support-policy validate``.
"""

from __future__ import annotations

from docutils.nodes import Node
from sphinx.util import logging

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal

from .config import WARNING_TYPE

logger = logging.getLogger(__name__)

#: Where a warning points: ``"path:line"``, ``(docname, line)``, a node, or nothing.
Location = str | tuple[str | None, int | None] | Node | None


def warn(code: Code, message: str, location: Location = None) -> None:
    """Warn ``message`` under ``code`` (its subtype decides how it is silenced).

    Messages quote the page and the policy; a docs build log (Read the Docs, GitHub
    Actions) is a terminal too, so they are shown in display form.
    """
    logger.warning(
        "%s %s",
        code.code,
        for_terminal(message),
        location=location,
        type=WARNING_TYPE,
        subtype=code.subtype,
    )


def warn_diagnostic(diagnostic: Diagnostic) -> None:
    """A policy diagnostic as a build warning, at its file and line."""
    file, message = for_terminal(diagnostic.file), for_terminal(diagnostic.message)
    location = f"{file}:{diagnostic.line}" if diagnostic.line > 0 else None
    # Without a line, Sphinx shows no location: the file leads the message instead.
    prefix = "" if location else f"{file}: "
    logger.warning(
        "%s%s %s",
        prefix,
        diagnostic.code,
        message,
        location=location,
        type=WARNING_TYPE,
        subtype=diagnostic.kind.subtype,
    )
