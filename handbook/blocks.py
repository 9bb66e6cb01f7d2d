"""Small constructors every builder shares: labelled lines, lists, cells, references.

Strings that are not prose (names, numbers, ids) go in as :class:`Text` and are never
read as markup; prose goes through :func:`support_policy.handbook.prose.prose` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code
from support_policy.policy.models import Policy

from .links import safe_url
from .model import (
    Block,
    BulletList,
    Cell,
    Inline,
    InlineCode,
    Link,
    Paragraph,
    Problem,
    Ref,
    RefKind,
    Rendered,
    Request,
    Rubric,
    Strong,
    Text,
)

#: A builder that has been handed a loaded policy (see :func:`with_policy`).
PolicyBuilder = Callable[[Request, Policy], Rendered]

NOTHING = Rendered(())


def with_policy(build: PolicyBuilder) -> Callable[[Request], Rendered]:
    """A builder that shows nothing when the policy did not load (that is reported once)."""

    def built(request: Request) -> Rendered:
        policy = request.loaded.policy
        return NOTHING if policy is None else build(request, policy)

    built.__name__ = build.__name__
    built.__doc__ = build.__doc__
    return built


def text(value: str) -> tuple[Inline, ...]:
    """Plain text, never read as markup."""
    return (Text(value),)


def para(*children: Inline) -> Paragraph:
    return Paragraph(tuple(children))


def labelled(label: str, *children: Inline) -> Paragraph:
    """``Label: value`` with the label in bold."""
    return Paragraph((Strong((Text(f"{label}:"),)), Text(" "), *children))


def bullets(items: Iterable[Sequence[Inline]]) -> BulletList:
    """One paragraph per item."""
    return BulletList(tuple((Paragraph(tuple(item)),) for item in items))


def joined(parts: Sequence[Inline], separator: str = ", ") -> tuple[Inline, ...]:
    result: list[Inline] = []
    for index, part in enumerate(parts):
        if index:
            result.append(Text(separator))
        result.append(part)
    return tuple(result)


def text_cell(value: str) -> Cell:
    """A table cell with ``value`` as a paragraph; an empty string is an empty cell."""
    return Cell((Paragraph(text(value)),) if value else ())


def ref(kind: RefKind, key: str, display: str) -> Ref:
    """A cross-reference; plain text wherever the target is rendered nowhere."""
    return Ref(kind, key, text(display))


def url_or_code(url: str) -> Inline:
    """A link for http(s) and mailto URLs; anything else (``javascript:`` …) stays code."""
    if safe_url(url) is not None:
        return Link(url, text(url))
    return InlineCode(url)


def heading(request: Request, name: str) -> tuple[Block, ...]:
    """A rubric for ``name``, unless the enclosing section already says it."""
    title = request.section_title
    if title is not None and title.strip().casefold() == name.strip().casefold():
        return ()
    return (Rubric(text(name)),)


def missing(section: str) -> Rendered:
    message = f"the support policy has no `{section}` section"
    return Rendered((), (Problem(Code.MISSING_SECTION, message),))


def unknown(kind: str, key: str, known: Sequence[str]) -> Rendered:
    message = f"unknown {kind} `{key}`{suggest(key, list(known))}"
    return Rendered((), (Problem(Code.UNRESOLVED_REFERENCE, message),))
