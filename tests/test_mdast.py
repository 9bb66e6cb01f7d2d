"""The document model as MyST AST: what a mystmd build receives from the plugin."""

from __future__ import annotations

import base64
import json

from support_policy.handbook import mdast
from support_policy.handbook import model as m
from support_policy.policy.diagnostics import Code

HOSTILE = "<script>alert(1)</script> {raw}`<b>` [x](javascript:alert(1))"


def _types(nodes: object) -> set[str]:
    found: set[str] = set()
    stack = [nodes]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.add(str(item.get("type")))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_inline_values_become_phrasing_nodes() -> None:
    value = m.Strong((m.Text("a "), m.Emphasis((m.InlineCode("b"),))))
    assert mdast.inline(value) == {
        "type": "strong",
        "children": [
            {"type": "text", "value": "a "},
            {"type": "emphasis", "children": [{"type": "inlineCode", "value": "b"}]},
        ],
    }


def test_a_link_the_markup_would_refuse_is_text_even_when_a_builder_made_it() -> None:
    for url in ("javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "java\tscript:x"):
        node = mdast.inline(m.Link(url, (m.Text("click"),)))
        assert node == {"type": "text", "value": "click"}
    safe = mdast.inline(m.Link("https://example.org", (m.Text("site"),)))
    assert safe["type"] == "link"
    assert safe["url"] == "https://example.org"


def test_a_reference_is_a_cross_reference_to_the_sphinx_target_name() -> None:
    node = mdast.inline(m.Ref("role", "steward", (m.Text("Steward"),)))
    assert node["type"] == "crossReference"
    assert node["identifier"] == "support-role-steward"
    anchor = mdast.block(m.Anchor("role", "steward", "Steward"))[0]
    assert anchor["identifier"] == node["identifier"]


def test_a_term_reference_lands_on_mystmd_glossary_identifiers() -> None:
    # mystmd names a glossary term `term-<lower-case text>`; `{term}` roles use the same.
    node = mdast.inline(m.Ref("term", "Support  Team", (m.Text("team"),)))
    assert node["identifier"] == "term-support team"
    assert node["html_id"] == "term-support-team"


def test_no_index_drops_anchors_and_the_glossary_targets() -> None:
    blocks = (m.Anchor("role", "lead", "Lead"), m.Glossary((m.GlossaryItem(("Lead",), ()),)))
    indexed = mdast.blocks(blocks)
    assert [n["type"] for n in indexed] == ["div", "glossary"]
    plain = mdast.blocks(blocks, index=False)
    assert [n["type"] for n in plain] == ["definitionList"]


def test_glossary_items_list_every_term_before_the_definition() -> None:
    item = m.GlossaryItem(("Support Team", "Support Teams"), (m.Paragraph((m.Text("Us."),)),))
    (glossary,) = mdast.block(m.Glossary((item,)))
    entries = glossary["children"][0]["children"]
    assert [e["type"] for e in entries] == [
        "definitionTerm",
        "definitionTerm",
        "definitionDescription",
    ]


def test_a_table_has_a_header_row_and_its_caption_in_a_container() -> None:
    cell = m.Cell((m.Paragraph((m.Text("1 h"),)),))
    (node,) = mdast.block(m.Table(("Target", "Time"), ((cell, cell),), caption=(m.Text("SLA"),)))
    assert node["type"] == "container"
    assert node["kind"] == "table"
    caption, table = node["children"]
    header, row = table["children"]
    assert all(c["header"] for c in header["children"])
    assert "header" not in row["children"][0]
    assert caption["children"][0]["children"][0]["value"] == "SLA"


def test_a_figure_is_our_svg_as_a_data_image_never_html() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    (node,) = mdast.block(m.Figure(svg, "a timeline", (m.Text("Who is on duty"),)))
    image = node["children"][0]
    assert image["type"] == "image"
    assert image["alt"] == "a timeline"
    prefix = "data:image/svg+xml;base64,"
    assert image["url"].startswith(prefix)
    assert base64.b64decode(image["url"][len(prefix) :]).decode() == svg
    assert "html" not in _types(node)


def test_input_text_stays_text_in_every_node_that_carries_it() -> None:
    blocks = (
        m.Paragraph((m.Text(HOSTILE), m.InlineCode(HOSTILE))),
        m.Admonition("warning", (m.Paragraph((m.Text(HOSTILE),)),), title=HOSTILE),
        m.LiteralBlock(HOSTILE),
        m.Table((HOSTILE,), ((m.Cell((m.Paragraph((m.Text(HOSTILE),)),)),),)),
        m.Glossary((m.GlossaryItem((HOSTILE,), ()),)),
    )
    nodes = mdast.blocks(blocks)
    assert "html" not in _types(nodes)
    assert not any(t.startswith("myst") for t in _types(nodes))  # nothing mystmd re-parses
    assert all(n.get("url") is None for n in _walk(nodes))  # no link was made from text


def _walk(nodes: list[mdast.Node]) -> list[mdast.Node]:
    out: list[mdast.Node] = []
    stack: list[mdast.Node] = list(nodes)
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(node.get("children", []))
    return out


def test_problems_follow_the_blocks_as_problem_nodes() -> None:
    result = m.Rendered(
        (m.Paragraph((m.Text("x"),)),), (m.Problem(Code.GLOSSARY_SELECTION, "no\nentry"),)
    )
    nodes = mdast.rendered(result)
    assert nodes[-1] == {
        "type": mdast.PROBLEM_NODE,
        "code": "SP508",
        "subtype": "glossary",
        "message": "no\\nentry",  # one line in the build log
    }
    json.dumps(nodes)  # JSON as it is
