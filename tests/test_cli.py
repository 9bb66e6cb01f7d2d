"""The `support-policy` command: exit statuses, usage errors, fast start, sub-commands."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from example_variants import without_cover

from support_policy.policy.loader import bundled_policy_path
from support_policy.validator import commands
from support_policy.validator.cli import main

DATA = Path(__file__).parent / "data" / "templates"
POLICY = DATA / "policy.yaml"

WARNING_ONLY_POLICY = """\
version: 1
organization:
  name: Test Org
team:
  name: Test Team
  members:
    ann: {name: Ann}
    bob: {name: Bob}
    cy: {name: Cy}
    dee: {name: Dee}
roles:
  steward:
    name: Steward
rotation:
  role: steward
  members: all
  order: listed
  tenure: 4 weeks
  handover_every: 2 weeks
  handover_day: tuesday
  start: 2026-01-06
  changes:
    - date: 2026-02-03
      joins: ann
"""


@pytest.fixture(autouse=True)
def _no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- validate: exit statuses -----------------------------------------------------------


def test_clean_policy_exits_0_and_says_ok(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "validate", "--example")
    assert status == 0
    assert out == "<bundled>/policy.yaml: ok\n"


def test_violations_exit_1_with_positions_and_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(WARNING_ONLY_POLICY.replace("tenure: 4 weeks", "tenure: 3 weeks"))
    status, out, _ = run_cli(capsys, "validate", str(policy))
    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{policy}:18:11: SP202 ")
    assert lines[-1].startswith("1 error, ")


def test_warnings_pass_unless_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(WARNING_ONLY_POLICY)
    status, out, _ = run_cli(capsys, "validate", str(policy))
    assert status == 0
    assert f"{policy}:24:14: SP208 warning: ann would serve" in out
    assert out.splitlines()[-1] == "0 errors, 2 warnings"
    status, out, _ = run_cli(capsys, "validate", "--strict", str(policy))
    assert status == 1
    assert out.splitlines()[-1] == "0 errors, 2 warnings"


def test_missing_policy_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    status, out, _ = run_cli(capsys, "validate", str(missing))
    assert status == 2
    assert out.splitlines()[0] == f"{missing}: SP001 no such file"


def test_missing_calendar_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run_cli(
        capsys, "validate", "--example", "--calendar", str(tmp_path / "rota.ics")
    )
    assert status == 2
    assert out.startswith(f"{tmp_path / 'rota.ics'}: SP001 no such file")


def test_undecodable_policy_is_a_violation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_bytes(b"version: 1\nname: caf\xe9\n")
    status, out, _ = run_cli(capsys, "validate", str(policy))
    assert status == 1
    assert out.startswith(f"{policy}:2:10: SP002 ")


def test_everything_is_sorted_by_file_and_position(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_cli(capsys, "validate", str(POLICY), "--templates", str(DATA / "bad"))
    assert status == 1
    assert (
        main(["validate", str(POLICY), "--templates", str(DATA / "bad"), "--format", "json"]) == 1
    )
    diagnostics = json.loads(capsys.readouterr().out)["diagnostics"]
    keys = [(d["file"], d["line"], d["column"]) for d in diagnostics]
    assert keys == sorted(keys)
    assert len(diagnostics) == len(out.splitlines()) - 1


# --- usage errors and robustness -------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--format", "xml"],
        ["validate", "--no-such-option"],
        ["no-such-command"],
        [],
        ["on-duty", "--example", "last tuesday"],
    ],
)
def test_usage_error_is_one_line_with_sp901(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    status, out, err = run_cli(capsys, *args)
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("support-policy: SP901 ")
    assert "Traceback" not in err


def test_usage_error_from_the_console_script_has_no_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "support_policy.validator", "validate", "--bogus"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "support-policy: SP901 unrecognized arguments: --bogus (see `support-policy --help`)"
    ]


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "support_policy.validator", "validate", str(POLICY)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{POLICY}: ok\n"


def test_internal_error_is_reported_not_raised(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("support_policy.validator.commands.validate.load_policy", explode)
    status, _, err = run_cli(capsys, "validate", "--example")
    assert status == 2
    assert err.startswith("support-policy: SP902 internal error: RuntimeError: boom")


def test_a_missing_command_module_fails_loudly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(commands.COMMANDS, "ghost", "not_written_yet")
    with pytest.raises(ModuleNotFoundError):
        commands.command_module("ghost")
    status, _, err = run_cli(capsys, "--help")
    assert status == 2
    assert "SP902 internal error: ModuleNotFoundError" in err
    assert "not_written_yet" in err


def test_every_command_is_one_module_and_one_table_entry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in commands.COMMANDS:
        module = commands.command_module(name)
        assert callable(module.register), name
    with pytest.raises(SystemExit):
        main(["--help"])
    out, _ = capsys.readouterr()
    listed = re.findall(r"^    ([a-z-]+)\s", out, re.MULTILINE)
    assert listed == list(commands.COMMANDS)


def _after_validate(expression: str, *args: str, policy: str = "--example") -> str:
    """Run `validate ARGS` in a fresh interpreter; print its status and ``expression``."""
    code = (
        "import sys\n"
        "from support_policy.validator.cli import main\n"
        f"status = main(['validate', {policy!r}, *{list(args)!r}])\n"
        f"print(status, {expression})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


def test_fast_start_imports_no_heavy_libraries() -> None:
    heavy = (
        "sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sphinx', 'jsonschema', 'icalendar', 'docutils'})"
    )
    assert _after_validate(heavy) == "0 []"


def test_recurrence_expansion_is_loaded_only_for_recurring_calendars(tmp_path: Path) -> None:
    calendars = Path(__file__).parent / "data" / "calendars"
    # The hand-written calendars hold no cover event: check them against a policy without one.
    policy = tmp_path / "policy.yaml"
    policy.write_text(without_cover(bundled_policy_path().read_text("utf-8")), "utf-8")
    loaded = "'recurring_ical_events' in sys.modules"
    plain = str(calendars / "good_allday.ics")
    assert _after_validate(loaded, "--calendar", plain, policy=str(policy)) == "0 False"
    recurring = str(calendars / "recurring_good.ics")
    assert _after_validate(loaded, "--calendar", recurring, policy=str(policy)) == "0 True"


def test_version_is_printed_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    out, err = capsys.readouterr()
    assert out.startswith("support-policy ")
    assert out.split()[1][0].isdigit()
    assert err == ""


def test_running_in_process_leaves_garbage_collection_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_cli(capsys, "validate", "--example")[0] == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def _uncollected_cycles(*args: str) -> tuple[int, int]:
    """Run ``main(args)`` in a fresh interpreter with the cyclic collector off, as the
    console script does; return its status and the cycles a collection then finds."""
    code = (
        "import gc, sys\n"
        "gc.disable()\n"
        "from support_policy.validator.cli import main\n"
        f"status = main({list(args)!r})\n"
        "print(status, gc.collect())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    status, cycles = result.stdout.splitlines()[-1].split()
    return int(status), int(cycles)


@pytest.mark.parametrize("faulty", [False, True], ids=["good", "every-event-wrong"])
def test_checking_a_calendar_leaves_no_cycles_per_event(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, faulty: bool
) -> None:
    # The console script runs without the cyclic collector (cli.entry_point); that is
    # only safe while the garbage a run leaves does not grow with its input.
    results = []
    for weeks in (2, 520):
        status, text, _ = run_cli(
            capsys, "calendar", "--example", "--from", "2026-01-06", "--weeks", str(weeks)
        )
        assert status == 0
        if faulty:
            # Nobody: no attendee, and a name no member has.
            text = re.sub(r"(?m)^ATTENDEE.*\r\n", "", text)
            text = re.sub(r"(?m)^SUMMARY:([^:]*): .*\r$", r"SUMMARY:\1: Nobody Known\r", text)
        path = tmp_path / f"{weeks}-weeks.ics"
        path.write_text(text, encoding="utf-8", newline="")
        events = text.count("BEGIN:VEVENT")
        results.append(
            (events, *_uncollected_cycles("validate", "--example", "--calendar", str(path)))
        )
    (few, status_few, cycles_few), (many, status_many, cycles_many) = results
    assert many >= 100 * few
    assert status_few == status_many == (1 if faulty else 0)
    assert cycles_many - cycles_few < many // 10


# --- validate: GitHub Actions and --calendar -------------------------------------------


def test_github_actions_gets_annotations_and_plain_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    policy = tmp_path / "policy.yaml"
    policy.write_text(WARNING_ONLY_POLICY)
    status, out, _ = run_cli(capsys, "validate", str(policy))
    assert status == 0
    lines = out.splitlines()
    file = str(policy).replace(":", "%3A").replace(",", "%2C")
    assert lines[0].startswith(f"::warning file={file},line=24,col=14,title=SP208::ann would")
    assert lines[2].startswith(f"{policy}:24:14: SP208 warning: ann would")
    # An explicit --format wins over the environment.
    status, out, _ = run_cli(capsys, "validate", str(policy), "--format", "text")
    assert not out.startswith("::")


def test_each_calendar_is_checked_and_reported_under_its_own_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good, empty = tmp_path / "good.ics", tmp_path / "empty.ics"
    status, _, _ = run_cli(
        capsys, "calendar", "--example", "--from", "2026-01-06", "--weeks", "12", "-o", str(good)
    )
    assert status == 0
    empty.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//x//EN\nEND:VCALENDAR\n")
    status, out, _ = run_cli(
        capsys, "validate", "--example", "--calendar", str(good), "--calendar", str(empty)
    )
    assert status == 1
    lines = out.splitlines()
    assert lines[:-1], lines
    assert all(line.startswith(f"{empty}:1:") for line in lines[:-1]), lines
    assert not any(str(good) in line for line in lines)


def test_calendar_is_not_imported_without_calendar_option(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "support_policy.validator.calendar_check", None)
    status, _, _ = run_cli(capsys, "validate", "--example")
    assert status == 0


# --- on-duty ---------------------------------------------------------------------------


def test_on_duty_on_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "on-duty", "--example", "2026-03-10")
    assert status == 0
    assert out.splitlines()[1:3] == [
        "  Person D (person-d): 2026-02-17 to 2026-03-17",
        "  Person F (person-f): 2026-03-03 to 2026-03-31 [swapped in for Person E (away: Leave)]",
    ]


def test_on_duty_honours_source_date_epoch_and_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773100800")  # 2026-03-10T00:00:00Z
    status, out, _ = run_cli(capsys, "on-duty", "--example", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["when"] == "2026-03-10T00:00:00+00:00"
    assert [p["name"] for p in document["on_duty"]] == ["Person D", "Person F"]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        # The hand-off of 2026-03-17 happens at 00:00 UTC: Person D leaves, Person E joins.
        ("2026-03-16T23:59", ["Person D", "Person F"]),
        ("2026-03-17T00:00Z", ["Person F", "Person E"]),
        # 00:30 in Berlin on the 17th is still the 16th in UTC.
        ("2026-03-17T00:30+01:00", ["Person D", "Person F"]),
    ],
)
def test_on_duty_datetimes_and_zones(
    capsys: pytest.CaptureFixture[str], when: str, expected: list[str]
) -> None:
    status, out, _ = run_cli(capsys, "on-duty", "--example", when, "--format", "json")
    assert status == 0
    assert [p["name"] for p in json.loads(out)["on_duty"]] == expected


def test_on_duty_without_rotation_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(capsys, "on-duty", "2026-03-10", "--policy", str(POLICY))
    assert status == 1
    assert "no rotation" in out


def test_on_duty_with_a_broken_policy_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(WARNING_ONLY_POLICY.replace("tenure: 4 weeks", "tenure: 3 weeks"))
    status, _, err = run_cli(capsys, "on-duty", "--policy", str(policy))
    assert status == 1
    assert f"{policy}:18:11: SP202" in err


# --- deadline --------------------------------------------------------------------------


def test_deadline_across_a_weekend_and_a_holiday(capsys: pytest.CaptureFixture[str]) -> None:
    # Thursday 2026-12-24 12:00 UTC: 12 working hours that day, Friday 25th is a holiday,
    # the weekend does not count, the other 12 hours run on Monday 28th.
    status, out, _ = run_cli(
        capsys,
        "deadline",
        "--example",
        "--received",
        "2026-12-24T12:00Z",
        "--sla",
        "first-response",
    )
    assert status == 0
    assert "first-response (First response, within 24 working hours): due 2026-12-28T12:00:00Z" in (
        out
    )


def test_deadline_lists_every_within_target_and_skips_the_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_cli(
        capsys, "deadline", "--example", "--received", "2026-12-31T18:00", "--format", "json"
    )
    assert status == 0
    document = json.loads(out)
    assert document["received_utc"] == "2026-12-31T18:00:00Z"
    # 6 hours on Thursday 31st; Friday 1 January is a holiday; 18 hours on Monday 4th.
    assert [(d["sla"], d["due_utc"]) for d in document["deadlines"]] == [
        ("triage", "2027-01-04T18:00:00Z"),
        ("first-response", "2027-01-04T18:00:00Z"),
    ]
    assert [(s["sla"], s["kind"]) for s in document["skipped"]] == [
        ("timebox", "effort"),
        ("close-without-reply", "after"),
    ]


@pytest.mark.parametrize(
    ("sla", "expected"),
    [
        ("timebox", "is `effort: 30 minutes`, not a deadline"),
        ("close-without-reply", "is `after: 48 working hours`, not a deadline"),
        ("first-reponse", "names no SLA target (did you mean `first-response`?)"),
    ],
)
def test_deadline_rejects_targets_that_are_not_deadlines(
    capsys: pytest.CaptureFixture[str], sla: str, expected: str
) -> None:
    status, out, err = run_cli(
        capsys, "deadline", "--example", "--received", "2026-12-24", "--sla", sla
    )
    assert status == 2
    assert out == ""
    assert err.startswith("support-policy: SP901 ")
    assert expected in err


def test_a_command_loads_only_its_own_module() -> None:
    loaded = "sorted(m for m in sys.modules if '.validator.commands.' in m)"
    assert _after_validate(loaded) == "0 ['support_policy.validator.commands.validate']"


def test_top_level_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    for command in ("validate", "calendar", "on-duty", "deadline", "diff", "init", "schema"):
        assert f"    {command}" in listing


@pytest.mark.parametrize(
    "argv",
    [
        ["on-duty", "--example"],
        ["calendar", "--example", "--format", "json"],
        ["diff", str(bundled_policy_path()), str(bundled_policy_path())],
        ["report", "sla", "--example", "tickets.csv"],
    ],
    ids=["on-duty", "calendar", "diff", "report"],
)
def test_a_bad_source_date_epoch_is_one_error_everywhere(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    # One rule for "now" (policy/clock.py): every command that needs it says the same.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status, _, err = run_cli(capsys, *argv)
    assert status == 2
    assert err == (
        "support-policy: SP922 SOURCE_DATE_EPOCH `yesterday` is not a whole number of seconds\n"
    )
