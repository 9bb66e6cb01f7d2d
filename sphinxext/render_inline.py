"""The document model's inline values as docutils nodes (every builder)."""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes

from support_policy.handbook.model import (
    Emphasis,
    Inline,
    InlineCode,
    Link,
    PageLink,
    Ref,
    Strong,
    Text,
)


def inline_nodes(values: Iterable[Inline], docname: str) -> list[nodes.Node]:
    return [inline_node(value, docname) for value in values]


def inline_node(value: Inline, docname: str) -> nodes.Node:
    if isinstance(value, Text):
        return nodes.Text(value.text)
    if isinstance(value, Strong):
        return nodes.strong("", "", *inline_nodes(value.children, docname))
    if isinstance(value, Emphasis):
        return nodes.emphasis("", "", *inline_nodes(value.children, docname))
    if isinstance(value, InlineCode):
        return nodes.literal(value.text, value.text)
    if isinstance(value, Link):
        return nodes.reference("", "", *inline_nodes(value.children, docname), refuri=value.url)
    if isinstance(value, PageLink):
        return addnodes.pending_xref(
            "",
            nodes.inline("", "", *inline_nodes(value.children, docname)),
            refdomain="std",
            reftype="doc",
            reftarget=value.page,
            refexplicit=True,
            refwarn=True,
            refdoc=docname,
        )
    return _ref(value, docname)


def _ref(value: Ref, docname: str) -> addnodes.pending_xref:
    text = "".join(_plain(child) for child in value.children)
    if value.kind == "term":
        domain, reftype, target = "std", "term", value.key
    else:
        domain, reftype, target = "support", value.kind, value.key
    return addnodes.pending_xref(
        "",
        nodes.inline(text, text, classes=["xref", domain, f"{domain}-{reftype}"]),
        refdomain=domain,
        reftype=reftype,
        reftarget=target,
        refexplicit=True,
        # The target may be rendered nowhere; then the reference is plain text.
        refwarn=False,
        refdoc=docname,
    )


def _plain(value: Inline) -> str:
    if isinstance(value, (Text, InlineCode)):
        return value.text
    return "".join(_plain(child) for child in value.children)
