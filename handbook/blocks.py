"""Small constructors every builder shares: labelled lines, lists, cells, references.

Strings that are not prose (names, numbers, ids) go in as :class:`Text` and are never
read as markup; prose goes through :func:`support_policy.handbook.prose.prose` first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from support_policy.policy.bounds import check_date
from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code
from support_policy.policy.models import Policy
from support_policy.policy.urls import safe_url

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


def date_option(request: Request, option: str) -> date | None:
    """The day a date option names: ``YYYY-MM-DD``, or ``today`` (the build date), always
    within the supported dates; ``None`` when the page does not give the option.

    The one reading of a date option. A malformed date raises ``ValueError`` with a
    one-line message, which each directive reports under its own code; a date outside the
    supported range raises :class:`~support_policy.policy.bounds.OutOfRange` (``SP920``),
    an unusable build date :class:`~support_policy.policy.clock.BadEpoch`.
    """
    written = request.options.get(option)
    if written is None:
        return None
    value = written.strip()
    if value == "today":
        return check_date(request.current_day(), "today")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        shown = value[:40].replace("`", "'")
        raise ValueError(
            f"`:{option}:` expects a date (YYYY-MM-DD) or `today`, got `{shown}`"
        ) from None
    return check_date(day, f"`:{option}:`")
