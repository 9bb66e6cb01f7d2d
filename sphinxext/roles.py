"""``:support:value:`PATH``` — a policy value as plain text; ``PATH|words`` spells a count."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from support_policy.handbook.values import ValueReference, value_text
from support_policy.policy.diagnostics import Code

from .data import get_data
from .incremental import note_value
from .warnings import warn


class ValueRole(SphinxRole):
    """Insert the text of a value path such as ``sla.first-response`` (or ``…|words``).

    The text and its problems come from :mod:`support_policy.handbook.values`, so every
    engine reads a reference the same way.
    """

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        data = get_data(self.env)
        note_value(self.env, self.text)
        reference = ValueReference.parse(self.text)
        if data is None:
            return self._problem(Code.NOT_RENDERED, "the support policy could not be loaded")
        if data.loaded is None or data.loaded.policy is None:
            # Reported once when the policy was loaded; the path stands in for the value.
            return [nodes.literal(self.rawtext, reference.path)], []
        result = value_text(data.loaded.policy, reference)
        if result.text is None:
            problem = result.problem
            assert problem is not None  # no text always comes with its reason
            return self._problem(problem.code, problem.message)
        if result.problem is not None:
            warn(result.problem.code, result.problem.message, self.get_location())
        return [nodes.Text(result.text)], []

    def _problem(
        self, code: Code, message: str
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        warn(code, message, self.get_location())
        return [nodes.problematic(self.rawtext, self.rawtext)], []
