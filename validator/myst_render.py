"""One mystmd directive or role call: load the policy, build the neutral document, as mdast.

The policy is judged by the loader alone (as in the Sphinx build); its diagnostics and
each builder's problems become ``supportPolicyProblem`` nodes, which the companion
transform turns into mystmd warnings. Loader diagnostics repeat in every call (each call
is a fresh process); they are marked ``once`` and the transform reports each one once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from support_policy.handbook.mdast import Node, inline, problem_node, rendered
from support_policy.handbook.model import DirectiveSpec, Problem, Ref, RefKind, Request, Text
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.object_links import OBJECT_LINK_KINDS

#: The policy to render (path, display name), or why none can be named.
PolicySource = tuple[Path | None, str] | Diagnostic


def diagnostic_node(diagnostic: Diagnostic, *, once: bool = False) -> Node:
    """A positioned diagnostic (its file and line lead the message) as a problem node."""
    where = diagnostic.location if diagnostic.line > 0 else diagnostic.file
    problem = Problem(Code.of(diagnostic.code), f"{where}: {diagnostic.message}")
    return problem_node(problem, once=once)


def _load(source: PolicySource) -> tuple[LoadedPolicy | None, list[Node]]:
    """The loaded policy and its diagnostics, each marked to be reported once per build."""
    if isinstance(source, Diagnostic):
        return None, [diagnostic_node(source, once=True)]
    from support_policy.policy.loader import PolicyUnreadable, load_policy

    path, display = source
    try:
        loaded = load_policy(path, display=display)
    except PolicyUnreadable as unreadable:  # a typo in `policy:`, a folder: the loader's words
        return None, [diagnostic_node(unreadable.diagnostic, once=True)]
    return loaded, [diagnostic_node(d, once=True) for d in loaded.diagnostics]


def _not_rendered() -> Node:
    """SP501, once per build: the cause is the policy, already reported once."""
    message = "the support policy could not be loaded; nothing rendered"
    return problem_node(Problem(Code.NOT_RENDERED, message), once=True)


def _written(raw: Any) -> dict[str, object]:
    """mystmd's parsed options as the page wrote them (every option is declared as text:
    a flag written bare arrives as ``""``)."""
    if not isinstance(raw, dict):
        return {}
    written: dict[str, object] = {}
    for name, value in raw.items():
        if value is True:
            written[str(name)] = None
        elif isinstance(value, str | int | float) and value is not False:
            written[str(name)] = str(value)
    return written


def render_directive(spec: DirectiveSpec, data: dict[str, Any], source: PolicySource) -> list[Node]:
    """The nodes of one directive (``data``: mystmd's JSON for it).

    The argument and options are judged by :func:`~support_policy.handbook.invocation.invoke`,
    as in Sphinx. mystmd does not say which page a directive is on: files a directive
    names are read inside the project folder (where mystmd runs the plugin).
    """
    from support_policy.handbook.invocation import invoke

    argument = data.get("arg")
    body = data.get("body")
    invocation = invoke(
        spec,
        argument if isinstance(argument, str) else None,
        _written(data.get("options")),
        body.splitlines() if isinstance(body, str) else (),
    )
    written = [problem_node(problem) for problem in invocation.problems]
    loaded, problems = _load(source)
    if loaded is None or loaded.policy is None:
        return [*written, *problems, _not_rendered()]
    request = Request(
        loaded=loaded,
        argument=invocation.argument,
        options=invocation.options,
        page_folder=Path("."),
    )
    index = "no-index" not in invocation.options
    return [*written, *rendered(spec.build(request), index=index), *problems]


def render_value(data: dict[str, Any], source: PolicySource) -> list[Node]:
    """``{support:value}`PATH```: the value's text (:mod:`support_policy.handbook.values`,
    as in Sphinx), or the reference as written, as code, with a warning."""
    from support_policy.handbook.values import ValueReference, value_text

    body = data.get("body")
    written = body.strip() if isinstance(body, str) else ""
    reference = ValueReference.parse(written)
    loaded, problems = _load(source)
    if loaded is None or loaded.policy is None:
        return [{"type": "inlineCode", "value": written}, *problems]
    result = value_text(loaded.policy, reference)
    shown: Node = (
        {"type": "inlineCode", "value": written}
        if result.text is None
        else {"type": "text", "value": result.text}
    )
    warned = [problem_node(result.problem)] if result.problem is not None else []
    return [shown, *warned, *problems]


#: ``{support:<kind>}`` cross-reference roles: the kinds a ``kind:`` link in policy text
#: names, less glossary terms (mystmd's own ``{term}`` role links those).
XREF_KINDS: tuple[RefKind, ...] = tuple(
    cast(RefKind, kind) for kind in OBJECT_LINK_KINDS if kind != "term"
)


def split_titled(text: str) -> tuple[str | None, str]:
    """``Title <key>`` as (title, key); anything else is a bare key (title ``None``).

    Linear in the text (a role's body is untrusted and may be long).
    """
    if not text.endswith(">"):
        return None, text
    title, bracket, key = text[:-1].rpartition("<")
    if not bracket or not title.strip() or not key.strip() or ">" in key:
        return None, text
    return title.rstrip(), key.strip()


def render_xref(kind: RefKind, data: dict[str, Any], source: PolicySource) -> list[Node]:
    """``{support:process}`key``` (or ``Title <key>``): a link to the object's target.

    Without a title it shows the object's name (:func:`~support_policy.handbook.prose.
    object_name`, as the Sphinx role does); mystmd resolves the link to the label its
    directive rendered, or warns that none did.
    """
    from support_policy.handbook.prose import object_name

    body = data.get("body")
    text = body.strip() if isinstance(body, str) else ""
    written_title, key = split_titled(text)
    loaded, problems = _load(source)
    policy = loaded.policy if loaded is not None else None
    name = object_name(policy, kind, key) if policy is not None else None
    title = written_title or name or key
    if policy is not None and name is None:
        problem = problem_node(Problem(Code.UNKNOWN_TARGET, f"unknown {kind}: {key}"))
        return [{"type": "text", "value": title}, problem, *problems]
    return [inline(Ref(kind, key, (Text(title),))), *problems]
