"""YAML syntax errors in a person's words: what went wrong, where, and how to fix it.

PyYAML (libyaml) reports what its scanner met ("found character that cannot start any
token", "mapping values are not allowed in this context"), often on the line *after*
the mistake. The usual mistakes of someone editing a policy by hand — a tab, a line
indented too far, an unclosed quote or bracket, ``key:value`` without a space, a stray
``-`` — are recognised here from the error and the text around it, and reported at
the place where the fix goes. Anything else keeps the parser's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# `key:value` with no space after the colon, at the start of a line (after an optional
# list dash). URLs (`http://`) and times (`09:00`, whose "key" starts with a digit) are
# not keys, so they do not match.
_NO_SPACE_AFTER_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_.-]*):(?=[^\s:/])")
_KEY_WITH_VALUE = re.compile(r"^\s*(?:-\s+)?([^\s#'\"][^:#]*?):\s+\S")
_LOOK_BACK_LINES = 3


@dataclass(frozen=True)
class Explained:
    """A syntax error as the reader should see it (1-based position)."""

    message: str
    line: int
    column: int


def explain(error: yaml.MarkedYAMLError, text: str) -> Explained:
    """Say what ``error`` means for a person editing ``text``."""
    lines = text.split("\n")
    problem = error.problem or "invalid YAML"
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    opened = error.context_mark
    for rule in (_tab, _unclosed, _missing_space, _stray_dash, _indentation, _alias):
        found = rule(problem, context, lines, line, column, opened)
        if found is not None:
            return found
    return Explained(f"{problem} ({context})" if context else problem, line, column)


Mark = yaml.error.Mark | None


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _tab(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    here = _line(lines, line)
    leading = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in leading:
        return Explained(
            "a tab character indents this line; YAML indentation must be spaces: indent "
            f"with spaces, not a tab ({_indent_advice(lines, line)}set your editor to insert "
            "spaces in .yaml files)",
            line,
            leading.index("\t") + 1,
        )
    if here[column - 1 : column] == "\t" or "tab character" in problem:
        tab = here.find("\t", max(column - 2, 0))
        return Explained(
            "a tab character here; YAML allows only spaces around keys and values: "
            "replace the tab with spaces",
            line,
            (tab if tab >= 0 else column - 1) + 1,
        )
    return None


def _indent_advice(lines: list[str], line: int) -> str:
    """How far to indent a tab-indented line: as far as the lines it sits among ("" when
    the lines around it do not say)."""
    above = _content_line(lines, line, -1)
    below = _content_line(lines, line, +1)
    if above is not None and not above.rstrip().endswith(":"):
        depth = _indent(above)  # a sibling of the key above
    elif below is not None and (above is None or _indent(below) > _indent(above)):
        depth = _indent(below)  # the first child of the key above, like the line below
    else:
        return ""
    return f"here: indent it with {depth} spaces and no tab; " if depth else "remove the tab; "


def _content_line(lines: list[str], line: int, step: int) -> str | None:
    """The nearest line above (``step`` -1) or below (+1) with a key or item, without tabs."""
    number = line + step
    while 1 <= number <= len(lines):
        text = lines[number - 1]
        stripped = text.strip()
        if stripped and not stripped.startswith("#") and "\t" not in text[: _indent(text) + 1]:
            return text
        number += step
    return None


def _unclosed(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    if opened is None:
        return None
    start_line, start_column = opened.line + 1, opened.column + 1
    if "quoted scalar" in context:
        quote = _line(lines, start_line)[start_column - 1 : start_column] or '"'
        inner = (
            'write \\" for a quote inside it' if quote == '"' else "write '' for a quote inside it"
        )
        return Explained(
            f"the text quoted with {quote} here is never closed: add the closing {quote} "
            f"at the end of the value ({inner})",
            start_line,
            start_column,
        )
    for kind, opening, closing, what in (
        ("flow sequence", "[", "]", "list"),
        ("flow mapping", "{", "}", "mapping"),
    ):
        if kind in context and "expected ','" in problem:
            return Explained(
                f"the `{opening}` here is never closed: end the {what} with `{closing}` "
                f"on the same line, with a `,` between its items",
                start_line,
                start_column,
            )
    return None


def _missing_space(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    # The mistake is on the error's line or a few lines above it: the scanner reads
    # `name:Example` as one piece of text and only trips over what follows it.
    candidates = [line]
    if opened is not None and opened.line + 1 < line:
        candidates.append(opened.line + 1)
    number = line - 1
    while number >= 1 and len(candidates) < _LOOK_BACK_LINES + 1:
        stripped = _line(lines, number).strip()
        if stripped and not stripped.startswith("#"):
            candidates.append(number)
        number -= 1
    for number in candidates:
        match = _NO_SPACE_AFTER_COLON.match(_line(lines, number))
        if match is None:
            continue
        key = match.group(2)
        colon = match.end(2) + 1
        rest = _line(lines, number)[match.end(2) + 1 :].split(" #")[0].strip()
        return Explained(
            f"`{key}:` needs a space after the colon: write `{key}: {rest}` "
            "(without it, YAML reads the whole line as one piece of text)",
            number,
            colon,
        )
    return None


def _stray_dash(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    here = _line(lines, line)
    # libyaml's words first, then the pure-Python parser's (used without libyaml).
    if problem.startswith(("block sequence entries are not", "sequence entries are not")):
        return Explained(
            "a list item (`- `) cannot start on the same line as its key: put it on the "
            "next line, indented below the key, or write the list as `[a, b]`",
            line,
            column,
        )
    expected_key = "expected key" in problem or "expected <block end>" in problem
    if not expected_key or not here.lstrip().startswith("-"):
        return None
    return Explained(
        "a stray `-`: a list item where a key was expected; remove the `-`, or put the "
        "list under a key of its own (`key:`, then `  - item` lines indented below it)",
        line,
        _indent(here) + 1,
    )


def _indentation(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    if not problem.startswith(
        ("mapping values are not allowed", "did not find expected key", "expected <block end>")
    ):
        return None
    here = _line(lines, line)
    depth = _indent(here)
    number = line - 1
    while number >= 1:
        above = _line(lines, number)
        if above.strip() and not above.lstrip().startswith("#"):
            break
        number -= 1
    if number < 1:
        return None
    above = _line(lines, number)
    if depth > _indent(above):
        key = _KEY_WITH_VALUE.match(above)
        owner = f"`{key.group(1).strip()}` on line {number}" if key else f"line {number}"
        return Explained(
            f"this line is indented deeper than the key above it ({owner} already has a "
            "value): indent it exactly as far as that key",
            line,
            depth + 1,
        )
    return Explained(
        "the indentation of this line matches no key above it: indent it exactly as far "
        "as the keys it belongs with",
        line,
        depth + 1,
    )


def _alias(
    problem: str, context: str, lines: list[str], line: int, column: int, opened: Mark
) -> Explained | None:
    match = re.match(r"found undefined alias '(.*)'$", problem)
    if match is None:
        return None
    name = match.group(1)
    return Explained(
        f"`*{name}` refers to an anchor `&{name}` that is not defined above it; "
        "write the value out instead",
        line,
        column,
    )
