"""``{{ … }}`` references inside policy text, and the value paths they name.

The only template logic there is: ``{{ NAME }}`` (a declared template variable) and
``{{ policy.PATH }}`` (a policy value rendered as text). ``\\{{`` is a literal ``{{``.
Nothing is evaluated: a path is looked up in a fixed table, so a template cannot reach
anything but the policy's own values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .budget import figures, format_hours
from .models import Policy
from .types import format_share

PLACEHOLDER = re.compile(r"(?<!\\)\{\{\s*([^{}]*?)\s*\}\}")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
VALUE_PATH = re.compile(r"^policy\.(.+)$")


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ … }}`` occurrence: its inner text and where it starts in the string."""

    expression: str
    offset: int

    @property
    def value_path(self) -> str | None:
        match = VALUE_PATH.match(self.expression)
        return match.group(1) if match else None

    @property
    def is_variable(self) -> bool:
        return VARIABLE.match(self.expression) is not None


def placeholders(text: str) -> Iterator[Placeholder]:
    for match in PLACEHOLDER.finditer(text):
        yield Placeholder(match.group(1), match.start())


def unclosed_openings(text: str) -> Iterator[int]:
    """Offsets of ``{{`` that start no placeholder (``\\{{`` is a literal and fine)."""
    covered = {match.start() for match in PLACEHOLDER.finditer(text)}
    for match in re.finditer(r"(?<!\\)\{\{", text):
        if match.start() not in covered:
            yield match.start()


class UnknownValuePath(LookupError):
    """A value path that names nothing in the policy."""


_Getter = Callable[[Policy], object]

_FIXED_PATHS: dict[str, _Getter] = {
    "organization.name": lambda p: p.organization.name,
    "organization.support_email": lambda p: p.organization.support_email,
    "team.name": lambda p: p.team.name,
    "working_time.timezone": lambda p: p.effective_working_time.timezone,
    "working_time.definition": lambda p: p.effective_working_time.definition,
    "working_time.hours": lambda p: p.effective_working_time.hours,
    "rotation.tenure": lambda p: p.rotation and p.rotation.tenure,
    "rotation.handover_every": lambda p: p.rotation and p.rotation.handover_every,
    "rotation.handover_day": lambda p: p.rotation and p.rotation.handover_day.capitalize(),
    "rotation.handover_event": lambda p: p.rotation and p.rotation.handover_event,
    "rotation.on_duty": lambda p: on_duty_count(p),
    "budget.hours": lambda p: p.budget and format_hours(figures(p.budget).hours),
    "budget.exact_hours": lambda p: p.budget and format_hours(figures(p.budget).exact_hours),
    "budget.hours_per_month": lambda p: p.budget and format_hours(p.budget.hours_per_month),
    "budget.support_share": lambda p: p.budget and format_share(p.budget.support_share),
    "budget.per_community_min": lambda p: _per_community(p, minimum=True),
    "budget.per_community_max": lambda p: _per_community(p, minimum=False),
    "budget.communities_min": lambda p: _communities(p, 0),
    "budget.communities_max": lambda p: _communities(p, 1),
}

# Sections whose entries render as their display name: ``roles.<id>`` → "Support Steward".
# The model's own mappings, never copies: a lookup must not cost a pass over 30,000 members.
_NAMED_SECTIONS: dict[str, Callable[[Policy], Mapping[str, object]]] = {
    "roles": lambda p: p.roles,
    "request_types": lambda p: p.request_types,
    "channels": lambda p: p.channels,
    "templates": lambda p: p.templates,
    "processes": lambda p: p.processes,
    "members": lambda p: p.team.members,
    "glossary": lambda p: p.glossary,
}


def value_paths(policy: Policy) -> list[str]:
    """Every path that resolves in this policy (for "did you mean" and the docs)."""
    paths = [path for path in _FIXED_PATHS if _fixed(policy, path) is not None]
    paths += [f"sla.{key}" for key in policy.sla]
    for section, entries in _NAMED_SECTIONS.items():
        paths += [f"{section}.{key}" for key in entries(policy)]
    return paths


def resolve_value(policy: Policy, path: str) -> str:
    """The text a value path renders as; :class:`UnknownValuePath` when it names nothing."""
    fixed = _fixed(policy, path)
    if fixed is not None:
        return fixed
    section, _, key = path.partition(".")
    if section == "sla" and key in policy.sla:
        return str(policy.sla[key].duration)
    if section in _NAMED_SECTIONS:
        entry = _NAMED_SECTIONS[section](policy).get(key)
        if entry is not None:
            display = "term" if section == "glossary" else "name"
            return str(getattr(entry, display))
    raise UnknownValuePath(path)


def _fixed(policy: Policy, path: str) -> str | None:
    getter = _FIXED_PATHS.get(path)
    if getter is None:
        return None
    value = getter(policy)
    return None if value is None or value is False else str(value)


def on_duty_count(policy: Policy) -> int | None:
    rotation = policy.rotation
    if rotation is None:
        return None
    tenure, every = rotation.tenure.whole_weeks, rotation.handover_every.whole_weeks
    if not tenure or not every or tenure % every:
        return rotation.on_duty
    return tenure // every


def _per_community(policy: Policy, *, minimum: bool) -> str | None:
    if policy.budget is None:
        return None
    result = figures(policy.budget)
    value = result.per_community_min if minimum else result.per_community_max
    return None if value is None else format_hours(value)


def _communities(policy: Policy, index: int) -> str | None:
    budget = policy.budget
    if budget is None or budget.communities_per_engineer is None:
        return None
    return str(budget.communities_per_engineer[index])


def render_text(policy: Policy, text: str, variables: dict[str, str] | None = None) -> str:
    """Fill ``{{ policy.… }}`` values (and given variables); unknown ones stay as written."""

    def substitute(match: re.Match[str]) -> str:
        expression = match.group(1)
        path = VALUE_PATH.match(expression)
        if path is not None:
            try:
                return resolve_value(policy, path.group(1))
            except UnknownValuePath:
                return match.group(0)
        if variables is not None and expression in variables:
            return variables[expression]
        return match.group(0)

    return PLACEHOLDER.sub(substitute, text).replace("\\{{", "{{")
