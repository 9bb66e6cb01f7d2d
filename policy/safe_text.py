"""Output safety: input-derived text in the form each consumer can take without harm.

Policies, calendars, template folders and their file names arrive in pull requests from
forks, so every string the tool prints from them is hostile. Three consumers interpret
what the tool prints:

- a **terminal or CI log**: line breaks start new lines, control sequences (ESC, CSI,
  BEL) drive the terminal, bidi overrides reorder what a reviewer sees, and the GitHub
  Actions runner reads a line that starts with ``::cmd`` (after leading white space), or
  that contains ``##[cmd]`` anywhere, as a workflow command;
- a **JSON or SARIF reader**, which needs valid UTF-8 (an undecodable byte of a file name
  arrives in Python as a lone surrogate, ``\\udcff``);
- **Markdown** posted as a pull-request comment, where HTML, links, images, ``@mentions``
  and ``#refs`` in input would act.

:func:`for_terminal` gives the *display form* used by every format: nothing in it can
break a line, drive a terminal or form a workflow command, and the escapes are
unambiguous because a literal backslash is doubled. :func:`for_markdown` and
:func:`code_span` build on it for Markdown. Framework-free (the CLI and the Sphinx
extension both use it) and cheap to import (no ``json`` until a document is written).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "code_span",
    "for_markdown",
    "for_terminal",
    "has_controls",
    "ics_actions_safe",
    "json_safe",
    "json_text",
    "mark_code",
    "markdown_of_marked",
    "mention_suffix",
    "path_bytes",
    "unmark",
]

# What is never shown raw: C0 controls (line feed, carriage return, tab, vertical tab,
# form feed, ESC, BEL …), DEL, C1 controls (NEL U+0085, CSI U+009B …), the line and
# paragraph separators, the bidi controls that reorder text (Trojan Source), every
# surrogate (an undecodable byte of a file name, or a lone surrogate from a YAML escape)
# and the backslash itself, so that an escape in the output always means an escape.
_UNSAFE = re.compile(
    "[\\x00-\\x1f\\x7f-\\x9f\\\\\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}

# Characters the runner's ``TrimStart`` skips before it looks for ``::`` (.NET white
# space), plus the zero-width ones some runtimes count as white space too.
_LEADING = re.compile("[\\s\u180e\u200b\ufeff]*")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # Python's surrogateescape: the undecodable byte itself, as ``\xNN`` (NN ≥ 80).
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    # Characters from U+0080 up are written \uNNNN, so ``\x80``–``\xff`` always mean bytes.
    return f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """``text`` as one safe run of a terminal line or CI log line (the display form).

    - Line breaks, control and bidi characters are escaped: ``\\n``, ``\\r``, ``\\t``,
      ``\\x1b``, ``\\u0085``, ``\\u202e``; a literal backslash is shown as ``\\\\``.
    - An undecodable byte of a file name is shown as ``\\xff`` (``\\x80``–``\\xff`` mean
      bytes; characters from U+0080 are written ``\\uNNNN``).
    - GitHub Actions workflow commands cannot form: ``##[`` is shown as ``#\\x23[``, and
      ``::`` at the start (after white space) as ``\\x3a:``.

    Printable text, including non-ASCII letters, is left as it is.
    """
    shown = _UNSAFE.sub(_escape, text)
    if "##[" in shown:
        shown = shown.replace("##[", "#\\x23[")
    start = _LEADING.match(shown)
    at = start.end() if start is not None else 0
    if shown.startswith("::", at):
        shown = shown[:at] + "\\x3a" + shown[at + 1 :]
    return shown


_CONTROLS = re.compile(
    "[\\x00-\\x1f\\x7f-\\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a character the display form escapes, backslash aside."""
    return _CONTROLS.search(text) is not None


# --- iCalendar ---------------------------------------------------------------------------

_ICS_LINE_OCTETS = 75


def ics_actions_safe(data: bytes) -> bytes:
    """An iCalendar stream refolded so that no physical line acts as a workflow command.

    Folding (CRLF and a space) is invisible to calendar readers but splits lines for the
    Actions runner, which trims the space: a continuation that starts with ``::`` would
    be a command, and ``##[`` in a value would be one anywhere. Content lines whose
    folding has either are folded again: never before white space or a colon, and
    between the two ``#`` of ``##[``. Other lines keep their bytes.
    """
    text = data.decode("utf-8")
    physical = text.split("\r\n")
    logical: list[list[str]] = []
    for line in physical:
        if line[:1] in (" ", "\t") and logical:
            logical[-1].append(line)
        else:
            logical.append([line])
    out: list[str] = []
    for folded in logical:
        if any("##[" in line for line in folded) or any(
            (line[1:].lstrip()).startswith("::") for line in folded[1:]
        ):
            out.append("\r\n ".join(_fold("".join([folded[0], *(p[1:] for p in folded[1:])]))))
        else:
            out.append("\r\n".join(folded))
    return "\r\n".join(out).encode("utf-8")


def _fold(line: str) -> list[str]:
    pieces: list[str] = []
    limit = _ICS_LINE_OCTETS
    while line:
        cut = _cut(line, limit)
        if cut is None:
            break
        pieces.append(line[:cut])
        line = line[cut:]
        limit = _ICS_LINE_OCTETS - 1  # the leading space counts
    return [*pieces, line] if line or not pieces else pieces


def _cut(line: str, limit: int) -> int | None:
    """Where to end the next piece, or ``None`` when the rest may stay one line."""
    legacy = line.find("##[")
    if len(line.encode("utf-8")) <= limit and legacy < 0:
        return None
    most = legacy + 1 if legacy >= 0 else len(line)
    size, best = 0, None
    for index, char in enumerate(line[:most]):
        size += len(char.encode("utf-8"))
        if size > limit:
            break
        following = line[index + 1 : index + 2]
        if following and not following.isspace() and following != ":":
            best = index + 1
    if best is None and legacy >= 0:
        best = legacy + 1  # longer than 75 octets, but never a command
    return best


# --- JSON and SARIF ----------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """``value`` with every string (keys too) in its display form, recursively.

    JSON output carries the same text as the text output: valid UTF-8 whatever the file
    names, and safe to print again (``jq -r``) into a terminal or a CI log.
    """
    if isinstance(value, str):
        return for_terminal(value)
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def json_text(document: Any, *, indent: int | None = 2, shown: bool = False) -> str:
    """``document`` as JSON text ending in a newline, every string in display form.

    ``shown=True`` says the strings are in display form already (as in SARIF, whose
    messages add escapes of their own), so they are not escaped twice.
    """
    import json  # only the JSON outputs need it (fast start)

    safe = document if shown else json_safe(document)
    return json.dumps(safe, indent=indent, ensure_ascii=False) + "\n"


def path_bytes(text: str) -> bytes:
    """The bytes a path string stands for: undecodable bytes restored, UTF-8 otherwise.

    A lone surrogate that is not a surrogate-escaped byte (it can come from a YAML
    ``\\ud800`` escape) is kept as its (invalid) UTF-8 form rather than refused.
    """
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return b"".join(
            bytes([ord(char) - 0xDC00])
            if 0xDC80 <= ord(char) <= 0xDCFF
            else char.encode("utf-8", "surrogatepass")
            for char in text
        )


# --- Markdown (pull-request comments) ---------------------------------------------------

# Backslash-escaped, a punctuation character is literal text in CommonMark. Escaped
# always: what starts HTML, entities, emphasis, code, links, images, math, tables,
# headings, strikethrough and task lists; a dot inside a word (a domain name that a
# renderer could link) and a colon before ``//`` (a URL scheme). Left as written: the
# punctuation that does nothing in running text (``,;:?/'"%=()-+.``), so the comment's
# source stays readable — brackets are always escaped, so ``(`` never opens a link.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_{}\[\]<>#!|~$&@^]|(?<=[^\W_])\.(?=[^\W_])|:(?=/)")
# At the start of a block, ``-``, ``+``, ``=`` or ``1.`` / ``1)`` would open a list,
# a heading underline or a thematic break: the first punctuation there is escaped too.
_BLOCK_START = re.compile(r"^(?:\d{1,9}(?=[.)])|(?=[!-/:-@\[-`{-~]))")
_ZWJ = "\u200d"
# GitHub links ``@user``, ``@org/team``, ``#1``, ``GH-1``, bare URLs and commit hashes in
# rendered text, escaped or not: a zero-width joiner after the trigger breaks each
# pattern and stays invisible.
_GITHUB_TRIGGERS = re.compile(r"[@#]|(?i:\bgh-)(?=\d)|(?i:\bwww)(?=\.)|:(?=//)")
_HEX_RUN = re.compile(r"\b[0-9a-fA-F]{7,}\b")
_HEX_PIECE = re.compile(r"[0-9a-fA-F]{1,6}")


def _break_hex(match: re.Match[str]) -> str:
    # Commit hashes are 7 to 40 digits: pieces of at most six are never one.
    return _ZWJ.join(_HEX_PIECE.findall(match.group()))


def for_markdown(text: str, *, block_start: bool = True) -> str:
    """``text`` as inline Markdown that renders as exactly its display form.

    For a pull-request comment. Markdown syntax is backslash-escaped (HTML, entities,
    emphasis, code, links, images, math, tables, headings, and the block markers at the
    start), line breaks are escaped (:func:`for_terminal`) so no block can start inside,
    and a zero-width joiner (U+200D) follows each ``@``, ``#``, ``GH-``, ``www``, ``:``
    before ``//``, and every six digits of a longer hexadecimal run, so no mention,
    issue or commit reference, or bare URL forms. ``block_start=False`` is for text
    that follows other text on its line.
    """
    shown = for_terminal(text)
    shown = _GITHUB_TRIGGERS.sub(lambda match: match.group() + _ZWJ, shown)
    shown = _HEX_RUN.sub(_break_hex, shown)
    shown = _MARKDOWN_SYNTAX.sub(lambda match: "\\" + match.group(), shown)
    start = _BLOCK_START.match(shown) if block_start else None
    if start is not None and start.end() < len(shown) and shown[start.end()] != "\\":
        shown = f"{shown[: start.end()]}\\{shown[start.end() :]}"
    return shown


_BACKTICKS = re.compile("`+")


def code_span(text: str) -> str:
    """``text`` (in display form) as a Markdown code span that it cannot close.

    The fence is one backtick longer than the longest run of backticks inside; a space
    pads both ends when the text starts or ends with a backtick or a space (CommonMark
    strips exactly one on each side). GitHub turns nothing in a code span into a link or
    mention.
    """
    shown = for_terminal(text)
    longest = max((len(run) for run in _BACKTICKS.findall(shown)), default=0)
    fence = "`" * (longest + 1)
    if not shown.strip(" "):
        shown = shown or " "  # only spaces: CommonMark keeps them as they are
    elif shown[0] in "` " or shown[-1] in "` ":
        shown = f" {shown} "
    return f"{fence}{shown}{fence}"


# --- Text with code parts ----------------------------------------------------------------

# Sentences such as "id `a` → `b`" mix prose with code. The code parts are delimited
# with two private-use characters, so one sentence can be shown as plain text (with
# backticks) and as Markdown (real code spans). An input string that carries these
# characters itself can only move text between prose and a code span: both are escaped.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
_MARKED = re.compile(f"{MARK_OPEN}([^{MARK_OPEN}{MARK_CLOSE}]*){MARK_CLOSE}")
# A mention is marked with two more private-use characters around a key drawn when the
# process starts: input text cannot know it, so only :func:`mention_suffix` (given a
# declared, valid login) can make one; any other mark is dropped.
_MENTION_OPEN = "\ue002"
_MENTION_CLOSE = "\ue003"
_MENTION_KEY = secrets.token_hex(8)
_MENTION = re.compile(f"{_MENTION_OPEN}([0-9a-f]{{16}})([A-Za-z0-9-]{{1,39}}){_MENTION_CLOSE}")
_MARKS = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}{_MENTION_OPEN}{_MENTION_CLOSE}]")
_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def mark_code(text: str) -> str:
    """``text`` marked as a code part of a sentence (shown in backticks)."""
    return f"{MARK_OPEN}{_MARKS.sub('', text)}{MARK_CLOSE}"


def mention_suffix(login: str) -> str:
    """A mention to put after a person's name: `` (@login)`` in Markdown, nothing in the
    plain form. Only for a declared handle; an invalid login gives nothing."""
    if len(login) > 39 or _GITHUB_LOGIN.fullmatch(login) is None:
        return ""
    return f"{_MENTION_OPEN}{_MENTION_KEY}{login}{_MENTION_CLOSE}"


def unmark(text: str) -> str:
    """The plain form of a marked sentence: code parts in backticks, no mentions."""
    text = _MENTION.sub("", text).replace(_MENTION_OPEN, "").replace(_MENTION_CLOSE, "")
    return text.replace(MARK_OPEN, "`").replace(MARK_CLOSE, "`")


def markdown_of_marked(text: str) -> str:
    """A marked sentence as safe Markdown: prose escaped, code parts as code spans, and
    the mentions that :func:`mention_suffix` made as `` (@login)``."""
    parts: list[str] = []
    position = 0
    for match in _MENTION.finditer(text):
        parts.append(_markdown_of_codes(text[position : match.start()], not parts))
        if match.group(1) == _MENTION_KEY:
            parts.append(f" (@{match.group(2)})")
        position = match.end()
    parts.append(_markdown_of_codes(text[position:], not parts))
    return "".join(parts)


def _markdown_of_codes(text: str, at_start: bool) -> str:
    parts: list[str] = []
    position = 0
    for match in _MARKED.finditer(text):
        prose = _MARKS.sub("", text[position : match.start()])
        parts.append(for_markdown(prose, block_start=at_start and not parts))
        parts.append(code_span(match.group(1)))
        position = match.end()
    rest = _MARKS.sub("", text[position:])
    parts.append(for_markdown(rest, block_start=at_start and not parts))
    return "".join(parts)
