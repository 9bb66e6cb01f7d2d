"""`support-policy validate --templates DIR`: template folders and placeholder syntax."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support_policy.policy.loader import load_policy
from support_policy.policy.template_texts import foreign_placeholders
from support_policy.validator.cli import main
from support_policy.validator.templates_check import TemplatesUnreadable, check_template_dirs

DATA = Path(__file__).parent / "data" / "templates"
POLICY = DATA / "policy.yaml"


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    status = main(["validate", *args])
    return status, capsys.readouterr().out.splitlines()


def test_good_folder_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    # Trailing whitespace and blank lines at the end differ from the body; hidden files and
    # subfolders are ignored; closing.txt equals the declared files/closing.md.
    status, lines = validate(capsys, str(POLICY), "--templates", str(DATA / "good"))
    assert status == 0
    assert lines == [f"{POLICY}: ok"]


def test_bad_folder_reports_every_fault_with_its_position(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, lines = validate(capsys, str(POLICY), "--templates", str(DATA / "bad"))
    assert status == 1
    closing = f"{DATA / 'bad' / 'closing.txt'}"
    located = [line.split(" ", 2)[:2] for line in lines[:-1]]
    assert located == [
        [f"{closing}:1:1:", "SP302"],
        [f"{closing}:1:5:", "SP211"],
        [f"{closing}:1:22:", "SP213"],
        [f"{closing}:2:10:", "SP303"],
        [f"{closing}:2:21:", "SP303"],
        [f"{closing}:2:41:", "SP303"],
        [f"{closing}:2:55:", "SP303"],
        [f"{DATA / 'bad' / 'greeting.md'}:2:1:", "SP302"],
        [f"{DATA / 'bad' / 'greting.md'}:", "SP301"],
        # The unused variable is shown at its declaration in the policy (line 24, `NAME`).
        [f"{POLICY}:24:17:", "SP212"],
    ]
    assert lines[-1] == "10 errors, 0 warnings"
    text = "\n".join(lines)
    # SP301 suggests the close id; SP302 shows both lines; SP211 suggests the declared name.
    assert "no template has the id `greting` (did you mean `greeting`?)" in text
    assert (
        "file has 'thanks for writing to us.', "
        "policy has 'thanks for writing to {{ policy.organization.name }}.'"
    ) in text
    assert "`{{ NAMEE }}` is not a declared variable (did you mean `NAME`?)" in text
    assert "`{ HUB }` is a placeholder in another syntax; write `{{ HUB }}`" in text
    assert "`<CLUSTER_NAME>` is a placeholder" in text
    assert "`HUB_URL` is a placeholder" in text
    assert "`{X}` is a placeholder" in text
    assert "`NAME` is declared but never used in the template" in text


def test_undecodable_template_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines = validate(capsys, str(POLICY), "--templates", str(DATA / "undecodable"))
    assert status == 1
    assert lines[0].startswith(f"{DATA / 'undecodable' / 'greeting.md'}:2:3: SP002 ")


@pytest.mark.parametrize("folder", ["missing-folder", "policy.yaml"])
def test_unreadable_folder_cannot_run(capsys: pytest.CaptureFixture[str], folder: str) -> None:
    status, lines = validate(capsys, str(POLICY), "--templates", str(DATA / folder))
    assert status == 2
    assert lines[0].startswith(f"{DATA / folder}: SP001 ")


def test_check_template_dirs_raises_for_unreadable_folder(tmp_path: Path) -> None:
    loaded = load_policy(POLICY)
    with pytest.raises(TemplatesUnreadable) as raised:
        check_template_dirs(loaded, [tmp_path / "nope"])
    assert raised.value.diagnostic.code == "SP001"


def test_declared_template_file_in_the_folder_is_not_reported_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # --templates pointing at the folder that holds the policy's own `file:` template.
    shutil.copytree(DATA, tmp_path / "data")
    policy = tmp_path / "data" / "policy.yaml"
    (tmp_path / "data" / "files" / "closing.md").write_text("Bye {{ NAME }}, <X>.\n")
    (tmp_path / "data" / "files" / "mixed.md").unlink()  # another policy's file
    status, lines = validate(capsys, str(policy), "--templates", str(tmp_path / "data" / "files"))
    assert status == 1
    assert [line.split(" ")[1] for line in lines[:-1]] == ["SP303"]
    assert lines[0].startswith(f"{tmp_path / 'data' / 'files' / 'closing.md'}:1:17: SP303")


def test_inline_body_and_file_templates_are_checked_for_mixed_syntax(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, lines = validate(capsys, str(DATA / "mixed-policy.yaml"))
    assert status == 1
    mixed = DATA / "files" / "mixed.md"
    assert [line.split(" ", 2)[:2] for line in lines[:-1]] == [
        [f"{mixed}:1:17:", "SP213"],
        [f"{mixed}:1:47:", "SP303"],
        # Line 17 of the YAML is the body's second line; `<HUB_NAME>` starts at column 16.
        [f"{DATA / 'mixed-policy.yaml'}:17:16:", "SP303"],
    ]
    assert "(did you mean `roles.steward`?)" in lines[0]


def test_missing_declared_file_is_reported_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    (tmp_path / "data" / "files" / "closing.md").unlink()
    status, lines = validate(capsys, str(tmp_path / "data" / "policy.yaml"))
    assert status == 1
    assert [line.split(" ")[1] for line in lines[:-1]] == ["SP304"]


def test_templates_are_not_checked_when_the_policy_does_not_load(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "policy.yaml"
    broken.write_text("version: 1\norganization: [\n")
    status, lines = validate(capsys, str(broken), "--templates", str(DATA / "bad"))
    assert status == 1
    assert all(line.startswith(str(broken)) for line in lines[:-1])
    assert "SP010" in lines[0]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Hello { NAME } and {X}", ["{ NAME }", "{X}"]),
        ("Hello <NAME>, <b>not this</b>", ["<NAME>"]),
        ("Run `HUB_URL` but not `code` or `A`", ["`HUB_URL`"]),
        ("Fine: {{ NAME }}, {{X}}, \\{{ literal }}", []),
    ],
)
def test_foreign_placeholder_syntaxes(text: str, found: list[str]) -> None:
    assert [item.text for item in foreign_placeholders(text)] == found
