"""Which URLs may become links: one rule for every engine and every builder."""

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
