"""The document model as MyST AST (mdast JSON), the form a mystmd plugin returns.

Pure functions from :mod:`.model` values to JSON-ready dictionaries. Text stays text:
every string lands in a ``text``, ``inlineCode`` or ``code`` node's ``value`` (or an
``alt``), never in an ``html`` node; links are only the model's already-safe URLs; the one
picture is our own drawing, embedded as a ``data:`` image (an ``<img>`` runs no script).
"""

from __future__ import annotations

import base64
import re
from typing import Any, TypeAlias

from support_policy.policy.diagnostics import Code
from support_policy.policy.safe_text import for_terminal
from support_policy.policy.urls import safe_url

from .model import (
    Admonition,
    Anchor,
    Block,
    BulletList,
    Cell,
    Container,
    Emphasis,
    EnumeratedList,
    Figure,
    Glossary,
    Inline,
    InlineCode,
    Link,
    LiteralBlock,
    PageLink,
    Paragraph,
    Problem,
    Ref,
    RefKind,
    Rendered,
    Rubric,
    Strong,
    Table,
    Text,
)
from .plain import plain_text
from .targets import SHOWN_IN_MANY_PLACES

Node: TypeAlias = dict[str, Any]

#: The node type a problem travels in, from the plugin to its warnings transform.
PROBLEM_NODE = "supportPolicyProblem"
#: Marks a target that may be shown on several pages: the transform keeps the first one.
SHOWN_IN_MANY_FLAG = "supportPolicyShownInMany"
#: Marks the plugin's own cross-references: left unresolved, the transform makes them text.
REFERENCE_FLAG = "supportPolicyRef"
#: A link's problem node, reported by the transform (and the link made text) if mystmd
#: cannot resolve the link: a ``doc:`` link to a page the project lacks.
UNRESOLVED_PROBLEM = "supportPolicyIfUnresolved"


def normalize_label(label: str) -> str:
    """The identifier mystmd gives a label (its ``normalizeLabel``): spaces folded, quotes
    dropped, lower case; a cross-reference must carry the same one to resolve."""
    folded = re.sub(r"[\t\n\r ]+", " ", label)
    return re.sub(r"['‘’\"“”]+", "", folded).strip().lower()


def html_id(identifier: str) -> str:
    """The HTML id mystmd derives from an identifier (its ``createHtmlId``)."""
    text = re.sub(r"[^a-z0-9-]", "-", identifier.lower())
    text = re.sub(r"^([0-9-])", r"id-\1", text)
    text = re.sub(r"-[-]+", "-", text)
    return re.sub(r"(?:^-+)|(?:-+$)", "", text)


def target_label(kind: RefKind, key: str) -> str:
    """The label of a policy object's target: ``support-role-lead``, ``term-support-team``.

    Objects use the Sphinx domain's target names, so ``[](#support-role-lead)`` links the
    same object in both engines; glossary terms use mystmd's own ``term-`` identifiers,
    so ``{term}`` roles in the pages land on the generated glossary.
    """
    if kind == "term":
        return f"term-{normalize_label(key)}"
    return f"support-{kind}-{key}"


def _target(label: str) -> Node:
    identifier = normalize_label(label)
    return {"label": label, "identifier": identifier, "html_id": html_id(identifier)}


# -- inline ------------------------------------------------------------------------------


def inline(value: Inline) -> Node:
    """One inline value as an mdast phrasing node."""
    if isinstance(value, Text):
        return {"type": "text", "value": value.text}
    if isinstance(value, Strong):
        return {"type": "strong", "children": inlines(value.children)}
    if isinstance(value, Emphasis):
        return {"type": "emphasis", "children": inlines(value.children)}
    if isinstance(value, InlineCode):
        return {"type": "inlineCode", "value": value.text}
    if isinstance(value, Link):
        if safe_url(value.url) is None:
            # Checked again, as the Sphinx renderer does: a builder may make a Link itself.
            return {"type": "text", "value": plain_text(value.children)}
        return {"type": "link", "url": value.url, "children": inlines(value.children)}
    if isinstance(value, PageLink):
        # mystmd resolves a page path; the transform warns (SP513, as Sphinx does) and keeps
        # the text when the project has no such page.
        missing = Problem(Code.UNKNOWN_PAGE, f"no handbook page `{value.page}` for this link")
        return {
            "type": "link",
            "url": value.page,
            "children": inlines(value.children),
            UNRESOLVED_PROBLEM: problem_node(missing),
        }
    if isinstance(value, Ref):
        label = target_label(value.kind, value.key)
        children = inlines(value.children)
        return {
            "type": "crossReference",
            **_target(label),
            "children": children,
            REFERENCE_FLAG: True,
        }
    raise TypeError(f"not an inline value: {type(value).__name__}")


def inlines(values: tuple[Inline, ...]) -> list[Node]:
    return [inline(value) for value in values]


def _paragraph(children: tuple[Inline, ...], classes: tuple[str, ...] = ()) -> Node:
    node: Node = {"type": "paragraph", "children": inlines(children)}
    if classes:
        node["class"] = " ".join(classes)
    return node


# -- blocks ------------------------------------------------------------------------------


def blocks(values: tuple[Block, ...], *, index: bool = True) -> list[Node]:
    """Blocks as mdast flow nodes; ``index=False`` (``:no-index:``) drops the anchors."""
    out: list[Node] = []
    for value in values:
        out.extend(block(value, index=index))
    return out


def block(value: Block, *, index: bool = True) -> list[Node]:
    """One block as zero or more mdast nodes."""
    if isinstance(value, Anchor):
        # An empty group that carries the target: mystmd collects every node with an
        # identifier, and several anchors in a row each keep their own.
        if not index:
            return []
        anchor = {"type": "div", **_target(target_label(value.kind, value.key)), "children": []}
        if value.kind in SHOWN_IN_MANY_PLACES:
            anchor[SHOWN_IN_MANY_FLAG] = True
        return [anchor]
    if isinstance(value, Paragraph):
        return [_paragraph(value.children, value.classes)]
    if isinstance(value, Rubric):
        # Not a heading: a directive's inner titles must not become page sections.
        strong = {"type": "strong", "children": inlines(value.children)}
        return [{"type": "paragraph", "class": "rubric", "children": [strong]}]
    if isinstance(value, BulletList | EnumeratedList):
        return [_list(value, index)]
    if isinstance(value, Table):
        return [_table(value, index)]
    if isinstance(value, Glossary):
        return [_glossary(value, index)]
    if isinstance(value, LiteralBlock):
        node: Node = {"type": "code", "lang": value.language, "value": value.text}
        if value.classes:
            node["class"] = " ".join(value.classes)
        return [node]
    if isinstance(value, Admonition):
        children = blocks(value.body, index=index)
        if value.title is not None:
            title = {
                "type": "admonitionTitle",
                "children": [{"type": "text", "value": value.title}],
            }
            children.insert(0, title)
        return [{"type": "admonition", "kind": value.kind, "children": children}]
    if isinstance(value, Figure):
        return [_figure(value)]
    if isinstance(value, Container):
        group: Node = {"type": "div", "children": blocks(value.children, index=index)}
        if value.classes:
            group["class"] = " ".join(value.classes)
        return [group]
    raise TypeError(f"not a block value: {type(value).__name__}")


def _list(value: BulletList | EnumeratedList, index: bool) -> Node:
    items = [{"type": "listItem", "children": blocks(item, index=index)} for item in value.items]
    node: Node = {"type": "list", "ordered": isinstance(value, EnumeratedList), "children": items}
    if isinstance(value, EnumeratedList):
        node["start"] = 1
        if value.style != "arabic":
            node["class"] = value.style
    return node


def _cell(cell: Cell, index: bool, header: bool = False) -> Node:
    node: Node = {"type": "tableCell", "children": blocks(cell.blocks, index=index)}
    if header:
        node["header"] = True
    return node


def _table(value: Table, index: bool) -> Node:
    rows: list[Node] = []
    if value.header:
        heads = [
            _cell(Cell((Paragraph((Text(text),)),)), index, header=True) for text in value.header
        ]
        rows.append({"type": "tableRow", "children": heads})
    for row in value.rows:
        rows.append({"type": "tableRow", "children": [_cell(cell, index) for cell in row]})
    table: Node = {"type": "table", "children": rows}
    if value.classes:
        table["class"] = " ".join(value.classes)
    if not value.caption:
        return table
    caption = {"type": "caption", "children": [_paragraph(value.caption)]}
    return {"type": "container", "kind": "table", "children": [caption, table]}


def _glossary(value: Glossary, index: bool) -> Node:
    """A mystmd glossary: terms get ``term-…`` identifiers from mystmd itself."""
    entries: list[Node] = []
    for item in value.items:
        for term in item.terms:
            entries.append(
                {"type": "definitionTerm", "children": [{"type": "text", "value": term}]}
            )
        entries.append(
            {"type": "definitionDescription", "children": blocks(item.definition, index=index)}
        )
    definitions = {"type": "definitionList", "children": entries}
    if not index:
        # Without the glossary node mystmd adds no targets: `:no-index:` as in Sphinx.
        return definitions
    return {"type": "glossary", "children": [definitions]}


def _figure(value: Figure) -> Node:
    encoded = base64.b64encode(value.svg.encode("utf-8")).decode("ascii")
    image = {"type": "image", "url": f"data:image/svg+xml;base64,{encoded}", "alt": value.alt}
    children: list[Node] = [image]
    if value.caption:
        children.append({"type": "caption", "children": [_paragraph(value.caption)]})
    node: Node = {"type": "container", "kind": "figure", "children": children}
    if value.classes:
        node["class"] = " ".join(value.classes)
    return node


# -- a directive's output ------------------------------------------------------------------


def problem_node(problem: Problem, *, once: bool = False) -> Node:
    """A problem as a node the warnings transform turns into a mystmd warning.

    ``once``: the same problem comes from every directive (the policy's own); the
    transform reports it once per build.
    """
    node: Node = {
        "type": PROBLEM_NODE,
        "code": problem.code.code,
        "subtype": problem.code.subtype,
        "message": for_terminal(problem.message),
    }
    if once:
        node["once"] = True
    return node


def rendered(result: Rendered, *, index: bool = True) -> list[Node]:
    """A directive's result: its blocks, then one node per problem."""
    return [*blocks(result.blocks, index=index), *(problem_node(p) for p in result.problems)]
