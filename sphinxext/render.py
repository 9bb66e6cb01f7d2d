"""The document model's blocks as docutils nodes, for one directive on one page.

Inline values go through :mod:`.render_inline`, figures through :mod:`.render_figure`.
Policy objects are defined here (:class:`Anchor`): a target, the support domain's entry,
a std label and an index line, unless the directive says ``:no-index:``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import StandardDomain, make_glossary_term
from sphinx.util.docutils import SphinxDirective

from support_policy.handbook.model import (
    Admonition,
    Anchor,
    Block,
    BulletList,
    Cell,
    EnumeratedList,
    Figure,
    Glossary,
    LiteralBlock,
    Paragraph,
    Rubric,
    Table,
)
from support_policy.handbook.targets import SHOWN_IN_MANY_PLACES
from support_policy.policy.diagnostics import Code

from .domain import OBJECT_TYPES, SupportDomain, node_id_for
from .render_figure import figure_nodes
from .render_inline import inline_nodes
from .warnings import warn


class BlockRenderer:
    """Renders blocks where ``directive`` stands; ``indexed`` is false under ``:no-index:``."""

    def __init__(self, directive: SphinxDirective, *, indexed: bool) -> None:
        self.directive = directive
        self.env = directive.env
        self.document = directive.state.document
        self.docname = directive.env.current_document.docname
        self.indexed = indexed

    def blocks(self, values: Sequence[Block]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for value in values:
            result.extend(self.block(value))
        return result

    def block(self, value: Block) -> list[nodes.Node]:
        if isinstance(value, Anchor):
            return self.anchor(value)
        if isinstance(value, Paragraph):
            return [nodes.paragraph("", "", *self.inline(value), classes=list(value.classes))]
        if isinstance(value, Rubric):
            return [nodes.rubric("", "", *inline_nodes(value.children, self.docname))]
        if isinstance(value, BulletList):
            listing = nodes.bullet_list(bullet="-")
            listing.extend(nodes.list_item("", *self.blocks(item)) for item in value.items)
            return [listing]
        if isinstance(value, EnumeratedList):
            numbered = nodes.enumerated_list(enumtype=value.style, prefix="", suffix=".")
            numbered.extend(nodes.list_item("", *self.blocks(item)) for item in value.items)
            return [numbered]
        if isinstance(value, Table):
            return [self.table(value)]
        if isinstance(value, Glossary):
            return [self.glossary(value)]
        if isinstance(value, LiteralBlock):
            literal = nodes.literal_block(value.text, value.text, classes=list(value.classes))
            literal["language"] = value.language
            return [literal]
        if isinstance(value, Admonition):
            return [self.admonition(value)]
        if isinstance(value, Figure):
            return figure_nodes(value, self.blocks)
        container = nodes.container(classes=list(value.classes))
        container.extend(self.blocks(value.children))
        return [container]

    def inline(self, value: Paragraph) -> list[nodes.Node]:
        return inline_nodes(value.children, self.docname)

    def anchor(self, value: Anchor) -> list[nodes.Node]:
        """Target, domain object, std label and index entry, unless ``:no-index:``."""
        if not self.indexed:
            return []
        node_id = node_id_for(value.kind, value.key)
        if node_id in self.document.ids:
            if value.kind in SHOWN_IN_MANY_PLACES:
                return []  # the first one on the page is the target
            message = f"{OBJECT_TYPES[value.kind]} `{value.key}` appears twice on this page"
            warn(Code.DUPLICATE_ON_PAGE, message, self.directive.get_location())
            return []
        target = nodes.target("", "", ids=[node_id])
        self.directive.set_source_info(target)
        self.document.set_id(target)
        domain = cast("SupportDomain", self.env.get_domain("support"))
        domain.note_object(value.kind, value.key, node_id, value.name, self.directive.lineno)
        # A std label too: `[](support-sla-triage)`, `{ref}`, `{any}` and intersphinx reach
        # this very object even when a process is also called `triage`.
        std = cast("StandardDomain", self.env.get_domain("std"))
        # Of several pages defining it, the one the domain's links go to is chosen once
        # every page is read (`SupportDomain.label_targets`); meanwhile, this one.
        std.labels[node_id] = (self.docname, node_id, value.name)
        std.anonlabels[node_id] = (self.docname, node_id)
        entry = f"{value.name} ({OBJECT_TYPES[value.kind]})"
        index = addnodes.index(entries=[("single", entry, node_id, "", None)])
        return [index, target]

    def table(self, value: Table) -> nodes.table:
        table = nodes.table(classes=["support-policy-table", *value.classes])
        if value.caption:
            table += nodes.title("", "", *inline_nodes(value.caption, self.docname))
        group = nodes.tgroup(cols=len(value.header))
        table += group
        for width in value.widths or [1] * len(value.header):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        titles = nodes.row()
        for title in value.header:
            entry = nodes.entry()
            if title:
                entry += nodes.paragraph("", title)
            titles += entry
        head += titles
        body = nodes.tbody()
        group += body
        for cells in value.rows:
            row = nodes.row()
            row.extend(self.cell(cell) for cell in cells)
            body += row
        return table

    def cell(self, value: Cell) -> nodes.entry:
        entry = nodes.entry()
        entry.extend(self.blocks(value.blocks))
        return entry

    def glossary(self, value: Glossary) -> addnodes.glossary:
        """Terms become glossary targets (``{term}``) unless ``:no-index:``."""
        glossary = addnodes.glossary(sorted=False)
        listing = nodes.definition_list(classes=["glossary"])
        glossary += listing
        source, line = self.directive.get_source_info()
        for item in value.items:
            entry = nodes.definition_list_item()
            for name in item.terms:
                if self.indexed:
                    entry += make_glossary_term(
                        self.env,
                        [nodes.Text(name)],
                        None,
                        source or "",
                        line or 0,
                        None,
                        self.document,
                    )
                else:
                    entry += nodes.term(name, name)
            entry += nodes.definition("", *self.blocks(item.definition))
            listing += entry
        return glossary

    def admonition(self, value: Admonition) -> nodes.Element:
        if value.title is None:
            kinds: dict[str, type[nodes.Element]] = {
                "note": nodes.note,
                "warning": nodes.warning,
                "tip": nodes.tip,
            }
            plain = kinds[value.kind]()
            plain.extend(self.blocks(value.body))
            return plain
        titled = nodes.admonition(classes=[value.kind])
        titled += nodes.title(value.title, value.title)
        titled.extend(self.blocks(value.body))
        return titled
