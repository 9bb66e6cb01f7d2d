"""Four small specs through the handbook's generic directive, for tests/test_incremental.py.

Each shows a few facts as one paragraph, so a test can say exactly which edit changes
which page, whatever the real builders print; ``double-rotation`` shows the ISO week of
the build date. The tests add them to ``SPECS`` (``monkeypatch``), where the rebuild
looks builders up; this extension registers their directives.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from support_policy.handbook.model import DirectiveSpec, Paragraph, Rendered, Request, Text
from support_policy.policy.facts import glossary_entries
from support_policy.policy.references import render_text
from support_policy.sphinxext.directives import directive_for


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
    return _text(f"{names} in week {request.current_day():%G-W%V}")


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


def setup(app: Sphinx) -> dict[str, bool]:
    for name, spec in DOUBLE_SPECS.items():
        # The handbook's own generic directive, as for every real spec.
        app.add_directive(name, directive_for(spec), override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
