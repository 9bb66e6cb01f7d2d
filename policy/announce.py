"""The hand-off announcement: who joins, leaves and stays, why, and the message to post.

:func:`handoff_at` reads one hand-off of a dealt rotation into an :class:`Announcement`
(plain data); the renderers of :mod:`.announce_formats` turn it into text for a terminal,
Markdown for a GitHub issue or comment, a Slack Block Kit payload, or JSON. The message
itself is the rotation's ``announcement`` template (or
:data:`.announce_vars.DEFAULT_ANNOUNCEMENT`), filled in here in the style a format gives.

Every string from the policy is hostile: each format escapes it for its reader, and a
mention (``@login`` on GitHub, ``<@U…>`` in Slack) is produced only from a member's
declared, validated handle, never from text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .announce_vars import ANNOUNCEMENT_VARIABLES, DEFAULT_ANNOUNCEMENT
from .dealing import JoinKind
from .facts import role_name
from .models import Policy
from .references import PLACEHOLDER, VALUE_PATH, render_text
from .rotations import RotationSchedule
from .urls import web_url

__all__ = [
    "ANNOUNCEMENT_VARIABLES",
    "Announcement",
    "Link",
    "MessageStyle",
    "Person",
    "fill_message",
    "handoff_at",
]

# Slack shows at most this many links in a context block; more are left off.
SLACK_CONTEXT_ELEMENTS = 10


@dataclass(frozen=True)
class Person:
    """Someone on the crew of a hand-off, with the handles the policy declares."""

    id: str
    name: str
    first: date  # their tenure's first day
    last: date  # their tenure's last day (inclusive)
    github: str | None = None
    chat: str | None = None


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class CoverNote:
    member: str
    covers: str
    first: date
    last: date
    reason: str | None


@dataclass(frozen=True)
class Announcement:
    """One hand-off of one rotation, as people are told about it."""

    rotation: str
    role: str
    handoff_date: date
    next: date
    tenure: str
    joiner: Person | None
    kind: JoinKind
    reason: str
    leaver: Person | None
    staying: tuple[Person, ...]
    covers: tuple[CoverNote, ...]
    links: tuple[Link, ...]
    template: str


def first_handoff_on_or_after(schedule: RotationSchedule, day: date) -> int:
    k = schedule.latest_handoff(day)
    return k if schedule.handoff_date(k) == day else k + 1


def handoff_at(
    policy: Policy, schedule: RotationSchedule, day: date, handbook: str | None = None
) -> Announcement:
    """The hand-off on ``day``, or the next one after it."""
    k = first_handoff_on_or_after(schedule, day)
    T = schedule.on_duty_count
    members = policy.team.members

    def name(key: str) -> str:
        member = members.get(key)
        return member.name if member is not None else key

    def person(j: int) -> Person | None:
        tenure = schedule.handoff(j)
        if tenure.joiner is None:
            return None
        member = members.get(tenure.joiner)
        return Person(
            tenure.joiner,
            name(tenure.joiner),
            tenure.start,
            tenure.end - timedelta(days=1),
            member.github if member is not None else None,
            member.chat if member is not None else None,
        )

    handoff = schedule.handoff(k)
    start, following = schedule.handoff_date(k), schedule.handoff_date(k + 1)
    covers = tuple(
        CoverNote(name(c.member), name(c.covers), c.first, c.last, c.reason)
        for c in schedule.covers_between(start, following)
    )
    links = [Link(c.name, c.url) for c in policy.channels.values() if c.url and _web(c.url)]
    if handbook is not None:
        links.append(Link("Handbook", handbook))
    staying = tuple(p for j in range(k - T + 1, k) if (p := person(j)) is not None)
    return Announcement(
        rotation=schedule.id,
        role=role_name(policy, schedule.rotation),
        handoff_date=start,
        next=following,
        tenure=schedule.rotation.tenure.text,
        joiner=person(k),
        kind=handoff.kind,
        reason=handoff.why(name),
        leaver=person(k - T),
        staying=staying,
        covers=covers,
        links=tuple(links[:SLACK_CONTEXT_ELEMENTS]),
        template=schedule.rotation.announcement or DEFAULT_ANNOUNCEMENT,
    )


_DAY = timedelta(days=1)


# --- the message ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageStyle:
    """How one format shows text from the policy and people."""

    plain: Callable[[str, bool], str]  # (text, at the start of a line) -> safe text
    person: Callable[[Person, bool], str]


def _pieces(policy: Policy, template: str) -> Iterator[tuple[str, str]]:
    """``("text", …)`` and ``("var", NAME)`` parts; policy values already filled in."""
    position = 0
    for match in PLACEHOLDER.finditer(template):
        expression = match.group(1)
        if VALUE_PATH.match(expression) is not None or expression not in ANNOUNCEMENT_VARIABLES:
            continue  # filled (or left as written) with the text around it
        yield "text", render_text(policy, template[position : match.start()])
        yield "var", expression
        position = match.end()
    yield "text", render_text(policy, template[position:])


def fill_message(policy: Policy, item: Announcement, style: MessageStyle) -> str:
    """The rotation's message, each variable and each piece of text shown in ``style``."""

    def people(group: tuple[Person, ...], at_start: bool) -> str:
        if not group:
            return style.plain("nobody", at_start)
        parts = [style.person(p, at_start and not i) for i, p in enumerate(group)]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    values: dict[str, Callable[[bool], str]] = {
        "JOINER": lambda s: people((item.joiner,) if item.joiner else (), s),
        "LEAVER": lambda s: people((item.leaver,) if item.leaver else (), s),
        "STAYING": lambda s: people(item.staying, s),
        "DATE": lambda s: style.plain(item.handoff_date.isoformat(), s),
        "UNTIL": lambda s: style.plain(
            item.joiner.last.isoformat() if item.joiner else (item.next - _DAY).isoformat(), s
        ),
        "TENURE": lambda s: style.plain(item.tenure, s),
        "REASON": lambda s: style.plain(item.reason, s),
        "ROLE": lambda s: style.plain(item.role, s),
        "NEXT": lambda s: style.plain(item.next.isoformat(), s),
    }
    out: list[str] = []
    at_start = True
    for kind, value in _pieces(policy, item.template):
        if kind == "var":
            out.append(values[value](at_start))
            at_start = False
            continue
        for index, line in enumerate(value.split("\n")):
            if index:
                out.append("\n")
                at_start = True
            if line:
                out.append(style.plain(line, at_start))
                at_start = False
    return "".join(out).strip("\n")


def _web(url: str) -> bool:
    return web_url(url) is not None
