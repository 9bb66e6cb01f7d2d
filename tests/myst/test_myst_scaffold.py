"""``support-policy init --engine mystmd`` gives a project mystmd builds without warnings."""

from __future__ import annotations

import os
from pathlib import Path

from mystmd_build import run_myst

from support_policy.validator import cli


def test_the_mystmd_scaffold_builds_without_warnings(tmp_path: Path) -> None:
    folder = tmp_path / "handbook"
    assert cli.main(["init", str(folder), "--engine", "mystmd"]) == 0
    # The book theme comes from outside the package registries: the local stand-in.
    template = Path(os.environ["SUPPORT_POLICY_MYST_SITE"]) / "site-template"
    config = folder / "myst.yml"
    config.write_text(
        config.read_text("utf-8").replace("template: book-theme", f"template: {template}"),
        "utf-8",
    )
    build = run_myst(folder)
    assert build.status == 0, build.log
    assert build.problems == [], build.log
    html = build.html("support")
    assert "Support Steward" in html
    assert "Acknowledge a request" in html
