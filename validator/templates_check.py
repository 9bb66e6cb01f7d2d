"""Template folders: canned responses kept outside the policy, checked against it.

``--templates DIR`` names a folder of canned responses (for example an export of the
help desk's). Each file directly in it (any extension; hidden files and subfolders are
ignored) is the text of the template whose id is the file's stem:

* a stem that names no template is an error (SP301);
* when the policy holds the template's text (``body``, or ``file`` pointing elsewhere), the
  file must equal it, trailing whitespace aside (SP302: the drift check);
* every ``{{ X }}`` is a declared variable (SP211) or a resolvable ``{{ policy.… }}``
  (SP213), every declared variable is used (SP212);
* placeholders in another syntax (``{ X }``, ``<X>``, backticked ``ALLCAPS``) are errors
  (SP303).

The policy's own template texts (``body`` and ``file:``) are judged by the loader
(:mod:`support_policy.policy.template_texts`), so the Sphinx build reports them too.
"""

from __future__ import annotations

import os
from pathlib import Path

from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.files import FileRefused, check_not_redirected, read_inside
from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.template_texts import file_text_diagnostics
from support_policy.policy.yamlsource import MAX_FILE_BYTES, decode


class TemplatesUnreadable(Exception):
    """A template folder (or a file in it) cannot be read at all (exit status 2)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


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
    diagnostics += file_text_diagnostics(
        policy, loaded.source, key, template, text, shown, name_file=True
    )
    return diagnostics
