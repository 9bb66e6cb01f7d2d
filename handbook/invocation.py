"""A directive as the page wrote it, checked against its spec the same way in every engine.

Engines hand over the argument text and the options exactly as written (a flag is
``None``), never rejecting anything themselves: a malformed directive is then a coded
warning a site can silence (``support-policy.directive``), and the directive still shows
what it can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code

from .model import DirectiveSpec, Problem

#: Every directive takes ``:no-index:``: its objects get no target, entry or index line.
COMMON_OPTIONS = {"no-index": "flag"}


@dataclass(frozen=True)
class Invocation:
    """What the builder may use, and what was wrong with what the page wrote."""

    argument: str | None
    options: Mapping[str, str | None]
    problems: tuple[Problem, ...]


def invoke(
    spec: DirectiveSpec,
    argument_text: str | None,
    written: Mapping[str, object],
    content: Sequence[str] = (),
) -> Invocation:
    """Keep what ``spec`` accepts from the page; each thing it cannot use is a problem.

    ``content`` is the directive's body: no handbook directive takes one.
    """
    problems: list[Problem] = []
    argument = _argument(spec, (argument_text or "").split(), problems)
    if any(line.strip() for line in content):
        message = f"`{spec.name}` takes no content; it is ignored"
        problems.append(Problem(Code.EXTRA_ARGUMENT, message))
    known = {**COMMON_OPTIONS, **spec.options}
    options: dict[str, str | None] = {}
    for name, raw in written.items():
        value = None if raw is None else str(raw)
        kind = known.get(name)
        if kind is None:
            hint = suggest(name, sorted(known))
            message = f"`{spec.name}` has no option `:{name}:`{hint}; it is ignored"
            problems.append(Problem(Code.UNKNOWN_OPTION, message))
        elif kind == "flag":
            if value:
                message = f"`:{name}:` of `{spec.name}` takes no value; `{value}` is ignored"
                problems.append(Problem(Code.FLAG_WITH_VALUE, message))
            options[name] = None
        else:
            options[name] = value or ""
    return Invocation(argument, options, tuple(problems))


def _argument(spec: DirectiveSpec, words: list[str], problems: list[Problem]) -> str | None:
    if spec.argument == "none":
        if words:
            message = f"`{spec.name}` takes no argument; `{' '.join(words)}` is ignored"
            problems.append(Problem(Code.EXTRA_ARGUMENT, message))
        return None
    if not words:
        if spec.argument == "required":
            message = f"`{spec.name}` needs an argument; nothing rendered"
            problems.append(Problem(Code.MISSING_ARGUMENT, message))
        return None
    if len(words) > 1:
        message = f"`{spec.name}` takes one argument; `{' '.join(words[1:])}` is ignored"
        problems.append(Problem(Code.EXTRA_ARGUMENT, message))
    return words[0]
