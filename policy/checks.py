"""Invariants across sections: references resolve, the rotation and the budget add up.

Each check yields :class:`Finding` objects that name a location in the document (a key
path) rather than a line; the loader turns them into positioned diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, KeysView
from typing import Any

from .announce_vars import ANNOUNCEMENT_VARIABLES
from .budget import support_hours
from .diagnostics import Code
from .facts import glossary_entries
from .findings import Finding
from .models import Policy, Step
from .object_links import check_object_links
from .references import (
    UnknownValuePath,
    placeholders,
    resolve_value,
    unclosed_openings,
    value_paths,
)
from .report_checks import check_reports
from .rotation_checks import check_rotations
from .rotations import located_rotations
from .team_checks import check_rotations_shape, check_team
from .types import format_share
from .yamlsource import Loc

MAX_HINT_COMPARISONS = 50_000
"""How many words one check may compare for "did you mean" hints. A hint compares its word
with every choice, so a hint for each of thousands of unknown names among thousands of
members would cost their product; once the budget is spent, unknown names are still
reported, without a hint. The first hint is always given."""


class Hints:
    """ "Did you mean" within a budget of comparisons; choices are built only when used."""

    def __init__(self, budget: int = MAX_HINT_COMPARISONS) -> None:
        self.left = budget

    def __call__(self, word: str, choices: Callable[[], list[str]]) -> str:
        if self.left <= 0:
            return ""
        options = choices()
        self.left -= max(len(options), 1)
        return suggest(word, options)


def check_policy(policy: Policy, data: dict[str, Any]) -> list[Finding]:
    """All invariant violations of a schema-valid policy (``data`` is the raw mapping)."""
    findings: list[Finding] = []
    hints = Hints()
    findings += _references(policy, hints)
    findings += check_rotations(policy)
    findings += _budget(policy)
    findings += _text_references(policy, data, hints)
    findings += check_object_links(policy, _prose(data), hints)
    findings += _unique_terms(policy)
    findings += _unambiguous_members(policy)
    findings += check_team(policy)
    findings += check_rotations_shape(policy)
    findings += check_reports(policy)
    return findings


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean `x`?)`` or nothing."""
    import difflib  # only when something is wrong: keeps it off the start-up path

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _missing(loc: Loc, kind: str, key: str, known: KeysView[str], hints: Hints) -> Finding:
    hint = hints(key, lambda: list(known)) or (
        f"; known: {', '.join(known)}" if 0 < len(known) <= 8 else ""
    )
    if not known:
        hint = f"; the policy defines no {kind}s"
    return Finding(loc, Code.UNRESOLVED_REFERENCE, f"unknown {kind} `{key}`{hint}")


def _references(policy: Policy, hints: Hints) -> Iterator[Finding]:
    # Key views, not lists: membership stays O(1) when a list names 30,000 members.
    roles, members = policy.roles.keys(), policy.team.members.keys()
    types, slas = policy.request_types.keys(), policy.sla.keys()
    templates, channels, processes = (
        policy.templates.keys(),
        policy.channels.keys(),
        policy.processes.keys(),
    )

    def each(loc: Loc, kind: str, key: str | None, known: KeysView[str]) -> Iterator[Finding]:
        if key is not None and key not in known:
            yield _missing(loc, kind, key, known, hints)

    def each_listed(loc: Loc, kind: str, keys: object, known: KeysView[str]) -> Iterator[Finding]:
        if isinstance(keys, list):
            for index, key in enumerate(keys):
                yield from each((*loc, index), kind, key, known)

    for located in located_rotations(policy):
        loc, rotation = located.loc, located.rotation
        yield from each((*loc, "role"), "role", rotation.role, roles)
        yield from each_listed((*loc, "members"), "team member", rotation.members, members)
        for index, change in enumerate(rotation.changes):
            yield from each((*loc, "changes", index, "joins"), "team member", change.joins, members)
        for index, cover in enumerate(rotation.cover):
            for field in ("member", "covers"):
                here = (*loc, "cover", index, field)
                yield from each(here, "team member", getattr(cover, field), members)
    for key, target in policy.sla.items():
        yield from each_listed(("sla", key, "applies_to"), "request type", target.applies_to, types)
    if policy.priorities is not None:
        yield from each_listed(
            ("priorities", "applies_to"), "request type", policy.priorities.applies_to, types
        )
        yield from each_listed(("priorities", "consult"), "role", policy.priorities.consult, roles)
    for key, template in policy.templates.items():
        yield from each(("templates", key, "channel"), "channel", template.channel, channels)
    for key, process in policy.processes.items():
        yield from each(("processes", key, "owner"), "role", process.owner, roles)

        def steps(loc: Loc, items: list[Step]) -> Iterator[Finding]:
            for index, step in enumerate(items):
                here = (*loc, index)
                yield from each((*here, "owner"), "role", step.owner, roles)
                yield from each((*here, "sla"), "SLA target", step.sla, slas)
                yield from each((*here, "template"), "template", step.template, templates)
                yield from each((*here, "process"), "process", step.process, processes)
                yield from steps((*here, "steps"), step.steps)

        yield from steps(("processes", key, "steps"), process.steps)


def _budget(policy: Policy) -> Iterator[Finding]:
    budget = policy.budget
    if budget is None or budget.stated_hours is None:
        return
    exact, hours = support_hours(budget)
    if budget.stated_hours != hours:
        rounding = "" if budget.rounding == "none" else f", rounded {budget.rounding}"
        yield Finding(
            ("budget", "stated_hours"),
            Code.BUDGET_MISMATCH,
            f"stated_hours is {budget.stated_hours}, but {budget.hours_per_month} × "
            f"{format_share(budget.support_share)} = {exact}{rounding} → {hours}",
        )


def _text_references(policy: Policy, data: dict[str, Any], hints: Hints) -> Iterator[Finding]:
    """Every ``{{ … }}`` in every string resolves; template variables are declared and used."""
    paths: list[str] = []

    def known_paths() -> list[str]:
        if not paths:  # built once, and only when a path is unknown
            paths.extend(value_paths(policy))
        return paths

    templates = data.get("templates") if isinstance(data.get("templates"), dict) else {}
    for loc, text in _strings(data):
        in_body = len(loc) == 3 and loc[0] == "templates" and loc[2] == "body"
        announcement = _is_announcement(loc)
        if announcement:  # a template whose variables the `handoff` command provides
            in_body = True
            yield from template_variable_findings(
                loc,
                text,
                list(ANNOUNCEMENT_VARIABLES),
                loc,
                unknown=Code.ANNOUNCEMENT_VARIABLE,
                unknown_hint=f"; an announcement knows {', '.join(ANNOUNCEMENT_VARIABLES)}",
                report_unused=False,
            )
        if not in_body:  # template bodies get this check with their variables
            yield from _unclosed(loc, text)
        for placeholder in placeholders(text):
            path = placeholder.value_path
            if path is not None:
                try:
                    resolve_value(policy, path)
                except UnknownValuePath as error:
                    yield Finding(
                        loc,
                        Code.UNKNOWN_VALUE_PATH,
                        f"`{{{{ policy.{path} }}}}` names no policy value"
                        + (error.hint or hints(path, known_paths)),
                        offset=placeholder.offset,
                    )
            elif not in_body:
                yield Finding(
                    loc,
                    Code.VARIABLE_OUTSIDE_TEMPLATE,
                    f"`{{{{ {placeholder.expression} }}}}`: only `{{{{ policy.… }}}}` values are "
                    "allowed outside templates",
                    offset=placeholder.offset,
                )
    for key, template in policy.templates.items():
        if template.body is not None and isinstance(templates, dict):
            yield from template_variable_findings(
                ("templates", key, "body"),
                template.body,
                template.variables,
                ("templates", key, "variables"),
            )


def _is_announcement(loc: Loc) -> bool:
    return loc == ("rotation", "announcement") or (
        len(loc) == 3 and loc[0] == "rotations" and loc[2] == "announcement"
    )


def template_variable_findings(
    loc: Loc,
    body: str,
    declared: list[str],
    declared_loc: Loc,
    *,
    unknown: Code = Code.UNDECLARED_VARIABLE,
    unknown_hint: str = " (add it to `variables`)",
    report_unused: bool = True,
) -> Iterator[Finding]:
    """Undeclared and unused variables of one template text.

    A text whose variables are fixed by the tool (the hand-off announcement) reports
    unknown ones under its own code and hint, and need not use every variable.
    """
    hints = Hints()
    declared_set = set(declared)  # membership per placeholder stays O(1)
    yield from _unclosed(loc, body)
    used: set[str] = set()
    suggested: set[str] = set()  # names a hint already said to add to `variables`
    for placeholder in placeholders(body):
        if placeholder.value_path is not None:
            continue
        name = placeholder.expression
        used.add(name)
        if name not in declared_set:
            if placeholder.is_variable:
                # Said once per name: a second "add it" would declare it twice.
                hint = hints(name, lambda: declared) or ("" if name in suggested else unknown_hint)
                suggested.add(name)
                message = f"`{{{{ {name} }}}}` is not a declared variable{hint}"
            else:
                message = _invalid_variable_message(name, declared_set | suggested, suggested)
            yield Finding(loc, unknown, message, offset=placeholder.offset)
    for index, name in enumerate(declared if report_unused else ()):
        if name not in used:
            yield Finding(
                (*declared_loc, index),
                Code.UNUSED_VARIABLE,
                f"variable `{name}` is declared but never used in the template",
            )


def _invalid_variable_message(name: str, declared: set[str], suggested: set[str]) -> str:
    """A hint that can be followed: ``variables`` only takes names, so offer one (and say
    to add it once, however often the text uses it)."""
    import re  # only when something is wrong

    fixed = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "NAME"
    if fixed[0].isdigit():
        fixed = f"_{fixed}"
    declare = "" if fixed in declared else f" and add `{fixed}` to `variables`"
    suggested.add(fixed)
    return (
        f"`{{{{ {name} }}}}` is not a variable name: variable names are letters, digits and "
        f"`_` (not starting with a digit); write `{{{{ {fixed} }}}}`{declare}"
    )


def _unclosed(loc: Loc, text: str) -> Iterator[Finding]:
    for offset in unclosed_openings(text):
        yield Finding(
            loc,
            Code.UNCLOSED_PLACEHOLDER,
            "`{{` starts no `{{ … }}` reference (close it with `}}`, or write `\\{{` for "
            "a literal `{{`)",
            offset=offset,
        )


def _prose(data: Any) -> Iterator[tuple[Loc, str]]:
    """The strings the handbook reads as markup: all but template bodies and announcements,
    which are sent as written."""
    for loc, text in _strings(data):
        body = len(loc) == 3 and loc[0] == "templates" and loc[2] == "body"
        if not body and not _is_announcement(loc):
            yield loc, text


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))


def _unambiguous_members(policy: Policy) -> Iterator[Finding]:
    """Calendars name people by name or id: each must point at one member only."""
    members = policy.team.members
    by_name: dict[str, str] = {}
    for key, member in members.items():
        folded = member.name.strip().casefold()
        if folded in by_name:
            yield Finding(
                ("team", "members", key, "name"),
                Code.DUPLICATE_NAME,
                f"`{member.name}` is also the name of {by_name[folded]}; "
                "member names must be unique",
            )
            continue
        by_name[folded] = key
    # One index of ids, not a scan of them per member: 30,000 members stay linear.
    ids = {k.casefold(): k for k in members}
    for key, member in members.items():
        folded = member.name.strip().casefold()
        other = ids.get(folded)
        if other is not None and other != key:
            yield Finding(
                ("team", "members", key, "name"),
                Code.DUPLICATE_NAME,
                f"`{member.name}` is the id of another member ({other}); calendars could "
                "not tell them apart",
            )


def _unique_terms(policy: Policy) -> Iterator[Finding]:
    """Glossary terms (names, plurals, aliases; see :mod:`.facts`): no term twice."""
    owners: dict[str, Loc] = {}
    for entry in glossary_entries(policy):
        for term in entry.terms:
            folded = term.casefold()
            owner = owners.setdefault(folded, entry.loc)
            if owner != entry.loc:
                first = ".".join(str(part) for part in owner)
                yield Finding(
                    entry.loc,
                    Code.DUPLICATE_NAME,
                    f"the term `{term}` is also defined by {first}; glossary terms must be unique",
                )
