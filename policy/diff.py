"""A semantic diff of two policies, in the words a team uses in a pull-request review.

:func:`diff_policies` compares two loaded (error-free) policies section by section and
returns :class:`DiffEntry` items such as "First response: 24 working hours → 8 working
hours". The rotation is compared on its *computed* schedules too: who is on duty
differently in the coming weeks, and — flagged — any edit that rewrites hand-offs that
already happened or the tenures running today. Recorded ``rotation.changes`` are the way
to deviate from the computed order; editing the roster must not reshuffle the past.

Pure: no I/O, no clock (``today`` is a parameter).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .budget import figures, format_hours
from .diff_words import Collector as _Collector
from .diff_words import DiffEntry
from .diff_words import fields as _fields
from .diff_words import list_changes as _list_changes
from .models import Policy, Process, Step
from .rotation_diff import rotation_entries, team_entries
from .safe_text import mark_code as _code
from .types import format_share

SECTIONS: dict[str, str] = {
    "organization": "Organization",
    "team": "Team",
    "working_time": "Working time",
    "roles": "Roles",
    "rotation": "Rotation",
    "request_types": "Request types",
    "sla": "SLA",
    "priorities": "Priorities",
    "budget": "Budget",
    "channels": "Channels",
    "templates": "Templates",
    "processes": "Processes",
    "glossary": "Glossary",
}
"""Section key → heading, in the order of the policy file."""


@dataclass(frozen=True)
class PolicyDiff:
    """All the differences between two policies, in section order."""

    entries: list[DiffEntry]
    today: date
    weeks: int
    window_end: date = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "window_end", self.today + timedelta(weeks=self.weeks))

    @property
    def flagged(self) -> list[DiffEntry]:
        return [entry for entry in self.entries if entry.flag]

    @property
    def empty(self) -> bool:
        return not self.entries

    def by_section(self) -> dict[str, list[DiffEntry]]:
        grouped: dict[str, list[DiffEntry]] = {}
        for entry in self.entries:
            grouped.setdefault(entry.section, []).append(entry)
        return grouped

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "weeks": self.weeks,
            "flagged": len(self.flagged),
            "entries": [entry.as_dict() for entry in self.entries],
        }


def diff_policies(
    old: Policy,
    new: Policy,
    *,
    today: date,
    weeks: int = 12,
    old_texts: Mapping[str, str] | None = None,
    new_texts: Mapping[str, str] | None = None,
) -> PolicyDiff:
    """Everything that differs between ``old`` and ``new``, section by section.

    ``old_texts`` and ``new_texts`` are the templates' texts by id (the loader's
    ``template_texts``), so that an edit to a template kept in a ``file:`` shows too.
    """
    if weeks < 0:
        raise ValueError(f"weeks must not be negative, got {weeks}")
    old = _with_template_texts(old, old_texts or {})
    new = _with_template_texts(new, new_texts or {})
    out = _Collector()
    _organization(out, old, new)
    team_entries(out, old, new)
    _working_time(out, old, new)
    _named_mapping(out, "roles", "Role", old.roles, new.roles, _other_fields)
    rotation_entries(out, old, new, today, weeks)
    _named_mapping(
        out, "request_types", "Request type", old.request_types, new.request_types, _other_fields
    )
    _named_mapping(out, "sla", "SLA target", old.sla, new.sla, _sla_details)
    _priorities(out, old, new)
    _budget(out, old, new)
    _named_mapping(out, "channels", "Channel", old.channels, new.channels, _other_fields)
    _named_mapping(out, "templates", "Template", old.templates, new.templates, _template_details)
    _named_mapping(out, "processes", "Process", old.processes, new.processes, _process_details)
    _named_mapping(
        out, "glossary", "Term", old.glossary, new.glossary, _other_fields_of("term"), name="term"
    )
    order = list(SECTIONS)
    entries = sorted(out.entries, key=lambda entry: order.index(entry.section))
    return PolicyDiff(entries, today, weeks)


# --- plumbing ---------------------------------------------------------------------------


def _with_template_texts(policy: Policy, texts: Mapping[str, str]) -> Policy:
    """``policy`` with each ``file:`` template's text as its ``body`` (compared, not shown)."""
    templates = {
        key: template.model_copy(update={"body": texts[key]})
        if template.body is None and key in texts
        else template
        for key, template in policy.templates.items()
    }
    return policy.model_copy(update={"templates": templates})


_Details = Callable[[str, Any, Any], list[str]]


def _named_mapping(
    out: _Collector,
    section: str,
    kind: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    details: _Details,
    *,
    name: str = "name",
) -> None:
    """Added, removed, renamed (same id, new name; or same name, new id) and edited entries."""
    removed = [key for key in old if key not in new]
    added = [key for key in new if key not in old]
    for key in list(removed):
        old_name = getattr(old[key], name)
        for candidate in added:
            if getattr(new[candidate], name) == old_name:
                out.add(section, f"{kind} {old_name}: id {_code(key)} → {_code(candidate)}")
                for text in details(f"{kind} {old_name}", old[key], new[candidate]):
                    out.add(section, text)
                removed.remove(key)
                added.remove(candidate)
                break
    for key in added:
        out.add(section, f"{kind} added: {getattr(new[key], name)} ({_code(key)})")
    for key in removed:
        out.add(section, f"{kind} removed: {getattr(old[key], name)} ({_code(key)})")
    for key in old:
        if key not in new or old[key] == new[key]:
            continue
        old_name, new_name = getattr(old[key], name), getattr(new[key], name)
        if old_name != new_name:
            out.add(section, f"{kind} renamed: {old_name} → {new_name} ({_code(key)})")
        for text in details(f"{kind} {new_name}", old[key], new[key]):
            out.add(section, text)
    kept_old = [key for key in old if key in new]
    kept_new = [key for key in new if key in old]
    if kept_old != kept_new:
        names = [getattr(new[key], name) for key in kept_new]
        out.add(section, f"{SECTIONS[section]} order: now {', '.join(names)}")


def _other_fields_of(name: str) -> _Details:
    """Field differences apart from the display name (reported as a rename)."""

    def details(prefix: str, old: Any, new: Any) -> list[str]:
        return _fields(prefix, old, new, skip=(name,))

    return details


_other_fields = _other_fields_of("name")


# --- sections ---------------------------------------------------------------------------


def _organization(out: _Collector, old: Policy, new: Policy) -> None:
    for text in _fields("Organization", old.organization, new.organization):
        out.add("organization", text)


def _working_time(out: _Collector, old: Policy, new: Policy) -> None:
    if old.working_time == new.working_time:
        return
    if old.working_time is None:
        out.add("working_time", "Working time: now stated explicitly")
    elif new.working_time is None:
        out.add("working_time", "Working time: removed (UTC Monday–Friday, all day, applies)")
    before, after = old.effective_working_time, new.effective_working_time
    for text in _fields("Working time", before, after):
        out.add("working_time", text)


def _sla_details(prefix: str, old: Any, new: Any) -> list[str]:
    texts = []
    name = new.name
    before, after = old.kind, new.kind
    if old.duration != new.duration or before != after:
        shown_before = _measure(old)
        shown_after = _measure(new)
        texts.append(f"{name}: {shown_before} → {shown_after}")
    texts += _fields(prefix, old, new, skip=("name", "within", "effort", "after"))
    return texts


def _measure(target: Any) -> str:
    text = str(target.duration)
    return text if target.kind == "within" else f"{text} ({target.kind})"


def _template_details(prefix: str, old: Any, new: Any) -> list[str]:
    texts = _fields(prefix, old, new, skip=("name", "body", "file"))
    if old.file != new.file:
        if old.file is None:
            texts.insert(0, f"{prefix}: body moved out to {_code(new.file)}")
        elif new.file is None:
            texts.insert(0, f"{prefix}: body now written inline (was {_code(old.file)})")
        else:
            texts.insert(0, f"{prefix}: file {_code(old.file)} → {_code(new.file)}")
    # A file's text is only known when the file could be read; unknown is not a change.
    if old.body is not None and new.body is not None and old.body != new.body:
        before, after = old.body.splitlines(), new.body.splitlines()
        changed = sum(1 for line in difflib.ndiff(before, after) if line[:1] in "+-")
        texts.append(f"{prefix}: body changed ({changed} lines differ)")
    return texts


def _process_details(prefix: str, old: Process, new: Process) -> list[str]:
    texts = _fields(prefix, old, new, skip=("name", "steps"))
    texts += _step_changes(prefix, old.steps, new.steps)
    return texts


def _step_changes(prefix: str, old: Sequence[Step], new: Sequence[Step]) -> list[str]:
    before = [step.name for step in old]
    after = [step.name for step in new]
    texts = _list_changes(prefix, "step", before, after)
    for step in old:
        match = next((other for other in new if other.name == step.name), None)
        if match is None or match == step:
            continue
        where = f"{prefix}, step “{step.name}”"
        texts += _fields(where, step, match, skip=("name", "steps"))
        texts += _step_changes(where, step.steps, match.steps)
    return texts


def _priorities(out: _Collector, old: Policy, new: Policy) -> None:
    before, after = old.priorities, new.priorities
    if before == after:
        return
    if before is None:
        out.add("priorities", f"Priorities added ({len(after.order) if after else 0} items)")
        return
    if after is None:
        out.add("priorities", "Priorities removed")
        return
    texts = _list_changes("Priority order", "item", before.order, after.order)
    texts += _fields("Priorities", before, after, skip=("order",))
    for text in texts:
        out.add("priorities", text)


def _budget(out: _Collector, old: Policy, new: Policy) -> None:
    before, after = old.budget, new.budget
    if before == after:
        return
    if before is None or after is None:
        out.add("budget", "Budget added" if before is None else "Budget removed")
        return
    old_figures, new_figures = figures(before), figures(after)
    if old_figures.hours != new_figures.hours:
        out.add(
            "budget",
            f"Budget: {format_hours(old_figures.hours)} → {format_hours(new_figures.hours)} "
            "h per engineer per month",
        )
    if before.hours_per_month != after.hours_per_month:
        out.add(
            "budget",
            f"Budget: working hours per engineer per month {format_hours(before.hours_per_month)}"
            f" → {format_hours(after.hours_per_month)}",
        )
    if before.support_share != after.support_share:
        out.add(
            "budget",
            f"Budget: support share {format_share(before.support_share)} → "
            f"{format_share(after.support_share)}",
        )
    if before.rounding != after.rounding:
        out.add("budget", f"Budget: rounding {before.rounding} → {after.rounding}")
    if before.communities_per_engineer != after.communities_per_engineer:
        out.add(
            "budget",
            f"Budget: communities per engineer {_range(before.communities_per_engineer)} → "
            f"{_range(after.communities_per_engineer)}",
        )
    old_range = (old_figures.per_community_min, old_figures.per_community_max)
    new_range = (new_figures.per_community_min, new_figures.per_community_max)
    if old_range != new_range:
        out.add(
            "budget",
            f"Budget per community: {_hours_range(*old_range)} → {_hours_range(*new_range)} "
            "h per month",
        )
    for text in _fields(
        "Budget",
        before,
        after,
        skip=("hours_per_month", "support_share", "rounding", "communities_per_engineer"),
    ):
        out.add("budget", text)


def _range(value: tuple[int, int] | None) -> str:
    return "(none)" if value is None else f"{value[0]}–{value[1]}"


def _hours_range(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return "(none)"
    return f"{format_hours(low)}–{format_hours(high)}"
