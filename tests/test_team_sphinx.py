"""``support-team`` in a Sphinx build: the table, former members, warnings, escaping."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, one_page_site, rootdir

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

#: the bundled example (Person B lives in Berlin), with a member who has left
POLICY = example_policy().replace(
    "    person-f:",
    '    person-g: {name: "<script>alert(1)</script> Gil", left: 2025-12-01}\n    person-f:',
)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("on", "berlin", "madrid"),
    [
        ("2026-01-14", "Tuesday 2026-01-20 01:00 (UTC+01:00)", "Tuesday 2026-01-20 01:00"),
        ("2026-07-08", "Tuesday 2026-07-21 02:00 (UTC+02:00)", "Tuesday 2026-07-21 02:00"),
    ],
)
def test_the_team_table_shows_local_handoff_times(
    make_app: MakeApp, tmp_path: Path, on: str, berlin: str, madrid: str
) -> None:
    page = f"# Team\n\n```{{support-team}}\n:on: {on}\n```\n"
    app, warnings = build(make_app, one_page_site(tmp_path / "src", page, POLICY), "text")
    assert warnings == ""
    text = squash((Path(app.outdir) / "index.txt").read_text(encoding="utf-8"))
    assert "Name | Time zone | Local hand-off time" in text.replace("  ", " ")
    assert berlin in text
    assert madrid in text
    assert "**Former members:** <script>alert(1)</script> Gil (left 2025-12-01)" in text


def test_former_members_and_escaping_in_html(make_app: MakeApp, tmp_path: Path) -> None:
    page = "# Team\n\n```{support-team}\n:on: 2026-06-01\n```\n"
    app, warnings = build(make_app, one_page_site(tmp_path / "src", page, POLICY), "html")
    assert warnings == ""
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert (
        "Former members:</strong> &lt;script&gt;alert(1)&lt;/script&gt; Gil (left 2025-12-01)"
        in html
    )


def test_bad_on_and_unknown_rotation_warn_with_codes(make_app: MakeApp, tmp_path: Path) -> None:
    page = (
        "# Team\n\n```{support-team}\n:on: soon\n```\n\n"
        "```{support-team} support-stewart\n:no-index:\n```\n"
    )
    _, warnings = build(make_app, one_page_site(tmp_path / "src", page, POLICY), "html")
    assert "SP523 `:on:` expects a date (YYYY-MM-DD) or `today`, got `soon`" in warnings
    assert "SP201 unknown rotation `support-stewart` (did you mean `support-steward`?)" in warnings
