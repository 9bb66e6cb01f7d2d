"""``support-team``: members, their time zones and the local hour of the next hand-off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from support_policy.handbook.model import (
    Block,
    Cell,
    Inline,
    Paragraph,
    Rendered,
    Request,
    Strong,
    Table,
    Text,
)
from support_policy.handbook.team import build_team
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import LoadedPolicy

Load = Callable[[str], LoadedPolicy]

TEAM = """\
version: 1
organization: {name: Org, support_email: help@example.org}
team:
  name: Team
  members:
    ny: {name: Nia York, timezone: America/New_York}
    be: {name: Ben Lin, timezone: Europe/Berlin}
    nz: {name: No Zone}
    gone: {name: Gil Gone, timezone: Asia/Tokyo, left: 2026-02-01}
    late: {name: Lee Late, timezone: UTC, joined: 2026-09-01}
roles:
  steward: {name: Steward}
  triager: {name: Triager}
"""

ONE_ROTATION = (
    TEAM
    + """\
rotation:
  role: steward
  members: [ny, be, nz, gone]
  tenure: 2 weeks
  handover_every: 1 week
  handover_day: tuesday
  start: 2026-01-06
"""
)

TWO_ROTATIONS = (
    TEAM
    + """\
rotations:
  stewards:
    role: steward
    members: [ny, be, nz]
    tenure: 2 weeks
    handover_every: 1 week
    handover_day: tuesday
    start: 2026-01-06
  triage:
    role: triager
    members: [be, nz, late]
    tenure: 1 week
    handover_every: 1 week
    handover_day: thursday
    start: 2026-01-08
"""
)


def build(
    loaded: LoadedPolicy, today: date, argument: str | None = None, on: str | None = None
) -> Rendered:
    assert loaded.ok, loaded.diagnostics
    return build_team(Request(loaded, argument, {} if on is None else {"on": on}, today))


def text_of(inlines: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, Text):
            parts.append(inline.text)
        elif isinstance(inline, Strong):
            parts.append(text_of(inline.children))
    return "".join(parts)


def cell_text(cell: Cell) -> str:
    return " ".join(text_of(b.children) for b in cell.blocks if isinstance(b, Paragraph))


def table_of(rendered: Rendered) -> dict[str, dict[str, str]]:
    """Name → column header → cell text."""
    (table,) = [b for b in rendered.blocks if isinstance(b, Table)]
    return {
        cell_text(row[0]): dict(zip(table.header, (cell_text(c) for c in row), strict=True))
        for row in table.rows
    }


def paragraphs(blocks: tuple[Block, ...]) -> list[str]:
    return [text_of(b.children) for b in blocks if isinstance(b, Paragraph)]


def test_local_handoff_follows_each_members_daylight_saving_time(load: Load) -> None:
    loaded = load(ONE_ROTATION)
    winter = table_of(build(loaded, date(2026, 1, 14)))
    summer = table_of(build(loaded, date(2026, 7, 8)))
    # Hand-offs are 00:00 UTC on Tuesdays: New York is a day behind, Berlin ahead.
    assert winter["Nia York"]["Local hand-off time"] == "Monday 2026-01-19 19:00 (UTC−05:00)"
    assert summer["Nia York"]["Local hand-off time"] == "Monday 2026-07-13 20:00 (UTC−04:00)"
    assert winter["Ben Lin"]["Local hand-off time"] == "Tuesday 2026-01-20 01:00 (UTC+01:00)"
    assert summer["Ben Lin"]["Local hand-off time"] == "Tuesday 2026-07-14 02:00 (UTC+02:00)"
    assert winter["Ben Lin"]["Time zone"] == "Europe/Berlin"


def test_the_handoff_date_is_stated_and_a_handoff_today_counts(load: Load) -> None:
    rendered = build(load(ONE_ROTATION), date(2026, 1, 20))  # a hand-off day
    assert paragraphs(rendered.blocks)[0] == (
        "Next hand-off: Steward rotation: Tuesday 2026-01-20 00:00 UTC. "
        "Each member's local time below is for that day."
    )


def test_a_member_without_a_time_zone_shows_a_dash(load: Load) -> None:
    row = table_of(build(load(ONE_ROTATION), date(2026, 1, 14)))["No Zone"]
    assert row["Time zone"] == "—"
    assert row["Local hand-off time"] == "—"


def test_former_members_are_listed_apart_with_the_day_they_left(load: Load) -> None:
    before = build(load(ONE_ROTATION), date(2026, 1, 31))
    after = build(load(ONE_ROTATION), date(2026, 2, 1))
    assert "Gil Gone" in table_of(before)
    assert "Gil Gone" not in table_of(after)
    assert "Former members: Gil Gone (left 2026-02-01)" in paragraphs(after.blocks)
    assert not any(p.startswith("Former") for p in paragraphs(before.blocks))


def test_future_members_and_absences_are_noted(load: Load) -> None:
    text = ONE_ROTATION.replace(
        "{name: No Zone}",
        "{name: No Zone, away: [{from: 2026-01-10, to: 2026-01-30, reason: Leave}]}",
    )
    table = table_of(build(load(text), date(2026, 1, 14)))
    assert table["No Zone"]["Notes"] == "away until 2026-01-30 (Leave)"
    assert table["Lee Late"]["Notes"] == "joins 2026-09-01"
    assert table["Nia York"]["Notes"] == ""


def test_several_rotations_get_a_column_each(load: Load) -> None:
    rendered = build(load(TWO_ROTATIONS), date(2026, 1, 14))
    table = table_of(rendered)
    ben = table["Ben Lin"]
    assert ben["Hand-off (Steward rotation)"] == "Tuesday 2026-01-20 01:00 (UTC+01:00)"
    assert ben["Hand-off (Triager rotation)"] == "Thursday 2026-01-15 01:00 (UTC+01:00)"
    assert table["Nia York"]["Hand-off (Triager rotation)"] == "not in this rotation"
    assert paragraphs(rendered.blocks)[0].startswith(
        "Next hand-off: Steward rotation: Tuesday 2026-01-20 00:00 UTC; "
        "Triager rotation: Thursday 2026-01-15 00:00 UTC."
    )


def test_one_rotation_by_id_shows_its_pool_only(load: Load) -> None:
    table = table_of(build(load(TWO_ROTATIONS), date(2026, 1, 14), "triage"))
    assert list(table) == ["Ben Lin", "Lee Late", "No Zone"]  # alphabetical, its order
    assert "Local hand-off time" in table["Ben Lin"]


def test_an_unknown_rotation_is_a_coded_problem(load: Load) -> None:
    rendered = build(load(TWO_ROTATIONS), date(2026, 1, 14), "triag")
    assert rendered.blocks == ()
    (problem,) = rendered.problems
    assert problem.code is Code.UNRESOLVED_REFERENCE
    assert problem.message == "unknown rotation `triag` (did you mean `triage`?)"


def test_without_a_rotation_the_table_has_names_and_zones(load: Load) -> None:
    rendered = build(load(TEAM), date(2026, 1, 14))
    table = table_of(rendered)
    assert table["Nia York"] == {"Name": "Nia York", "Time zone": "America/New_York", "Notes": ""}
    assert paragraphs(rendered.blocks) == []  # no hand-off to state, nobody has left yet


def test_a_hostile_name_stays_plain_text(load: Load) -> None:
    hostile = "<script>alert(1)</script> **x** `y`"
    text = ONE_ROTATION.replace("name: Nia York", f"name: {hostile!r}".replace("'", '"'))
    table = table_of(build(load(text), date(2026, 1, 14)))
    assert hostile in table  # one Text value, never parsed


def test_an_invalid_time_zone_is_rejected_by_the_loader(load: Load) -> None:
    loaded = load(ONE_ROTATION.replace("Europe/Berlin", "../../etc/passwd"))
    assert not loaded.ok
    (problem,) = loaded.diagnostics
    assert (problem.code, problem.line) == ("SP106", 7)
    assert "is not an IANA time zone" in problem.message


def test_on_fixes_the_day_whatever_the_build_date(load: Load) -> None:
    loaded = load(ONE_ROTATION)
    pinned = build(loaded, date(2026, 1, 14), on="2026-07-08")
    assert pinned == build(loaded, date(2030, 5, 5), on="2026-07-08")
    assert table_of(pinned)["Nia York"]["Local hand-off time"].startswith("Monday 2026-07-13")
    assert build(loaded, date(2026, 1, 14), on=" today ") == build(loaded, date(2026, 1, 14))


def test_a_bad_on_warns_and_uses_the_build_date(load: Load) -> None:
    loaded = load(ONE_ROTATION)
    bad = build(loaded, date(2026, 1, 14), on="<b>soon</b>")
    (problem,) = bad.problems
    assert problem.code is Code.TEAM_DATE
    assert problem.message == (
        "`:on:` expects a date (YYYY-MM-DD) or `today`, got `<b>soon</b>`; the build date is used"
    )
    assert bad.blocks == build(loaded, date(2026, 1, 14)).blocks
    (far,) = build(loaded, date(2026, 1, 14), on="9999-12-31").problems
    assert far.code is Code.OUT_OF_RANGE


def test_a_bad_source_date_epoch_warns_and_renders_nothing(
    load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    rendered = build_team(Request(load(ONE_ROTATION), None, {}))
    assert rendered.blocks == ()
    (problem,) = rendered.problems
    assert problem.code is Code.BAD_EPOCH
    assert problem.message.endswith("; the team is not rendered")


def test_source_date_epoch_is_the_build_date(load: Load, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768348800")  # 2026-01-14 00:00 UTC
    assert build_team(Request(load(ONE_ROTATION), None, {})) == build(
        load(ONE_ROTATION), date(2026, 1, 14)
    )
