"""``support:value`` forms: a count in words (``|words``, ``|Words``), digits otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, one_page_site, rootdir

from support_policy.handbook.values import (
    ValueReference,
    number_words,
    spell_leading_number,
    value_text,
)
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.models import Policy

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

Load = Callable[[str], LoadedPolicy]


@pytest.fixture
def policy(load: Load, bundled_text: str) -> Policy:
    loaded = load(bundled_text)
    assert loaded.policy is not None
    return loaded.policy


def text(policy: Policy, written: str) -> str | None:
    return value_text(policy, ValueReference.parse(written)).text


def test_small_counts_read_as_words_and_large_ones_as_digits() -> None:
    assert [number_words(n) for n in (0, 2, 13, 20, 21, 173)] == [
        "zero",
        "two",
        "thirteen",
        "twenty",
        "21",
        "173",
    ]
    assert number_words(2, capital=True) == "Two"


def test_a_count_followed_by_a_unit_has_its_number_spelled() -> None:
    assert spell_leading_number("4 weeks") == "four weeks"
    assert spell_leading_number("1 working day", capital=True) == "One working day"
    assert spell_leading_number("24 working hours") == "24 working hours"
    assert spell_leading_number("9" * 5000) == "9" * 5000  # no int() of a huge string
    for not_a_count in ("20%", "1.7", "Team 2", "4weeks", ""):
        assert spell_leading_number(not_a_count) is None, not_a_count


def test_forms_of_the_bundled_policy_values(policy: Policy) -> None:
    assert text(policy, "rotation.on_duty") == "2"
    assert text(policy, "rotation.on_duty|words") == "two"
    assert text(policy, "policy.rotation.on_duty | Words") == "Two"
    assert text(policy, "rotation.tenure|words") == "four weeks"
    assert text(policy, "budget.communities_max|words") == "twenty"
    assert text(policy, "budget.hours_per_month|words") == "173"


def test_an_unknown_form_is_a_coded_problem_and_no_text(policy: Policy) -> None:
    result = value_text(policy, ValueReference.parse("rotation.on_duty|roman"))
    assert result.text is None
    assert result.problem is not None
    assert result.problem.code is Code.UNKNOWN_VALUE_FORM
    assert result.problem.message == (
        "unknown form `roman` of a policy value; known forms: `words`, `Words`"
    )


def test_words_on_a_value_that_is_no_count_keeps_it_and_warns(policy: Policy) -> None:
    result = value_text(policy, ValueReference.parse("budget.support_share|words"))
    assert result.text == "20%"
    assert result.problem is not None
    assert result.problem.code is Code.VALUE_NOT_A_COUNT


def test_an_unknown_path_still_suggests_one(policy: Policy) -> None:
    result = value_text(policy, ValueReference.parse("rotation.on_dut|words"))
    assert result.text is None
    assert result.problem is not None
    assert result.problem.code is Code.UNKNOWN_VALUE_PATH
    assert "(did you mean `rotation.on_duty`?)" in result.problem.message


PAGE = """\
# Values

The team is {support:value}`rotation.on_duty|words` stewards.
{support:value}`rotation.on_duty|Words` stewards serve {support:value}`rotation.tenure|words`.
Plain: {support:value}`rotation.on_duty`; large: {support:value}`budget.hours_per_month|words`.
Bad form: {support:value}`rotation.on_duty|roman`.
Not a count: {support:value}`budget.support_share|words`.
"""


@pytest.mark.sphinx
def test_value_forms_in_a_built_page(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = one_page_site(tmp_path / "src", PAGE, example_policy())
    app, warnings = build(make_app, srcdir, "html")
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "The team is two stewards." in page
    assert "Two stewards serve four weeks." in page
    assert "Plain: 2; large: 173." in page
    assert "Not a count: 20%." in page
    assert 'class="problematic"' in page
    assert "rotation.on_duty|roman" in page
    lines = warnings.strip().splitlines()
    assert len(lines) == 2, warnings
    # MyST positions a role at its paragraph.
    assert "index.md:3: WARNING: SP521 unknown form `roman`" in lines[0]
    assert "[support-policy.reference]" in lines[0]
    assert "index.md:3: WARNING: SP522 `budget.support_share` is `20%`" in lines[1]


@pytest.mark.sphinx
def test_suppressing_reference_warnings_silences_the_forms(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = one_page_site(tmp_path / "src", PAGE, example_policy())
    _, warnings = build(
        make_app, srcdir, "html", confoverrides={"suppress_warnings": ["support-policy.reference"]}
    )
    assert warnings == ""


@pytest.mark.sphinx
def test_a_hostile_value_stays_escaped_in_every_form(make_app: MakeApp, tmp_path: Path) -> None:
    policy = example_policy().replace(
        "name: Support Steward\n", 'name: "3 <script>x</script>"\n', 1
    )
    page = "# V\n\nRole: {support:value}`roles.support-steward|words`.\n"
    srcdir = one_page_site(tmp_path / "src", page, policy)
    app, _ = build(make_app, srcdir, "html")
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "<script>x" not in html
    assert "Role: three &lt;script&gt;x&lt;/script&gt;." in html


def test_a_long_unknown_form_is_cut_in_the_message(policy: Policy) -> None:
    result = value_text(policy, ValueReference.parse("rotation.on_duty|" + "x" * 10_000))
    assert result.problem is not None
    assert len(result.problem.message) < 120
