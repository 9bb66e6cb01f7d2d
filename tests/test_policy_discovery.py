"""Which policy a command reads: named, found in the current folder, or none (exit 2).

A command run in a folder must never answer from some other file, least of all the
bundled example, whose made-up people would read like a real rota.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from support_policy.policy.loader import bundled_policy_path
from support_policy.validator import cli

EXAMPLE_PEOPLE = re.compile(r"Person [A-H]\b")
HOW_TO = "name it with `--policy PATH`"

# Each command that reads a policy, with the arguments it needs besides the policy.
COMMANDS = {
    "validate": ["validate"],
    "calendar": ["calendar"],
    "on-duty": ["on-duty"],
    "on-duty-with-a-date": ["on-duty", "2026-01-10"],
    "deadline": ["deadline", "--received", "2026-03-10T09:00"],
    "diff-rev": ["diff", "--rev", "HEAD"],
}

TEAM_POLICY = """\
version: 1
organization: {name: Team Org}
team:
  name: Our Team
  members:
    ann: {name: Ann}
    bob: {name: Bob}
    cy: {name: Cy}
roles:
  steward: {name: Steward}
rotation:
  role: steward
  tenure: 2 weeks
  handover_every: 1 week
  handover_day: monday
  start: 2026-01-05
sla:
  reply: {name: Reply, within: 4 hours}
"""


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "no-policy-here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def team_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "policy.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


# --- no policy: exit 2, and how to name one ----------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_without_a_policy_every_command_exits_2_and_says_how_to_name_one(
    empty_folder: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    status, out, err = run(capsys, *COMMANDS[name])
    assert status == 2
    said = out + err
    assert " SP910 no policy file given, and none found here: " in said
    assert HOW_TO in said
    assert "`--example`" in said
    assert not EXAMPLE_PEOPLE.search(said)
    assert "Traceback" not in said


def test_the_example_is_read_only_when_asked_for(
    empty_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "on-duty", "2026-01-10", "--example")
    assert status == 0
    assert "from <bundled>/policy.yaml" in out
    assert EXAMPLE_PEOPLE.search(out)


def test_the_example_and_a_path_are_not_both_accepted(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "on-duty", "--policy", "policy.yaml", "--example")
    assert status == 2
    assert "SP901 give a policy path or --example, not both" in err
    status, out, err = run(capsys, "validate", "policy.yaml", "--example")
    assert status == 2
    assert out.startswith("support-policy validate: SP901 give a policy path or --example")


def test_two_different_policies_are_refused(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "validate", "policy.yaml", "--policy", "other.yaml")
    assert status == 2
    assert "SP901 two policies given (policy.yaml, other.yaml); give one" in out


# --- discovery ------------------------------------------------------------------------------


def test_policy_yaml_in_the_current_folder_is_found_by_every_command(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "validate") == (0, "policy.yaml: ok\n", "")
    status, out, _ = run(capsys, "on-duty", "2026-01-10")
    assert status == 0
    assert out.startswith("On duty at 2026-01-10 (UTC), from policy.yaml:\n")
    assert "Ann (ann)" in out
    assert not EXAMPLE_PEOPLE.search(out)
    status, out, _ = run(capsys, "deadline", "--received", "2026-03-10T09:00")
    assert status == 0
    assert out.startswith("Received 2026-03-10T09:00:00Z, from policy.yaml\n")
    status, out, err = run(capsys, "calendar", "--format", "table", "--from", "2026-01-05")
    assert status == 0
    assert err == "policy.yaml: rotation from 2026-01-05 for 12 weeks\n"
    assert "Ann" in out


def test_the_same_option_names_the_policy_for_every_command(
    empty_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "elsewhere.yaml"
    policy.write_text(TEAM_POLICY, encoding="utf-8")
    for args in COMMANDS.values():
        if args[0] == "diff":
            continue  # needs a git repository; see the diff test below
        status, out, err = run(capsys, *args, "--policy", str(policy))
        assert status == 0, (args, out, err)
        assert str(policy) in out + err, args


def test_diff_rev_finds_the_policy_too(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "policy.yaml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "policy"], check=True)
    status, out, _ = run(
        capsys, "diff", "--rev", "HEAD", "--format", "text", "--today", "2026-02-02"
    )
    assert status == 0
    assert out.startswith("HEAD:policy.yaml → policy.yaml ")


def test_pyproject_setting_names_the_policy(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (team_folder / "handbook").mkdir()
    (team_folder / "policy.yaml").rename(team_folder / "handbook" / "support.yaml")
    (team_folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.support-policy]\npolicy = "handbook/support.yaml"\n',
        encoding="utf-8",
    )
    assert run(capsys, "validate") == (0, "handbook/support.yaml: ok\n", "")


def test_the_pyproject_setting_wins_over_a_policy_yaml(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (team_folder / "team.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    (team_folder / "pyproject.toml").write_text(
        '[tool.support-policy]\npolicy = "team.yaml"\n', encoding="utf-8"
    )
    assert run(capsys, "validate")[1] == "team.yaml: ok\n"


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[tool.support-policy]\npolicy = 'nope.yaml'\n", "pyproject.toml:2: SP020 "),
        ("[tool.support-policy]\npolicy = 3\n", "pyproject.toml:2: SP020 "),
        ("[tool.support-policy]\npolcy = 'team.yaml'\n", "pyproject.toml:2: SP020 unknown key"),
        ("[tool.support-policy\npolicy = 'x'\n", "pyproject.toml:1:21: SP020 is not valid TOML"),
        ("[tool]\nsupport-policy = 'x'\n", "pyproject.toml:2: SP020 `tool.support-policy` must"),
    ],
    ids=["missing-file", "not-text", "typo", "bad-toml", "not-a-table"],
)
def test_a_broken_pyproject_setting_stops_the_command(
    empty_folder: Path, capsys: pytest.CaptureFixture[str], toml: str, expected: str
) -> None:
    (empty_folder / "pyproject.toml").write_text(toml, encoding="utf-8")
    status, out, err = run(capsys, "on-duty")
    assert status == 2
    assert err.startswith(expected), err
    assert out == ""


def test_a_pyproject_without_the_setting_is_ignored(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (team_folder / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert run(capsys, "validate")[1] == "policy.yaml: ok\n"


def test_a_huge_pyproject_is_not_read(
    empty_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (empty_folder / "pyproject.toml").write_bytes(b"# x\n" * 300_000)
    status, out, _ = run(capsys, "validate", "--format", "json")
    assert status == 2
    [problem] = json.loads(out)["diagnostics"]
    assert (problem["file"], problem["code"]) == ("pyproject.toml", "SP020")
    assert problem["message"].startswith("is larger than")


def test_on_duty_with_a_file_for_a_date_says_how_to_name_the_policy(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "on-duty", "policy.yaml")
    assert status == 2
    assert out == ""
    assert "SP901 `policy.yaml` is a file, not a date or datetime: name the policy with " in err
    assert "`--policy policy.yaml`" in err
    assert "not a date or datetime; write" not in err


# --- papercuts ---------------------------------------------------------------------------------


def test_on_duty_now_is_shown_to_the_second(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "on-duty")
    assert status == 0
    shown = re.match(r"On duty at (\S+) \(UTC\)", out)
    assert shown is not None, out
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", shown.group(1)), shown.group(1)


def test_on_duty_json_names_the_policy(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(run(capsys, "on-duty", "2026-01-10", "--format", "json")[1])
    assert document["policy"] == "policy.yaml"


def test_deadline_in_utc_prints_each_time_once(
    team_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "deadline", "--received", "2026-03-10T09:00")
    assert status == 0
    assert out == (
        "Received 2026-03-10T09:00:00Z, from policy.yaml\n"
        "  reply (Reply, within 4 hours): due 2026-03-10T13:00:00Z\n"
    )


def test_deadline_in_another_zone_prints_both_times(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "deadline", "--example", "--received", "2026-03-10T09:00Z", "--sla", "triage"
    )
    assert status == 0
    assert "(2026-03-10T09:00:00+00:00 UTC)" not in out  # the example's zone is UTC
    policy = tmp_path / "berlin.yaml"
    policy.write_text(TEAM_POLICY + "working_time: {timezone: Europe/Berlin}\n", encoding="utf-8")
    status, out, _ = run(
        capsys, "deadline", "--policy", str(policy), "--received", "2026-03-10T09:00Z"
    )
    assert status == 0
    assert "due 2026-03-10T13:00:00Z (2026-03-10T14:00:00+01:00 Europe/Berlin)" in out


def test_calendar_defaults_to_a_window_around_today(
    team_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 6, 17, tzinfo=UTC).timestamp())))
    status, out, err = run(capsys, "calendar", "--format", "json")
    assert status == 0
    assert err == "policy.yaml: rotation from 2026-06-03 for 12 weeks\n"
    document = json.loads(out)
    assert document["from"] == "2026-06-03"


def test_diff_text_names_each_section_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = bundled_policy_path()
    new = tmp_path / "new.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace("sprint meeting", "team meeting"),
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "diff", str(old), str(new), "--format", "text", "--today", "2026-04-20")
    assert "\nRotation: " in out, out
    assert "rotation: Rotation" not in out
    assert not re.search(r"^(FLAGGED )?(\w+): \2\b", out, re.MULTILINE | re.IGNORECASE), out
