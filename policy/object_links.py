"""Links from policy text to the policy's own objects: ``[text](process:triage)``.

The one home of the link kinds and of the ids each may name (:func:`object_names`,
which the checks and the handbook both ask): the markup parser (``handbook.markup``) makes a link of
exactly these, and :func:`check_object_links` reports each one whose id the policy does
not define (``SP217``). Where the object is rendered nowhere, the link is plain text in
the handbook; an id that exists nowhere is an error, with a "did you mean".

The scan here finds what the parser would read as a link target, so a link written inside
backticks (code) or after a backslash is not one; it does not pair brackets, so a stray
``](process:x)`` is judged too. It is one forward pass over the text: a target scan stops
at the next ``(``, where the next attempt starts, so no character is read twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from .diagnostics import Code
from .facts import glossary_entries, rotation_name
from .findings import Finding
from .models import Policy
from .rotations import located_rotations
from .types import ID_PATTERN
from .yamlsource import Loc

#: kind (as written before ``:``) → what the error message calls it
OBJECT_LINK_KINDS: dict[str, str] = {
    "role": "role",
    "request-type": "request type",
    "sla": "SLA target",
    "process": "process",
    "template": "template",
    "member": "team member",
    "rotation": "rotation",
    "term": "glossary term",
}

_ID = re.compile(ID_PATTERN)
# A run of backticks, an escape, or a link target opening: `](kind:`. Searched forward only.
_SCAN = re.compile(
    r"`+|\\.|\]\((" + "|".join(re.escape(kind) for kind in OBJECT_LINK_KINDS) + r"):",
    re.DOTALL,
)
_TARGET_END = re.compile(r"[)\s<>\"`\\(]")


def object_link_target(target: str) -> tuple[str, str] | None:
    """``(kind, id)`` of a link target such as ``process:triage``; ``None`` if not one.

    The id must be a well-formed policy id (lower-case letters, digits and single
    hyphens), so nothing else written after a kind ever reaches a link.
    """
    kind, colon, key = target.partition(":")
    if not colon or kind not in OBJECT_LINK_KINDS or not _ID.fullmatch(key):
        return None
    return kind, key


@dataclass(frozen=True)
class WrittenLink:
    """An object link as written: its kind, what follows ``kind:``, and where ``kind`` starts."""

    kind: str
    key: str
    offset: int


def written_links(text: str) -> Iterator[WrittenLink]:
    """Every ``](kind:…)`` in ``text`` outside code spans and escapes, in order.

    Code is found as the parser finds it: a run of backticks (after an escaped one, the
    rest of the run) is closed by the next run of the same length, or is text.
    """
    closers = BacktickRuns(text)
    i = 0
    while True:
        match = _SCAN.search(text, i)
        if match is None:
            return
        found = match.group()
        if found.startswith("`"):
            closer = closers.next_after(match.end(), len(found))
            i = closer + len(found) if closer is not None else match.end()
            continue
        if found.startswith("\\"):
            i = match.end()
            continue
        start = match.end()
        end = _TARGET_END.search(text, start)
        if end is not None and text[end.start()] == ")":
            yield WrittenLink(match.group(1), text[start : end.start()], match.start(1))
        i = start


class BacktickRuns:
    """Where each run of backticks starts, by its length, found in one pass: the closers
    of code, for the markup parser and :func:`written_links` alike.

    Code is looked for left to right, so each length's cursor only moves forward: finding
    every closer costs one pass over the runs, however many openers find none.
    """

    def __init__(self, text: str) -> None:
        self.starts: dict[int, list[int]] = {}
        self.cursor: dict[int, int] = {}
        start = text.find("`")
        while start >= 0:
            end = start
            while end < len(text) and text[end] == "`":
                end += 1
            self.starts.setdefault(end - start, []).append(start)
            start = text.find("`", end)

    def next_after(self, position: int, length: int) -> int | None:
        starts = self.starts.get(length, [])
        index = self.cursor.get(length, 0)
        while index < len(starts) and starts[index] < position:
            index += 1
        self.cursor[length] = index
        return starts[index] if index < len(starts) else None


def check_object_links(
    policy: Policy,
    strings: Iterator[tuple[Loc, str]],
    hint: Callable[[str, Callable[[], list[str]]], str],
) -> Iterator[Finding]:
    """``SP217`` for every object link in ``strings`` whose id the policy does not define."""
    cache: dict[str, set[str]] = {}
    for loc, text in strings:
        if "](" not in text:
            continue
        for link in written_links(text):
            ids = cache.get(link.kind)
            if ids is None:
                ids = cache[link.kind] = set(object_names(policy, link.kind))
            if link.key in ids:
                continue
            label = OBJECT_LINK_KINDS[link.kind]
            suggestion = hint(link.key, partial(sorted, ids)) if link.key else ""
            yield Finding(
                loc,
                Code.UNKNOWN_OBJECT_LINK,
                f"`{link.kind}:{_shown(link.key)}` links to no {label} of the policy"
                + (suggestion or ("" if ids else f"; the policy defines no {label}s")),
                offset=link.offset,
            )


def term_text(policy: Policy, key: str) -> str | None:
    """The term a ``term:`` id stands for (an entry's name); ``None`` for an id that names
    no glossary entry. The glossary's own order decides (:func:`glossary_entries`)."""
    return _terms(policy).get(key)


def _terms(policy: Policy) -> dict[str, str]:
    terms: dict[str, str] = {}
    for entry in glossary_entries(policy):
        terms.setdefault(entry.loc[1], entry.terms[0])
    return terms


def _names(objects: Mapping[str, Any]) -> dict[str, str]:
    return {key: found.name for key, found in objects.items()}


#: kind → the objects a link of that kind may name, id → the name the object is shown by.
#: The one table of which ids exist: the checks (``SP217``) and the handbook both ask it.
_OBJECTS: dict[str, Callable[[Policy], Mapping[str, str]]] = {
    "role": lambda policy: _names(policy.roles),
    "request-type": lambda policy: _names(policy.request_types),
    "sla": lambda policy: _names(policy.sla),
    "process": lambda policy: _names(policy.processes),
    "template": lambda policy: _names(policy.templates),
    "member": lambda policy: _names(policy.team.members),
    "rotation": lambda policy: {
        located.id: rotation_name(policy, located.id) for located in located_rotations(policy)
    },
    "term": _terms,
}


def object_names(policy: Policy, kind: str) -> Mapping[str, str]:
    """Id → shown name of every object a ``kind:`` link may name (empty for no such kind)."""
    table = _OBJECTS.get(kind)
    return {} if table is None else table(policy)


def _shown(key: str) -> str:
    """The id as the message shows it: one line, and not a page long."""
    key = key.replace("`", "'")
    return key if len(key) <= 60 else key[:57] + "..."
