"""The built handbook, opened in a real headless Chromium (``nox -s browser``).

The session's fixtures (the served site, playwright, the browser) are in ``conftest.py``,
shared with the other browser checks.

The HTML is not built here: ``SUPPORT_POLICY_HTML`` names the built site (default
``docs/_build/html``, which ``nox -s browser`` builds first). It is served over http from
127.0.0.1 on a free port (Sphinx's search page does not work from file://), and opened
with playwright driving the system's Chromium (``SUPPORT_POLICY_CHROMIUM``, default
``/usr/bin/chromium``): playwright's own browser download is never used.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page

ROOT = Path(__file__).resolve().parents[2]
HANDBOOK_PAGES = [
    "handbook/support-process.html",
    "handbook/support-team-process.html",
    "handbook/glossary.html",
]
# The pages whose glossary terms and support:* cross-references are followed.
LINKING_PAGES = HANDBOOK_PAGES[:2]
ARTICLE = "article.bd-article"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else ROOT / path


class Tab:
    """A page, and the console errors and uncaught exceptions seen on it."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.errors.append(f"{self.page.url}: console error: {message.text} ({where})")

    def _on_pageerror(self, error: Error) -> None:
        self.errors.append(f"{self.page.url}: uncaught {error.name}: {error.message}")

    def open(self, url: str) -> None:
        """Go to ``url`` (relative to the site), require HTTP 200, let scripts settle."""
        url = urljoin(self.base_url, url)
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == 200, f"{url}: HTTP {response.status}"
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[Tab]:
    context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield Tab(context.new_page(), base_url)
    finally:
        context.close()


def _article_links(tab: Tab, page: str) -> list[str]:
    tab.open(page)
    hrefs: list[str] = tab.page.eval_on_selector_all(
        f"{ARTICLE} a.reference.internal[href]", "links => links.map(link => link.href)"
    )
    return hrefs


@pytest.mark.parametrize("page", LINKING_PAGES)
def test_glossary_and_cross_reference_links_resolve(tab: Tab, page: str) -> None:
    hrefs = _article_links(tab, page)
    origin = urlsplit(tab.base_url).netloc
    foreign = [href for href in hrefs if urlsplit(href).netloc != origin]
    assert not foreign, f"{page}: internal references that leave the site: {foreign}"

    anchors = {unquote(urldefrag(href).fragment) for href in hrefs}
    assert any(anchor.startswith("term-") for anchor in anchors), (
        f"{page}: no glossary {{term}} links in the article"
    )
    assert any(anchor.startswith("support-") for anchor in anchors), (
        f"{page}: no support:* cross-reference links in the article"
    )

    targets: dict[str, set[str]] = {}
    for href in hrefs:
        url, fragment = urldefrag(href)
        targets.setdefault(url, set())
        if fragment:
            targets[url].add(unquote(fragment))

    broken: list[str] = []
    for url, ids in sorted(targets.items()):
        response = tab.page.goto(url, wait_until="domcontentloaded")
        if response is None or response.status != 200:
            broken.append(f"{url}: HTTP {response.status if response else 'no response'}")
            continue
        for anchor in sorted(ids):
            if not tab.page.evaluate("id => document.getElementById(id) !== null", anchor):
                broken.append(f"{url}#{anchor}: no element with that id")
    assert not broken, f"{page}: broken links:\n" + "\n".join(broken)


def test_glossary_link_lands_on_its_term(tab: Tab) -> None:
    tab.open("handbook/support-process.html")
    link = tab.page.locator(f'{ARTICLE} a.reference.internal[href*="glossary.html#term-"]').first
    href = link.get_attribute("href")
    assert href is not None
    anchor = unquote(urldefrag(href).fragment)
    link.click()
    tab.page.wait_for_url(f"**/handbook/glossary.html#{anchor}")
    term = tab.page.locator(f'[id="{anchor}"]')
    assert term.is_visible(), f"glossary term {anchor} is not visible after following a link"
    assert term.evaluate("el => el.getBoundingClientRect().top") < VIEWPORT["height"], (
        f"glossary term {anchor} is not scrolled into view"
    )


def test_search_finds_support_steward(tab: Tab) -> None:
    tab.open("search.html?q=Support+Steward")
    results = tab.page.locator("#search-results ul.search li")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    links: list[str] = results.locator("a").evaluate_all("links => links.map(l => l.href)")
    assert any("/handbook/" in link for link in links), (
        f"no handbook page among the results for 'Support Steward': {links}"
    )
    assert not tab.errors, "\n".join(tab.errors)


@pytest.mark.parametrize("page", HANDBOOK_PAGES)
def test_no_console_errors(tab: Tab, page: str) -> None:
    tab.open(page)
    # Let deferred scripts (theme, search index) and any late errors come through.
    tab.page.wait_for_timeout(500)
    assert not tab.errors, "\n".join(tab.errors)


def _png_summary(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decoded pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    offset, idat, size = 8, bytearray(), None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunk = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            size = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    assert size is not None, "PNG without an IHDR chunk"
    return size[0], size[1], len(set(zlib.decompress(bytes(idat))))


def test_support_process_screenshot(tab: Tab) -> None:
    out_dir = _env_path("SUPPORT_POLICY_SCREENSHOTS", Path("docs", "_build", "screenshots"))
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "support-process.png"
    path.unlink(missing_ok=True)
    tab.open("handbook/support-process.html")
    tab.page.locator(f"{ARTICLE} h1").first.wait_for(state="visible")
    tab.page.screenshot(path=str(path), full_page=True)

    data = path.read_bytes()
    width, height, distinct = _png_summary(data)
    assert width == VIEWPORT["width"], (width, height)
    assert height > VIEWPORT["height"], f"a full-page screenshot only {height}px tall"
    assert len(data) > 20_000, f"{path} is only {len(data)} bytes"
    assert distinct > 32, f"{path} looks blank ({distinct} distinct byte values)"
