"""One judge: ``validate`` and the Sphinx build report the same problems of a policy.

Both ask :func:`support_policy.policy.loader.load_policy`; these tests hold them to it over
the whole invalid corpus and over the files a policy names (``file:`` templates).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, rootdir

from support_policy.validator.cli import main

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

INVALID = sorted((Path(__file__).parent / "fixtures" / "invalid").glob("*.yaml"))
CONF = (
    'extensions = ["support_policy.sphinxext"]\n'
    # Explicit: a MyST build earlier in the same process leaves ".md" in Sphinx's shared
    # default, and `templates/status.md` would then be read as a page.
    'source_suffix = {".rst": "restructuredtext"}\n'
    'exclude_patterns = ["_build"]\n'
    'support_policy_file = "policy.yaml"\n'
)
WARNING = re.compile(r"policy\.yaml(?::(\d+))?: WARNING: (SP\d{3}) ")


def cli_problems(policy: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int]]:
    main(["validate", str(policy), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return sorted(
        (d["code"], d["line"]) for d in report["diagnostics"] if d["file"].endswith("policy.yaml")
    )


def sphinx_problems(make_app: MakeApp, srcdir: Path) -> list[tuple[str, int]]:
    _app, warnings = build(make_app, srcdir, "html")
    found = [
        (match.group(2), int(match.group(1) or 0))
        for match in map(WARNING.search, re.sub(r"\x1b\[[0-9;]*m", "", warnings).splitlines())
        if match
    ]
    return sorted(found)


def site(tmp_path: Path, policy_text: str) -> Path:
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    (srcdir / "index.rst").write_text("Handbook\n========\n\nNothing rendered.\n", "utf-8")
    (srcdir / "policy.yaml").write_text(policy_text, encoding="utf-8")
    return srcdir


@pytest.mark.sphinx
@pytest.mark.parametrize("fixture", INVALID, ids=[path.stem for path in INVALID])
def test_the_build_and_validate_report_the_same_problems(
    make_app: MakeApp, tmp_path: Path, capsys: pytest.CaptureFixture[str], fixture: Path
) -> None:
    srcdir = site(tmp_path, fixture.read_text(encoding="utf-8"))
    expected = cli_problems(srcdir / "policy.yaml", capsys)
    assert expected, "an invalid fixture must have problems"
    assert sphinx_problems(make_app, srcdir) == expected


TEMPLATED = """version: 1
organization: {name: Org}
team:
  name: Team
  members:
    person-a: {name: Person A}
roles:
  steward: {name: Steward}
sla:
  first-response: {name: First response, within: 24 working hours}
templates:
  status:
    name: Status
    variables: [NAME]
    file: templates/status.md
"""


@pytest.mark.sphinx
def test_a_file_template_is_judged_by_the_build_as_by_validate(
    make_app: MakeApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    srcdir = site(tmp_path, TEMPLATED)
    (srcdir / "templates").mkdir()
    (srcdir / "templates" / "status.md").write_text(
        "Hello {{ NAME }}, due in {{ policy.sla.nope }}.\nThanks, <OTHER>\n", "utf-8"
    )
    main(["validate", str(srcdir / "policy.yaml"), "--format", "json"])
    found = {
        (d["code"], d["line"], d["column"])
        for d in json.loads(capsys.readouterr().out)["diagnostics"]
    }
    assert found == {("SP213", 1, 26), ("SP303", 2, 9)}

    _app, warnings = build(make_app, srcdir, "html")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", warnings)
    assert re.search(r"status\.md:1: WARNING: SP213 ", plain), plain
    assert re.search(r"status\.md:2: WARNING: SP303 ", plain), plain


def test_the_corpus_is_there() -> None:
    # An empty glob would parametrize nothing and pass.
    assert len(INVALID) >= 40
