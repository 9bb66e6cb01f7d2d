"""A site whose pages show policy text through the markup parser (``policy-text``).

The directive stands for any directive of the extension: it parses its content as one
piece of policy prose and renders it with the extension's inline renderer, inside a
``support-policy`` container as the extension's directives do. With ``:json:`` the
content is a JSON string, so a test can write any character (tabs, NUL, newlines).
"""

from __future__ import annotations

import json

from docutils import nodes
from docutils.parsers.rst import Directive, directives

from support_policy.handbook.markup import parse
from support_policy.sphinxext.render_inline import inline_nodes

extensions = ["support_policy.sphinxext"]
exclude_patterns = ["_build"]
support_policy_example = True


class PolicyText(Directive):
    has_content = True
    option_spec = {"json": directives.flag}  # noqa: RUF012 - docutils' own protocol

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        content = "\n".join(self.content)
        text = json.loads(content) if "json" in self.options else " ".join(self.content)
        paragraph = nodes.paragraph("", "", *inline_nodes(parse(text), env.docname))
        paragraph.source, paragraph.line = self.state_machine.get_source_and_line(self.lineno)
        return [nodes.container("", paragraph, classes=["support-policy", "policy-text"])]


def setup(app: object) -> None:
    app.add_directive("policy-text", PolicyText)  # type: ignore[attr-defined]
