"""What the command line shows of policy text that holds links and markup.

``diff`` compares and quotes policy text *as written*: a reviewer must see a changed link
target even where a reader of the handbook would see the same words. Its Markdown form
(a pull-request comment) never turns a link in the policy into a live link.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from support_policy.policy.loader import bundled_policy_path
from support_policy.validator import cli

BUNDLED = bundled_policy_path().read_text(encoding="utf-8")
COMMANDER = "    definition: The person designated to orchestrate our response to an incident.\n"


def _with_definition(text: str) -> str:
    assert COMMANDER in BUNDLED
    return BUNDLED.replace(COMMANDER, f"    definition: {text}\n")


def _diff(tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, fmt: str) -> str:
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    files = [str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    status = cli.main(["diff", *files, "--today", "2026-04-20", "--format", fmt])
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_diff_shows_a_changed_page_link_target_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same words for a reader, another page: the diff still reports it, with both targets."""
    old = _with_definition('"Who runs [the response](doc:incidents)."')
    new = _with_definition('"Who runs [the response](doc:runbook)."')
    out = _diff(tmp_path, capsys, old, new, "json")
    texts = [entry["text"] for entry in json.loads(out)["entries"]]
    assert (
        "Term Incident Commander: definition “Who runs [the response](doc:incidents).” → "
        "“Who runs [the response](doc:runbook).”"
    ) in texts


def test_diff_markdown_never_makes_a_policy_link_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = _with_definition('"Who runs [it](https://ok.example.org)."')
    new = _with_definition('"Who runs [it](https://evil.example.org) or [x](javascript:y)."')
    out = _diff(tmp_path, capsys, old, new, "markdown")
    html = MarkdownIt("gfm-like").render(out)
    assert "<a " not in html, html
    assert "evil.example.org" in html  # shown to the reviewer, as text
