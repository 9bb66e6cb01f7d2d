"""``support-rotation [ID]``: the builder's blocks (:mod:`support_policy.handbook.timeline`)
as docutils nodes, and in HTML a line for "On duty now".

The page itself is fixed at build time; the rotation published with the site
(:mod:`.publish`) and a small script (``support-policy-now.js``) say who is on duty when it
is read. Without the script the line says where the calendar feed is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.typing import OptionSpec

from support_policy.handbook.model import (
    Block,
    Container,
    Figure,
    Paragraph,
    Request,
    Rubric,
    Table,
)
from support_policy.handbook.timeline import build_rotation
from support_policy.policy import clock
from support_policy.policy.bounds import OutOfRange
from support_policy.policy.clock import BadEpoch
from support_policy.policy.diagnostics import Code
from support_policy.policy.rotations import located_rotations

from .directives import SupportDirective
from .nodes_util import table
from .publish import FEED_FOLDER, ICS_NAME, publish_rotation
from .render_figure import figure_nodes
from .render_inline import inline_nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NOW_CLASS = "support-rotation-now"
SCRIPT = "support-policy-now.js"
CSS = "support-policy-timeline.css"


def setup_timeline(app: Sphinx) -> None:
    """The directive, its stylesheet and script, and the feed written after HTML builds."""
    app.add_directive("support-rotation", RotationDirective)
    app.add_css_file(CSS)
    app.add_js_file(SCRIPT, loading_method="defer")
    app.connect("build-finished", publish_rotation)


class RotationDirective(SupportDirective):
    """``support-rotation [ID]``: one rotation, or every rotation of the file, each labelled."""

    optional_arguments = 1
    option_spec: ClassVar[OptionSpec] = {
        **SupportDirective.option_spec,
        # Read by the builder, which reports an unreadable value as SP517.
        "from": directives.unchanged_required,
        "weeks": directives.unchanged_required,
    }

    def render(self) -> list[nodes.Node]:
        today = self.today()
        if today is None:
            return []
        options = {key: value for key, value in self.options.items() if key != "no-index"}
        argument = self.arguments[0] if self.arguments else None
        rendered = build_rotation(Request(self.loaded, argument, options, today))
        for problem in rendered.problems:
            self.warn(problem.code, problem.message)
        if not rendered.blocks:
            return []
        return [*self.now_line(argument), *self.blocks(rendered.blocks)]

    def today(self) -> date | None:
        """The build date; ``None`` after a warning when a bad clock is needed."""
        try:
            return clock.today()
        except (BadEpoch, OutOfRange) as error:
            value = (self.options.get("from") or "today").strip()
            if value != "today" and "from" in self.options:
                # A fixed window does not need the clock.
                return date.fromordinal(1)
            code = Code.BAD_EPOCH if isinstance(error, BadEpoch) else Code.OUT_OF_RANGE
            self.warn(code, f"{error}; the schedule is not rendered")
            return None

    def now_line(self, argument: str | None) -> list[nodes.Node]:
        """HTML only: the placeholder the script fills with "On duty now: …" and the feed."""
        located = located_rotations(self.policy)
        shown = [i for i, entry in enumerate(located) if argument in (None, entry.id)]
        feed = f"{FEED_FOLDER}/{ICS_NAME}"
        line = nodes.paragraph(
            "",
            "",
            nodes.strong(text="On duty now:"),
            nodes.Text(" see the table below, or subscribe to the team's calendar feed, "),
            nodes.literal(text=feed),
            nodes.Text(", published with this handbook."),
            classes=[NOW_CLASS, *(f"support-rotation-feed-{index}" for index in shown)],
        )
        only = addnodes.only(expr="html")
        only += line
        return [only]

    def blocks(self, values: Sequence[Block]) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        for value in values:
            result.extend(self.block(value))
        return result

    def block(self, value: Block) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        if isinstance(value, Paragraph):
            children = inline_nodes(value.children, docname)
            return [nodes.paragraph("", "", *children, classes=list(value.classes))]
        if isinstance(value, Rubric):
            return [nodes.rubric("", "", *inline_nodes(value.children, docname))]
        if isinstance(value, Container):
            container = nodes.container(classes=list(value.classes))
            container.extend(self.blocks(value.children))
            return [container]
        if isinstance(value, Figure):
            return figure_nodes(value, self.blocks)
        if isinstance(value, Table):
            rows = [[self.blocks(cell.blocks) for cell in row] for row in value.rows]
            widths = list(value.widths) if value.widths is not None else None
            return [table(value.header, rows, widths=widths, classes=value.classes)]
        raise TypeError(f"support-rotation does not render {type(value).__name__}")
