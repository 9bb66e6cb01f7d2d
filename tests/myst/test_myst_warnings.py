"""Problems reach a mystmd build as mystmd warnings: our code, the page or YAML position."""

from __future__ import annotations

from pathlib import Path

from mystmd_build import myst_build

from support_policy.policy.loader import bundled_policy_path

PAGE = (
    "# {title}\n\nThe team: {{support:value}}`team.name`.\n\n"
    "Broken: {{support:value}}`team.nmae`.\n"
)


def _example() -> str:
    return bundled_policy_path().read_text(encoding="utf-8")


def test_a_role_problem_is_warned_at_the_role_with_our_code(tmp_path: Path) -> None:
    pages = {"one.md": PAGE.format(title="One"), "two.md": PAGE.format(title="Two")}
    build = myst_build(tmp_path, pages, _example())
    assert build.status == 0, build.log
    expected = "SP213 unknown policy value `team.nmae`"
    assert sorted(p.split(" ", 1)[0].rsplit(":", 1)[0] for p in build.problems) == [
        "one.md:5",
        "two.md:5",
    ], build.log
    assert all(expected in p for p in build.problems), build.log


def test_a_policy_problem_is_warned_once_at_its_yaml_position(tmp_path: Path) -> None:
    policy = _example() + "\nsurprise: 1\n"
    line = policy.count("\n")
    pages = {"one.md": PAGE.format(title="One"), "two.md": PAGE.format(title="Two")}
    build = myst_build(tmp_path, pages, policy)
    assert build.status == 0, build.log
    located = [p for p in build.problems if f"policy.yaml:{line}:1: " in p]
    assert len(located) == 1, build.log
    assert "SP101" in located[0]


def test_error_rules_silence_the_plugins_warnings(tmp_path: Path) -> None:
    rules = "  error_rules:\n    - rule: support-policy\n      severity: ignore\n"
    build = myst_build(
        tmp_path, {"one.md": PAGE.format(title="One")}, _example(), extra_config=rules
    )
    assert build.status == 0, build.log
    assert build.problems == [], build.log
    assert "<code>team.nmae</code>" in build.html()


def test_a_malformed_directive_is_warned_with_our_codes(tmp_path: Path) -> None:
    page = (
        "# One\n\n```{support-glossary}\n:no-index: yes\n```\n\n"
        "```{support-roles}\nA body the directive ignores.\n```\n"
    )
    build = myst_build(tmp_path, {"one.md": page}, _example())
    assert build.status == 0, build.log
    codes = sorted(p.split(" ")[1] for p in build.problems)
    assert codes == ["SP510", "SP512"], build.log


def test_a_role_in_a_wrapped_paragraph_is_warned_at_its_own_line(tmp_path: Path) -> None:
    page = (
        "# One\n\nThe team {support:value}`team.name` answers every request, a long line\n"
        "that goes on: {support:value}`team.nmae`.\n"
    )
    build = myst_build(tmp_path, {"one.md": page}, _example())
    assert build.status == 0, build.log
    assert [p.split(" ", 1)[0] for p in build.problems] == ["one.md:4:15"], build.log
