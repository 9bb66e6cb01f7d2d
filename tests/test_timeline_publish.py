"""``support-rotation`` in a Sphinx build: the picture in HTML, the table everywhere, and
the rotation published with the site (``_static/support-policy/rotation.ics`` and
``rotation.json``) for "On duty now"."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, copy_root, rootdir

from support_policy.policy.loader import bundled_policy_path, load_policy
from support_policy.validator.cli import main
from support_policy.validator.ics_export import rotation_ics

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

EPOCH = "1772582400"  # 2026-03-04
FEED = Path("_static", "support-policy")


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _html(make_app: MakeApp, tmp_path: Path, **config: object) -> Path:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    app, warnings = build(
        make_app, srcdir, "html", builddir=tmp_path / "build", confoverrides=config
    )
    assert warnings == ""
    return Path(app.outdir)


@pytest.mark.usefixtures("epoch")
def test_html_has_the_picture_the_table_and_the_feed_line(
    make_app: MakeApp, tmp_path: Path
) -> None:
    out = _html(make_app, tmp_path)
    page = (out / "rotation.html").read_text(encoding="utf-8")
    assert re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="sp-tl" role="img"', page)
    assert 'class="sp-tl-year" x="' in page
    assert '<th class="head"><p>To</p></th>' in page
    # Without the script the page still says where the feed is.
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert (
        "On duty now: see the table below, or subscribe to the team’s calendar feed, "
        "_static/support-policy/rotation.ics , published with this handbook."
    ) in text
    assert "support-policy-now.js" in page
    assert "support-policy-timeline.css" in page
    assert (out / "_static" / "support-policy-now.js").is_file()
    assert (out / FEED / "rotation.ics").is_file()


@pytest.mark.usefixtures("epoch")
@pytest.mark.parametrize(("builder", "name"), [("text", "rotation.txt"), ("latex", "snippets.tex")])
def test_other_builders_get_the_table_and_no_picture(
    make_app: MakeApp, tmp_path: Path, builder: str, name: str
) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    app, warnings = build(make_app, srcdir, builder)
    assert warnings == ""
    out = Path(app.outdir)
    output = (out / name).read_text(encoding="utf-8").replace("\\sphinxhyphen{}", "-")
    assert "2026-03-03" in output
    assert "swapped in for Person E (away: Leave)" in output
    assert "Schedule: 2026-02-03 to 2026-03-30 (8 weeks). Every date is" in " ".join(output.split())
    assert "<svg" not in output
    assert "On duty now" not in output
    assert not (out / FEED).exists()


@pytest.mark.usefixtures("epoch")
def test_feed_is_the_calendar_command_export_and_validates(
    make_app: MakeApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _html(make_app, tmp_path, support_policy_feed_emails=True)
    feed = (out / FEED / "rotation.ics").read_bytes()
    # Four weeks before the build date, for 56 weeks: what `calendar --from … --weeks 56` gives.
    loaded = load_policy(bundled_policy_path())
    assert feed == rotation_ics(loaded, date(2026, 3, 4) - timedelta(weeks=4), 56)
    assert b"ATTENDEE" in feed
    status = main(["validate", "--example", "--calendar", str(out / FEED / "rotation.ics")])
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err


@pytest.mark.usefixtures("epoch")
def test_the_published_feed_names_no_email_address_unless_the_site_asks(
    make_app: MakeApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _html(make_app, tmp_path)
    feed = (out / FEED / "rotation.ics").read_bytes()
    assert b"@example.org" not in feed
    assert b"ATTENDEE" not in feed
    assert b"SUMMARY:Support Steward: Person F" in feed
    status = main(["validate", "--example", "--calendar", str(out / FEED / "rotation.ics")])
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err


@pytest.mark.usefixtures("epoch")
@pytest.mark.parametrize("planted", ["file", "folder"])
def test_a_planted_symlink_in_the_output_is_not_followed(
    make_app: MakeApp, tmp_path: Path, planted: str
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "rotation.ics").write_text("the runner's own file", encoding="utf-8")
    feed = tmp_path / "build" / "html" / FEED
    feed.parent.mkdir(parents=True)
    if planted == "file":
        feed.mkdir()
        (feed / "rotation.ics").symlink_to(victim / "rotation.ics")
    else:
        feed.symlink_to(victim, target_is_directory=True)
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    _app, warnings = build(make_app, srcdir, "html", builddir=tmp_path / "build")
    assert (victim / "rotation.ics").read_text(encoding="utf-8") == "the runner's own file"
    assert not (victim / "rotation.json").exists()
    assert "SP518" in warnings
    assert "is a symbolic link; not followed" in warnings


def test_a_site_that_shows_no_rotation_publishes_no_feed(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    for page in srcdir.glob("rotation*.rst"):
        page.unlink()
    index = srcdir / "index.rst"
    kept = [
        line for line in index.read_text(encoding="utf-8").splitlines() if "rotation" not in line
    ]
    index.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert "support-rotation" not in "".join(
        page.read_text(encoding="utf-8") for page in srcdir.glob("*.rst")
    )
    app, _warnings = build(make_app, srcdir, "html", builddir=tmp_path / "build")
    assert not (Path(app.outdir) / FEED).exists()


@pytest.mark.usefixtures("epoch")
def test_json_says_who_is_on_duty_each_day(make_app: MakeApp, tmp_path: Path) -> None:
    out = _html(make_app, tmp_path)
    document = json.loads((out / FEED / "rotation.json").read_text(encoding="utf-8"))
    assert document["built"] == "2026-03-04"
    assert document["dates"] == "inclusive"
    [rotation] = document["rotations"]
    assert rotation["id"] == "support-steward"
    assert "index" not in rotation  # pages name a rotation by its id, not its place
    assert (rotation["from"], rotation["to"]) == ("2026-02-04", "2027-03-02")
    assert {"who": "Person F", "from": "2026-03-03", "to": "2026-03-30"} in rotation["tenures"]

    def crew(day: str) -> list[str]:
        [found] = [run for run in rotation["crews"] if run["from"] <= day <= run["to"]]
        return list(found["on_duty"])

    assert crew("2026-02-11") == ["Person B", "Person A (covering Person C)"]
    assert crew("2026-03-04") == ["Person D", "Person F"]
    assert crew("2026-03-17") == ["Person F", "Person E"]


def test_two_builds_with_one_epoch_write_the_same_bytes(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    outputs = [_html(make_app, tmp_path / name) for name in ("one", "two")]
    for name in ("rotation.ics", "rotation.json"):
        assert (outputs[0] / FEED / name).read_bytes() == (outputs[1] / FEED / name).read_bytes()
    pictures = [
        re.search(r"<svg .*?</svg>", (out / "rotation.html").read_text(encoding="utf-8"), re.S)
        for out in outputs
    ]
    assert pictures[0] is not None
    assert pictures[1] is not None
    assert pictures[0].group(0) == pictures[1].group(0)


def test_hostile_names_stay_text_in_page_and_json(make_app: MakeApp, tmp_path: Path) -> None:
    hostile = "Person C</text><script>alert(1)</script>"
    policy = (
        bundled_policy_path()
        .read_text(encoding="utf-8")
        .replace("name: Person C", f"name: '{hostile}'", 1)
    )
    srcdir = copy_root("snippets-rst", tmp_path / "src", policy=policy)
    (srcdir / "conf.py").write_text(
        (srcdir / "conf.py").read_text(encoding="utf-8")
        + 'support_policy_example = False\nsupport_policy_file = "policy.yaml"\n',
        encoding="utf-8",
    )
    app, _warnings = build(make_app, srcdir, "html")
    out = Path(app.outdir)
    page = (out / "rotation.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;/text&gt;&lt;script&gt;alert(1)" in page
    feed = json.loads((out / FEED / "rotation.json").read_text(encoding="utf-8"))
    names = {tenure["who"] for tenure in feed["rotations"][0]["tenures"]}
    assert hostile in names  # JSON carries the text; the script writes it with textContent


def test_a_fixed_window_needs_no_clock(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An epoch past the supported dates warns for the feed only; a fixed `:from:` renders."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "250300000000")  # 9901: past the supported dates
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    app, warnings = build(make_app, srcdir, "html")
    lines = [line for line in warnings.splitlines() if "WARNING" in line]
    assert len(lines) == 1, warnings
    assert "SP518 the rotation feed is not published: SOURCE_DATE_EPOCH" in lines[0]
    assert "[support-policy.rotation]" in lines[0]
    page = (Path(app.outdir) / "rotation.html").read_text(encoding="utf-8")
    assert 'data-first="2026-02-03"' in page
    assert not (Path(app.outdir) / FEED / "rotation.ics").exists()
