"""The bundled handbook pages show each block once and link to it elsewhere."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "docs" / "handbook"
DIRECTIVE = re.compile(r"^```\{(support-[a-z-]+)\}[ \t]*(\S*)", re.MULTILINE)
COUNT_AS_DIGITS = re.compile(r"\{support:value\}`(rotation\.on_duty|budget\.communities_\w+)`")


def directives() -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for page in sorted(PAGES.glob("*.md")):
        found.update(DIRECTIVE.findall(page.read_text(encoding="utf-8")))
    return found


def test_each_block_is_rendered_once_across_the_handbook() -> None:
    found = directives()
    assert found, "no support-* directive found in the handbook pages"
    repeated = {block: n for block, n in found.items() if n > 1}
    assert not repeated
    # A whole `support-roles` and a single role would show the Support Steward twice.
    assert not (("support-roles", "") in found and ("support-roles", "support-steward") in found)


def test_the_team_page_shows_the_team() -> None:
    assert ("support-team", "") in directives()


def test_counts_in_prose_read_as_words() -> None:
    for page in sorted(PAGES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        assert not COUNT_AS_DIGITS.search(text), f"{page.name}: a count in digits in prose"
