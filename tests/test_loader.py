"""Loading a policy file: hostile YAML is refused cleanly, every problem is positioned."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import (
    LoadedPolicy,
    bundled_policy_path,
    load_policy,
    load_policy_bytes,
    load_policy_text,
)

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))

MINI = """version: 1
organization:
  name: Org
  support_email: help@example.org
team:
  name: Team
  members:
    ann: {name: Ann}
    bob: {name: Bob}
    cat: {name: Cat}
roles:
  steward:
    name: Steward
"""


CODES = {code.code for code in Code}


def spots(result: LoadedPolicy) -> list[str]:
    """Each diagnostic as ``CODE line:col``, in reported order."""
    return [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics]


def only(result: LoadedPolicy) -> str:
    """The message of the single diagnostic (fails when there are more or fewer)."""
    assert len(result.diagnostics) == 1, [d.format() for d in result.diagnostics]
    return result.diagnostics[0].message


def expectation(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# expect: (.*)", first)
    assert match, f"{path.name} must start with `# expect: CODE line:col`"
    return [] if match.group(1) == "nothing" else match.group(1).split(", ")


# --- the bundled policy and the fixture files -------------------------------------------


def test_bundled_policy_loads_without_any_diagnostic() -> None:
    result = load_policy()

    assert result.diagnostics == []
    assert result.ok
    assert result.policy is not None
    assert result.policy.organization.name == "Example Org"


def test_bundled_policy_loads_the_same_from_bytes() -> None:
    raw = bundled_policy_path().read_bytes()

    result = load_policy_bytes(raw, "policy.yaml")

    assert result.diagnostics == []
    assert result.policy == load_policy().policy


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_reports_exactly_the_expected_problems(path: Path) -> None:
    result = load_policy(path, display="policy.yaml")

    assert spots(result) == expectation(path)
    assert all(d.file == "policy.yaml" for d in result.diagnostics)
    assert not result.ok


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_loads_cleanly(path: Path) -> None:
    assert expectation(path) == []

    result = load_policy(path)

    assert [d.format() for d in result.diagnostics] == []
    assert result.ok


def test_fixture_sets_are_not_empty() -> None:
    assert len(INVALID) >= 40
    assert len(VALID) >= 5


def test_a_diagnostic_formats_as_path_line_col_code_message(load) -> None:
    result = load(MINI.replace("  support_email:", "  suport_email:"))

    assert [d.format() for d in result.diagnostics] == [
        "policy.yaml:4:3: SP101 unknown key `suport_email` in organization "
        "(did you mean `support_email`?)"
    ]


# --- YAML syntax and structure ----------------------------------------------------------


def test_yaml_syntax_error_is_positioned(load) -> None:
    result = load("version: 1\nteam: [a, b\n")

    # At the bracket that needs closing, not at the end of the file where PyYAML stops.
    assert spots(result) == ["SP010 2:7"]
    assert "the `[` here is never closed" in only(result)


def test_tab_indentation_is_a_syntax_error(load) -> None:
    result = load("version: 1\norganization:\n\tname: Org\n")

    assert spots(result) == ["SP010 3:1"]
    assert "indent with spaces, not a tab" in only(result)


@pytest.mark.parametrize(
    ("text", "where", "first_line"),
    [
        ("version: 1\nversion: 1\n", "SP011 2:1", 1),
        (MINI + "  steward:\n    name: Again\n", "SP011 14:3", 12),
        (
            MINI.replace("    name: Steward\n", "    name: Steward\n    name: Again\n"),
            "SP011 14:5",
            13,
        ),
        (MINI.replace("{name: Bob}", "{name: Bob, name: Rob}"), "SP011 9:22", 9),
    ],
    ids=["top-level", "role-id", "role-field", "flow-mapping"],
)
def test_duplicate_keys_are_refused_at_any_depth(
    load, text: str, where: str, first_line: int
) -> None:
    result = load(text)

    assert spots(result) == [where]
    assert f"(first defined on line {first_line})" in only(result)


@pytest.mark.parametrize(
    ("plain", "reading"),
    [
        ("no", "the boolean false"),
        ("yes", "the boolean true"),
        ("on", "the boolean true"),
        ("off", "the boolean false"),
        ("y", "the boolean true"),
        ("N", "the boolean false"),
        ("12:30", "the number 750 (base 60)"),
        ("0755", "an octal number"),
        ("1_000", "the number 1000"),
    ],
)
def test_yaml11_traps_are_flagged_where_text_was_meant(load, plain: str, reading: str) -> None:
    result = load(MINI.replace("name: Steward", f"name: {plain}"))

    assert spots(result) == ["SP012 13:11"]
    message = only(result)
    assert f"`{plain}` is read as {reading} by YAML 1.1 tools" in message
    assert "quote it" in message


def test_yaml11_trap_as_a_handover_day_and_as_a_duration(load) -> None:
    text = MINI + (
        "rotation:\n  role: steward\n  tenure: 2 weeks\n  handover_every: 12:30\n"
        "  handover_day: no\n  start: 2026-01-06\n"
    )

    result = load(text)

    assert spots(result) == ["SP012 17:19", "SP012 18:17"]


def test_quoted_yaml11_words_are_plain_text(load) -> None:
    result = load(
        MINI.replace("name: Steward", 'name: "no"').replace("name: Team", "name: '12:30'")
    )

    assert result.diagnostics == []
    assert result.policy is not None
    assert result.policy.roles["steward"].name == "no"
    assert result.policy.team.name == "12:30"


def test_a_yaml11_word_as_a_key_is_flagged(load) -> None:
    result = load(MINI.replace("    bob: {name: Bob}", "    no: {name: Bob}"))

    assert spots(result) == ["SP012 9:5"]


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system x", "tag:yaml.org,2002:python/object:os.system"),
        ("!!python/object/apply:os.system [ls]", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("!!str Steward", "tag:yaml.org,2002:str"),
        ("!foo Steward", "!foo"),
    ],
)
def test_explicit_tags_are_refused(load, value: str, tag: str) -> None:
    result = load(MINI.replace("name: Steward", f"name: {value}"))

    assert spots(result) == ["SP013 13:11"]
    assert f"explicit tag `{tag}` is not allowed" in only(result)
    assert result.policy is None


def test_merge_keys_are_refused(load) -> None:
    text = MINI + "  lead:\n    <<: {name: Lead}\n"

    result = load(text)

    assert spots(result) == ["SP013 15:5"]
    assert "merge keys" in only(result)


def test_alias_bomb_is_stopped(load) -> None:
    lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    text = "\n".join(lines) + "\n"

    # 10**10 nodes if expanded; the hostile-input suite bounds the time in a subprocess.
    result = load(text)

    # Positioned inside the anchored content that is being repeated.
    assert spots(result) == ["SP014 2:13"]
    assert "aliases expand to more than 10,000 nodes" in only(result)


def test_a_few_aliases_are_fine(load) -> None:
    text = MINI.replace("    ann: {name: Ann}", "    ann: &ann {name: Ann}")
    text = text.replace("    name: Steward", "    name: Steward\n  lead: *ann")

    result = load(text)

    assert result.diagnostics == []


def test_recursive_alias_is_refused(load) -> None:
    result = load("version: 1\nloop: &loop [1, *loop]\n")

    assert spots(result) == ["SP014 2:7"]
    assert "refers to a node that contains it" in only(result)


def test_nesting_beyond_64_levels_is_refused(load) -> None:
    text = "version: 1\ndeep: " + "[" * 65 + "]" * 65 + "\n"

    result = load(text)

    assert spots(result) == ["SP015 2:70"]
    assert "deeper than 64 levels" in only(result)


def test_nesting_of_64_levels_reaches_the_schema(load) -> None:
    text = "version: 1\ndeep: " + "[" * 63 + "]" * 63 + "\n"

    result = load(text)

    assert "SP015" not in [d.code for d in result.diagnostics]
    assert "SP101 2:1" in spots(result)


def test_five_thousand_open_brackets_do_not_overflow_the_stack(load) -> None:
    result = load("version: 1\ndeep: " + "[" * 5000 + "\n")

    # Refused on line 2 either at our 65th level or where libyaml's scanner, which reads
    # ahead, stops at its own limit.
    [problem] = result.diagnostics
    assert (problem.code, problem.line) == ("SP015", 2)
    assert problem.message == "nesting deeper than 64 levels"


def test_deep_block_mappings_are_refused(load) -> None:
    text = "version: 1\n" + "".join(f"{' ' * i}k{i}:\n" for i in range(70)) + " " * 70 + "v\n"

    result = load(text)

    # The top-level mapping is level 1; the 65th nested mapping starts on line 66.
    assert spots(result) == ["SP015 66:65"]


def test_file_over_one_mebibyte_is_refused() -> None:
    raw = b"version: 1\n" + b"# padding\n" * (1024 * 1024 // 10 + 1)

    result = load_policy_bytes(raw, "policy.yaml")

    assert spots(result) == ["SP003 1:1"]
    assert "1 MiB" in only(result)


def test_file_of_exactly_one_mebibyte_is_read(bundled_text: str) -> None:
    raw = bundled_text.encode()
    raw += b"#" * (1024 * 1024 - len(raw) - 1) + b"\n"
    assert len(raw) == 1024 * 1024

    result = load_policy_bytes(raw, "policy.yaml")

    assert result.diagnostics == []


def test_non_utf8_byte_is_positioned() -> None:
    raw = b"version: 1\norganization:\n  name: Caf\xe9 Org\n"

    result = load_policy_bytes(raw, "policy.yaml")

    assert spots(result) == ["SP002 3:12"]
    assert "0xe9" in only(result)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_refused(encoding: str) -> None:
    raw = "version: 1\n".encode(encoding)
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = ("\ufeff" + "version: 1\n").encode(encoding)

    result = load_policy_bytes(raw, "policy.yaml")

    assert spots(result) == ["SP002 1:1"]
    assert "UTF-8" in only(result)


def test_utf8_bom_is_accepted(bundled_text: str) -> None:
    result = load_policy_bytes(b"\xef\xbb\xbf" + bundled_text.encode(), "policy.yaml")

    assert result.diagnostics == []
    assert result.ok


@pytest.mark.parametrize(
    "text",
    ["", "# only a comment\n\n# and another\n", "\n\n   \n"],
    ids=["empty", "comments", "blank"],
)
def test_file_without_a_policy_is_reported(load, text: str) -> None:
    result = load(text)

    assert spots(result) == ["SP016 1:1"]
    assert result.policy is None


def test_document_marker_alone_holds_no_policy(load) -> None:
    assert spots(load("---\n")) == ["SP016 1:1"]


def test_two_documents_are_refused(load) -> None:
    result = load(MINI + "---\nversion: 1\n")

    assert spots(result) == ["SP017 14:1"]


@pytest.mark.parametrize(
    ("text", "where"),
    [("- version: 1\n- b\n", "SP018 1:1"), ("just text\n", "SP018 1:1"), ("\n42\n", "SP018 2:1")],
    ids=["list", "text", "number"],
)
def test_top_level_must_be_a_mapping(load, text: str, where: str) -> None:
    result = load(text)

    assert spots(result) == [where]
    assert "must be a mapping" in only(result)


@pytest.mark.parametrize(
    ("key", "where", "kind"),
    [
        ("1", "SP019 14:1", "number"),
        ("true", "SP019 14:1", "boolean"),
        ("2026-01-06", "SP019 14:1", "date"),
    ],
)
def test_keys_read_as_other_types_are_refused(load, key: str, where: str, kind: str) -> None:
    result = load(MINI + f"{key}: x\n")

    assert spots(result) == [where]
    assert f"is read as a {kind}" in only(result)


def test_complex_keys_are_refused(load) -> None:
    result = load(MINI + "? [a, b]\n: x\n")

    assert spots(result) == ["SP019 14:3"]


@pytest.mark.parametrize(("char", "column"), [("\x00", 14), ("\x07", 14), ("\x1b", 14)])
def test_control_characters_are_refused(load, char: str, column: int) -> None:
    result = load(MINI.replace("name: Steward", f"name: Stew{char}ard"))

    assert spots(result) == [f"SP010 13:{column + 1}"]
    assert "not allowed in YAML" in only(result)


def test_several_problems_come_back_sorted(load) -> None:
    text = MINI.replace("name: Steward", "name: no").replace("name: Team", "name: off")
    text += "  steward:\n    name: Again\n"

    result = load(text)

    assert spots(result) == ["SP012 6:9", "SP012 13:11", "SP011 14:3"]
    assert result.diagnostics == sorted(result.diagnostics)


def test_schema_problems_in_several_sections_come_back_sorted(load) -> None:
    text = MINI.replace("  support_email:", "  suport_email:").replace("name: Steward", "name: [x]")
    text += "budget:\n  hours_per_month: -3\n  support_share: 20%\n"

    result = load(text)

    assert spots(result) == ["SP101 4:3", "SP103 13:11", "SP103 15:20"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_edit_of_the_bundled_policy_makes_the_loader_raise(bundled_text: str, data) -> None:
    start = data.draw(st.integers(0, len(bundled_text)))
    length = data.draw(st.integers(0, 200))
    insert = data.draw(st.text(alphabet="{}[]&*!:-#\"'\\ \n\tabcyno0123456789.%|>@", max_size=12))

    text = bundled_text[:start] + insert + bundled_text[start + length :]
    result = load_policy_text(text, "policy.yaml")

    assert result.diagnostics == sorted(result.diagnostics)
    assert all(d.line >= 1 and d.column >= 1 for d in result.diagnostics)
    assert result.ok == (
        result.policy is not None and not any(d.severity == "error" for d in result.diagnostics)
    )


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_make_the_loader_raise(raw: bytes) -> None:
    result = load_policy_bytes(raw, "policy.yaml")

    assert result.diagnostics == sorted(result.diagnostics)
    # A file that yields no policy always says why, with a code from the catalogue.
    if result.policy is None:
        assert any(d.severity == "error" for d in result.diagnostics)
    assert all(d.code in CODES for d in result.diagnostics)
    assert all(d.kind.subtype == d.subtype for d in result.diagnostics)


# --- numbers ----------------------------------------------------------------------------


def test_decimals_are_read_exactly(load) -> None:
    text = MINI + "budget:\n  hours_per_month: 173.3\n  support_share: 0.2\n  rounding: none\n"

    result = load(text)

    assert result.diagnostics == []
    assert result.policy is not None
    assert result.policy.budget is not None
    assert result.policy.budget.support_share == Decimal("0.2")
    assert type(result.policy.budget.support_share) is Decimal
    assert result.policy.budget.hours_per_month == Decimal("173.3")


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_infinity_and_nan_are_not_numbers_of_hours(load, value: str) -> None:
    text = MINI + f"budget:\n  hours_per_month: {value}\n  support_share: 20%\n"

    result = load(text)

    assert spots(result) == ["SP103 15:20"]
    assert "quote it" not in only(result)


def test_infinity_is_not_a_share(load) -> None:
    text = MINI + "budget:\n  hours_per_month: 173\n  support_share: .inf\n"

    result = load(text)

    assert spots(result) == ["SP103 16:18"]


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nteam: !!str x\n",
        "version: 1\ndeep: " + "[" * 65 + "]" * 65 + "\n",
        "version: 1\nversion: 1\n",
        "version: no\n",
        "a: [1, 2\nb: 3\n",
    ],
)
def test_the_pure_python_parser_reports_what_libyaml_reports(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """PyYAML without libyaml falls back to its own parser: same diagnostics."""
    from support_policy.policy import yamlsource

    with_libyaml = load_policy_text(text, "policy.yaml").diagnostics
    monkeypatch.setattr(yamlsource, "_Loader", yamlsource._PureLoader)
    pure = load_policy_text(text, "policy.yaml").diagnostics

    assert [(d.code, d.line, d.column) for d in pure] == [
        (d.code, d.line, d.column) for d in with_libyaml
    ]


@pytest.mark.parametrize(
    "name", sorted(path.name for path in (Path(__file__).parent / "hostile").glob("syntax-*.yaml"))
)
def test_both_parsers_explain_syntax_mistakes_alike(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The plain-words message and its position do not depend on libyaml being there."""
    from support_policy.policy import yamlsource

    text = (Path(__file__).parent / "hostile" / name).read_text(encoding="utf-8")
    with_libyaml = load_policy_text(text, "policy.yaml").diagnostics
    monkeypatch.setattr(yamlsource, "_Loader", yamlsource._PureLoader)
    pure = load_policy_text(text, "policy.yaml").diagnostics

    assert [d.format() for d in pure] == [d.format() for d in with_libyaml]
