"""Browser checks of the built handbook: collected only inside ``nox -s browser``.

They need the built HTML, the ``playwright`` package and a system Chromium, none of which
the ordinary ``tests`` session has, so without ``SUPPORT_POLICY_BROWSER`` (set by the
``browser`` session) nothing in this folder is collected, and playwright is imported only
by the fixtures below.

One playwright and one browser serve every module of the session: playwright's sync API
cannot run twice at once in one process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

collect_ignore_glob = [] if os.environ.get("SUPPORT_POLICY_BROWSER") else ["*"]

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


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The system's Chromium, headless (never a browser that playwright downloads)."""
    executable = Path(os.environ.get("SUPPORT_POLICY_CHROMIUM", "/usr/bin/chromium"))
    if not executable.is_file():
        pytest.fail(
            f"no Chromium at {executable}: `apt-get install chromium` "
            "(or set SUPPORT_POLICY_CHROMIUM)",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
