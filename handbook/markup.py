"""Light markup in policy text, parsed into the document model's inline values.

Every engine and the CLI go through :func:`parse`; the rules are the user-facing ones in
the policy-format reference ("Links and light markup"):

- ``[text](https://…)``, ``[text](mailto:…)``: a link. Only ``http``, ``https`` and
  ``mailto`` URLs become links (:func:`safe_url`); any other ``[text](target)`` stays
  text exactly as written.
- ``[text](doc:path)``: a link to a handbook page, resolved like Sphinx's ``{doc}``
  (relative to the page showing the text, or from the docs root with a leading ``/``).
- ``[text](process:triage)``, and likewise ``role:``, ``request-type:``, ``sla:``,
  ``template:``, ``member:``, ``rotation:`` and ``term:`` (the kinds are
  :data:`~support_policy.policy.object_links.OBJECT_LINK_KINDS`): a :class:`Ref` to
  that policy object. ``[](process:triage)`` has no text of its own: the object's name
  shows. A target that is not a well-formed id stays text; an id the policy does not
  define is the checks' business (``SP217``).
- A bare ``http://`` or ``https://`` URL: a link to itself.
- ```code``` (a longer run of backticks for code that holds one), ``*emphasis*``,
  ``**strong**``; ``\\`` before ASCII punctuation makes it plain text. A marker
  without its partner stays text.

One pass over the text with a stack of open markers at most :data:`MAX_DEPTH` deep: the
work is linear in the length of the text whatever it holds (no regular expression here
can backtrack, and no failed attempt is scanned again).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import cast

from support_policy.policy.object_links import BacktickRuns, object_link_target
from support_policy.policy.urls import invisible, safe_url

from .model import Emphasis, Inline, InlineCode, Link, PageLink, Ref, RefKind, Strong, Text

#: Open markers (``*``, ``**``, ``[``) at once; deeper ones stay text.
MAX_DEPTH = 16

_ESCAPABLE = frozenset(string.punctuation)
# Where something other than plain text may start. A simple alternation searched forward:
# every search starts where the last one stopped, so the text is scanned once.
_SPECIAL = re.compile(r"[\\`*\[\]]|(?<!\w)https?://", re.IGNORECASE)
# Characters that end a bare URL or make a link target invalid (besides spaces and
# control characters): they are never part of a URL we emit.
_URL_STOP = frozenset('<>"`\\{}|^[]')
_TARGET_STOP = frozenset('<>"`\\()')
_TRAILING = frozenset(".,:;!?'*_~")
# A handbook page: path segments of letters, digits, ``_ . -``; ``/`` leading or between.
_DOC_PATH = re.compile(r"/?[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*", re.ASCII)


def parse(text: str) -> tuple[Inline, ...]:
    """Policy text (values already filled in) as inline document values."""
    if not text:
        return ()
    return _Parser(text).run()


# --- the parser --------------------------------------------------------------------------


@dataclass
class _Frame:
    """An open marker and what followed it so far."""

    marker: str  # "", "*", "**" or "["; restored as text when it is never closed
    start: int  # where the marker stands in the text
    children: list[Inline] = field(default_factory=list)
    dead: bool = False  # a "[" that can no longer make a link


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.stack: list[_Frame] = [_Frame("", 0)]
        self.closers = BacktickRuns(text)

    def run(self) -> tuple[Inline, ...]:
        text, i = self.text, 0
        while i < len(text):
            match = _SPECIAL.search(text, i)
            if match is None:
                self.emit(Text(text[i:]))
                break
            if match.start() > i:
                self.emit(Text(text[i : match.start()]))
            i = self.special(match.start(), match.group())
        while len(self.stack) > 1:
            self.flatten_top()
        return _merged(self.stack[0].children)

    @property
    def top(self) -> _Frame:
        return self.stack[-1]

    def emit(self, value: Inline) -> None:
        self.top.children.append(value)

    def special(self, i: int, found: str) -> int:
        """Handle the special character at ``i``; return where plain text resumes."""
        if found == "\\":
            return self.escape(i)
        if found == "`":
            return self.code(i)
        if found == "*":
            return self.stars(i)
        if found == "[":
            if not self.push("[", i):
                self.emit(Text("["))
            return i + 1
        if found == "]":
            return self.close_bracket(i)
        return self.autolink(i)

    def escape(self, i: int) -> int:
        following = self.text[i + 1 : i + 2]
        if following in _ESCAPABLE:
            self.emit(Text(following))
            return i + 2
        self.emit(Text("\\"))
        return i + 1

    def code(self, i: int) -> int:
        """A run of backticks opens code that the next run of the same length closes."""
        end = i
        while end < len(self.text) and self.text[end] == "`":
            end += 1
        closer = self.closers.next_after(end, end - i)
        if closer is None:
            self.emit(Text(self.text[i:end]))
            return end
        content = self.text[end:closer]
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip():
            content = content[1:-1]  # room for a backtick at either end: `` `x` ``
        self.emit(InlineCode(content))
        return closer + (end - i)

    def stars(self, i: int) -> int:
        text = self.text
        end = i
        while end < len(text) and text[end] == "*":
            end += 1
        run = end - i
        if run > 3:
            self.emit(Text(text[i:end]))
            return end
        before = text[i - 1] if i > 0 else " "
        after = text[end] if end < len(text) else " "
        can_open, can_close = not after.isspace(), not before.isspace()
        units = {1: ["*"], 2: ["**"], 3: ["**", "*"]}[run]
        if run == 3 and can_close and self.find_open("*") is not None:
            units = ["*", "**"]  # closing: the inner marker first
        for unit in units:
            closed = can_close and self.close_emphasis(unit)
            if not closed and not (can_open and self.push(unit, i)):
                self.emit(Text(unit))
        return end

    def push(self, marker: str, start: int) -> bool:
        if len(self.stack) > MAX_DEPTH:
            return False
        self.stack.append(_Frame(marker, start))
        return True

    def find_open(self, marker: str) -> int | None:
        """The innermost open ``marker`` not outside a live ``[`` (links bind tighter)."""
        for index in range(len(self.stack) - 1, 0, -1):
            frame = self.stack[index]
            if frame.marker == marker and not frame.dead:
                return index
            if frame.marker == "[" and not frame.dead:
                return None
        return None

    def close_emphasis(self, marker: str) -> bool:
        index = self.find_open(marker)
        if index is None or not (self.stack[-1].children or index < len(self.stack) - 1):
            return False
        while len(self.stack) - 1 > index:
            self.flatten_top()
        frame = self.stack.pop()
        children = _merged(frame.children)
        self.emit(Strong(children) if marker == "**" else Emphasis(children))
        return True

    def close_bracket(self, i: int) -> int:
        index = next(
            (
                k
                for k in range(len(self.stack) - 1, 0, -1)
                if self.stack[k].marker == "[" and not self.stack[k].dead
            ),
            None,
        )
        target_end = self.target(i + 1) if index is not None else None
        if index is None or target_end is None:
            if index is not None:
                self.stack[index].dead = True
                if index == len(self.stack) - 1:
                    self.flatten_top()
            self.emit(Text("]"))
            return i + 1
        target, end = target_end
        while len(self.stack) - 1 > index:
            self.flatten_top()
        frame = self.stack.pop()
        link = _link(target, _merged(_delinked(frame.children)))
        self.emit(link if link is not None else Text(self.text[frame.start : end]))
        if link is not None:
            for outer in self.stack:  # no links inside link text
                outer.dead = outer.dead or outer.marker == "["
        return end

    def target(self, i: int) -> tuple[str, int] | None:
        """``(target)`` at ``i``: the target and the index after ``)``, else ``None``.

        The scan stops at the first ``(``, where the next attempt would start, so no
        character is scanned twice however many ``](`` the text holds.
        """
        text = self.text
        if text[i : i + 1] != "(":
            return None
        end = i + 1
        while end < len(text):
            char = text[end]
            if char == ")":
                return (text[i + 1 : end], end + 1) if end > i + 1 else None
            if char in _TARGET_STOP or invisible(char):
                break
            end += 1
        return None

    def autolink(self, i: int) -> int:
        text = self.text
        end = i
        while end < len(text) and text[end] not in _URL_STOP and not invisible(text[end]):
            end += 1
        end = _trim_url(text, i, end)
        url = safe_url(text[i:end])
        if url is None:
            self.emit(Text(text[i:end]))
        else:
            self.emit(Link(url, (Text(url),)))
        return end

    def flatten_top(self) -> None:
        """An unclosed marker: its text and its children go back to the enclosing frame."""
        frame = self.stack.pop()
        self.top.children.append(Text(frame.marker))
        self.top.children.extend(frame.children)


def _link(target: str, children: tuple[Inline, ...]) -> Inline | None:
    if target.startswith("doc:"):
        page = target[len("doc:") :]
        return PageLink(page, children) if _DOC_PATH.fullmatch(page) else None
    found = object_link_target(target)
    if found is not None:
        kind, key = found
        return Ref(cast("RefKind", kind), key, children)
    url = safe_url(target)
    if url is None:
        return None
    return Link(url, children or (Text(url),))


def _trim_url(text: str, start: int, end: int) -> int:
    """Leave trailing punctuation and an unbalanced ``)`` to the sentence around a URL."""
    opened = text.count("(", start, end) - text.count(")", start, end)
    while end > start:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and opened < 0:
            opened += 1
            end -= 1
        else:
            break
    return end


def _delinked(values: list[Inline]) -> list[Inline]:
    """Link text holds no links: a bare URL in it is its text again."""
    return [
        Text(value.url) if isinstance(value, Link) else _delink_inside(value) for value in values
    ]


def _delink_inside(value: Inline) -> Inline:
    if isinstance(value, Strong):
        return Strong(tuple(_delinked(list(value.children))))
    if isinstance(value, Emphasis):
        return Emphasis(tuple(_delinked(list(value.children))))
    return value


def _merged(values: list[Inline]) -> tuple[Inline, ...]:
    """Adjacent text joined, empty text dropped."""
    merged: list[Inline] = []
    for value in values:
        if isinstance(value, Text):
            if not value.text:
                continue
            if merged and isinstance(merged[-1], Text):
                merged[-1] = Text(merged[-1].text + value.text)
                continue
        merged.append(value)
    return tuple(merged)
