"""Hostile policy text for the link and markup attack tests (a build and a browser).

Imported by ``tests/test_markup_hostile.py`` and ``tests/browser/test_links_browser.py``;
it needs nothing but the standard library, so the browser session can import it.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).parent / "roots" / "test-markup"
SAFE_SCHEMES = ("http:", "https:", "mailto:")

#: Each is one piece of policy prose on the hostile page.
HOSTILE_TEXTS = [
    "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](JaVaScRiPt:alert(1))",
    "[tab](java\tscript:alert(1)) [newline](java\nscript:alert(1)) [nul](java\x00script:x)",
    "[space]( javascript:alert(1)) [zwsp](java\u200bscript:alert(1))",
    "[entity](javascript&#58;alert(1)) [entity2](&#106;avascript:alert(1))",
    "[percent](%6Aavascript:alert(1)) [vb](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[svg](data:image/svg+xml,<svg onload=alert(1)>)",
    "[<script>alert(1)</script>](https://ok.example.org/script)",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> <a href=javascript:alert(1)>x</a>",
    "[close](https://ok.example.org/close)](javascript:alert(1))",
    "[open](javascript:alert(1)](https://ok.example.org/open)",
    "[[nested](javascript:x)](https://ok.example.org/nested)",
    '[quote](https://ok.example.org/q"onmouseover="alert(1)) and javascript:alert(1) bare',
    "[proto](//evil.example.org) [rel](evil.html) [file](file:///etc/passwd)",
    "`<b>code</b>` *<i>em</i>* **<u>strong</u>** \\<script\\>",
    "Fine: [mail](mailto:support@example.org), https://ok.example.org/bare.",
]


def long_texts() -> list[str]:
    """100k characters of brackets and stars, and emphasis nested far too deep."""
    brackets = "[" * 25_000 + "*" * 25_000 + "](javascript:alert(1))" * 2_000
    deep = "".join("*a **b " for _ in range(5_000)) + "".join(" c** d*" for _ in range(5_000))
    return [brackets[:100_000], deep]


def hostile_site(dest: Path) -> Path:
    """A copy of the ``test-markup`` root with a page ``hostile`` of every text above."""
    shutil.copytree(ROOT, dest)
    blocks = [
        ".. policy-text::\n   :json:\n\n   " + json.dumps(text) + "\n"
        for text in [*HOSTILE_TEXTS, *long_texts()]
    ]
    page = ":orphan:\n\nHostile\n=======\n\n" + "\n".join(blocks)
    (dest / "hostile.rst").write_text(page, encoding="utf-8")
    return dest


class _PolicyMarkup(HTMLParser):
    """Start tags inside ``support-policy`` containers, with their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open elements since the outermost support-policy container
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.depth:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            self.tags.append((tag, values))
        elif "support-policy" in values.get("class", "").split():
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1


def policy_markup(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element inside the page's ``support-policy`` containers: (tag, attributes)."""
    parser = _PolicyMarkup()
    parser.feed(html)
    return parser.tags


def policy_nesting(html: str) -> int:
    """How deep elements nest inside the page's ``support-policy`` containers."""
    parser = _PolicyMarkup()
    parser.feed(html)
    return parser.deepest


def unsafe_hrefs(hrefs: list[str], internal_prefix: str = "") -> list[str]:
    """Links that are neither http(s)/mailto nor a page of the site itself."""
    unsafe = []
    for href in hrefs:
        lowered = href.strip().lower()
        if lowered.startswith(SAFE_SCHEMES):
            continue
        if internal_prefix and href.startswith(internal_prefix):
            continue
        if not internal_prefix and ":" not in href.split("/")[0] and not href.startswith("//"):
            continue  # relative: a page of the site
        unsafe.append(href)
    return unsafe
