"""Policy prose as inline document values: the one way a builder shows policy text."""

from __future__ import annotations

from support_policy.policy.models import Policy
from support_policy.policy.references import render_text

from .markup import parse
from .model import Inline


def prose(policy: Policy, text: str) -> tuple[Inline, ...]:
    """``text`` with its ``{{ policy.… }}`` values filled in, then read as light markup."""
    return parse(render_text(policy, text))
