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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .bounds import days_before
from .budget import figures, format_hours
from .checks import rotation_pool
from .derive import schedule_of
from .models import Policy, Process, Step
from .rotation import Schedule, Tenure
from .types import Duration, format_share

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

SHORT_TEXT = 72
"""Values longer than this are summarised ("description changed") rather than quoted."""

MAX_PAST_ENTRIES = 8
"""At most this many rewritten past hand-offs are listed one by one."""


@dataclass(frozen=True)
class DiffEntry:
    """One change, in words. ``flag`` marks a change that must not be merged as is."""

    section: str
    text: str
    flag: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "text": self.text, "flag": self.flag}


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
    _team(out, old, new)
    _working_time(out, old, new)
    _named_mapping(out, "roles", "Role", old.roles, new.roles, _other_fields)
    _rotation(out, old, new, today, weeks)
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


class _Collector:
    def __init__(self) -> None:
        self.entries: list[DiffEntry] = []

    def add(self, section: str, text: str, *, flag: bool = False) -> None:
        self.entries.append(DiffEntry(section, text, flag))


def _show(value: object) -> str:
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
        return ", ".join(_show(item) for item in value) or "(none)"
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


def _singular(field_name: str) -> str:
    return _SINGULAR.get(field_name, _label(field_name))


def _value_change(prefix: str, field_name: str, before: object, after: object) -> str:
    label = _label(field_name)
    if before is None:
        return f"{prefix}: {label} added" + ("" if _is_long(after) else f": {_show(after)}")
    if after is None:
        return f"{prefix}: {label} removed"
    if _is_long(before) or _is_long(after):
        return f"{prefix}: {label} changed"
    return f"{prefix}: {label} {_show(before)} → {_show(after)}"


def _list_changes(prefix: str, what: str, before: Sequence[Any], after: Sequence[Any]) -> list[str]:
    """Items added and removed, then items that moved (relative to the items kept)."""
    texts: list[str] = []
    kept_before = [item for item in before if item in after]
    kept_after = [item for item in after if item in before]
    for item in after:
        if item not in before:
            texts.append(f"{prefix}: {what} added: {_show(item)}")
    for item in before:
        if item not in after:
            texts.append(f"{prefix}: {what} removed: {_show(item)}")
    matcher = difflib.SequenceMatcher(a=kept_before, b=kept_after, autojunk=False)
    stayed = {
        i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)
    }
    for index, item in enumerate(kept_before):
        if index not in stayed:
            old_position = before.index(item) + 1
            new_position = after.index(item) + 1
            texts.append(f"{prefix}: {what} {old_position} moved to {new_position}: {_show(item)}")
    return texts


def _fields(prefix: str, old: BaseModel, new: BaseModel, *, skip: Iterable[str] = ()) -> list[str]:
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
            texts += _list_changes(prefix, _singular(field_name), before, after)
        else:
            texts.append(_value_change(prefix, field_name, before, after))
    return texts


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
                out.add(section, f"{kind} {old_name}: id `{key}` → `{candidate}`")
                for text in details(f"{kind} {old_name}", old[key], new[candidate]):
                    out.add(section, text)
                removed.remove(key)
                added.remove(candidate)
                break
    for key in added:
        out.add(section, f"{kind} added: {getattr(new[key], name)} (`{key}`)")
    for key in removed:
        out.add(section, f"{kind} removed: {getattr(old[key], name)} (`{key}`)")
    for key in old:
        if key not in new or old[key] == new[key]:
            continue
        old_name, new_name = getattr(old[key], name), getattr(new[key], name)
        if old_name != new_name:
            out.add(section, f"{kind} renamed: {old_name} → {new_name} (`{key}`)")
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


def _member_name(policy: Policy, other: Policy, key: str) -> str:
    member = policy.team.members.get(key) or other.team.members.get(key)
    return member.name if member is not None else key


def _team(out: _Collector, old: Policy, new: Policy) -> None:
    for text in _fields("Team", old.team, new.team, skip=("members",)):
        out.add("team", text)
    before, after = old.team.members, new.team.members
    removed = [key for key in before if key not in after]
    added = [key for key in after if key not in before]
    for key in added:
        out.add("team", f"Team: {after[key].name} joins the team (`{key}`)")
    for key in removed:
        out.add("team", f"Team: {before[key].name} leaves the team (`{key}`)")
    for key, member in before.items():
        if key not in after or after[key] == member:
            continue
        if after[key].name != member.name:
            out.add("team", f"Team: {member.name} renamed to {after[key].name} (`{key}`)")
        for text in _fields(f"Team member {after[key].name}", member, after[key], skip=("name",)):
            out.add("team", text)


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
            texts.insert(0, f"{prefix}: body moved out to `{new.file}`")
        elif new.file is None:
            texts.insert(0, f"{prefix}: body now written inline (was `{old.file}`)")
        else:
            texts.insert(0, f"{prefix}: file `{old.file}` → `{new.file}`")
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


# --- the rotation -----------------------------------------------------------------------


def _rotation(out: _Collector, old: Policy, new: Policy, today: date, weeks: int) -> None:
    before, after = old.rotation, new.rotation
    if before is None and after is None:
        return
    if before is None or after is None:
        out.add("rotation", "Rotation added" if before is None else "Rotation removed")
        return
    old_pool, new_pool = rotation_pool(old), rotation_pool(new)
    # Membership through sets: a list scan per member is quadratic in a large team.
    old_set, new_set = set(old_pool), set(new_pool)
    for key in new_pool:
        if key not in old_set:
            out.add("rotation", f"Rotation: {_member_name(new, old, key)} joins the pool")
    for key in old_pool:
        if key not in new_set:
            out.add("rotation", f"Rotation: {_member_name(old, new, key)} leaves the pool")
    kept_old = [key for key in old_pool if key in new_set]
    kept_new = [key for key in new_pool if key in old_set]
    if kept_old != kept_new:
        names = ", ".join(_member_name(new, old, key) for key in new_pool)
        out.add("rotation", f"Rotation: the pool's order changes to {names}")
    for text in _fields("Rotation", before, after, skip=("members", "changes")):
        out.add("rotation", text)
    _recorded_changes(out, old, new)
    old_schedule, new_schedule = schedule_of(old), schedule_of(new)
    if old_schedule is None or new_schedule is None:
        return
    _guard_past(out, old, new, old_schedule, new_schedule, today)
    _upcoming(out, old, new, old_schedule, new_schedule, today, weeks)


def _recorded_changes(out: _Collector, old: Policy, new: Policy) -> None:
    assert old.rotation is not None
    assert new.rotation is not None
    before = {change.date: change for change in old.rotation.changes}
    after = {change.date: change for change in new.rotation.changes}
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        if was == now:
            continue
        if was is None and now is not None:
            reason = f" ({now.reason})" if now.reason else ""
            out.add(
                "rotation",
                f"Rotation: recorded change added: on {day.isoformat()} "
                f"{_member_name(new, old, now.joins)} joins{reason}",
            )
        elif now is None and was is not None:
            out.add(
                "rotation",
                f"Rotation: recorded change removed: on {day.isoformat()} "
                f"{_member_name(old, new, was.joins)} joined",
            )
        elif was is not None and now is not None:
            if was.joins != now.joins:
                out.add(
                    "rotation",
                    f"Rotation: recorded change on {day.isoformat()}: "
                    f"{_member_name(old, new, was.joins)} → {_member_name(new, old, now.joins)}",
                )
            if was.reason != now.reason:
                out.add("rotation", f"Rotation: reason of the change on {day.isoformat()} edited")


def _joiners(schedule: Schedule, first: date, last: date) -> dict[date, str]:
    """Hand-off date → who joins, for every hand-off in ``first..last``."""
    joiners: dict[date, str] = {}
    k = (first - schedule.start).days // (schedule.handover_every_weeks * 7)
    while schedule.handoff_date(k) <= last:
        day = schedule.handoff_date(k)
        if day >= first:
            joiners[day] = schedule.joiner(k)
        k += 1
    return joiners


def _guard_past(
    out: _Collector,
    old: Policy,
    new: Policy,
    old_schedule: Schedule,
    new_schedule: Schedule,
    today: date,
) -> None:
    """Flag edits that rewrite hand-offs on or before ``today`` or today's tenures.

    Before the old rotation's ``start`` nothing has happened yet, so nothing is guarded.
    """
    if today < old_schedule.start:
        return
    cycle_weeks = (len(old_schedule.pool) + old_schedule.on_duty_count) * (
        old_schedule.handover_every_weeks
    )
    # A large pool makes the cycle reach back centuries: stop at the supported dates.
    first = days_before(today, cycle_weeks * 7)
    before = _joiners(old_schedule, first, today)
    after = _joiners(new_schedule, first, today)
    rewritten: list[str] = []
    fixes: list[str] = []
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        if was == now:
            continue
        when = day.isoformat()
        if was is None and now is not None:
            rewritten.append(f"a hand-off on {when} appears, {_member_name(new, old, now)} joining")
        elif now is None and was is not None:
            rewritten.append(
                f"the hand-off on {when} disappears ({_member_name(old, new, was)} joined)"
            )
        elif was is not None and now is not None:
            rewritten.append(
                f"the hand-off on {when} would have {_member_name(new, old, now)} joining "
                f"instead of {_member_name(old, new, was)}"
            )
            fixes.append(f"`{{date: {when}, joins: {was}}}`")
    if rewritten:
        shown = rewritten[-MAX_PAST_ENTRIES:]
        earlier = len(rewritten) - len(shown)
        head = f"{earlier} earlier ones and " if earlier > 0 else ""
        if old_schedule.pool != new_schedule.pool:
            # Recorded changes cannot restore a re-dealt history: they would overlap the
            # recomputed tenures around them.
            advice = (
                "; a change of pool re-deals every hand-off (each is computed from the "
                "current pool), so confirm the rewritten history, or keep the pool and "
                "record stand-ins as `rotation.changes`"
            )
        elif fixes:
            advice = "; record past deviations as `rotation.changes` instead, e.g. " + ", ".join(
                fixes[-3:]
            )
        else:
            advice = "; keep the hand-off dates and record deviations as `rotation.changes`"
        out.add(
            "rotation",
            f"Rotation: this edit rewrites past hand-offs: {head}" + "; ".join(shown) + advice,
            flag=True,
        )
    current_before = _crew(old_schedule, today)
    current_after = _crew(new_schedule, today)
    if current_before != current_after:
        out.add(
            "rotation",
            f"Rotation: this edit changes who is on duty today ({today.isoformat()}): "
            f"{_describe_crew(old, new, old_schedule.on_duty(today))} → "
            f"{_describe_crew(new, old, new_schedule.on_duty(today))}; current tenures "
            "must not change: record deviations as `rotation.changes`",
            flag=True,
        )


def _crew(schedule: Schedule, day: date) -> list[tuple[str, date, date]]:
    return [(t.person, t.start, t.end) for t in schedule.on_duty(day)]


def _describe_crew(policy: Policy, other: Policy, tenures: Sequence[Tenure]) -> str:
    return ", ".join(
        f"{_member_name(policy, other, t.person)} ({t.start.isoformat()}–{t.end.isoformat()})"
        for t in tenures
    )


def _upcoming(
    out: _Collector,
    old: Policy,
    new: Policy,
    old_schedule: Schedule,
    new_schedule: Schedule,
    today: date,
    weeks: int,
) -> None:
    """Hand-offs after ``today`` within the window whose joiner changes."""
    first = today + timedelta(days=1)
    last = today + timedelta(weeks=weeks)
    if last < first:
        return
    before = _joiners(old_schedule, first, last)
    after = _joiners(new_schedule, first, last)
    lead = True
    for day in sorted(before.keys() | after.keys()):
        was, now = before.get(day), after.get(day)
        if was == now:
            continue
        when = day.isoformat()
        if was is not None and now is not None:
            what = f"{_member_name(new, old, now)} joins instead of {_member_name(old, new, was)}"
        elif now is not None:
            what = f"a new hand-off: {_member_name(new, old, now)} joins"
        else:
            assert was is not None
            what = f"no hand-off any more ({_member_name(old, new, was)} was due to join)"
        if lead:
            out.add("rotation", f"Rotation: from {when} the schedule changes: {what}")
            lead = False
        else:
            out.add("rotation", f"Rotation: {when}: {what}")
