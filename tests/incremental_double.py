"""A stand-in for the generic directive, over four small specs, for tests/test_incremental.py.

It does what the generic directive does for rebuilds — build the spec's ``Rendered`` from
a ``Request`` and record it with ``note_directive`` — and shows the result as one
paragraph, so the tests exercise the rebuild mechanism whatever the real builders print.
The specs are added to ``SPECS`` by the tests (``monkeypatch``), never at import.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from support_policy.handbook.directives import SPECS
from support_policy.handbook.model import DirectiveSpec, Paragraph, Rendered, Request, Text
from support_policy.policy import clock
from support_policy.policy.facts import glossary_entries
from support_policy.policy.references import render_text
from support_policy.sphinxext.data import get_data
from support_policy.sphinxext.incremental import note_directive


def _text(text: str) -> Rendered:
    return Rendered((Paragraph((Text(text),)),))


def budget(request: Request) -> Rendered:
    policy = request.loaded.policy
    assert policy is not None
    assert policy.budget is not None
    return _text(f"{policy.budget.hours_per_month} hours, {policy.budget.stated_hours} stated")


def rotation(request: Request) -> Rendered:
    """The team and the week: changes when a member does, or the date moves a week."""
    policy = request.loaded.policy
    assert policy is not None
    names = ", ".join(member.name for member in policy.team.members.values())
    return _text(f"{names} in week {request.today:%G-W%V}")


def roles(request: Request) -> Rendered:
    policy = request.loaded.policy
    assert policy is not None
    keys = [request.argument] if request.argument else list(policy.roles)
    if any(key not in policy.roles for key in keys):
        return _text(f"no role {request.argument}")
    described = (f"{policy.roles[k].name}: {policy.roles[k].description or ''}" for k in keys)
    return _text(render_text(policy, " / ".join(described)))


def glossary(request: Request) -> Rendered:
    """Every term with its definition: a role's description is one (``glossary_entries``)."""
    policy = request.loaded.policy
    assert policy is not None
    entries = glossary_entries(policy)
    return _text(" / ".join(f"{entry.terms[0]}: {entry.definition}" for entry in entries))


DOUBLE_SPECS = {
    spec.name: spec
    for spec in [
        DirectiveSpec("double-budget", budget),
        DirectiveSpec("double-rotation", rotation),
        DirectiveSpec("double-roles", roles, argument="optional"),
        DirectiveSpec("double-glossary", glossary),
    ]
}


class DoubleDirective(SphinxDirective):
    optional_arguments = 1
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[nodes.Node]:
        spec = SPECS[self.name]
        data = get_data(self.env)
        argument = self.arguments[0] if self.arguments else None
        options: dict[str, str | None] = {}
        rendered = None
        if data is not None and data.loaded is not None and data.loaded.policy is not None:
            rendered = spec.build(Request(data.loaded, argument, options, clock.today()))
        note_directive(self.env, self.name, argument, options, None, rendered)
        if rendered is None:
            return []
        paragraph = rendered.blocks[0]
        assert isinstance(paragraph, Paragraph)
        return [
            nodes.paragraph("", "".join(t.text for t in paragraph.children if isinstance(t, Text)))
        ]


def setup(app: Sphinx) -> dict[str, bool]:
    for name in DOUBLE_SPECS:
        app.add_directive(name, DoubleDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
