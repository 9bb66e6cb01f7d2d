"""The rotation over time on the command line: `on-duty` and `calendar` after cover, with
reasons, several rotations and `--rotation`; `diff` of a new version that does not validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support_policy.validator.cli import main

TEAM = """version: 1
organization: {name: Org}
team:
  name: Team
  members:
    person-a: {name: Person A, email: a@example.org}
    person-b: {name: Person B}
    person-c: {name: Person C, away: [{from: 2026-02-02, to: 2026-02-13, reason: Leave}]}
    person-d: {name: Person D}
    person-e: {name: Person E, joined: 2026-03-01}
    person-f: {name: Person F}
    person-g: {name: Person G}
roles:
  steward: {name: Steward, plural: Stewards}
  commander: {name: Commander}
"""

STEWARD = """    role: steward
    tenure: 2 weeks
    handover_every: 1 week
    handover_day: monday
    start: 2026-01-05
    cover:
      - {member: person-b, covers: person-a, from: 2026-01-07, to: 2026-01-08, reason: Conference}
"""

COMMANDER = """  commander:
    role: commander
    members: [person-a, person-b, person-c, person-d, person-f, person-g]
    tenure: 1 week
    handover_every: 1 week
    handover_day: monday
    start: 2026-01-05
    exclusive_with: [steward]
"""

TWO_ROTATIONS = TEAM + "rotations:\n  steward:\n" + STEWARD.replace("\n    ", "\n    ") + COMMANDER
ONE_ROTATION = TEAM + "rotation:\n" + STEWARD.replace("    ", "  ")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def two(tmp_path: Path) -> Path:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_ROTATIONS, encoding="utf-8")
    return path


@pytest.fixture
def one(tmp_path: Path) -> Path:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_ROTATION, encoding="utf-8")
    return path


def test_the_policies_validate(capsys: pytest.CaptureFixture[str], one: Path, two: Path) -> None:
    for path in (one, two):
        status, out, _ = cli(capsys, "validate", str(path))
        assert (status, out) == (0, f"{path}: ok\n")


# --- on-duty ----------------------------------------------------------------------------


def test_on_duty_names_the_cover_and_why(capsys: pytest.CaptureFixture[str], one: Path) -> None:
    status, out, _ = cli(capsys, "on-duty", "--policy", str(one), "2026-01-07")
    assert status == 0
    # One rotation: the layout of a policy without the new keys, plus the reason.
    assert out.splitlines()[1:3] == [
        "  Person G (person-g): 2025-12-29 to 2026-01-12",
        "  Person B (person-b): 2026-01-07 to 2026-01-09 [covering Person A (Conference)]",
    ]


def test_on_duty_the_day_after_the_cover_has_the_covered_person_back(
    capsys: pytest.CaptureFixture[str], one: Path
) -> None:
    status, out, _ = cli(capsys, "on-duty", "--policy", str(one), "2026-01-09")
    assert status == 0
    assert "  Person A (person-a): 2026-01-05 to 2026-01-19" in out.splitlines()


def test_on_duty_json_carries_kind_why_and_cover(
    capsys: pytest.CaptureFixture[str], one: Path
) -> None:
    status, out, _ = cli(capsys, "on-duty", "--policy", str(one), "2026-01-07", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["rotation"] == "steward"
    seat = document["on_duty"][1]
    assert (seat["id"], seat["kind"], seat["why"]) == (
        "person-b",
        "cover",
        "covering Person A (Conference)",
    )
    assert seat["cover"] == {
        "covers": "person-a",
        "covers_name": "Person A",
        "from": "2026-01-07",
        "until": "2026-01-09",
        "reason": "Conference",
    }
    assert (seat["start"], seat["end"]) == ("2026-01-05", "2026-01-19")  # A's tenure


def test_on_duty_labels_every_rotation_and_says_why(
    capsys: pytest.CaptureFixture[str], two: Path
) -> None:
    status, out, _ = cli(capsys, "on-duty", "--policy", str(two), "2026-02-10")
    assert status == 0
    assert out.splitlines()[1:6] == [
        "  Steward (steward):",
        "    Person F (person-f): 2026-02-02 to 2026-02-16",
        "    Person G (person-g): 2026-02-09 to 2026-02-23",
        "  Commander (commander):",
        "    Person D (person-d): 2026-02-09 to 2026-02-16 "
        "[owed turn (passed over while on duty in steward)]",
    ]


def test_on_duty_says_who_was_swapped_out(capsys: pytest.CaptureFixture[str], two: Path) -> None:
    status, out, _ = cli(capsys, "on-duty", "--policy", str(two), "2026-01-28")
    assert status == 0
    assert (
        "    Person F (person-f): 2026-01-26 to 2026-02-02 "
        "[swapped in for Person D (on duty in steward)]"
    ) in out.splitlines()


def test_on_duty_away_swap_reason(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Person C is away for the tenure that would be theirs: Person D swaps in.
    policy = tmp_path / "p.yaml"
    policy.write_text(
        ONE_ROTATION.replace(
            "from: 2026-02-02, to: 2026-02-13", "from: 2026-01-20, to: 2026-01-23"
        ),
        encoding="utf-8",
    )
    status, out, _ = cli(
        capsys, "on-duty", "--policy", str(policy), "2026-01-20", "--format", "json"
    )
    assert status == 0
    whys = {seat["id"]: seat["why"] for seat in json.loads(out)["on_duty"]}
    assert whys["person-d"] == "swapped in for Person C (away: Leave)"


def test_on_duty_one_rotation_of_several(capsys: pytest.CaptureFixture[str], two: Path) -> None:
    status, out, _ = cli(
        capsys, "on-duty", "--policy", str(two), "2026-02-10", "--rotation", "commander"
    )
    assert status == 0
    assert "Steward" not in out
    assert out.splitlines()[1].startswith("  Person D (person-d)")
    status, out, _ = cli(capsys, "on-duty", "--policy", str(two), "2026-02-10", "--format", "json")
    assert [r["id"] for r in json.loads(out)["rotations"]] == ["steward", "commander"]


@pytest.mark.parametrize("command", ["on-duty", "calendar"])
def test_unknown_rotation_is_bad_usage_listing_the_ids(
    capsys: pytest.CaptureFixture[str], two: Path, command: str
) -> None:
    status, out, err = cli(capsys, command, "--policy", str(two), "--rotation", "stewards")
    assert status == 2
    assert out == ""
    assert err.startswith("support-policy: SP901 --rotation: `stewards` names no rotation")
    assert "`steward`, `commander`" in err
    assert len(err.splitlines()) == 1


# --- calendar ---------------------------------------------------------------------------


def test_calendar_table_shows_swaps_and_covers(
    capsys: pytest.CaptureFixture[str], two: Path
) -> None:
    status, out, _ = cli(
        capsys, "calendar", str(two), "--from", "2026-01-05", "--weeks", "4", "--format", "table"
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "Steward rotation, 2026-01-05 until 2026-02-02 (UTC)"
    assert any(
        line.split()
        == ["2026-01-07", "2026-01-09", "Person", "B", "covering", "Person", "A:", "Conference"]
        for line in lines
    )
    assert "Commander rotation, 2026-01-05 until 2026-02-02 (UTC)" in lines
    assert any("swapped in for Person A (on duty in steward)" in line for line in lines)


def test_calendar_json_of_several_rotations(capsys: pytest.CaptureFixture[str], two: Path) -> None:
    status, out, _ = cli(
        capsys, "calendar", str(two), "--from", "2026-01-05", "--weeks", "4", "--format", "json"
    )
    assert status == 0
    document = json.loads(out)
    steward, commander = document["rotations"]
    assert (steward["id"], commander["id"]) == ("steward", "commander")
    assert steward["covers"] == [
        {
            "member": "person-b",
            "name": "Person B",
            "covers": "person-a",
            "covers_name": "Person A",
            "start": "2026-01-07",
            "end": "2026-01-09",
            "reason": "Conference",
        }
    ]
    owed = next(t for t in commander["tenures"] if t["start"] == "2026-01-19")
    assert (owed["member"], owed["kind"]) == ("person-a", "owed")


def test_calendar_json_of_one_rotation_keeps_its_shape(
    capsys: pytest.CaptureFixture[str], two: Path
) -> None:
    status, out, _ = cli(
        capsys,
        "calendar",
        str(two),
        "--rotation",
        "steward",
        "--from",
        "2026-01-05",
        "--format",
        "json",
    )
    assert status == 0
    document = json.loads(out)
    assert (document["rotation"], document["role"], document["on_duty"]) == (
        "steward",
        "steward",
        2,
    )
    assert "rotations" not in document


def test_calendar_ics_has_one_event_per_cover(
    capsys: pytest.CaptureFixture[str], one: Path, tmp_path: Path
) -> None:
    target = tmp_path / "rota.ics"
    status, _, _ = cli(
        capsys, "calendar", str(one), "--from", "2026-01-05", "--weeks", "2", "-o", str(target)
    )
    assert status == 0
    text = target.read_bytes().decode().replace("\r\n ", "")
    assert "SUMMARY:Steward: Person B (covering Person A)\r\n" in text
    cover = text[text.index("SUMMARY:Steward: Person B (covering") :]
    cover = cover[: cover.index("END:VEVENT")]
    assert "DTSTART;VALUE=DATE:20260107\r\nDTEND;VALUE=DATE:20260109\r\n" in cover
    assert "UID:2026-01-07-person-b-covering-person-a@support-policy\r\n" in cover
    assert "DESCRIPTION:Cover: Conference\r\n" in cover
    # The covered tenure is unchanged beside it.
    assert "SUMMARY:Steward: Person A\r\nDTSTART;VALUE=DATE:20260105\r\n" in text
    status, out, _ = cli(capsys, "validate", str(one), "--calendar", str(target))
    assert (status, out) == (0, f"{one}: ok\n")


def test_calendar_ics_of_several_rotations_validates_clean(
    capsys: pytest.CaptureFixture[str], two: Path, tmp_path: Path
) -> None:
    target = tmp_path / "rota.ics"
    status, _, _ = cli(
        capsys, "calendar", str(two), "--from", "2026-01-01", "--weeks", "30", "-o", str(target)
    )
    assert status == 0
    text = target.read_bytes().decode()
    assert "SUMMARY:Commander: Person B\r\n" in text
    assert "UID:2026-01-05-person-b-commander@support-policy\r\n" in text
    assert "X-WR-CALNAME:Team: Stewards and Commander rotations\r\n" in text
    status, out, _ = cli(capsys, "validate", str(two), "--calendar", str(target))
    assert (status, out) == (0, f"{two}: ok\n")
    again = tmp_path / "again.ics"
    cli(capsys, "calendar", str(two), "--from", "2026-01-01", "--weeks", "30", "-o", str(again))
    assert again.read_bytes() == target.read_bytes()


# --- diff of a new version that does not validate ---------------------------------------


@pytest.mark.parametrize("form", ["markdown", "text", "json"])
def test_diff_lists_the_new_versions_errors_as_findings(
    capsys: pytest.CaptureFixture[str], one: Path, tmp_path: Path, form: str
) -> None:
    # Person B is deleted but still named by the cover: the new version does not validate.
    new = tmp_path / "new.yaml"
    new.write_text(ONE_ROTATION.replace("    person-b: {name: Person B}\n", ""), encoding="utf-8")
    status, out, err = cli(
        capsys, "diff", str(one), str(new), "--today", "2026-01-06", "--format", form
    )
    assert (status, err) == (1, "")
    if form == "json":
        document = json.loads(out)
        findings = [e for e in document["entries"] if e["section"] == "validation"]
        assert findings
        assert all(e["flag"] for e in findings)
        assert any("SP201" in e["text"] and f"{new}:" in e["text"] for e in findings)
    else:
        assert "the new version does not validate" in out
        assert "SP201" in out
        assert "person-b" in out
    if form == "markdown":
        assert "> The new version does not validate: " in out


def test_diff_of_an_unparsable_new_version_still_reports(
    capsys: pytest.CaptureFixture[str], one: Path, tmp_path: Path
) -> None:
    new = tmp_path / "new.yaml"
    new.write_text("version: 1\norganization: [\n", encoding="utf-8")
    status, out, _ = cli(capsys, "diff", str(one), str(new), "--format", "text")
    assert status == 1
    assert "FLAGGED Validation: the new version does not validate" in out
    assert "SP010" in out
