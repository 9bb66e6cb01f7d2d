"""Rebuild only what changed: a policy edit re-reads the pages whose rendered output changed.

While a page is read, every directive and value role records *what it rendered*: the
request that made it (directive name, argument, options, section title — or the value
path) and a digest of the result. When the policy files or the date change, the recorded
requests are run again against the new policy and exactly the pages with a different
digest are re-read (``env-get-outdated``). Links to a policy object — the
``{support:…}`` roles, and the links in policy text a directive renders, such as
``[the response](process:triage)`` — are recorded too: such a page is not re-read but
re-written when the target's page, anchor or name changes (``env-updated``). Links that
Sphinx resolves itself, to a glossary term (``term:``, ``{term}``) or to a std label
(``{ref}``, ``[](#support-member-…)``), follow Sphinx's own rule: they change when the
linking page is read again.

Everything stored on the environment is plain strings and tuples, so it pickles small
and merges after parallel reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import cast

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from support_policy.handbook.directives import SPECS
from support_policy.handbook.model import Block, Ref, Rendered, Request
from support_policy.handbook.values import ValueReference, value_text
from support_policy.policy import clock
from support_policy.policy.bounds import OutOfRange

from .data import PolicyData, get_data, refresh

#: docname → request key → digest of what that request rendered on the page
_RENDERED = "support_policy_rendered"
#: the policy key and the date the stored digests were made with
_MADE_WITH = "support_policy_rendered_with"
#: docname → the ``(objtype, target)`` of every support cross-reference on the page
_XREFS = "support_policy_xrefs"
#: ``(objtype, target)`` → where it resolved when the pages were last written
_RESOLVED = "support_policy_resolved"

#: The digest of anything rendered while the policy could not be loaded.
FAILED = "failed"
#: The digest of a request whose builder raised: never equal, so the page is re-read and
#: the error surfaces where it is reported, while the page is read.
_BROKEN = "broken"
_NO_DATE = "no-date"

Key = str
XrefKey = tuple[str, str]
Resolution = tuple[str, str, str] | None


# -- recording (called while a page is read) ------------------------------------------


def directive_key(
    name: str,
    argument: str | None,
    options: Mapping[str, str | None],
    section_title: str | None,
    page_folder: Path,
) -> Key:
    """The request of one directive as a string: enough to run it again later."""
    parts = [name, argument, sorted(options.items()), section_title, page_folder.as_posix()]
    return json.dumps(["directive", *parts])


def digest_rendered(rendered: Rendered | None) -> str:
    """A digest of a directive's output (``None``: nothing rendered, the policy failed)."""
    if rendered is None:
        return FAILED
    # The model is frozen dataclasses, tuples and strings: its repr is complete and stable.
    return hashlib.sha256(repr(rendered).encode()).hexdigest()


def note_rendered(env: BuildEnvironment, key: Key, digest: str) -> None:
    """Record that the page being read rendered ``key`` as ``digest``."""
    docname = env.current_document.docname
    _rendered(env).setdefault(docname, {})[key] = digest


def shown_anywhere(env: BuildEnvironment, name: str) -> bool:
    """Whether any page of the site shows the directive ``name`` (as last read)."""
    prefix = json.dumps(["directive", name])[:-1] + ","
    return any(key.startswith(prefix) for keys in _rendered(env).values() for key in keys)


def note_directive(
    env: BuildEnvironment,
    name: str,
    argument: str | None,
    options: Mapping[str, str | None],
    section_title: str | None,
    rendered: Rendered | None = None,
) -> None:
    """The directive's request and what it rendered; ``None``: nothing (yet).

    The generic directive calls it twice: before anything can make it return early (the
    policy failed to load), so the page is re-read once the policy is good again; and
    after building, with the result.
    """
    # The folder files named by the directive are read in, as the directive computes it.
    page_folder = Path(env.doc2path(env.current_document.docname)).parent
    key = directive_key(name, argument, options, section_title, page_folder)
    note_rendered(env, key, digest_rendered(rendered))


def note_built(env: BuildEnvironment, name: str, request: Request, rendered: Rendered) -> None:
    """:func:`note_directive` for a request that was built (the generic directive's second),
    and :func:`note_xref` for every link to a policy object the output holds (policy text
    such as ``[the response](process:triage)``), so the page is re-written when it moves."""
    options, title = request.options, request.section_title
    note_directive(env, name, request.argument, options, title, rendered)
    for ref in refs_in(rendered.blocks):
        if ref.kind != "term":  # a glossary term is Sphinx's own `{term}`: see the docstring
            note_xref(env, ref.kind, ref.key)


def refs_in(blocks: tuple[Block, ...]) -> Iterator[Ref]:
    """Every :class:`Ref` in ``blocks``, at any depth (the model is a finite tree)."""
    pending: list[object] = [blocks]
    while pending:
        value = pending.pop()
        if isinstance(value, Ref):
            yield value
        if isinstance(value, tuple):
            pending.extend(reversed(value))
        elif is_dataclass(value) and not isinstance(value, type):
            pending.extend(getattr(value, field.name) for field in fields(value))


def note_value(env: BuildEnvironment, text: str) -> None:
    """One line in the value role: the page shows the value at ``text`` (a value path)."""
    note_rendered(env, json.dumps(["value", text]), value_digest(get_data(env), text))


def _whole_policy(data: PolicyData, today: date | None) -> str:
    return f"{data.key} {today.isoformat() if today else _NO_DATE}"


def note_xref(env: BuildEnvironment, objtype: str, target: str) -> None:
    """The page links to a policy object; re-written (not re-read) when the target moves."""
    docname = env.current_document.docname
    _xrefs(env).setdefault(docname, set()).add((objtype, target))


# -- outcomes, now and after an edit --------------------------------------------------


def value_digest(data: PolicyData | None, text: str) -> str:
    """What the value role shows for ``text``: the text and its problem, as ``values`` says."""
    if data is None or data.loaded is None or data.loaded.policy is None:
        return FAILED
    shown = value_text(data.loaded.policy, ValueReference.parse(text))
    problem = shown.problem
    # The warning names a suggestion, which depends on every other value path.
    said = (problem.code.code, problem.message) if problem else ()
    key = repr((shown.text, said))
    return hashlib.sha256(key.encode()).hexdigest()


def _digest_now(key: Key, data: PolicyData, today: date | None) -> str:
    kind, *values = json.loads(key)
    if kind == "value":
        return value_digest(data, values[0])
    name, argument, options, section_title, page_folder = values
    spec = SPECS.get(name)
    if data.loaded is None or data.loaded.policy is None:
        return FAILED  # the directive renders nothing (the load failure is reported once)
    if spec is None:
        return _BROKEN
    # ``today`` None: the builder asks the clock and meets its problem, as on the page.
    request = Request(data.loaded, argument, dict(options), today, section_title, Path(page_folder))
    try:
        return digest_rendered(spec.build(request))
    except Exception:  # reported where it belongs: when the page is read again
        return _BROKEN


def _today() -> date | None:
    try:
        return clock.today()
    except (clock.BadEpoch, OutOfRange):  # reported by the directives that need the date
        return None


def changed_pages(
    recorded: Mapping[str, Mapping[Key, str]], data: PolicyData, today: date | None
) -> set[str]:
    """The pages whose recorded requests render differently under ``data`` and ``today``."""
    digests: dict[Key, str] = {}  # the same request on many pages is built once
    changed = set()
    for docname, entries in recorded.items():
        for key, digest in entries.items():
            if key not in digests:
                digests[key] = _digest_now(key, data, today)
            if digests[key] != digest:
                changed.add(docname)
                break
    return changed


# -- Sphinx events ---------------------------------------------------------------------


def outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: the pages whose policy output changed since they were read."""
    data = refresh(app, env)
    today = _today()
    made_with = _whole_policy(data, today)
    previous = getattr(env, _MADE_WITH, None)
    setattr(env, _MADE_WITH, made_with)
    if previous == made_with:
        return []
    pending = {
        docname: entries
        for docname, entries in _rendered(env).items()
        if docname not in added and docname not in changed and docname not in removed
    }
    return sorted(changed_pages(pending, data, today))


def relinked(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: pages whose links to policy objects now resolve differently."""
    from .domain import SupportDomain  # the domain records cross-references through us

    domain = cast("SupportDomain", env.get_domain("support"))
    xrefs = _xrefs(env)
    before: dict[XrefKey, Resolution] = getattr(env, _RESOLVED, {})
    now: dict[XrefKey, Resolution] = {}
    for targets in xrefs.values():
        for objtype, target in targets:
            entry = domain.target(objtype, target)
            now[(objtype, target)] = None if entry is None else (entry[0], entry[1], entry[2])
    setattr(env, _RESOLVED, now)
    moved = {key for key, where in now.items() if key in before and before[key] != where}
    return sorted(docname for docname, targets in xrefs.items() if targets & moved)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: the page is read again (or removed); drop what it recorded."""
    _rendered(env).pop(docname, None)
    _xrefs(env).pop(docname, None)


def merge(
    app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment
) -> None:
    """``env-merge-info``: take over what a parallel reader recorded for its pages."""
    rendered, xrefs = _rendered(other), _xrefs(other)
    for docname in docnames:
        if docname in rendered:
            _rendered(env)[docname] = rendered[docname]
        if docname in xrefs:
            _xrefs(env)[docname] = xrefs[docname]


def setup_incremental(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated)
    app.connect("env-updated", relinked)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)


# -- storage ---------------------------------------------------------------------------


def _rendered(env: BuildEnvironment) -> dict[str, dict[Key, str]]:
    stored = getattr(env, _RENDERED, None)
    if not isinstance(stored, dict):
        stored = {}
        setattr(env, _RENDERED, stored)
    return stored


def _xrefs(env: BuildEnvironment) -> dict[str, set[XrefKey]]:
    stored = getattr(env, _XREFS, None)
    if not isinstance(stored, dict):
        stored = {}
        setattr(env, _XREFS, stored)
    return stored
