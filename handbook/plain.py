"""Policy text as plain text, for outputs that show no markup (a terminal, a log)."""

from __future__ import annotations

from support_policy.policy.urls import scheme_of

from .model import Emphasis, Inline, InlineCode, Link, PageLink, Ref, Strong, Text


def plain_text(values: tuple[Inline, ...]) -> str:
    """Inline values as plain text: markers dropped, a link's URL after its text.

    ``[the calendar](https://x.org/cal)`` reads ``the calendar <https://x.org/cal>``; a
    link whose text is its URL (a bare URL) or its address (``mailto:``) shows once; a
    page link shows its text (its path when it has none).
    """
    return "".join(_plain(value) for value in values)


def _plain(value: Inline) -> str:
    if isinstance(value, Text | InlineCode):
        return value.text
    if isinstance(value, Link):
        shown = plain_text(value.children)
        address = value.url[len("mailto:") :] if scheme_of(value.url) == "mailto" else None
        return shown if shown in (value.url, address) else f"{shown} <{value.url}>"
    if isinstance(value, PageLink):
        return plain_text(value.children) or value.page
    if isinstance(value, Ref):
        return plain_text(value.children) or value.key
    if isinstance(value, Strong | Emphasis):
        return plain_text(value.children)
    raise TypeError(value)  # pragma: no cover - the Inline union is closed
