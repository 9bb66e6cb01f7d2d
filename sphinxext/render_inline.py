"""The document model's inline values as docutils nodes (every builder).

A :class:`~support_policy.handbook.model.Link` becomes a ``reference`` only when its URL
passes :func:`~support_policy.policy.urls.safe_url` again here (a builder may make a
``Link`` without the parser); otherwise its text stays. A
:class:`~support_policy.handbook.model.PageLink` becomes a :class:`page_link` node that
:func:`resolve_page_links` turns into a link to the page once every page is known, or
into its text with an ``SP513`` warning. It is resolved by the extension itself, not
through Sphinx's ``{doc}`` machinery, so the site's own ``{doc}`` references keep
Sphinx's behaviour and warnings, and the formatting of the link text is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import docname_join
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.nodes import make_refnode

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
from support_policy.handbook.plain import plain_text
from support_policy.policy.diagnostics import Code
from support_policy.policy.urls import safe_url

from .warnings import warn


class page_link(nodes.inline):
    """A ``doc:`` link from policy text, until :func:`resolve_page_links` resolves it.

    Attributes: ``reftarget`` (the path as written), ``refdoc`` (the page showing it).
    """


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
        children = inline_nodes(value.children, docname)
        url = safe_url(value.url)
        if url is None:
            return nodes.inline("", "", *children)
        return nodes.reference("", "", *children, refuri=url)
    if isinstance(value, PageLink):
        return page_link(
            "",
            "",
            *inline_nodes(value.children, docname),
            reftarget=value.page,
            refdoc=docname,
            classes=["support-page-link"],
        )
    return _ref(value, docname)


def _ref(value: Ref, docname: str) -> addnodes.pending_xref:
    # No text of its own (a builder's bare `Ref`): the id, until the link shows the name.
    text = plain_text(value.children) or value.key
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
        refexplicit=bool(value.children),
        # The target may be rendered nowhere; then the reference is plain text, quietly
        # even under `nitpicky` (see `domain.warn_unknown_target`): an id the policy does
        # not define at all is the policy check's error (SP217), not a build warning.
        refwarn=False,
        refdoc=docname,
        support_policy_text=True,
    )


def resolve_page_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: each :class:`page_link` becomes a link to its page, or its text.

    The path is joined to the page showing it as Sphinx joins a ``{doc}`` target: a
    leading ``/`` starts from the docs root, ``..`` may climb, and a path that climbs out
    of the docs names no page (``SP513``). Nothing is read: only pages the build knows
    become links. ``docname`` is the page being written (for LaTeX, the whole document),
    which decides the link's form; the node's own page decides what it points at.
    """
    env = app.env
    for node in list(doctree.findall(page_link)):
        refdoc = node.get("refdoc") or docname
        target = node["reftarget"]
        page = docname_join(refdoc, target)
        if page in env.all_docs:
            inner = nodes.inline("", "", *node.children, classes=["doc"])
            title = env.titles.get(page)
            if not node.children and title is not None:
                inner += nodes.Text(title.astext())
            refnode = make_refnode(app.builder, docname, page, None, inner)
            refnode["classes"].append("support-page-link")
            node.replace_self(refnode)
            continue
        where = _located(node) or (refdoc, None)
        warn(Code.UNKNOWN_PAGE, f"no handbook page `{target}` for this link", where)
        text = nodes.inline("", "", *node.children) if node.children else nodes.Text(target)
        node.replace_self(text)


def _located(node: nodes.Element) -> nodes.Node | None:
    """The nearest enclosing node with a line (the directive's), for the warning."""
    current: nodes.Node | None = node
    while current is not None and not current.line:
        current = current.parent
    return current


def _visit_page_link(translator: SphinxTranslator, node: page_link) -> None:
    """Only reached where no doctree is resolved (never in a build): the text, unlinked."""


def _depart_page_link(translator: SphinxTranslator, node: page_link) -> None:
    pass


def setup_inline(app: Sphinx) -> None:
    """Register the page-link node and its resolver."""
    visitors = (_visit_page_link, _depart_page_link)
    app.add_node(
        page_link, html=visitors, latex=visitors, text=visitors, man=visitors, texinfo=visitors
    )
    app.connect("doctree-resolved", resolve_page_links)
