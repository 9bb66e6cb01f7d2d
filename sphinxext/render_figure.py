"""A :class:`~support_policy.handbook.model.Figure` as docutils nodes.

HTML builders get the SVG inline in a box that scrolls sideways on a narrow screen;
every other builder (LaTeX, text, man …) gets the caption only, which follows in every
builder. ``nodes.raw`` trusts ``Figure.svg`` as it is: the builder that drew it must have
escaped every input string in it (``timeline_svg.xml_text``).
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
    if value.caption:
        result.extend(render_blocks((Paragraph(value.caption, ("support-figure-caption",)),)))
    return result
