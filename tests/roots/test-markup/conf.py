"""A site whose pages show policy text through the markup parser (``policy-text``).

The directive stands for any directive of the extension: it parses its content as one
piece of policy prose and renders it with the extension's inline renderer.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import Directive

from support_policy.handbook.markup import parse
from support_policy.sphinxext.render_inline import inline_nodes

extensions = ["support_policy.sphinxext"]
exclude_patterns = ["_build"]
support_policy_example = True


class PolicyText(Directive):
    has_content = True

    def run(self) -> list[nodes.Node]:
        env = self.state.document.settings.env
        values = parse(" ".join(self.content))
        paragraph = nodes.paragraph("", "", *inline_nodes(values, env.docname))
        paragraph.source, paragraph.line = self.state_machine.get_source_and_line(self.lineno)
        paragraph["classes"].append("support-policy")
        return [paragraph]


def setup(app: object) -> None:
    app.add_directive("policy-text", PolicyText)  # type: ignore[attr-defined]
