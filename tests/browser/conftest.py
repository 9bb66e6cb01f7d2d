"""Browser checks of the built handbook: collected only inside ``nox -s browser``.

They need the built HTML, the ``playwright`` package and a system Chromium, none of which
the ordinary ``tests`` session has, so without ``SUPPORT_POLICY_BROWSER`` (set by the
``browser`` session) nothing in this folder is collected, let alone imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from site_server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

collect_ignore_glob = [] if os.environ.get("SUPPORT_POLICY_BROWSER") else ["*"]

# One of each per session, for every module here: playwright cannot run twice at once.
# Their imports wait until a browser check runs (ordinary sessions have no playwright).


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built handbook; nothing is built here."""
    from test_handbook_browser import HANDBOOK_PAGES, _env_path

    path = _env_path("SUPPORT_POLICY_HTML", Path("docs", "_build", "html"))
    missing = [
        page
        for page in ["index.html", "search.html", *HANDBOOK_PAGES]
        if not (path / page).is_file()
    ]
    if missing:
        pytest.fail(
            f"no built handbook at {path} (missing {', '.join(missing)}): build it with "
            "`nox -s docs` (or run `nox -s browser`, which builds it), or point "
            "SUPPORT_POLICY_HTML at the built HTML",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def base_url(html_dir: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/``, serving ``html_dir`` from a background thread."""
    with serve(html_dir, "handbook-http") as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The system's Chromium, headless (never a browser that playwright downloads)."""
    from test_handbook_browser import CHROMIUM_ARGS

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
