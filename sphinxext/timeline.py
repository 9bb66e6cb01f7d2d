"""``support-rotation`` in HTML: the "On duty now" line, its script, style and feed.

The directive itself is the generic one (its builder is
:func:`support_policy.handbook.timeline.build_rotation`). The page is fixed at build time;
the rotation published with the site (:mod:`.publish`) and a small script
(``support-policy-now.js``) say who is on duty when it is read. Without the script the
line says where the calendar feed is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes

from support_policy.handbook.model import Request

from .publish import FEED_FOLDER, ICS_NAME, publish_rotation

if TYPE_CHECKING:
    from sphinx.application import Sphinx

NOW_CLASS = "support-rotation-now"
#: a line for one rotation carries this class followed by the rotation's id
ROTATION_CLASS = "support-rotation-id-"
SCRIPT = "support-policy-now.js"
CSS = "support-policy-timeline.css"


def setup_timeline(app: Sphinx) -> None:
    """The stylesheet and script of the picture, and the feed written after HTML builds."""
    app.add_css_file(CSS)
    app.add_js_file(SCRIPT, loading_method="defer")
    app.connect("build-finished", publish_rotation)


def now_line(request: Request) -> list[nodes.Node]:
    """HTML only: the placeholder the script fills with "On duty now: …" and the feed.

    Made from the request alone (shown only when the builder rendered the rotation, so the
    argument is a rotation's id): the line names the rotation by its id, or names none for
    every rotation. A policy edit that renders the same blocks leaves the line right too.
    """
    chosen = [f"{ROTATION_CLASS}{request.argument}"] if request.argument else []
    feed = f"{FEED_FOLDER}/{ICS_NAME}"
    line = nodes.paragraph(
        "",
        "",
        nodes.strong(text="On duty now:"),
        nodes.Text(" see the table below, or subscribe to the team's calendar feed, "),
        nodes.literal(text=feed),
        nodes.Text(", published with this handbook."),
        classes=[NOW_CLASS, *chosen],
    )
    only = addnodes.only(expr="html")
    only += line
    return [only]
