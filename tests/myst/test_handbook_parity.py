"""Every fact the Sphinx handbook shows is in the mystmd handbook, page by page.

A fact is the text of one block of a Sphinx page's article (a paragraph, list item,
table cell, term, definition, heading, code block), spaces folded; it must appear in the
text of the mystmd page built from the same source. Sphinx's own furniture (permalink
signs, "Table 1" numbers) is no fact of the policy and is left out.
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
VOID = {"br", "img", "hr", "input", "meta", "link", "col", "wbr", "source"}


class _Text(HTMLParser):
    """The text of a page, and of each block inside the element ``tag.class`` if given."""

    def __init__(self, tag: str | None = None, cls: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.cls = tag, cls
        self.depth = 0 if tag else 1  # > 0: inside the part that counts
        self.open: list[list[str]] = []
        self.blocks: list[str] = []
        self.all: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.tag == tag and (self.depth or self.cls is None or self.cls in classes):
            self.depth += 1
        if self.depth and tag in BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in BLOCKS:
            self.all.append(" ")  # blocks are apart, even when their text is joined
        if self.depth and tag in BLOCKS and self.open:
            text = FURNITURE.sub("", _fold("".join(self.open.pop())))
            if text:
                self.blocks.append(text)
        if self.tag == tag and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            return
        self.all.append(data)
        for block in self.open:
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
