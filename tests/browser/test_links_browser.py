"""Links in policy text, in a real Chromium: only safe schemes, nothing runs, no errors.

Two sites: the built handbook (``base_url`` of ``conftest.py``, as for the other browser
checks) and a hostile one built here with ``sphinx-build`` from the ``test-markup`` root plus a
page of hostile policy text (``tests/markup_hostile.py``). Each page is opened at 1400 px
and 400 px wide, in light and dark colour schemes. Screenshots go to
``docs/_build/screenshots/`` (``SUPPORT_POLICY_SCREENSHOTS``), which CI keeps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from markup_hostile import hostile_site
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Error, Page
from site_server import serve

ROOT = Path(__file__).resolve().parents[2]
SAFE_PROTOCOLS = ("http:", "https:", "mailto:")
WIDTHS = (1400, 400)
SCHEMES = ("light", "dark")
TIMEOUT_MS = 15_000
BUILD_TIMEOUT_S = 300
HANDBOOK_PAGES = ["handbook/support-process.html", "handbook/support-team-process.html"]

# Every link inside the extension's output, as written and as the browser resolved it.
POLICY_LINKS = """() => Array.from(document.querySelectorAll('.support-policy a[href]'))
    .map(a => ({href: a.getAttribute('href'), protocol: a.protocol, text: a.textContent}))"""
# What input must never become inside the extension's output.
FOREIGN_ELEMENTS = """() => document.querySelectorAll(
    '.support-policy script, .support-policy img, .support-policy iframe, '
    + '.support-policy object, .support-policy embed, .support-policy [onerror], '
    + '.support-policy [onmouseover], .support-policy [onload], .support-policy [style]'
).length"""


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else ROOT / path


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hostile site, built by a real ``sphinx-build`` child process."""
    base = tmp_path_factory.mktemp("links")
    srcdir, outdir = hostile_site(base / "src"), base / "html"
    completed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    with serve(outdir, "links-http") as url:
        yield url


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = _env_path("SUPPORT_POLICY_SCREENSHOTS", Path("docs", "_build", "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visit:
    """One page at one width and colour scheme; what went wrong on it."""

    def __init__(self, browser: Browser, width: int, scheme: str) -> None:
        self.context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme="dark" if scheme == "dark" else "light",
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        # The browser asks for a site icon of its own accord; the sites have none.
        self.context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        self.page: Page = self.context.new_page()
        self.problems: list[str] = []
        self.name = f"{width}-{scheme}"
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_error)
        self.page.on("dialog", self._on_dialog)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text} ({where})")

    def _on_error(self, error: Error) -> None:
        self.problems.append(f"uncaught {error.name}: {error.message}")

    def _on_dialog(self, dialog: Dialog) -> None:  # an alert() means input ran as script
        self.problems.append(f"a {dialog.type} dialog opened: {dialog.message}")
        dialog.dismiss()

    def open(self, url: str) -> None:
        response = self.page.goto(url, wait_until="load")
        assert response is not None, url
        assert response.status == 200, f"{url}: HTTP {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)  # late script errors

    def links(self) -> list[dict[str, str]]:
        found: list[dict[str, str]] = self.page.evaluate(POLICY_LINKS)
        return found


@pytest.fixture(params=[(w, s) for w in WIDTHS for s in SCHEMES], ids=lambda p: f"{p[0]}-{p[1]}")
def visit(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Visit]:
    width, scheme = request.param
    shown = Visit(browser, width, scheme)
    try:
        yield shown
    finally:
        shown.context.close()


def _check_links(visit: Visit) -> list[dict[str, str]]:
    links = visit.links()
    unsafe = [link for link in links if link["protocol"] not in SAFE_PROTOCOLS]
    assert not unsafe, f"policy links with an unsafe scheme: {unsafe}"
    scripted = [
        link
        for link in links
        if "".join(link["href"].split()).lower().startswith(("javascript:", "vbscript:", "data:"))
    ]
    assert not scripted, f"policy links to script: {scripted}"
    assert visit.page.evaluate(FOREIGN_ELEMENTS) == 0, "input became elements or handlers"
    return links


def _screenshot(visit: Visit, folder: Path, name: str, *, full_page: bool) -> None:
    path = folder / f"{name}-{visit.name}.png"
    visit.page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000, f"{path} looks empty"


@pytest.mark.parametrize("page", HANDBOOK_PAGES)
def test_handbook_policy_links(visit: Visit, base_url: str, screenshots: Path, page: str) -> None:
    visit.open(urljoin(base_url, page))
    assert visit.page.locator(".support-policy").count() > 0, f"{page}: no policy output"
    _check_links(visit)
    _screenshot(visit, screenshots, f"links-{Path(page).stem}", full_page=True)
    assert not visit.problems, "\n".join(visit.problems)


def test_hostile_policy_text_makes_no_unsafe_link(
    visit: Visit, hostile_url: str, screenshots: Path
) -> None:
    visit.open(urljoin(hostile_url, "hostile.html"))
    links = _check_links(visit)
    assert {link["href"] for link in links} >= {
        "https://ok.example.org/script",
        "https://ok.example.org/nested",
    }, links
    # Every javascript: of the input is there to read, as text.
    text = visit.page.locator(".support-policy").all_inner_texts()
    assert sum(part.count("javascript:alert(1)") for part in text) >= 5
    _screenshot(visit, screenshots, "links-hostile", full_page=False)
    assert not visit.problems, "\n".join(visit.problems)


def test_page_links_lead_to_their_pages(visit: Visit, hostile_url: str, screenshots: Path) -> None:
    visit.open(urljoin(hostile_url, "index.html"))
    links = _check_links(visit)
    assert any(link["text"] == "incident response process" for link in links), links
    _screenshot(visit, screenshots, "links-markup", full_page=True)
    visit.page.locator(".support-policy a.support-page-link").first.click()
    visit.page.wait_for_url("**/process.html")
    assert visit.page.locator("h1").first.inner_text().startswith("Incident response")
    assert not visit.problems, "\n".join(visit.problems)
