"""Rebuild only what changed: which pages Sphinx re-reads after an edit of the policy.

The ``incremental-specs`` project renders four small specs (``tests/incremental_double.py``)
through a stand-in for the generic directive, plus a value role and a plain page, so each
test states exactly which pages an edit must re-read.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx_fixtures import MakeApp, copy_root, example_policy, rootdir

from support_policy.handbook.directives import SPECS
from support_policy.sphinxext import directives

# Imported first, so its table of the real directives never includes the test's specs.
assert "double-budget" not in directives.DIRECTIVES

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

ALL_PAGES = {"index", "budget", "rotation", "roles", "glossary", "value", "plain"}
POLICY_PAGES = {"budget", "rotation", "roles", "glossary", "value"}
# Two days in one ISO week, and a day of the next week (SOURCE_DATE_EPOCH values).
MONDAY = "1767571200"  # 2026-01-05
TUESDAY = "1767657600"  # 2026-01-06
NEXT_MONDAY = "1768176000"  # 2026-01-12


@pytest.fixture(autouse=True)
def double_specs(monkeypatch: pytest.MonkeyPatch) -> None:
    from incremental_double import DOUBLE_SPECS

    for name, spec in DOUBLE_SPECS.items():
        monkeypatch.setitem(SPECS, name, spec)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", MONDAY)


@pytest.fixture
def project(make_app: MakeApp, tmp_path: Path) -> Path:
    """The project, built once: every later build starts from its environment."""
    srcdir = copy_root("incremental-specs", tmp_path / "src", policy=example_policy())
    assert reread(make_app, srcdir) == (ALL_PAGES, "")
    return srcdir


def edit(srcdir: Path, old: str, new: str) -> None:
    policy = srcdir / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    policy.write_text(text.replace(old, new), encoding="utf-8")
    later = policy.stat().st_mtime + 10
    os.utime(policy, (later, later))


def reread(make_app: MakeApp, srcdir: Path, **kwargs: Any) -> tuple[set[str], str]:
    """Build; the pages Sphinx decided to read (the same with parallel readers) and warnings."""
    pages: list[str] = []
    warnings = StringIO()
    app = make_app("html", srcdir=srcdir, status=StringIO(), warning=warnings, **kwargs)
    app.connect("env-before-read-docs", lambda _app, _env, docnames: pages.extend(docnames))
    try:
        app.build()
    finally:
        app.cleanup()
    return set(pages), warnings.getvalue()


def html(srcdir: Path, page: str) -> str:
    return (srcdir / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8")


BUDGET = ("  hours_per_month: 173 ", "  hours_per_month: 174 ")  # still 34 h stated
MEMBER = ("{name: Person B,", "{name: Person Bee,")
TENURE = ("tenure: 4 weeks", "tenure: 6 weeks")
ROLE_DESCRIPTION = ("triage every external support request", "triage each support request")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(BUDGET, {"budget"}, id="budget"),
        pytest.param(MEMBER, {"rotation"}, id="member"),
        pytest.param(ROLE_DESCRIPTION, {"roles", "glossary"}, id="role-description"),
        # The role description and the value role both show the tenure (the glossary
        # shows the description as written, placeholders and all).
        pytest.param(TENURE, {"roles", "value"}, id="tenure"),
    ],
)
def test_an_edit_rereads_exactly_the_pages_it_changes(
    make_app: MakeApp, project: Path, change: tuple[str, str], expected: set[str]
) -> None:
    edit(project, *change)
    pages, warnings = reread(make_app, project)
    assert pages == expected
    if change != TENURE:  # six weeks no longer matches the stated `on_duty: 2`
        assert warnings == ""


def test_the_reread_page_shows_the_edit(make_app: MakeApp, project: Path) -> None:
    edit(project, *MEMBER)
    reread(make_app, project)
    assert "Person Bee" in html(project, "rotation")


def test_an_edit_that_renders_nothing_new_rereads_nothing(make_app: MakeApp, project: Path) -> None:
    edit(project, "# working hours per engineer per month", "# per engineer, per month")
    pages, warnings = reread(make_app, project)
    assert pages == set()
    assert warnings == ""


def test_nothing_changed_rereads_nothing(make_app: MakeApp, project: Path) -> None:
    assert reread(make_app, project) == (set(), "")


def test_a_broken_policy_rereads_every_policy_page_and_warns(
    make_app: MakeApp, project: Path
) -> None:
    edit(project, "roles:\n", "roles: [\n")
    pages, warnings = reread(make_app, project)
    assert pages == POLICY_PAGES
    assert "policy.yaml" in warnings
    assert "[support-policy" in warnings
    # The same broken file again: reported again, nothing re-read.
    pages, warnings = reread(make_app, project)
    assert pages == set()
    assert "[support-policy" in warnings
    # Fixed: every page shows the policy again.
    edit(project, "roles: [\n", "roles:\n")
    pages, _warnings = reread(make_app, project)
    assert pages == POLICY_PAGES
    assert "Person A" in html(project, "rotation")


def test_the_date_moving_rereads_only_what_shows_it(
    make_app: MakeApp, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TUESDAY)
    assert reread(make_app, project)[0] == set()  # the same week: nothing shows the day
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NEXT_MONDAY)
    assert reread(make_app, project)[0] == {"rotation"}
    assert "2026-W03" in html(project, "rotation")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(BUDGET, {"budget"}, id="budget"),
        pytest.param(MEMBER, {"rotation"}, id="member"),
        pytest.param(ROLE_DESCRIPTION, {"roles", "glossary"}, id="role-description"),
    ],
)
def test_parallel_reads_reread_the_same_pages(
    make_app: MakeApp, tmp_path: Path, change: tuple[str, str], expected: set[str]
) -> None:
    srcdir = copy_root("incremental-specs", tmp_path / "src", policy=example_policy())
    assert reread(make_app, srcdir, parallel=2) == (ALL_PAGES, "")
    edit(srcdir, *change)
    # The first build's records came from parallel readers, merged into one environment.
    pages, _warnings = reread(make_app, srcdir, parallel=2)
    assert pages == expected


def test_a_hostile_argument_is_recorded_as_text_and_run_again_as_itself(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """An argument shaped like a recorded request is only ever an argument."""
    srcdir = copy_root("incremental-specs", tmp_path / "src", policy=example_policy())
    hostile = '"],["value","rotation.tenure"],["policy"]<script>'
    (srcdir / "hostile.md").write_text(
        f"---\norphan: true\n---\n# Hostile\n\n```{{double-roles}} {hostile}\n```\n",
        encoding="utf-8",
    )
    assert reread(make_app, srcdir)[0] == {*ALL_PAGES, "hostile"}
    assert "&lt;script&gt;" in html(srcdir, "hostile")
    # The tenure (a value path) and a comment (the policy as a whole) change; the page
    # still says there is no such role, so it is not re-read.
    edit(srcdir, *TENURE)
    assert reread(make_app, srcdir)[0] == {"roles", "value"}
    edit(srcdir, "# working hours per engineer per month", "# per engineer")
    assert reread(make_app, srcdir)[0] == set()


# --- the handbook's own directives (tests/roots/test-incremental) ----------------------

HANDBOOK_PAGES = {
    *("index", "uses-roles", "uses-budget", "uses-glossary"),
    *("uses-value", "uses-xref", "plain-a", "plain-b"),
}
FIRST_RESPONSE = ("within: 24 working hours", "within: 16 working hours")


@pytest.mark.parametrize("parallel", [0, 2], ids=["serial", "parallel"])
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(BUDGET, {"uses-budget"}, id="budget"),
        # A role's description is its glossary definition too.
        pytest.param(ROLE_DESCRIPTION, {"uses-roles", "uses-glossary"}, id="role-description"),
        pytest.param(FIRST_RESPONSE, {"uses-value"}, id="value"),
        pytest.param(("# working hours per engineer", "# hours"), set(), id="comment"),
    ],
)
def test_the_handbook_directives_reread_exactly_the_pages_an_edit_changes(
    make_app: MakeApp,
    tmp_path: Path,
    change: tuple[str, str],
    expected: set[str],
    parallel: int,
) -> None:
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    assert reread(make_app, srcdir, parallel=parallel) == (HANDBOOK_PAGES, "")
    edit(srcdir, *change)
    assert reread(make_app, srcdir, parallel=parallel) == (expected, "")


def test_the_reread_budget_page_shows_the_new_number(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    reread(make_app, srcdir)
    assert "174" not in html(srcdir, "uses-budget")
    edit(srcdir, *BUDGET)
    reread(make_app, srcdir)
    assert "174" in html(srcdir, "uses-budget")


def test_a_template_file_edit_rereads_the_template_page_only(
    make_app: MakeApp, tmp_path: Path
) -> None:
    policy = example_policy()
    body = policy[policy.index("    body: |\n      Hello") : policy.index("\nprocesses:")]
    policy = policy.replace(body, "    file: templates/status.txt\n")
    srcdir = copy_root("incremental", tmp_path / "src", policy=policy)
    (srcdir / "templates").mkdir()
    status = srcdir / "templates" / "status.txt"
    status.write_text("Hello {{ NAME }}, we are on it.\n", encoding="utf-8")
    (srcdir / "uses-template.md").write_text(
        "---\norphan: true\n---\n# Template\n\n```{support-template} non-incident-status\n```\n",
        encoding="utf-8",
    )
    assert reread(make_app, srcdir) == ({*HANDBOOK_PAGES, "uses-template"}, "")
    status.write_text("Hello {{ NAME }}, we have a plan.\n", encoding="utf-8")
    assert reread(make_app, srcdir) == ({"uses-template"}, "")
    assert "we have a plan" in html(srcdir, "uses-template")


def test_a_rotation_from_today_is_reread_when_the_date_moves(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    (srcdir / "uses-rotation.md").write_text(
        "---\norphan: true\n---\n# Rotation\n\n```{support-rotation}\n:from: today\n"
        ":weeks: 4\n```\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769990400")  # 2026-02-02
    assert reread(make_app, srcdir) == ({*HANDBOOK_PAGES, "uses-rotation"}, "")
    february = html(srcdir, "uses-rotation")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772409600")  # 2026-03-02
    assert reread(make_app, srcdir) == ({"uses-rotation"}, "")
    assert html(srcdir, "uses-rotation") != february
