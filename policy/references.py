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
from .models import Policy, Rotation
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
    """A value path that names nothing in the policy.

    ``hint`` (``"; …"`` or empty) says what to write instead when the path is a known form in
    the wrong place, e.g. ``rotation.tenure`` in a file with several rotations.
    """

    def __init__(self, path: str, hint: str = "") -> None:
        super().__init__(path)
        self.hint = hint


_Getter = Callable[[Policy], object]

_FIXED_PATHS: dict[str, _Getter] = {
    "organization.name": lambda p: p.organization.name,
    "organization.support_email": lambda p: p.organization.support_email,
    "team.name": lambda p: p.team.name,
    "working_time.timezone": lambda p: p.effective_working_time.timezone,
    "working_time.definition": lambda p: p.effective_working_time.definition,
    "working_time.hours": lambda p: p.effective_working_time.hours,
    "budget.hours": lambda p: p.budget and format_hours(figures(p.budget).hours),
    "budget.exact_hours": lambda p: p.budget and format_hours(figures(p.budget).exact_hours),
    "budget.hours_per_month": lambda p: p.budget and format_hours(p.budget.hours_per_month),
    "budget.support_share": lambda p: p.budget and format_share(p.budget.support_share),
    "budget.per_community_min": lambda p: _per_community(p, minimum=True),
    "budget.per_community_max": lambda p: _per_community(p, minimum=False),
    "budget.communities_min": lambda p: _communities(p, 0),
    "budget.communities_max": lambda p: _communities(p, 1),
}

# ``rotation.<field>`` (the only rotation) and ``rotations.<id>.<field>`` (any of them).
_ROTATION_FIELDS: dict[str, Callable[[Rotation], object]] = {
    "tenure": lambda r: r.tenure,
    "handover_every": lambda r: r.handover_every,
    "handover_day": lambda r: r.handover_day.capitalize(),
    "handover_event": lambda r: r.handover_event,
    "on_duty": lambda r: rotation_on_duty(r),
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
    rotations = policy.all_rotations
    for key, rotation in rotations.items():
        fields = [name for name, get in _ROTATION_FIELDS.items() if get(rotation) is not None]
        if len(rotations) == 1:
            paths += [f"rotation.{name}" for name in fields]
        paths += [f"rotations.{key}.{name}" for name in fields]
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
    if section in ("rotation", "rotations"):
        return _rotation_value(policy, section, key)
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


def _rotation_value(policy: Policy, section: str, rest: str) -> str:
    """``rotation.<field>`` (when there is exactly one rotation) or ``rotations.<id>.<field>``."""
    rotations = policy.all_rotations
    if section == "rotations":
        key, _, field = rest.partition(".")
        rotation = rotations.get(key)
    else:
        key, field = "", rest
        rotation = next(iter(rotations.values())) if len(rotations) == 1 else None
    getter = _ROTATION_FIELDS.get(field)
    value = None if rotation is None or getter is None else getter(rotation)
    if value is not None:
        return str(value)
    path = f"{section}.{rest}"
    if section == "rotation" and getter is not None and len(rotations) > 1:
        # A few examples, not all: the hint is one line even for a file with many rotations.
        forms = " or ".join(f"`rotations.{key}.{field}`" for key in list(rotations)[:2])
        raise UnknownValuePath(path, f"; the policy has several rotations: name one, e.g. {forms}")
    raise UnknownValuePath(path)


def on_duty_count(policy: Policy) -> int | None:
    """People on duty at once in the policy's only (or first) rotation."""
    rotation = next(iter(policy.all_rotations.values()), None)
    return None if rotation is None else rotation_on_duty(rotation)


def rotation_on_duty(rotation: Rotation) -> int | None:
    """People on duty at once: tenure ÷ handover_every, else the stated ``on_duty``."""
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
