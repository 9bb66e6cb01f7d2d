"""The hand-off announcement: who joins, leaves and stays, why, and the message to post.

:func:`handoff_at` reads one hand-off of a dealt rotation into an :class:`Announcement`
(plain data); the renderers turn it into text for a terminal, Markdown for a GitHub issue
or comment, a Slack Block Kit payload, or JSON. The message itself is the rotation's
``announcement`` template (or :data:`.announce_vars.DEFAULT_ANNOUNCEMENT`).

Every string from the policy is hostile: each format escapes it for its reader, and a
mention (``@login`` on GitHub, ``<@U…>`` in Slack) is produced only from a member's
declared, validated handle, never from text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from .announce_vars import ANNOUNCEMENT_VARIABLES, DEFAULT_ANNOUNCEMENT
from .dealing import JoinKind
from .models import Policy
from .references import PLACEHOLDER, VALUE_PATH, render_text
from .rotations import RotationSchedule
from .safe_text import for_markdown, for_terminal

__all__ = [
    "ANNOUNCEMENT_VARIABLES",
    "Announcement",
    "Link",
    "Person",
    "handoff_at",
    "json_document",
    "markdown",
    "slack_payload",
    "text",
]

REPORT_KIND = "support-policy/handoff"
_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_SLACK_MEMBER = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_ZWJ = "\u200d"
# Slack's limits on the blocks used (characters); longer text is clipped, never refused.
SLACK_HEADER_MAX = 150
SLACK_TEXT_MAX = 3000
SLACK_FIELD_MAX = 2000
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
    role = policy.roles.get(schedule.rotation.role)
    staying = tuple(p for j in range(k - T + 1, k) if (p := person(j)) is not None)
    return Announcement(
        rotation=schedule.id,
        role=role.name if role is not None else schedule.rotation.role,
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


# --- the message ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
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


def _message(policy: Policy, item: Announcement, style: _Style) -> str:
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


_DAY = timedelta(days=1)


# --- output formats --------------------------------------------------------------------------


def _web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def safe_url(url: str) -> str:
    """An http(s) URL with every character that could end it in Markdown or Slack encoded."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def _terminal(text: str, _: bool = False) -> str:
    return for_terminal(text)


def _terminal_person(person: Person, _: bool = False) -> str:
    return for_terminal(person.name)


TEXT_STYLE = _Style(_terminal, _terminal_person)


def _markdown_plain(text: str, at_start: bool) -> str:
    return for_markdown(text, block_start=at_start)


def _markdown_person(person: Person, at_start: bool) -> str:
    shown = for_markdown(person.name, block_start=at_start)
    login = person.github
    if login is not None and _GITHUB_LOGIN.match(login) and len(login) <= 39:
        return f"{shown} (@{login})"
    return shown


MARKDOWN_STYLE = _Style(_markdown_plain, _markdown_person)

_SLACK_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SLACK_TRIGGERS = re.compile(r"[@#!]|:(?=//)")


def slack_text(text: str, _: bool = False) -> str:
    """Text for Slack ``mrkdwn``: ``&``, ``<``, ``>`` as entities (so no link, mention or
    ``<!channel>`` can form) and a zero-width joiner after ``@``, ``#``, ``!`` and a ``:``
    before ``//`` (no bare mention, channel or URL)."""
    shown = for_terminal(text)
    shown = _SLACK_TRIGGERS.sub(lambda match: match.group() + _ZWJ, shown)
    return "".join(_SLACK_ENTITIES.get(char, char) for char in shown)


def _slack_person(person: Person, _: bool = False) -> str:
    shown = slack_text(person.name)
    member = person.chat
    if member is not None and _SLACK_MEMBER.match(member):
        return f"{shown} (<@{member}>)"
    return shown


SLACK_STYLE = _Style(slack_text, _slack_person)


def message(policy: Policy, item: Announcement, fmt: str) -> str:
    style = {"markdown": MARKDOWN_STYLE, "slack": SLACK_STYLE}.get(fmt, TEXT_STYLE)
    return _message(policy, item, style)


def _span(person: Person) -> str:
    return f"{person.first.isoformat()} to {person.last.isoformat()}"


def _cover_line(cover: CoverNote, plain: Callable[[str, bool], str]) -> str:
    reason = f": {plain(cover.reason, False)}" if cover.reason else ""
    return (
        f"{plain(cover.member, False)} covers {plain(cover.covers, False)} "
        f"{cover.first.isoformat()} to {cover.last.isoformat()}{reason}"
    )


def _title(item: Announcement) -> str:
    return f"{item.role} hand-off on {item.handoff_date.isoformat()}"


def text(policy: Policy, item: Announcement) -> str:
    lines = [for_terminal(_title(item)) + f" (rotation {for_terminal(item.rotation)})", ""]
    lines += message(policy, item, "text").split("\n")
    lines.append("")
    if item.joiner is not None:
        lines.append(
            f"  joins:  {for_terminal(item.joiner.name)}, {_span(item.joiner)} "
            f"({for_terminal(item.reason)})"
        )
    else:
        lines.append(f"  joins:  nobody ({for_terminal(item.reason)})")
    for person in item.staying:
        lines.append(f"  stays:  {for_terminal(person.name)}, until {person.last.isoformat()}")
    if item.leaver is not None:
        lines.append(f"  leaves: {for_terminal(item.leaver.name)}")
    for cover in item.covers:
        lines.append(f"  cover:  {_cover_line(cover, _terminal)}")
    lines.append(f"  next hand-off: {item.next.isoformat()}")
    for link in item.links:
        lines.append(f"  {for_terminal(link.name)}: {for_terminal(link.url)}")
    return "\n".join(lines) + "\n"


def markdown(policy: Policy, item: Announcement) -> str:
    """For a GitHub issue or comment: a heading, the message, a table of the crew, links."""
    md = _markdown_plain
    lines = [f"### {for_markdown(_title(item), block_start=False)}", ""]
    lines += message(policy, item, "markdown").split("\n")
    lines += ["", "| | Who | Tenure | Why |", "|---|---|---|---|"]
    joiner = _markdown_person(item.joiner, False) if item.joiner else "nobody"
    span = _span(item.joiner) if item.joiner else ""
    lines.append(f"| joins | {joiner} | {span} | {md(item.reason, False)} |")
    for person in item.staying:
        lines.append(f"| stays | {_markdown_person(person, False)} | {_span(person)} | |")
    if item.leaver is not None:
        lines.append(
            f"| leaves | {_markdown_person(item.leaver, False)} | {_span(item.leaver)} | |"
        )
    if item.covers:
        lines += ["", "Cover:", ""]
        lines += [f"- {_cover_line(cover, md)}" for cover in item.covers]
    lines += ["", f"Next hand-off: {item.next.isoformat()}."]
    if item.links:
        links = [f"[{md(link.name, False)}]({safe_url(link.url)})" for link in item.links]
        lines += ["", "Links: " + ", ".join(links)]
    return "\n".join(lines) + "\n"


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters without breaking an entity, link or mention."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    opening, closing = cut.rfind("<"), cut.rfind(">")
    if opening > closing:
        cut = cut[:opening]
    ampersand = cut.rfind("&")
    if ampersand >= 0 and ";" not in cut[ampersand:]:
        cut = cut[:ampersand]
    return cut + "…"


def slack_payload(policy: Policy, item: Announcement) -> dict[str, Any]:
    """A Block Kit message an incoming webhook accepts: ``text`` (the notification) and
    ``blocks`` (header, the message, the crew as fields, covers, links)."""
    body = message(policy, item, "slack")
    joiner = _slack_person(item.joiner, False) if item.joiner else "nobody"
    fields = [f"*Joins*\n{joiner}" + (f", {_span(item.joiner)}" if item.joiner else "")]
    fields += [
        f"*Stays*\n{_slack_person(p, False)}, until {p.last.isoformat()}" for p in item.staying
    ]
    if item.leaver is not None:
        fields.append(f"*Leaves*\n{_slack_person(item.leaver, False)}")
    fields.append(f"*Next hand-off*\n{item.next.isoformat()}")
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": clip(for_terminal(_title(item)), SLACK_HEADER_MAX),
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": clip(body, SLACK_TEXT_MAX)}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": clip(field, SLACK_FIELD_MAX)} for field in fields[:10]
            ],
        },
    ]
    if item.covers:
        covers = "\n".join(f"• {_cover_line(c, slack_text)}" for c in item.covers)
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": clip(covers, SLACK_TEXT_MAX)}}
        )
    if item.links:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": clip(
                            f"<{safe_url(link.url).replace('|', '%7C')}|{slack_text(link.name)}>",
                            SLACK_FIELD_MAX,
                        ),
                    }
                    for link in item.links
                ],
            }
        )
    return {"text": clip(body, SLACK_TEXT_MAX), "blocks": blocks}


def _person_json(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "id": person.id,
        "name": person.name,
        "from": person.first.isoformat(),
        "until": person.last.isoformat(),
        "github": person.github,
        "chat": person.chat,
    }


def json_document(policy: Policy, item: Announcement) -> dict[str, Any]:
    return {
        "kind": REPORT_KIND,
        "version": 1,
        "rotation": item.rotation,
        "role": item.role,
        "date": item.handoff_date.isoformat(),
        "next": item.next.isoformat(),
        "tenure": item.tenure,
        "joins": _person_json(item.joiner),
        "join_kind": item.kind,
        "reason": item.reason,
        "leaves": _person_json(item.leaver),
        "stays": [_person_json(p) for p in item.staying],
        "covers": [
            {
                "member": c.member,
                "covers": c.covers,
                "from": c.first.isoformat(),
                "to": c.last.isoformat(),
                "reason": c.reason,
            }
            for c in item.covers
        ],
        "links": [{"name": link.name, "url": link.url} for link in item.links],
        "message": message(policy, item, "text"),
    }
