"""The glossary (``support-glossary``), or the part of it ``:include:``/``:exclude:`` pick.

A selection token is an id (``support-steward``: that entry, whatever its kind),
``<kind>:<id>`` (``term:support-budget``) or ``kind:<kind>`` (``kind:role``: every entry
of the kind); the kinds are ``role``, ``request-type`` and ``term`` (the ``glossary``
section). Tokens are separated by spaces or commas. ``:include:`` keeps only what it
selects, ``:exclude:`` then leaves out what it selects.
"""

from __future__ import annotations

from support_policy.policy.checks import suggest
from support_policy.policy.diagnostics import Code
from support_policy.policy.facts import EntryLoc, GlossaryEntry, glossary_entries
from support_policy.policy.models import Policy

from .blocks import with_policy
from .model import Glossary, GlossaryItem, Paragraph, Problem, Rendered, Request
from .prose import prose

#: The section of a glossary entry → its kind in ``:include:``/``:exclude:`` tokens.
GLOSSARY_KINDS = {"roles": "role", "request_types": "request-type", "glossary": "term"}


@with_policy
def glossary(request: Request, policy: Policy) -> Rendered:
    """The selected entries; a term already shown (in any case) is not shown again."""
    problems: list[Problem] = []
    entries = selected(glossary_entries(policy), request, problems)
    items: list[GlossaryItem] = []
    seen: set[str] = set()
    for entry in entries:
        terms: list[str] = []
        for name in entry.terms:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                terms.append(name)
        if terms:
            definition = (Paragraph(prose(policy, entry.definition)),)
            items.append(GlossaryItem(tuple(terms), definition))
    return Rendered((Glossary(tuple(items)),), tuple(problems))


def selected(
    entries: list[GlossaryEntry], request: Request, problems: list[Problem]
) -> list[GlossaryEntry]:
    """The entries the options keep; a token that selects nothing adds a problem."""
    chosen = list(entries)
    for option in ("include", "exclude"):
        written = request.options.get(option)
        if written is None:
            continue
        picked: set[EntryLoc] = set()
        for token in written.replace(",", " ").split():
            matches = [entry.loc for entry in entries if _selects(token, entry.loc)]
            if not matches:
                problems.append(_no_match(option, token, entries))
            picked.update(matches)
        keep = option == "include"
        chosen = [entry for entry in chosen if (entry.loc in picked) == keep]
    return chosen


def _no_match(option: str, token: str, entries: list[GlossaryEntry]) -> Problem:
    known = [
        *(f"kind:{kind}" for kind in GLOSSARY_KINDS.values()),
        *(entry.loc[1] for entry in entries),
        *(f"{GLOSSARY_KINDS[entry.loc[0]]}:{entry.loc[1]}" for entry in entries),
    ]
    message = f"`:{option}: {token}` selects no glossary entry{suggest(token, known)}"
    return Problem(Code.GLOSSARY_SELECTION, message)


def _selects(token: str, loc: EntryLoc) -> bool:
    section, key = loc
    kind = GLOSSARY_KINDS[section]
    if token.startswith("kind:"):
        return token[len("kind:") :] == kind
    if ":" in token:
        return token == f"{kind}:{key}"
    return token == key
