"""Policy prose as inline document values: the one way a builder shows policy text."""

from __future__ import annotations

from support_policy.policy.models import Policy
from support_policy.policy.object_links import object_names, term_text
from support_policy.policy.references import render_text

from .markup import parse
from .model import Emphasis, Inline, Ref, Strong, Text


def prose(policy: Policy, text: str) -> tuple[Inline, ...]:
    """``text`` with its ``{{ policy.… }}`` values filled in, then read as light markup.

    Links to policy objects get what only the policy knows: a ``term:`` id becomes its
    term (what a glossary entry is found by), and a link with no text of its own shows
    the object's name, in every engine, linked or not.
    """
    return tuple(_with_names(policy, value) for value in parse(render_text(policy, text)))


def _with_names(policy: Policy, value: Inline) -> Inline:
    if isinstance(value, Strong):
        return Strong(tuple(_with_names(policy, child) for child in value.children))
    if isinstance(value, Emphasis):
        return Emphasis(tuple(_with_names(policy, child) for child in value.children))
    if not isinstance(value, Ref):
        return value
    key = value.key
    if value.kind == "term":
        key = term_text(policy, value.key) or value.key
    children = value.children or (Text(object_name(policy, value.kind, value.key) or key),)
    return Ref(value.kind, key, children)


def object_name(policy: Policy, kind: str, key: str) -> str | None:
    """The name a policy object is shown by; ``None`` when the policy has no such object."""
    return object_names(policy, kind).get(key)
