"""Template checks beyond the policy model: template folders and placeholder syntax.

``--templates DIR`` names a folder of canned responses (for example an export of the
help desk's). Each file directly in it (any extension; hidden files and subfolders are
ignored) is the text of the template whose id is the file's stem:

* a stem that names no template is an error (SP301);
* when the policy holds the template's text (``body``, or ``file`` pointing elsewhere), the
  file must equal it, trailing whitespace aside (SP302: the drift check);
* every ``{{ X }}`` is a declared variable (SP211) or a resolvable ``{{ policy.… }}``
  (SP213), every declared variable is used (SP212);
* placeholders in another syntax (``{ X }``, ``<X>``, backticked ``ALLCAPS``) are errors
  (SP303), here and in the policy's own template texts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support_policy.policy.checks import Finding, suggest, template_variable_findings
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.files import FileRefused, check_not_redirected, read_inside
from support_policy.policy.loader import LoadedPolicy, finding_diagnostic
from support_policy.policy.models import Template
from support_policy.policy.references import (
    UnknownValuePath,
    placeholders,
    resolve_value,
    value_paths,
)
from support_policy.policy.yamlsource import MAX_FILE_BYTES, decode


class TemplatesUnreadable(Exception):
    """A template folder (or a file in it) cannot be read at all (exit status 2)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


# --- Placeholders in another syntax ----------------------------------------------------


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


def _foreign_message(item: ForeignPlaceholder) -> str:
    shown = item.text if item.text.startswith("`") else f"`{item.text}`"
    return (
        f"{shown} is a placeholder in another syntax; "
        f"write `{{{{ {item.name} }}}}` (and declare `{item.name}` in `variables`)"
    )


# --- Positions in a plain text file ----------------------------------------------------


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _file_diagnostics(
    loaded: LoadedPolicy, key: str, template: Template, text: str, shown: str
) -> Iterator[Diagnostic]:
    """Variables, value paths and foreign placeholders of one template text in a file."""
    for finding in template_variable_findings(
        (), text, template.variables, ("templates", key, "variables")
    ):
        if finding.loc == ():
            assert finding.offset is not None
            yield Diagnostic.make(
                finding.code, finding.message, shown, *_text_position(text, finding.offset)
            )
        elif loaded.source is not None:
            # An unused variable: shown at its declaration, naming the file that omits it.
            moved = Finding(finding.loc, finding.code, f"{finding.message} `{shown}`")
            yield finding_diagnostic(moved, loaded.source)
    yield from _value_path_diagnostics(loaded, text, shown)
    for item in foreign_placeholders(text):
        yield Diagnostic.make(
            Code.MIXED_PLACEHOLDERS,
            _foreign_message(item),
            shown,
            *_text_position(text, item.offset),
        )


def _value_path_diagnostics(loaded: LoadedPolicy, text: str, shown: str) -> Iterator[Diagnostic]:
    policy = loaded.policy
    assert policy is not None
    for placeholder in placeholders(text):
        path = placeholder.value_path
        if path is None:
            continue
        try:
            resolve_value(policy, path)
        except UnknownValuePath:
            yield Diagnostic.make(
                Code.UNKNOWN_VALUE_PATH,
                f"`{{{{ policy.{path} }}}}` names no policy value"
                + suggest(path, value_paths(policy)),
                shown,
                *_text_position(text, placeholder.offset),
            )


# --- The policy's own template texts ---------------------------------------------------


def check_policy_templates(loaded: LoadedPolicy) -> list[Diagnostic]:
    """Foreign placeholders in inline bodies and ``file:`` texts; value paths in files.

    Variables of both kinds and value paths of inline bodies are already checked by the
    loader, as are missing template files (SP304).
    """
    policy = loaded.policy
    if policy is None:
        return []
    diagnostics: list[Diagnostic] = []
    for key, template in policy.templates.items():
        text = loaded.template_texts.get(key)
        if text is None:
            continue
        if template.body is not None:
            loc = ("templates", key, "body")
            for item in foreign_placeholders(text):
                if loaded.source is not None:
                    line, column = loaded.source.text_position(loc, item.offset)
                else:
                    line, column = 0, 0
                diagnostics.append(
                    Diagnostic.make(
                        Code.MIXED_PLACEHOLDERS,
                        _foreign_message(item),
                        loaded.display,
                        line,
                        column,
                    )
                )
        elif template.file is not None:
            shown = _declared_file_display(loaded, template.file)
            diagnostics += _value_path_diagnostics(loaded, text, shown)
            diagnostics += [
                Diagnostic.make(
                    Code.MIXED_PLACEHOLDERS,
                    _foreign_message(item),
                    shown,
                    *_text_position(text, item.offset),
                )
                for item in foreign_placeholders(text)
            ]
    return diagnostics


def _declared_file_display(loaded: LoadedPolicy, relative: str) -> str:
    """How the loader shows a ``file:`` template's path (beside the policy as shown)."""
    return str(Path(loaded.display).parent / relative)


# --- Template folders ------------------------------------------------------------------


def _unreadable(path: Path, reason: str) -> TemplatesUnreadable:
    return TemplatesUnreadable(Diagnostic.make(Code.FILE_NOT_FOUND, reason, str(path)))


def _folder_files(folder: Path) -> list[Path]:
    """The non-hidden entries directly in ``folder`` that are not folders, by name.

    Links and special files are listed too: reading them is what refuses them.
    """
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                entry.name
                for entry in entries
                if not entry.name.startswith(".") and not entry.is_dir(follow_symlinks=False)
            )
    except FileNotFoundError:
        raise _unreadable(folder, "template folder not found") from None
    except NotADirectoryError:
        raise _unreadable(folder, "is a file, not a template folder") from None
    except PermissionError:
        raise _unreadable(folder, "template folder: permission denied") from None
    except OSError as error:
        raise _unreadable(folder, error.strerror or "template folder cannot be read") from None
    return [folder / name for name in names]


def _normalised_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _drift(text: str, expected: str) -> tuple[int, str, str] | None:
    """The first differing line (1-based) and both versions of it, or ``None``."""
    got, want = _normalised_lines(text), _normalised_lines(expected)
    for number, (mine, theirs) in enumerate(zip(got, want, strict=False), start=1):
        if mine != theirs:
            return number, mine, theirs
    if len(got) == len(want):
        return None
    number = min(len(got), len(want)) + 1
    mine = got[number - 1] if number <= len(got) else "<end of file>"
    theirs = want[number - 1] if number <= len(want) else "<end of text>"
    return number, mine, theirs


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def check_template_dirs(loaded: LoadedPolicy, dirs: list[Path]) -> list[Diagnostic]:
    """Check every template folder against the (loaded) policy.

    Raises :class:`TemplatesUnreadable` for a folder or file that cannot be read.
    """
    policy = loaded.policy
    if policy is None:
        return []
    diagnostics: list[Diagnostic] = []
    for folder in dirs:
        try:
            check_not_redirected(folder)
        except FileRefused as refused:
            diagnostics.append(refused.diagnostic(str(folder)))
            continue
        for path in _folder_files(folder):
            diagnostics += _check_template_file(loaded, path)
    return diagnostics


def _check_template_file(loaded: LoadedPolicy, path: Path) -> list[Diagnostic]:
    policy = loaded.policy
    assert policy is not None
    shown = str(path)
    key = path.stem
    template = policy.templates.get(key)
    if template is None:
        known = list(policy.templates)
        hint = suggest(key, known) or (
            f"; known: {', '.join(known)}" if known else "; the policy defines no templates"
        )
        message = f"`{path.name}` names no template: no template has the id `{key}`{hint}"
        return [Diagnostic.make(Code.UNKNOWN_TEMPLATE_FILE, message, shown)]
    try:
        # Inside the folder only, a regular file only, bounded (a link to a folder inside
        # it is a subfolder, ignored like the others).
        raw = read_inside(path.parent, path.name, MAX_FILE_BYTES, where="the template folder")
    except FileRefused as refused:
        return [] if refused.kind == "folder" else [refused.diagnostic(shown)]
    except OSError as error:
        raise _unreadable(path, error.strerror or "cannot be read") from None
    if template.file is not None and loaded.path is not None:
        declared = loaded.path.parent / template.file
        if _same_file(path, declared):
            return []  # it is the template's own file, checked with the policy
    text, problems = decode(raw, shown)
    if text is None:
        return problems
    diagnostics: list[Diagnostic] = []
    expected = loaded.template_texts.get(key)
    if expected is not None:
        drift = _drift(text, expected)
        if drift is None:
            return []  # the same text as the policy's, which is checked there
        number, mine, theirs = drift
        source = "the policy's `body`" if template.body is not None else f"`{template.file}`"
        message = (
            f"template `{key}` differs from {source} at line {number}: "
            f"file has '{mine}', policy has '{theirs}'"  # shown in display form, not repr
        )
        diagnostics.append(Diagnostic.make(Code.TEMPLATE_DRIFT, message, shown, number, 1))
    diagnostics += _file_diagnostics(loaded, key, template, text, shown)
    return diagnostics
