"""``support-policy diff``: files, git revisions, formats and exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from support_policy.policy.loader import bundled_policy_path
from support_policy.validator import cli

BUNDLED = bundled_policy_path().read_text(encoding="utf-8")
PERSON_F = "    person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}\n"
WITH_PERSON_G = BUNDLED.replace(PERSON_F, PERSON_F + "    person-g: {name: Person G}\n")
FASTER_RESPONSE = BUNDLED.replace("within: 24 working hours", "within: 8 working hours")


@pytest.fixture(autouse=True)
def _diff_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["diff", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_markdown_is_the_default_and_fits_a_pull_request_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = write(tmp_path, "old.yaml", BUNDLED), write(tmp_path, "new.yaml", FASTER_RESPONSE)
    status, out, err = run(capsys, str(old), str(new), "--today", "2026-04-20")
    assert status == 0, err
    assert out.startswith("## Support policy changes\n")
    assert "### SLA\n\n- First response: 24 working hours → 8 working hours\n" in out
    assert "FLAGGED" not in out


def test_flagged_changes_exit_1_and_stand_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = write(tmp_path, "old.yaml", BUNDLED), write(tmp_path, "new.yaml", WITH_PERSON_G)
    status, out, _ = run(capsys, str(old), str(new), "--today", "2026-04-20")
    assert status == 1
    assert "> [!CAUTION]" in out
    assert "- ⛔ **FLAGGED:** Rotation: this edit rewrites past hand-offs" in out


def test_json_format_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = write(tmp_path, "old.yaml", BUNDLED), write(tmp_path, "new.yaml", WITH_PERSON_G)
    status, out, _ = run(
        capsys, str(old), str(new), "--format", "json", "--today", "2026-04-20", "--weeks", "4"
    )
    data = json.loads(out)
    assert status == 1
    assert data["today"] == "2026-04-20"
    assert data["weeks"] == 4
    assert data["flagged"] == 2
    assert {
        "section": "team",
        "text": "Team: Person G joins the team (`person-g`)",
        "flag": False,
    } in data["entries"]
    assert all(set(entry) == {"section", "text", "flag"} for entry in data["entries"])


def test_text_format_has_one_line_per_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = write(tmp_path, "old.yaml", BUNDLED), write(tmp_path, "new.yaml", FASTER_RESPONSE)
    _, out, _ = run(capsys, str(old), str(new), "--format", "text", "--today", "2026-04-20")
    assert "\nSLA: First response: 24 working hours → 8 working hours\n" in out


def test_today_defaults_to_source_date_epoch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2026, 4, 20, tzinfo=UTC).timestamp())))
    old, new = write(tmp_path, "old.yaml", BUNDLED), write(tmp_path, "new.yaml", BUNDLED)
    status, out, _ = run(capsys, str(old), str(new), "--format", "json")
    assert status == 0
    assert json.loads(out)["today"] == "2026-04-20"


def test_a_new_version_with_errors_is_a_finding_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", BUNDLED)
    new = write(tmp_path, "new.yaml", BUNDLED.replace("  tenure: 4 weeks", "  tenure: 3 weeks"))
    status, out, err = run(capsys, str(old), str(new))
    assert status == 1
    assert "The new version does not validate" in out
    assert f"{new}:" in out
    assert "SP202" in out
    assert err == ""


def test_a_missing_file_is_a_coded_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", BUNDLED)
    status, _, err = run(capsys, str(old), str(tmp_path / "nope.yaml"))
    assert status == 2
    assert err == f"{tmp_path / 'nope.yaml'}: SP001 no such file\n"


@pytest.mark.parametrize(
    "argv",
    [["only-one.yaml"], ["a.yaml", "b.yaml", "c.yaml"], ["--today", "tomorrow", "a", "b"]],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, *argv)
    assert status == 2
    assert "SP901" in err
    assert len(err.strip().splitlines()) == 1


# --- against git ------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    (folder / "handbook").mkdir(parents=True)
    git(folder, "init", "-q")
    write(folder / "handbook", "policy.yaml", BUNDLED)
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "policy")
    return folder


@needs_git
def test_rev_compares_the_working_file_with_a_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "handbook", "policy.yaml", FASTER_RESPONSE)
    monkeypatch.chdir(repo / "handbook")
    status, out, err = run(capsys, "--rev", "HEAD", "--today", "2026-04-20", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["old"] == "HEAD:handbook/policy.yaml"
    assert data["new"] == "policy.yaml"
    assert [e["text"] for e in data["entries"]] == [
        "First response: 24 working hours → 8 working hours"
    ]


@needs_git
def test_rev_flags_a_reshuffled_past(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = write(repo / "handbook", "policy.yaml", WITH_PERSON_G)
    status, out, _ = run(capsys, "--rev", "HEAD", str(policy), "--today", "2026-04-20")
    assert status == 1
    assert "HEAD:handbook/policy.yaml" in out


@needs_git
def test_rev_that_names_no_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "--rev", "no-such-branch", str(repo / "handbook/policy.yaml"))
    assert status == 2
    assert "SP901" in err
    assert "no-such-branch" in err
    assert len(err.splitlines()) == 1


@needs_git
def test_rev_when_the_file_is_new(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fresh = write(repo, "other.yaml", BUNDLED)
    status, _, err = run(capsys, "--rev", "HEAD", str(fresh))
    assert status == 2
    assert err == "HEAD:other.yaml: SP001 not in revision `HEAD`\n"


@needs_git
def test_rev_outside_a_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    policy = write(outside, "policy.yaml", BUNDLED)
    status, _, err = run(capsys, "--rev", "HEAD", str(policy))
    assert status == 2
    assert "SP901" in err
    assert "not in a git repository" in err


BODY = BUNDLED[BUNDLED.index("    body: |\n      Hello {{ NAME }}") :].split("\n\n", 1)[0] + "\n"
IN_A_FILE = BUNDLED.replace(BODY, "    file: canned/non-incident-status.md\n")
TEMPLATE_TEXT = "Hello {{ NAME }}, your request is not an outage; we will plan it.\n"


@needs_git
def test_rev_compares_template_files_as_of_the_revision(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert BODY in BUNDLED
    (repo / "handbook" / "canned").mkdir()
    template = write(repo / "handbook" / "canned", "non-incident-status.md", TEMPLATE_TEXT)
    policy = write(repo / "handbook", "policy.yaml", IN_A_FILE)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "template in a file")
    status, out, err = run(capsys, "--rev", "HEAD", str(policy), "--format", "text")
    assert status == 0, err
    assert out.endswith("\nno changes in meaning\n")
    # Only the file changes: the policy text is the same as at HEAD.
    template.write_text(TEMPLATE_TEXT + "Thank you for your patience.\n", encoding="utf-8")
    status, out, err = run(capsys, "--rev", "HEAD", str(policy), "--format", "json")
    assert status == 0, err
    assert [e["text"] for e in json.loads(out)["entries"]] == [
        "Template Non-incident status update: body changed (1 lines differ)"
    ]


def test_diff_of_two_files_compares_their_template_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder, text in (
        ("old", TEMPLATE_TEXT),
        ("new", TEMPLATE_TEXT.replace("plan", "schedule")),
    ):
        (tmp_path / folder / "canned").mkdir(parents=True)
        write(tmp_path / folder / "canned", "non-incident-status.md", text)
        write(tmp_path / folder, "policy.yaml", IN_A_FILE)
    old, new = tmp_path / "old" / "policy.yaml", tmp_path / "new" / "policy.yaml"
    status, out, err = run(capsys, str(old), str(new), "--format", "text")
    assert status == 0, err
    assert "Template Non-incident status update: body changed (2 lines differ)" in out
    # Moving the text from `body:` into a file is named as such.
    status, out, err = run(capsys, str(bundled_policy_path()), str(new), "--format", "text")
    assert "Template Non-incident status update: body moved out to " in out
