"""A :class:`~support_policy.handbook.model.Figure` as docutils nodes.

HTML builders get the SVG inline (it is our own drawing, never input text) in a box that
scrolls sideways on a narrow screen; every other builder (LaTeX, text, man …) gets the
figure's fallback blocks instead. The caption follows in every builder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docutils import nodes
from sphinx import addnodes

from support_policy.handbook.model import Block, Figure, Paragraph

RenderBlocks = Callable[[Sequence[Block]], list[nodes.Node]]


def figure_nodes(value: Figure, render_blocks: RenderBlocks) -> list[nodes.Node]:
    picture = nodes.container(classes=["support-figure", *value.classes])
    picture += nodes.raw("", value.svg, format="html")
    html_only = addnodes.only(expr="html")
    html_only += picture
    result: list[nodes.Node] = [html_only]
    if value.fallback:
        other = addnodes.only(expr="not html")
        other.extend(render_blocks(value.fallback))
        result.append(other)
    if value.caption:
        result.extend(render_blocks((Paragraph(value.caption, ("support-figure-caption",)),)))
    return result
