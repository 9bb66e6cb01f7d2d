"""Targets and references in a mystmd build behave as in Sphinx: no duplicate warning for
what a site shows in many places, plain text for a reference to what it does not show."""

from __future__ import annotations

from pathlib import Path

from mystmd_build import myst_build

from support_policy.policy.loader import bundled_policy_path

ROTATIONS = "```{support-rotation}\n:from: 2026-01-12\n:weeks: 4\n```\n"


def _example() -> str:
    return bundled_policy_path().read_text(encoding="utf-8")


def test_members_and_rotations_shown_twice_keep_the_first_target_quietly(
    tmp_path: Path,
) -> None:
    team = "```{support-team}\n```\n"
    pages = {
        "one.md": f"# One\n\n{team}\n{team}\n{ROTATIONS}",
        "two.md": f"# Two\n\n{team}\n{ROTATIONS}\nSee {{support:rotation}}`support-steward`.\n",
    }
    build = myst_build(tmp_path, pages, _example())
    assert build.status == 0, build.log
    assert not [p for p in build.problems if "Duplicate identifier" in p], build.log
    assert build.problems == [], build.log
    # The first page of the toc is the site's index.
    one, two = (build.content(slug).replace(" ", "") for slug in ("index", "two"))
    member = '"identifier":"support-member-'
    assert member in one
    assert member not in two
    # The link on page two goes to the rotation's first place, page one.
    assert '"resolved":true,"remote":true,"url":"/"' in two, two


def test_a_reference_to_an_object_the_site_does_not_show_is_plain_text(
    tmp_path: Path,
) -> None:
    page = (
        "# One\n\nAsk the {support:role}`Our lead <support-steward>` or "
        "{support:process}`triage`.\n\nOwn link: [](#support-role-nowhere).\n"
    )
    build = myst_build(tmp_path, {"one.md": page}, _example())
    assert build.status == 0, build.log
    # The user's own broken link is still mystmd's warning; ours are quiet.
    assert build.problems, build.log
    assert all("support-role-nowhere" in p for p in build.problems), build.log
    html = build.html()
    assert "Our lead" in html
    assert "support-role-support-steward" not in html
    assert "Triage" in html or "triage" in html


def test_a_doc_link_to_a_missing_page_is_sp513_and_stays_text(tmp_path: Path) -> None:
    anchor = "team's [roles calendar](rotation:support-steward)"
    policy = _example().replace(
        anchor, f"{anchor}, [the other page](doc:two) and [a lost page](doc:nothere)", 1
    )
    assert "doc:nothere" in policy
    pages = {"one.md": "# One\n\n```{support-roles}\n```\n", "two.md": "# Two\n\nText.\n"}
    build = myst_build(tmp_path, pages, policy)
    assert build.status == 0, build.log
    assert build.problems == ["one.md:3 SP513 no handbook page `nothere` for this link"]
    html = build.html()
    assert "a lost page" in html
    assert 'href="nothere"' not in html
    assert 'href="/two"' in html
