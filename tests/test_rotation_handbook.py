"""The rotation over time in the handbook: swaps with their reasons, cover rows, former
members, several rotations (``support-rotation [ID]``), their value paths, and the bundled
example that records a leave as ``away`` instead of two hand-written ``changes``."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, assert_snapshot, build, copy_root, example_policy, rootdir

from support_policy.policy.derive import schedule_of
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.models import Policy
from support_policy.policy.references import UnknownValuePath, resolve_value, value_paths

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

HOSTILE_REASON = "<script>alert(1)</script> `code` **x**"

# Two rotations: a leave (with a hostile reason), a member who left, one who joined later,
# a two-day cover, and an incident rotation that no steward on duty may join.
POLICY = f"""\
version: 1
organization: {{name: Example Org}}
team:
  name: Example Team
  members:
    person-a: {{name: Person A}}
    person-b:
      name: Person B
      away:
        - {{from: 2026-01-20, to: 2026-02-02, reason: "{HOSTILE_REASON}"}}
    person-c: {{name: Person C, left: 2026-03-03}}
    person-d: {{name: Person D}}
    person-e: {{name: Person E, joined: 2026-02-03}}
    person-f: {{name: Person F}}
roles:
  support-steward: {{name: Support Steward}}
  incident-commander: {{name: Incident Commander}}
rotations:
  support-steward:
    role: support-steward
    members: [person-a, person-b, person-c, person-d, person-e]
    order: listed
    tenure: 2 weeks
    handover_every: 1 week
    handover_day: tuesday
    handover_event: stand-up
    start: 2026-01-06
    cover:
      - {{member: person-f, covers: person-a, from: 2026-01-08, to: 2026-01-09, reason: Conference}}
  incident-commander:
    role: incident-commander
    members: all
    order: listed
    tenure: 1 week
    handover_every: 1 week
    handover_day: tuesday
    start: 2026-01-06
    exclusive_with: [support-steward]
"""


def page_text(html_dir: Path, page: str) -> str:
    """The words of a page's body as a reader sees them (cells whole, tags gone)."""
    page_html = (html_dir / f"{page}.html").read_text(encoding="utf-8")
    body = page_html.split('<div class="body" role="main">', 1)[1]
    body = body.split('<div class="sphinxsidebar"', 1)[0]
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", body)).split())


@pytest.fixture(scope="module")
def two_rotations() -> Policy:
    from support_policy.policy.loader import load_policy_text

    loaded = load_policy_text(POLICY, "policy.yaml")
    assert loaded.ok, loaded.diagnostics
    assert loaded.policy is not None
    return loaded.policy


# --- the bundled example: a leave as `away`, the same hand-offs as the old swap ----------


def test_example_records_the_leave_as_away_with_the_same_handoffs(
    bundled_text: str, recorded_swap_text: str, load: Callable[[str], LoadedPolicy]
) -> None:
    assert "away: [{from: 2026-03-03, to: 2026-03-16, reason: Leave}]" in bundled_text
    rotation = bundled_text.split("\nrotation:", 1)[1].split("\n\n", 1)[0]
    assert "changes:" not in rotation
    before, after = load(recorded_swap_text), load(bundled_text)
    assert before.ok, before.diagnostics
    assert after.ok, after.diagnostics
    assert before.policy is not None
    assert after.policy is not None
    old, new = schedule_of(before.policy), schedule_of(after.policy)
    assert old is not None
    assert new is not None
    assert [new.joiner(k) for k in range(-20, 61)] == [old.joiner(k) for k in range(-20, 61)]
    assert [old.handoff(k).change is not None for k in (4, 5)] == [True, True]
    names = {key: m.name for key, m in after.policy.team.members.items()}
    assert new.handoff(4).why(names.__getitem__) == "swapped in for Person E (away: Leave)"
    assert new.handoff(5).why(names.__getitem__) == "owed turn (passed over while away: Leave)"


def test_example_keeps_a_two_day_conference_cover(load: Callable[[str], LoadedPolicy]) -> None:
    from support_policy.policy.loader import bundled_policy_path

    loaded = load(bundled_policy_path().read_text(encoding="utf-8"))
    assert loaded.policy is not None
    assert loaded.policy.rotation is not None
    [cover] = loaded.policy.rotation.cover
    assert (cover.to - cover.start).days == 1
    assert cover.reason == "Conference"


# --- value paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("rotations.support-steward.tenure", "2 weeks"),
        ("rotations.support-steward.handover_every", "1 week"),
        ("rotations.support-steward.handover_day", "Tuesday"),
        ("rotations.support-steward.on_duty", "2"),
        ("rotations.support-steward.handover_event", "stand-up"),
        ("rotations.incident-commander.tenure", "1 week"),
        ("rotations.incident-commander.on_duty", "1"),
    ],
)
def test_each_rotation_has_its_value_paths(two_rotations: Policy, path: str, text: str) -> None:
    assert resolve_value(two_rotations, path) == text


def test_rotation_path_with_several_rotations_names_the_rotations_form(
    two_rotations: Policy,
) -> None:
    with pytest.raises(UnknownValuePath) as raised:
        resolve_value(two_rotations, "rotation.tenure")
    assert "`rotations.support-steward.tenure`" in raised.value.hint
    paths = value_paths(two_rotations)
    assert "rotations.incident-commander.handover_day" in paths
    # Unset values are no paths; with two rotations, `rotation.…` is none either.
    assert "rotations.incident-commander.handover_event" not in paths
    assert not [path for path in paths if path.startswith("rotation.")]


@pytest.mark.parametrize(
    "path",
    [
        "rotations.nope.tenure",
        "rotations.support-steward.start",
        "rotations.support-steward",
        "rotations.support-steward.tenure.__class__",
        "rotations.incident-commander.handover_event",
    ],
)
def test_unknown_rotation_paths_raise(two_rotations: Policy, path: str) -> None:
    with pytest.raises(UnknownValuePath) as raised:
        resolve_value(two_rotations, path)
    assert raised.value.hint == ""


def test_validate_reports_rotation_path_with_several_rotations(
    load: Callable[[str], LoadedPolicy],
) -> None:
    text = POLICY.replace(
        "support-steward: {name: Support Steward}",
        "support-steward: {name: Support Steward, "
        "description: 'Serves {{ policy.rotation.tenure }}.'}",
    )
    loaded = load(text)
    [problem] = [d for d in loaded.diagnostics if d.code == Code.UNKNOWN_VALUE_PATH.code]
    assert (problem.line, problem.column) == (16, 65)
    assert problem.message == (
        "`{{ policy.rotation.tenure }}` names no policy value; the policy has several "
        "rotations: name one, e.g. `rotations.support-steward.tenure` or "
        "`rotations.incident-commander.tenure`"
    )


def test_single_rotation_answers_both_forms(load: Callable[[str], LoadedPolicy]) -> None:
    loaded = load(example_policy())
    assert loaded.policy is not None
    policy = loaded.policy
    assert resolve_value(policy, "rotation.tenure") == "4 weeks"
    assert resolve_value(policy, "rotations.support-steward.tenure") == "4 weeks"
    paths = value_paths(policy)
    assert {"rotation.on_duty", "rotations.support-steward.on_duty"} <= set(paths)


def test_one_entry_under_rotations_answers_rotation_paths(
    load: Callable[[str], LoadedPolicy],
) -> None:
    start = POLICY.index("  incident-commander:\n    role:")
    loaded = load(POLICY[:start])
    assert loaded.ok, loaded.diagnostics
    assert loaded.policy is not None
    assert resolve_value(loaded.policy, "rotation.handover_event") == "stand-up"
    assert "rotation.tenure" in value_paths(loaded.policy)


# --- the handbook -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The test root built once as text and once as html; their output folders."""
    from sphinx.testing.util import SphinxTestApp

    outputs = []
    for builder in ("text", "html"):
        srcdir = copy_root(
            "rotation-handbook", tmp_path_factory.mktemp(builder) / "src", policy=POLICY
        )
        app = SphinxTestApp(builder, srcdir=srcdir)
        try:
            app.build()
            assert app.warning.getvalue() == "", app.warning.getvalue()  # type: ignore[attr-defined]
            outputs.append(Path(app.outdir))
        finally:
            app.cleanup()
    return outputs[0], outputs[1]


def test_rst_and_myst_render_the_same(handbook: tuple[Path, Path]) -> None:
    text, _ = handbook
    for page in ("several", "one"):
        rst = (text / f"{page}-rst.txt").read_text(encoding="utf-8")
        md = (text / f"{page}-md.txt").read_text(encoding="utf-8")
        assert rst == md
        assert_snapshot(f"rotation-{page}.txt", rst)


def test_several_rotations_are_each_labelled(handbook: tuple[Path, Path]) -> None:
    page = page_text(handbook[1], "several-rst")
    assert page.count("Support Steward rotation Role") == 1
    assert page.count("Incident Commander rotation Role") == 1
    steward, incident = "Support Steward rotation Role", "Incident Commander rotation Role"
    assert page.index(steward) < page.index(incident)
    assert "Exclusive with: Support Steward rotation" in page


def test_swaps_show_their_reasons_in_names(handbook: tuple[Path, Path]) -> None:
    page = page_text(handbook[1], "several-rst")
    assert f"swapped in for Person B (away: {HOSTILE_REASON})" in page
    owed = f"owed turn (passed over while away: {HOSTILE_REASON})"
    assert f"Person B 2026-02-03 2026-02-16 {owed}" in page
    assert (
        "Person B 2026-01-06 2026-01-12 swapped in for Person A "
        "(on duty in the Support Steward rotation)"
    ) in page
    assert "support-steward" not in page
    assert "person-" not in page


def test_cover_rows_say_who_covers_whom(handbook: tuple[Path, Path]) -> None:
    page = page_text(handbook[1], "several-rst")
    assert "Covering For From To Reason" in page
    assert "Person F Person A 2026-01-08 2026-01-09 Conference" in page
    # The incident rotation has no cover: no cover table under its label.
    incident = page.split("Incident Commander rotation Role", 1)[1]
    assert "Covering" not in incident


def test_former_members_are_marked_and_listed_apart(handbook: tuple[Path, Path]) -> None:
    page = page_text(handbook[1], "several-rst")
    steward = page.split("Incident Commander rotation Role", 1)[0]
    assert "Pool: Person A, Person B, Person D, Person E (from 2026-02-03) Former" in steward
    assert "Former members: Person C (left 2026-03-03)" in steward
    assert "Person C (former) 2026-01-13 2026-01-26" in steward
    # In the picture too: every row of Person C carries the mark.
    assert "Person C " not in steward.replace("Person C (former)", "").replace("Person C (left", "")


def test_former_depends_on_the_window(handbook: tuple[Path, Path]) -> None:
    """Four weeks from 2026-01-06 end before Person C leaves: no one is former yet."""
    page = page_text(handbook[1], "one-rst")
    assert "(former)" not in page
    assert "Former members" not in page
    assert "Person C 2026-01-27 2026-02-02 owed turn" in page
    assert "rotation Role" not in page  # one rotation named: no label


def test_policy_text_renders_as_text_in_html(handbook: tuple[Path, Path]) -> None:
    html = (handbook[1] / "several-rst.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; `code` **x**" in html
    assert "<strong>x</strong>" not in html
    assert "<code" not in html.split("Person B", 1)[1]


def test_unknown_rotation_id_warns_with_its_code(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("rotation-handbook", tmp_path / "src", policy=POLICY)
    (srcdir / "one-rst.rst").write_text(
        "One\n===\n\n.. support-rotation:: incident-comander\n", encoding="utf-8"
    )
    _, warnings = build(make_app, srcdir, "text")
    [line] = warnings.splitlines()
    assert "one-rst.rst:4" in line
    assert (
        "SP201 unknown rotation `incident-comander` (did you mean `incident-commander`?) "
        "[support-policy.reference]"
    ) in line


def test_named_single_rotation_renders_as_without_argument(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without `:from:` the window is centred on the build date: 2026-03-04 here.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772582400")
    srcdir = copy_root("rotation-handbook", tmp_path / "src", policy=example_policy())
    for page, argument in (("several-rst", ""), ("one-rst", " support-steward")):
        (srcdir / f"{page}.rst").write_text(
            f"Steward\n=======\n\n.. support-rotation::{argument}\n   :weeks: 12\n",
            encoding="utf-8",
        )
    for page in ("several-md", "one-md"):
        (srcdir / f"{page}.md").unlink()
    (srcdir / "index.rst").write_text(
        "Steward\n=======\n\n.. toctree::\n\n   several-rst\n   one-rst\n", encoding="utf-8"
    )
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    out = Path(app.outdir)
    named = page_text(out, "one-rst")
    assert named == page_text(out, "several-rst")
    assert "Person F 2026-03-03 2026-03-30 swapped in for Person E (away: Leave)" in named
    assert "Person A Person C 2026-02-11 2026-02-12 Conference" in named
