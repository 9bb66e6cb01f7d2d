"""The words of a policy diff: entries, and values and fields as a reviewer reads them.

Shared by :mod:`.diff` (section by section) and :mod:`.rotation_diff` (the team and its
rotations over time).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from . import facts
from .budget import format_hours
from .models import Policy
from .safe_text import unmark
from .types import Duration

SHORT_TEXT = 72
"""Values longer than this are summarised ("description changed") rather than quoted."""


@dataclass(frozen=True)
class DiffEntry:
    """One change, in words. ``flag`` marks a change that must not be merged as is.

    ``marked`` is the sentence with its code parts (ids, file names, YAML) marked by
    :func:`~support_policy.policy.safe_text.mark_code`, so that Markdown can show them
    as code spans; ``text`` is the plain form, with those parts in backticks.
    """

    section: str
    marked: str
    flag: bool = False

    @property
    def text(self) -> str:
        return unmark(self.marked)

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "text": self.text, "flag": self.flag}


class Collector:
    def __init__(self) -> None:
        self.entries: list[DiffEntry] = []

    def add(self, section: str, text: str, *, flag: bool = False) -> None:
        self.entries.append(DiffEntry(section, text, flag))


def show(value: object) -> str:
    """A value as a reader would write it."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_hours(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Duration):
        return value.text
    if isinstance(value, list | tuple):
        return ", ".join(show(item) for item in value) or "(none)"
    text = " ".join(str(value).split())
    return f"“{text}”"


def _is_long(value: object) -> bool:
    return isinstance(value, str) and len(value) > SHORT_TEXT


def _label(field_name: str) -> str:
    return field_name.replace("_", " ")


_SINGULAR = {
    "responsibilities": "responsibility",
    "aliases": "alias",
    "examples": "example",
    "variables": "variable",
    "holidays": "holiday",
    "days": "working day",
    "guidelines": "guideline",
    "consult": "role to consult",
    "applies_to": "applies to",
}


def singular(field_name: str) -> str:
    return _SINGULAR.get(field_name, _label(field_name))


def value_change(prefix: str, field_name: str, before: object, after: object) -> str:
    label = _label(field_name)
    if before is None:
        return f"{prefix}: {label} added" + ("" if _is_long(after) else f": {show(after)}")
    if after is None:
        return f"{prefix}: {label} removed"
    if _is_long(before) or _is_long(after):
        return f"{prefix}: {label} changed"
    return f"{prefix}: {label} {show(before)} → {show(after)}"


def list_changes(prefix: str, what: str, before: Sequence[Any], after: Sequence[Any]) -> list[str]:
    """Items added and removed, then items that moved (relative to the items kept)."""
    texts: list[str] = []
    kept_before = [item for item in before if item in after]
    kept_after = [item for item in after if item in before]
    for item in after:
        if item not in before:
            texts.append(f"{prefix}: {what} added: {show(item)}")
    for item in before:
        if item not in after:
            texts.append(f"{prefix}: {what} removed: {show(item)}")
    matcher = difflib.SequenceMatcher(a=kept_before, b=kept_after, autojunk=False)
    stayed = {
        i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)
    }
    for index, item in enumerate(kept_before):
        if index not in stayed:
            old_position = before.index(item) + 1
            new_position = after.index(item) + 1
            texts.append(f"{prefix}: {what} {old_position} moved to {new_position}: {show(item)}")
    return texts


def fields(prefix: str, old: BaseModel, new: BaseModel, *, skip: Iterable[str] = ()) -> list[str]:
    """Field-by-field differences of two models of the same type (plain values and lists)."""
    texts: list[str] = []
    skipped = set(skip)
    for field_name in type(old).model_fields:
        if field_name in skipped:
            continue
        before, after = getattr(old, field_name), getattr(new, field_name)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list):
            texts += list_changes(prefix, singular(field_name), before, after)
        else:
            shown = type(old).model_fields[field_name].alias or field_name
            texts.append(value_change(prefix, shown, before, after))
    return texts


def member_name(policy: Policy, other: Policy, key: str) -> str:
    """A member's display name from either version of the policy, else the id."""
    return facts.member_name(policy if key in policy.team.members else other, key)
