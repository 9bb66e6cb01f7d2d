"""The ``support-*`` directives: one generic class per entry of the handbook's ``SPECS``.

A directive asks its builder for the neutral document once and renders it with
:mod:`.render`. It rejects nothing the page writes: the argument and the options are
taken as written and checked by :func:`~support_policy.handbook.invocation.invoke`, so a
malformed directive is a coded warning (SP509–SP512) a site can silence, never a
docutils error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst.states import RSTState
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from support_policy.handbook.directives import SPECS
from support_policy.handbook.invocation import COMMON_OPTIONS, invoke
from support_policy.handbook.model import DirectiveSpec, Problem, Request
from support_policy.policy.diagnostics import Code

from .data import get_data
from .incremental import note_built, note_directive
from .render import BlockRenderer
from .timeline import now_line
from .warnings import warn


def as_written(value: str | None) -> str | None:
    """An option's value untouched: :func:`invoke` judges it, with a code."""
    return value


class AnyOption(dict[str, Any]):
    """An option spec that takes every name, so an unknown option reaches :func:`invoke`.

    docutils and MyST look a converter up with ``option_spec[name]``; an unknown name
    would be their own error, which a site cannot silence apart from ours.
    """

    def __missing__(self, name: str) -> Any:
        return as_written


class PolicyDirective(SphinxDirective):
    """One handbook directive; :func:`directive_for` makes a subclass per spec."""

    spec: ClassVar[DirectiveSpec]
    has_content = True  # taken so that `invoke` can say it is ignored
    # Everything after the name is one argument, split and judged by `invoke`.
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[OptionSpec] = AnyOption(dict.fromkeys(COMMON_OPTIONS, as_written))

    def run(self) -> list[nodes.Node]:
        argument = self.arguments[0] if self.arguments else None
        invocation = invoke(self.spec, argument, self.options, list(self.content))
        self.report(invocation.problems)
        data = get_data(self.env)
        if data is None:
            message = "the support policy could not be loaded; nothing rendered"
            warn(Code.NOT_RENDERED, message, self.get_location())
            return []
        title = section_title(self)
        note_directive(self.env, self.spec.name, invocation.argument, invocation.options, title)
        if data.loaded is None or data.loaded.policy is None:
            # Already reported once for the whole build, when the policy was loaded;
            # one warning per directive would bury that one under copies.
            return []
        request = Request(
            loaded=data.loaded,
            argument=invocation.argument,
            options=invocation.options,
            section_title=title,
            page_folder=Path(self.env.doc2path(self.env.current_document.docname)).parent,
        )
        rendered = self.spec.build(request)
        note_built(self.env, self.spec.name, request, rendered)
        for path in rendered.dependencies:
            self.env.note_dependency(str(path))
        self.report(rendered.problems)
        indexed = "no-index" not in invocation.options
        content = BlockRenderer(self, indexed=indexed).blocks(rendered.blocks)
        if not content:
            return []
        if self.spec.name in ENGINE_PREFACES:
            content[:0] = ENGINE_PREFACES[self.spec.name](request)
        container = nodes.container(classes=["support-policy", self.name])
        container.extend(content)
        self.set_source_info(container)
        return [container]

    def report(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            warn(problem.code, problem.message, self.get_location())


def section_title(directive: SphinxDirective) -> str | None:
    """The title of the section the directive stands in, if any."""
    state: object = directive.state  # typed as reST's, but MyST passes a stand-in
    node: object
    if isinstance(state, RSTState):
        node = state.parent
    else:  # MyST's stand-in keeps the node it is filling on its renderer
        node = getattr(vars(state).get("_renderer"), "current_node", None)
    while isinstance(node, nodes.Element):  # up the document's finite tree
        if isinstance(node, nodes.section):
            first = node.children[0] if node.children else None
            return first.astext() if isinstance(first, nodes.title) else None
        node = node.parent
    return None


def directive_for(spec: DirectiveSpec) -> type[PolicyDirective]:
    name = "".join(part.title() for part in spec.name.split("-")) + "Directive"
    # Known names listed too: docutils and MyST look for options only when it is non-empty.
    known = (*COMMON_OPTIONS, *spec.options)
    option_spec = AnyOption(dict.fromkeys(known, as_written))
    return type(name, (PolicyDirective,), {"spec": spec, "option_spec": option_spec})


#: directive name → what only this engine adds before the builder's blocks
ENGINE_PREFACES: dict[str, Callable[[Request], list[nodes.Node]]] = {
    "support-rotation": now_line,
}

#: directive name → its Sphinx directive class, one per handbook spec
DIRECTIVES: dict[str, type[PolicyDirective]] = {
    name: directive_for(spec) for name, spec in SPECS.items()
}
