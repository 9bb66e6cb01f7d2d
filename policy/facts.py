"""Facts derived from a policy that more than one consumer shows.

Each fact here has exactly one definition, which the checks, the CLI and the Sphinx
extension all ask, so a handbook page can never disagree with what ``validate`` accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Policy, Rotation

#: A position in the policy's YAML tree, e.g. ``("roles", "support-steward")``.
EntryLoc = tuple[str, str]


@dataclass(frozen=True)
class GlossaryEntry:
    """One definition in the glossary and every term that leads to it."""

    loc: EntryLoc
    terms: tuple[str, ...]
    """The name first, then its plural and aliases; never empty, in the policy's order."""
    definition: str


def glossary_entries(policy: Policy) -> list[GlossaryEntry]:
    """Roles, request types and the ``glossary`` section, in that order.

    A role's aliases are terms too: readers look "Customer Liaison" up as readily as
    "Support Steward", so a glossary entry may not reuse one (the checks say so).
    """
    entries: list[GlossaryEntry] = []
    for key, role in policy.roles.items():
        terms = _terms(role.name, role.plural, *role.aliases)
        entries.append(GlossaryEntry(("roles", key), terms, role.description or ""))
    for key, kind in policy.request_types.items():
        entries.append(
            GlossaryEntry(("request_types", key), _terms(kind.name, kind.plural), kind.definition)
        )
    for key, entry in policy.glossary.items():
        terms = _terms(entry.term, entry.plural, *entry.aliases)
        entries.append(GlossaryEntry(("glossary", key), terms, entry.definition))
    return entries


def _terms(*names: str | None) -> tuple[str, ...]:
    return tuple(name for name in names if name)


def role_name(policy: Policy, rotation: Rotation) -> str:
    """The name of the role ``rotation`` serves; the role's id when no role has it (an
    unresolved reference, already reported), as :func:`member_name` falls back to the id."""
    role = policy.roles.get(rotation.role)
    return role.name if role is not None else rotation.role


def rotation_name(policy: Policy, key: str) -> str:
    """``Support Steward rotation``: readers know a rotation by its role, not its id.

    Every page, feed and calendar names a rotation this way; the id ``key`` stands in for
    the role only when no rotation has that id.
    """
    rotation = policy.all_rotations.get(key)
    return f"{role_name(policy, rotation) if rotation is not None else key} rotation"


def member_name(policy: Policy, key: str) -> str:
    """A member's display name; the id itself when it names nobody on the team (a stand-in
    from an older version of the file, or an unresolved reference already reported)."""
    member = policy.team.members.get(key)
    return member.name if member is not None else key


def has_left(policy: Policy, key: str, day: date) -> bool:
    """Whether team member ``key`` has left by ``day``: their ``left`` (the first day no
    longer on the team) is ``day`` or earlier. An id that names nobody has not left."""
    member = policy.team.members.get(key)
    return member is not None and member.left is not None and member.left <= day
