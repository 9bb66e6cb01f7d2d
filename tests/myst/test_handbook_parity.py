"""Every fact the Sphinx handbook shows is in the mystmd handbook, page by page.

A fact is the text of one block of a Sphinx page's article (a paragraph, list item,
table cell, term, definition, heading, code block), spaces folded; it must appear in the
text of the mystmd page built from the same source. Sphinx's own furniture (permalink
signs, "Table 1" numbers) and features of its HTML alone (the live "On duty now" line)
are no facts of the policy and are left out.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mystmd_build import ROOT

PAGES = sorted(page.stem for page in (ROOT / "docs" / "handbook").glob("*.md"))
#: the first page of docs-myst/myst.yml's toc is the site's index page
FIRST_PAGE = "support-process"
BLOCKS = {"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "pre", "caption"}
#: Sphinx's furniture: permalink signs, numbers of tables and figures
FURNITURE = re.compile(r"\s*[#¶]$|^(Table|Fig\.) \d+:? ")
#: blocks of one engine's own features, no facts of the policy: Sphinx's HTML "On duty
#: now" line, filled by a script from the feed that build publishes
ENGINE_ONLY = {"support-rotation-now"}
VOID = {"br", "img", "hr", "input", "meta", "link", "col", "wbr", "source"}


class _Text(HTMLParser):
    """The text of a page, and of each block inside the element ``tag.class`` if given."""

    def __init__(self, tag: str | None = None, cls: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.cls = tag, cls
        self.depth = 0 if tag else 1  # > 0: inside the part that counts
        self.open: list[list[str] | None] = []  # None: a block of ENGINE_ONLY
        self.blocks: list[str] = []
        self.all: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.tag == tag and (self.depth or self.cls is None or self.cls in classes):
            self.depth += 1
        if self.depth and tag in BLOCKS:
            self.open.append(None if ENGINE_ONLY & set(classes) else [])

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in BLOCKS:
            self.all.append(" ")  # blocks are apart, even when their text is joined
        if self.depth and tag in BLOCKS and self.open:
            parts = self.open.pop()
            text = "" if parts is None else FURNITURE.sub("", _fold("".join(parts)))
            if text:
                self.blocks.append(text)
        if self.tag == tag and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        self.all.append(data)
        for block in self.open:
            if block is not None:
                block.append(data)


#: typography that differs between the engines and is no fact: Sphinx's smart quotes,
#: the zero-width spaces mystmd puts into a URL shown as link text so it can wrap
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u200b": None})


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(TYPOGRAPHY)).strip()


def sphinx_facts(page: str) -> list[str]:
    html = Path(os.environ["SUPPORT_POLICY_HTML"]) / "handbook" / f"{page}.html"
    parser = _Text("article", "bd-article")
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.blocks


def mystmd_text(page: str) -> str:
    site = Path(os.environ["SUPPORT_POLICY_MYST_SITE"]) / "_build" / "html"
    html = site / ("index.html" if page == FIRST_PAGE else f"{page}/index.html")
    parser = _Text("main")
    parser.feed(html.read_text(encoding="utf-8"))
    return _fold("".join(parser.all))


@pytest.mark.parametrize("page", PAGES)
def test_every_sphinx_fact_is_in_the_mystmd_page(page: str) -> None:
    facts = sphinx_facts(page)
    assert len(facts) > 10, facts  # the page was found and read
    text = mystmd_text(page)
    missing = [fact for fact in facts if fact not in text]
    assert missing == []
