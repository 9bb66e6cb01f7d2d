"""The texts of the policy's templates, judged: one function for the loader and the CLI.

A template's text is its ``body`` or the ``file:`` it names. Both are checked the same way
wherever they are read (the loader, so ``validate`` and the Sphinx build report the same
problems; and ``--templates`` folders): every ``{{ X }}`` declared, every declared variable
used, every ``{{ policy.… }}`` resolvable, and no placeholder in another syntax
(``{ X }``, ``<X>``, backticked ``ALLCAPS``), which is how help desks drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .checks import suggest, template_variable_findings
from .diagnostics import Code, Diagnostic
from .findings import Finding, finding_diagnostic
from .models import Policy, Template
from .references import UnknownValuePath, placeholders, resolve_value, value_paths
from .yamlsource import SourceMap


@dataclass(frozen=True)
class ForeignPlaceholder:
    """A placeholder written in a syntax other than ``{{ NAME }}``."""

    text: str
    name: str
    offset: int


_SINGLE_BRACES = re.compile(r"(?<![{\\])\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}(?!\})")
_ANGLE = re.compile(r"<([A-Z_][A-Z0-9_]*)>")
_BACKTICKED = re.compile(r"`([A-Z][A-Z0-9_]*[A-Z0-9_])`")


def foreign_placeholders(text: str) -> list[ForeignPlaceholder]:
    """``{ X }``/``{X}``, ``<X>`` and backticked ``ALLCAPS`` tokens, in text order."""
    found = [
        ForeignPlaceholder(match.group(0), match.group(1), match.start())
        for pattern in (_SINGLE_BRACES, _ANGLE, _BACKTICKED)
        for match in pattern.finditer(text)
    ]
    return sorted(found, key=lambda item: item.offset)


def foreign_messages(
    items: list[ForeignPlaceholder], declared: list[str]
) -> Iterator[tuple[ForeignPlaceholder, str]]:
    """Each placeholder with a hint that can be followed as written: replace it, and add its
    name to `variables` — once per name, and only when the template does not declare it."""
    to_declare = set(declared)
    for item in items:
        shown = item.text if item.text.startswith("`") else f"`{item.text}`"
        declare = "" if item.name in to_declare else f" and add `{item.name}` to `variables`"
        to_declare.add(item.name)
        yield (
            item,
            (f"{shown} is a placeholder in another syntax; write `{{{{ {item.name} }}}}`{declare}"),
        )


def text_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of ``offset`` in a plain text file."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def file_text_diagnostics(
    policy: Policy,
    source: SourceMap | None,
    key: str,
    template: Template,
    text: str,
    shown: str,
    *,
    name_file: bool = False,
) -> Iterator[Diagnostic]:
    """Every problem of one template text read from a file shown as ``shown``.

    An unused variable is reported at its declaration in the policy; ``name_file`` adds
    which file omits it (for a folder's copy, which may differ from the policy's own).
    """
    for finding in template_variable_findings(
        (), text, template.variables, ("templates", key, "variables")
    ):
        if finding.loc == ():
            assert finding.offset is not None
            yield Diagnostic.make(
                finding.code, finding.message, shown, *text_position(text, finding.offset)
            )
        elif source is not None:
            message = f"{finding.message} `{shown}`" if name_file else finding.message
            yield finding_diagnostic(Finding(finding.loc, finding.code, message), source)
    for placeholder in placeholders(text):
        path = placeholder.value_path
        if path is None:
            continue
        try:
            resolve_value(policy, path)
        except UnknownValuePath as error:
            yield Diagnostic.make(
                Code.UNKNOWN_VALUE_PATH,
                f"`{{{{ policy.{path} }}}}` names no policy value"
                + (error.hint or suggest(path, value_paths(policy))),
                shown,
                *text_position(text, placeholder.offset),
            )
    for item, message in foreign_messages(foreign_placeholders(text), template.variables):
        yield Diagnostic.make(
            Code.MIXED_PLACEHOLDERS, message, shown, *text_position(text, item.offset)
        )


def body_diagnostics(policy: Policy, source: SourceMap) -> Iterator[Diagnostic]:
    """Placeholders in another syntax in inline ``body`` texts (the rest is checked with
    every other string of the policy)."""
    for key, template in policy.templates.items():
        if template.body is None:
            continue
        loc = ("templates", key, "body")
        found = foreign_placeholders(template.body)
        for item, message in foreign_messages(found, template.variables):
            line, column = source.text_position(loc, item.offset)
            yield Diagnostic.make(Code.MIXED_PLACEHOLDERS, message, source.file, line, column)
