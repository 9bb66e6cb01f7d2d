"""Which URLs may become links: one rule for every engine, builder and check.

It lives in ``policy`` so that policy checks, the CLI and the handbook all ask it; a narrower
rule (ticket links: web pages only) is a check on top of :func:`safe_url`, never a copy.
"""

from __future__ import annotations

import unicodedata

#: The schemes that make a link. Everything else is text.
SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str) -> str | None:
    """``url`` if it may become a link (http, https, mailto), else ``None``.

    Judged as a browser would read it: the scheme case-insensitively, and any space,
    control or invisible format character anywhere refuses the URL (browsers drop some of
    them, so ``java\\tscript:`` would run). A URL without a scheme is refused too: a
    relative target would depend on the page, and ``javascript&#58;…`` is one.
    """
    if not url or any(invisible(char) for char in url):
        return None
    scheme = scheme_of(url)
    if scheme not in SAFE_SCHEMES:
        return None
    rest = url[len(scheme) + 1 :]
    if scheme == "mailto":
        return url if rest else None
    host = rest[2:3]
    return url if rest.startswith("//") and host not in ("", "/", "?", "#") else None


def scheme_of(url: str) -> str | None:
    head, colon, _ = url.partition(":")
    if not colon or not head or not head.isascii():
        return None
    return head.lower()


def invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Zs")


#: The schemes of a web page: what a ticket link or a published handbook address must be.
WEB_SCHEMES = ("http", "https")


def web_url(url: str) -> str | None:
    """``url`` if :func:`safe_url` accepts it and it names a web page (http, https)."""
    safe = safe_url(url)
    return safe if safe is not None and scheme_of(safe) in WEB_SCHEMES else None
