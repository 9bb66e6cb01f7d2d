"""The hand-off announcement in each output format: terminal text, Markdown for GitHub,
a Slack Block Kit payload, JSON.

Every string from the policy is hostile: each format escapes it for its reader, and a
mention (``@login`` on GitHub, ``<@U…>`` in Slack) is produced only from a member's
declared, validated handle, never from text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .announce import Announcement, CoverNote, MessageStyle, Person, fill_message
from .models import Policy
from .safe_text import for_markdown, for_terminal

REPORT_KIND = "support-policy/handoff"
_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_SLACK_MEMBER = re.compile(r"^[UW][A-Z0-9]{2,20}$")
_ZWJ = "\u200d"
# Slack's limits on the blocks used (characters); longer text is clipped, never refused.
SLACK_HEADER_MAX = 150
SLACK_TEXT_MAX = 3000
SLACK_FIELD_MAX = 2000


def safe_url(url: str) -> str:
    """An http(s) URL with every character that could end it in Markdown or Slack encoded."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def _terminal(text: str, _: bool = False) -> str:
    return for_terminal(text)


def _terminal_person(person: Person, _: bool = False) -> str:
    return for_terminal(person.name)


TEXT_STYLE = MessageStyle(_terminal, _terminal_person)


def _markdown_plain(text: str, at_start: bool) -> str:
    return for_markdown(text, block_start=at_start)


def _markdown_person(person: Person, at_start: bool) -> str:
    shown = for_markdown(person.name, block_start=at_start)
    login = person.github
    if login is not None and _GITHUB_LOGIN.match(login) and len(login) <= 39:
        return f"{shown} (@{login})"
    return shown


MARKDOWN_STYLE = MessageStyle(_markdown_plain, _markdown_person)

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


SLACK_STYLE = MessageStyle(slack_text, _slack_person)


def message(policy: Policy, item: Announcement, fmt: str) -> str:
    style = {"markdown": MARKDOWN_STYLE, "slack": SLACK_STYLE}.get(fmt, TEXT_STYLE)
    return fill_message(policy, item, style)


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
