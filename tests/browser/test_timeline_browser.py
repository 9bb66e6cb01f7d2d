"""The rotation timeline and "On duty now" in a real browser (``nox -s browser``).

At 1400 px and 400 px, light and dark, with the browser's clock fixed to a day inside the
published rotation: the picture is visible with a year on its axis and a legend, "On duty
now" names the crew the policy deals for that day, the feed link serves a calendar that
``support-policy validate --calendar`` accepts, and no console errors. Screenshots go to
``docs/_build/screenshots`` (``SUPPORT_POLICY_SCREENSHOTS``), the CI artifact folder.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator
from test_handbook_browser import ARTICLE, TIMEOUT_MS, Tab, _env_path, _png_summary

from support_policy.policy.loader import bundled_policy_path, load_policy
from support_policy.policy.rotations import schedules
from support_policy.validator.cli import main

HANDBOOK_PAGE = "handbook/support-team-process.html"
# The reference page renders one rotation without `:from:`: centred on the build date.
CURRENT_PAGE = "reference/directives.html"
LAYOUTS = [(1400, "light"), (1400, "dark"), (400, "light"), (400, "dark")]


@pytest.fixture(scope="session")
def fixed_day(html_dir: Path) -> date:
    """A day inside the published rotation: a week after the build date."""
    document = json.loads((html_dir / "_static/support-policy/rotation.json").read_text("utf-8"))
    return date.fromisoformat(document["built"]) + timedelta(days=7)


def expected_crew(day: date) -> str:
    """Who the policy deals for ``day``, as the page should name them (the one home)."""
    loaded = load_policy(bundled_policy_path())
    assert loaded.policy is not None
    members = loaded.policy.team.members
    crew = schedules(loaded.policy)["support-steward"].crew(day)
    names = []
    for duty in crew:
        name = members[duty.person].name
        if duty.cover is not None:
            name += f" (covering {members[duty.cover.covers].name})"
        names.append(name)
    return ", ".join(names)


@pytest.fixture(params=LAYOUTS, ids=[f"{width}px-{scheme}" for width, scheme in LAYOUTS])
def layout_tab(
    request: pytest.FixtureRequest, browser: Browser, base_url: str, fixed_day: date
) -> Iterator[tuple[Tab, int, str]]:
    width, scheme = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, timezone_id="UTC"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # The browser asks for /favicon.ico on its own; Sphinx ships none. Not the page's error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=b""))
    # Only Date is fixed (timers run): the theme's scripts behave as usual.
    page.clock.set_fixed_time(datetime.combine(fixed_day, time(12), tzinfo=UTC))
    try:
        yield Tab(page, base_url), width, scheme
    finally:
        context.close()


def _now_line(tab: Tab) -> Locator:
    line = tab.page.locator(f"{ARTICLE} p.support-rotation-now-filled").first
    line.wait_for(state="visible")
    return line


def test_timeline_and_on_duty_now(
    layout_tab: tuple[Tab, int, str],
    fixed_day: date,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tab, width, scheme = layout_tab
    tab.open(HANDBOOK_PAGE)
    line = _now_line(tab)
    text = " ".join(line.inner_text().split())
    assert text.startswith(f"On duty now: {expected_crew(fixed_day)} ({fixed_day.isoformat()})")

    picture = tab.page.locator(f"{ARTICLE} svg.sp-tl").first
    picture.scroll_into_view_if_needed()
    assert picture.is_visible()
    box = tab.page.locator(f"{ARTICLE} .support-rotation-figure").first.bounding_box()
    assert box is not None
    assert box["width"] <= width, f"the figure's box overflows the {width}px page: {box}"
    year = picture.locator("text.sp-tl-year").first
    assert year.is_visible()
    assert re.fullmatch(r"\d{4}", year.text_content() or ""), year.text_content()
    legend = picture.locator("g.sp-tl-legend text")
    assert legend.first.text_content() == "On duty"
    assert "Hand-off" in legend.all_text_contents()
    # Dark mode repaints the bars (theme-aware CSS variables), light mode keeps the default.
    fill = picture.locator("rect.sp-tl-regular[data-from]").first.evaluate(
        "bar => getComputedStyle(bar).fill"
    )
    assert fill == ("rgb(120, 166, 230)" if scheme == "dark" else "rgb(52, 101, 164)"), fill

    # The subscribe link serves the calendar, and the calendar check accepts it.
    href = line.locator("a.support-rotation-subscribe").get_attribute("href")
    assert href is not None
    assert href.endswith("/_static/support-policy/rotation.ics")
    with urllib.request.urlopen(href, timeout=10) as response:
        feed = tmp_path / "rotation.ics"
        feed.write_bytes(response.read())
    status = main(["validate", "--example", "--calendar", str(feed)])
    assert status == 0, capsys.readouterr()

    out_dir = _env_path("SUPPORT_POLICY_SCREENSHOTS", Path("docs", "_build", "screenshots"))
    out_dir.mkdir(parents=True, exist_ok=True)
    shot = out_dir / f"rotation-timeline-{width}px-{scheme}.png"
    tab.page.screenshot(path=str(shot), full_page=True)
    shot_width, _height, distinct = _png_summary(shot.read_bytes())
    assert shot_width == width
    assert distinct > 32, f"{shot} looks blank"
    tab.page.wait_for_timeout(300)
    assert not tab.errors, "\n".join(tab.errors)


def test_today_is_marked_in_a_current_window(
    layout_tab: tuple[Tab, int, str], fixed_day: date
) -> None:
    tab, width, scheme = layout_tab
    tab.open(CURRENT_PAGE)
    _now_line(tab)
    day = fixed_day.isoformat()
    current = tab.page.locator(f"{ARTICLE} svg.sp-tl[data-first]").filter(
        has=tab.page.locator("line.sp-tl-today[visibility=visible]")
    )
    assert current.count() == 1, "no timeline marks today's date"
    picture = current.first
    assert picture.get_attribute("data-first", timeout=TIMEOUT_MS) <= day  # type: ignore[operator]
    now_bars = picture.locator("rect.sp-tl-now")
    assert now_bars.count() >= 1
    for index in range(now_bars.count()):
        bar = now_bars.nth(index)
        assert (bar.get_attribute("data-from") or "") <= day <= (bar.get_attribute("data-to") or "")
    rows = tab.page.locator(f"{ARTICLE} table.support-rotation-tenures tr.support-now")
    assert rows.count() == len(expected_crew(fixed_day).split(", "))
    picture.scroll_into_view_if_needed()
    out_dir = _env_path("SUPPORT_POLICY_SCREENSHOTS", Path("docs", "_build", "screenshots"))
    out_dir.mkdir(parents=True, exist_ok=True)
    picture.locator("xpath=..").screenshot(
        path=str(out_dir / f"rotation-now-{width}px-{scheme}.png")
    )
    assert not tab.errors, "\n".join(tab.errors)


def test_without_javascript_the_page_says_where_the_feed_is(
    browser: Browser, base_url: str
) -> None:
    viewport = {"width": 1400, "height": 900}
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    try:
        tab = Tab(context.new_page(), base_url)
        tab.open(HANDBOOK_PAGE)
        line = tab.page.locator(f"{ARTICLE} p.support-rotation-now").first
        text = " ".join(line.inner_text().split())
        assert "_static/support-policy/rotation.ics" in text
        assert tab.page.locator(f"{ARTICLE} svg.sp-tl").first.is_visible()
        assert tab.page.locator(f"{ARTICLE} table.support-rotation-tenures").first.is_visible()
    finally:
        context.close()
