"""The neutral document model: frozen values a directive's builder returns.

Every string here is plain text. No engine parses it again, so policy text becomes markup
only through :mod:`support_policy.handbook.markup`, which produces these values itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TypeAlias

from support_policy.policy import clock
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import LoadedPolicy

# -- inline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class InlineCode:
    """Inline code (a literal)."""

    text: str


@dataclass(frozen=True)
class Link:
    """An external link. Only made for http, https and mailto URLs (see ``links.safe_url``)."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class PageLink:
    """A link to a handbook page by its path (``doc:``); the engine resolves it or warns."""

    page: str
    children: tuple[Inline, ...]


#: What a :class:`Ref` may point at: the support domain's object types and glossary terms.
RefKind: TypeAlias = Literal[
    "role", "request-type", "sla", "process", "template", "channel", "member", "rotation", "term"
]


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a policy object; plain text where the target is rendered nowhere.

    ``key`` is the object's id; for ``term``, the term's text (as Sphinx's ``{term}``).
    ``children`` are the link's own text; with none, the engine shows the object's name
    where it resolves the link, else the key (policy prose always fills the name in:
    :func:`~support_policy.handbook.prose.prose`).
    """

    kind: RefKind
    key: str
    children: tuple[Inline, ...]


Inline: TypeAlias = Text | Strong | Emphasis | InlineCode | Link | PageLink | Ref

# -- blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Where a policy object is defined: target, domain object and index entry.

    Engines drop it under ``:no-index:``; it is the one place a ``Ref`` lands.
    """

    kind: RefKind
    key: str
    name: str


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rubric:
    """A heading inside a directive's output (not a document section)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class EnumeratedList:
    items: tuple[tuple[Block, ...], ...]
    style: Literal["arabic", "loweralpha"] = "arabic"


@dataclass(frozen=True)
class Cell:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...] | None = None
    classes: tuple[str, ...] = ()
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class GlossaryItem:
    terms: tuple[str, ...]
    definition: tuple[Block, ...]


@dataclass(frozen=True)
class Glossary:
    """Glossary entries: terms become targets of ``Ref("term", …)`` unless ``:no-index:``."""

    items: tuple[GlossaryItem, ...]


@dataclass(frozen=True)
class LiteralBlock:
    text: str
    language: str = "text"
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Admonition:
    kind: Literal["note", "warning", "tip"]
    body: tuple[Block, ...]
    title: str | None = None


@dataclass(frozen=True)
class Figure:
    """A picture a builder drew; ``alt`` is its text alternative, ``caption`` follows it.

    ``svg`` is markup that the engines pass on as it is (Sphinx as ``nodes.raw``), so it
    may hold input text (names, dates) only escaped: the builder escapes every input
    string it draws (``timeline_svg.xml_text``). Engines that cannot show SVG (LaTeX,
    text) show the caption only.
    """

    svg: str
    alt: str
    caption: tuple[Inline, ...] = ()
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Container:
    """A group with classes for styling (``support-role``, ``support-channel`` …)."""

    classes: tuple[str, ...]
    children: tuple[Block, ...]


Block: TypeAlias = (
    Anchor
    | Paragraph
    | Rubric
    | BulletList
    | EnumeratedList
    | Table
    | Glossary
    | LiteralBlock
    | Admonition
    | Figure
    | Container
)

# -- directives --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A warning for the directive's own position (engines add the location)."""

    code: Code
    message: str


@dataclass(frozen=True)
class Request:
    """What a builder gets: the loaded policy and the directive as the page wrote it."""

    loaded: LoadedPolicy
    argument: str | None
    options: Mapping[str, str | None]  # a flag is present with ``None``
    #: a fixed "today"; ``None`` asks :mod:`~support_policy.policy.clock` when a builder needs it
    today: date | None = None
    #: the title of the section the directive stands in, so a block need not repeat it
    section_title: str | None = None
    #: the folder of the page the directive is on: files it names are read inside it
    page_folder: Path | None = None

    def current_day(self) -> date:
        """Today: the fixed one, else the clock's (``SOURCE_DATE_EPOCH`` when set).

        Asked only by builders that need it, so an unusable ``SOURCE_DATE_EPOCH`` troubles
        only them: it raises :class:`~support_policy.policy.clock.BadEpoch` or
        :class:`~support_policy.policy.bounds.OutOfRange`.
        """
        return self.today if self.today is not None else clock.today()


@dataclass(frozen=True)
class Rendered:
    blocks: tuple[Block, ...]
    problems: tuple[Problem, ...] = ()
    #: files besides the policy the output was made from: a change to one rebuilds the page
    dependencies: tuple[Path, ...] = ()


Builder: TypeAlias = Callable[[Request], Rendered]


@dataclass(frozen=True)
class DirectiveSpec:
    """One directive, the same in every engine: its name, argument, options and builder."""

    name: str
    build: Builder
    argument: Literal["none", "optional", "required"] = "none"
    #: option name → "flag" or "text"; every directive also takes ``no-index``.
    options: Mapping[str, Literal["flag", "text"]] = field(default_factory=dict)
