"""Small builders of standard docutils nodes. Every policy string goes in as plain text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from docutils import nodes
from sphinx import addnodes

Cell = str | nodes.Node | Sequence[nodes.Node]

SAFE_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def para(*children: str | nodes.Node, classes: Sequence[str] = ()) -> nodes.paragraph:
    """A paragraph whose string children are plain text (never parsed as markup)."""
    node = nodes.paragraph(classes=list(classes))
    for child in children:
        node += nodes.Text(child) if isinstance(child, str) else child
    return node


def labelled(label: str, *children: str | nodes.Node) -> nodes.paragraph:
    """``Label: value`` with the label in bold."""
    return para(nodes.strong(text=f"{label}:"), " ", *children)


def bullets(items: Iterable[str | nodes.Node]) -> nodes.bullet_list:
    node = nodes.bullet_list(bullet="-")
    for item in items:
        node += nodes.list_item("", item if isinstance(item, nodes.Node) else para(item))
    return node


def enumerated(items: Iterable[nodes.list_item]) -> nodes.enumerated_list:
    node = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    node.extend(items)
    return node


def join(parts: Sequence[str | nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    """Inline nodes separated by ``separator``."""
    result: list[nodes.Node] = []
    for index, part in enumerate(parts):
        if index:
            result.append(nodes.Text(separator))
        result.append(nodes.Text(part) if isinstance(part, str) else part)
    return result


def link(url: str) -> nodes.Node:
    """A reference for http(s)/mailto URLs; anything else (``javascript:``…) stays text."""
    if urlsplit(url).scheme.lower() in SAFE_URL_SCHEMES:
        return nodes.reference(url, url, refuri=url)
    return nodes.literal(url, url)


def target(node_id: str) -> nodes.target:
    return nodes.target("", "", ids=[node_id])


def xref(
    domain: str, reftype: str, target_id: str, text: str, docname: str
) -> addnodes.pending_xref:
    """A pending cross-reference with an explicit title."""
    return addnodes.pending_xref(
        "",
        nodes.inline(text, text, classes=["xref", domain, f"{domain}-{reftype}"]),
        refdomain=domain,
        reftype=reftype,
        reftarget=target_id,
        refexplicit=True,
        refwarn=True,
        refdoc=docname,
    )


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    widths: Sequence[int] | None = None,
    classes: Sequence[str] = (),
    cell_classes: Iterable[Sequence[Sequence[str]]] | None = None,
) -> nodes.table:
    """A table with one header row; a cell is text, a node or a list of nodes."""
    table_node = nodes.table(classes=["support-policy-table", *classes])
    group = nodes.tgroup(cols=len(headers))
    table_node += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers, None)
    body = nodes.tbody()
    group += body
    class_rows = iter(cell_classes) if cell_classes is not None else None
    for row in rows:
        body += _row(row, next(class_rows) if class_rows is not None else None)
    return table_node


def _row(cells: Sequence[Cell], classes: Sequence[Sequence[str]] | None) -> nodes.row:
    row = nodes.row()
    for index, cell in enumerate(cells):
        entry = nodes.entry(classes=list(classes[index]) if classes is not None else [])
        if isinstance(cell, str):
            if cell:
                entry += para(cell)
        elif isinstance(cell, nodes.Node):
            entry += cell
        else:
            entry.extend(cell)
        row += entry
    return row
