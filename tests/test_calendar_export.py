"""Exporting the rotation (ICS, table, JSON) and the ``support-policy calendar`` command."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from support_policy.policy.loader import LoadedPolicy, load_policy
from support_policy.validator import cli
from support_policy.validator.calendar_check import check_calendar
from support_policy.validator.ics_export import (
    NoRotation,
    rotation_ics,
    rotation_json,
    rotation_table,
)

Runner = Callable[..., tuple[int, bytes, str]]

MINIMAL_POLICY = """\
version: 1
organization: {name: Example Org}
team:
  name: Team
  members:
    person-a: {name: Person A}
roles:
  support-steward: {name: Support Steward}
"""


@pytest.fixture(scope="module")
def bundled() -> LoadedPolicy:
    loaded = load_policy()
    assert loaded.ok, loaded.diagnostics
    return loaded


@pytest.fixture(scope="module")
def recorded_swap(recorded_swap_text: str) -> LoadedPolicy:
    """The example with Person E's leave written as two recorded changes."""
    from support_policy.policy.loader import load_policy_text

    loaded = load_policy_text(recorded_swap_text, "policy.yaml")
    assert loaded.ok, loaded.diagnostics
    return loaded


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


# --- ICS --------------------------------------------------------------------------------


def test_export_is_byte_identical_twice(bundled: LoadedPolicy) -> None:
    first = rotation_ics(bundled, date(2026, 1, 1), 26)
    again = rotation_ics(load_policy(), date(2026, 1, 1), 26)
    assert first == again


def test_export_uses_crlf_and_no_recurrence(bundled: LoadedPolicy) -> None:
    data = rotation_ics(bundled, date(2026, 1, 1), 26)
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b"RRULE" not in data
    assert b"PRODID:-//support-policy//rotation//EN\r\n" in data
    assert b"X-WR-CALNAME:" in data


def test_export_events(bundled: LoadedPolicy) -> None:
    data = rotation_ics(bundled, date(2026, 1, 6), 4).decode()
    # Tenures overlapping 2026-01-06 .. 2026-02-02: F (from 2025-12-23), A and B.
    assert data.count("BEGIN:VEVENT") == 3
    assert "UID:2026-01-06-person-a@support-policy\r\n" in data
    assert "DTSTART;VALUE=DATE:20260106\r\nDTEND;VALUE=DATE:20260203\r\n" in data
    assert "SUMMARY:Support Steward: Person A\r\n" in data
    assert 'ATTENDEE;CN="Person A":mailto:person-a@example.org\r\n' in data
    assert "DTSTAMP:20260106T000000Z\r\n" in data  # the rotation start, not "now"


def test_members_without_email_get_no_attendee(bundled: LoadedPolicy) -> None:
    data = rotation_ics(bundled, date(2026, 2, 3), 1).decode()
    person_c = data[data.index("SUMMARY:Support Steward: Person C") :]
    person_c = person_c[: person_c.index("END:VEVENT")]
    assert "ATTENDEE" not in person_c


def test_recorded_change_has_its_reason(recorded_swap: LoadedPolicy) -> None:
    data = rotation_ics(recorded_swap, date(2026, 3, 3), 1).decode()
    unfolded = data.replace("\r\n ", "")
    assert "Person E on leave\\; swapped with Person F" in unfolded


def test_source_date_epoch_sets_dtstamp(
    bundled: LoadedPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    data = rotation_ics(bundled, date(2026, 1, 6), 2)
    assert b"DTSTAMP:20260101T000000Z\r\n" in data


def test_export_of_a_policy_without_rotation_is_refused() -> None:
    from support_policy.policy.loader import load_policy_text

    loaded = load_policy_text(MINIMAL_POLICY, "minimal.yaml")
    assert loaded.ok, loaded.diagnostics
    with pytest.raises(NoRotation):
        rotation_ics(loaded, date(2026, 1, 6), 2)


# --- Table and JSON ---------------------------------------------------------------------


def test_table(recorded_swap: LoadedPolicy) -> None:
    table = rotation_table(recorded_swap, date(2026, 3, 1), 4)
    rows = table.splitlines()
    assert rows[0] == "Support Steward rotation, 2026-03-01 until 2026-03-29 (UTC)"
    assert rows[2].split() == ["Start", "Until", "Support", "Steward", "Note"]
    assert any(r.startswith("2026-03-03  2026-03-31  Person F") for r in rows)
    assert any("Person E on leave; swapped with Person F" in r for r in rows)


def test_json(recorded_swap: LoadedPolicy) -> None:
    document = json.loads(rotation_json(recorded_swap, date(2026, 3, 1), 4))
    assert document["on_duty"] == 2
    assert document["until"] == "2026-03-29"
    swap = next(t for t in document["tenures"] if t["start"] == "2026-03-03")
    assert swap["member"] == "person-f"
    assert swap["changed"] is True
    assert swap["end"] == "2026-03-31"


# --- The command ------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> Runner:
    def _run(*argv: str) -> tuple[int, bytes, str]:
        status = cli.main(["calendar", *argv])
        captured = capsysbinary.readouterr()
        return status, captured.out, captured.err.decode()

    return _run


def test_command_writes_ics_to_stdout(run: Runner) -> None:
    status, out, err = run("--example", "--from", "2026-01-06", "--weeks", "8")
    # Which policy, and which window, on stderr: stdout is the calendar alone.
    assert (status, err) == (0, "<bundled>/policy.yaml: rotation from 2026-01-06 for 8 weeks\n")
    assert out.startswith(b"BEGIN:VCALENDAR\r\n")
    assert out == rotation_ics(load_policy(), date(2026, 1, 6), 8)


def test_command_output_file_validates_clean(run: Runner, tmp_path: Path) -> None:
    target = tmp_path / "rotation.ics"
    status, out, _ = run(
        "--example", "--from", "2026-01-06", "--weeks", "30", "--output", str(target)
    )
    assert (status, out) == (0, b"")
    assert check_calendar(load_policy(), target, "rotation.ics") == []


def test_command_json_parses(run: Runner) -> None:
    status, out, _ = run("--example", "--from", "2026-01-06", "--weeks", "4", "--format", "json")
    assert status == 0
    assert json.loads(out)["from"] == "2026-01-06"


def test_command_table(run: Runner) -> None:
    status, out, _ = run("--example", "--from", "2026-01-06", "--weeks", "4", "--format", "table")
    assert status == 0
    assert b"Person A" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--from", "2026-13-01", "--weeks", "4"],
        ["--from", "next tuesday", "--weeks", "4"],
        ["--from", "2026-01-06", "--weeks", "four"],
        ["--weeks", "4", "--from"],
        ["--from", "2026-01-06", "--weeks", "4", "--format", "pdf"],
    ],
)
def test_command_bad_usage_is_one_line_exit_2(run: Runner, argv: list[str]) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == b""
    assert err.count("\n") == 1
    assert " SP901 " in err
    assert "Traceback" not in err


@pytest.mark.parametrize("weeks", ["0", "521", "9" * 5000])
def test_command_window_out_of_range_is_sp920(run: Runner, weeks: str) -> None:
    status, out, err = run("--from", "2026-01-06", "--weeks", weeks)
    assert status == 2
    assert out == b""
    assert err.count("\n") == 1
    assert " SP920 " in err
    assert "between 1 and 520 weeks" in err


def test_command_missing_policy(run: Runner, tmp_path: Path) -> None:
    status, out, err = run(str(tmp_path / "nope.yaml"), "--from", "2026-01-06", "--weeks", "4")
    assert (status, out) == (2, b"")
    assert " SP001 " in err


def test_command_policy_with_errors_exports_nothing(run: Runner, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(MINIMAL_POLICY.replace("version: 1", "version: 2"), encoding="utf-8")
    status, out, err = run(str(policy), "--from", "2026-01-06", "--weeks", "4")
    assert (status, out) == (1, b"")
    assert " SP107 " in err


def test_command_policy_without_rotation(run: Runner, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(MINIMAL_POLICY, encoding="utf-8")
    status, out, err = run(str(policy), "--from", "2026-01-06", "--weeks", "4")
    assert (status, out) == (1, b"")
    assert " SP931 " in err
    assert "rotation" in err


def test_command_unwritable_output(run: Runner, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "rotation.ics"
    status, _, err = run("--example", "--from", "2026-01-06", "--weeks", "4", "-o", str(target))
    assert status == 2
    assert " SP930 " in err


def test_command_output_is_not_written_through_a_planted_symlink(
    run: Runner, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    target = tmp_path / "rotation.ics"
    target.symlink_to(outside)
    status, _, err = run("--example", "--from", "2026-01-06", "--weeks", "4", "-o", str(target))
    assert status == 2
    assert " SP930 " in err
    assert "symbolic link" in err
    assert outside.read_text(encoding="utf-8") == "keep me\n"
