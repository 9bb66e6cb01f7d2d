"""``:support:value:`PATH``` — a policy value as plain text."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code
from support_policy.policy.references import UnknownValuePath, resolve_value, value_paths

from .data import get_data
from .incremental import note_value
from .warnings import warn


class ValueRole(SphinxRole):
    """Insert the text of a value path such as ``sla.first-response``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        data = get_data(self.env)
        note_value(self.env, self.text)
        path = self.text.strip()
        if path.startswith("policy."):
            path = path[len("policy.") :]
        if data is None:
            return self._problem(Code.NOT_RENDERED, "the support policy could not be loaded")
        if data.loaded is None or data.loaded.policy is None:
            # Reported once when the policy was loaded; the path stands in for the value.
            return [nodes.literal(self.rawtext, path)], []
        policy = data.loaded.policy
        try:
            value = resolve_value(policy, path)
        except UnknownValuePath as error:
            hint = error.hint or suggest(path, value_paths(policy))
            return self._problem(Code.UNKNOWN_VALUE_PATH, f"unknown policy value `{path}`{hint}")
        return [nodes.Text(value)], []

    def _problem(
        self, code: Code, message: str
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        warn(code, message, self.get_location())
        return [nodes.problematic(self.rawtext, self.rawtext)], []
