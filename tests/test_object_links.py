"""Links from policy text to the policy's own objects: ``[text](process:triage)`` and kin.

The parser makes a :class:`Ref` of each kind; ``validate`` reports an id the policy does
not define (SP217), positioned and with a hint; hostile targets never become a link.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policy.handbook.markup import parse
from support_policy.handbook.model import (
    Emphasis,
    Inline,
    InlineCode,
    Link,
    PageLink,
    Ref,
    Strong,
    Text,
)
from support_policy.handbook.plain import plain_text
from support_policy.handbook.prose import prose
from support_policy.policy.loader import bundled_policy_path, load_policy_text
from support_policy.policy.object_links import OBJECT_LINK_KINDS, written_links

BUNDLED = bundled_policy_path().read_text(encoding="utf-8")
ADMIN = "      looks after its users and the settings the community controls itself.\n"


def with_admin_text(text: str) -> str:
    """The bundled policy with ``text`` added to the Hub Administrator's description."""
    assert BUNDLED.count(ADMIN) == 1
    return BUNDLED.replace(ADMIN, ADMIN + f"      {text}\n")


@pytest.mark.parametrize(
    "kind", ["role", "request-type", "sla", "process", "template", "member", "rotation", "term"]
)
def test_each_kind_is_a_reference_to_its_object(kind: str) -> None:
    assert kind in OBJECT_LINK_KINDS
    assert parse(f"See [the *thing*](/{kind}:x)") != parse(f"See [the *thing*]({kind}:x-1)")
    assert parse(f"See [the *thing*]({kind}:x-1).") == (
        Text("See "),
        Ref(kind, "x-1", (Text("the "), Emphasis((Text("thing"),)))),  # type: ignore[arg-type]
        Text("."),
    )


def test_a_link_without_text_shows_the_objects_name() -> None:
    policy = load_policy_text(BUNDLED, "policy.yaml").policy
    assert policy is not None
    assert parse("[](process:triage)") == (Ref("process", "triage", ()),)
    assert prose(policy, "[](process:triage)") == (
        Ref("process", "triage", (Text("Triage process"),)),
    )
    assert prose(policy, "[](rotation:support-steward)")[0] == Ref(
        "rotation", "support-steward", (Text("Support Steward rotation"),)
    )
    assert prose(policy, "[](member:person-b)")[0] == Ref("member", "person-b", (Text("Person B"),))
    # The command line has no policy at hand: the id stands in for the name.
    assert plain("see [](process:triage), [the team](role:support-steward)") == (
        "see triage, the team"
    )


def test_a_term_is_linked_by_its_id_and_found_by_its_text() -> None:
    policy = load_policy_text(BUNDLED, "policy.yaml").policy
    assert policy is not None
    # A glossary entry, a role and a request type are all glossary terms.
    assert prose(policy, "**[budgets](term:support-budget)**") == (
        Strong((Ref("term", "Support Budget", (Text("budgets"),)),)),
    )
    assert prose(policy, "[x](term:hub-administrator)")[0] == Ref(
        "term", "Hub Administrator", (Text("x"),)
    )
    assert prose(policy, "[](term:incident)")[0] == Ref("term", "Incident", (Text("Incident"),))


def test_a_term_id_shared_by_a_role_and_a_glossary_entry_names_what_the_glossary_lists_first() -> (
    None
):
    entry = "glossary:\n  support-request:\n"
    assert BUNDLED.count(entry) == 1
    shared = BUNDLED.replace(
        entry,
        "glossary:\n  hub-administrator:\n    term: Hub admin duty\n"
        "    definition: The duty itself.\n  support-request:\n",
    )
    policy = load_policy_text(shared, "policy.yaml").policy
    assert policy is not None
    # The glossary lists roles before its own entries, so the role's name is the term.
    assert prose(policy, "[](term:hub-administrator)")[0] == Ref(
        "term", "Hub Administrator", (Text("Hub Administrator"),)
    )


@pytest.mark.parametrize(
    "target",
    [
        "role:../../x",
        "role:<script>",
        "role:Support-Steward",
        "role:a b",
        "role:",
        "role:x--y",
        "channel:support-email",  # channels are placed nowhere: no kind of link
        "roles:support-steward",
        "process:" + "a" * 10_000 + "!",
    ],
)
def test_a_malformed_target_stays_text_as_written(target: str) -> None:
    text = f"[see]({target})"
    assert "".join(v.text for v in parse(text) if isinstance(v, Text)) == text


def test_code_and_escapes_hold_no_object_link() -> None:
    assert parse("`[x](role:nope)`") == (InlineCode("[x](role:nope)"),)
    assert [link.key for link in written_links("`[x](role:a)` \\[y\\](role:b) [z](role:c)")] == [
        "c"
    ]
    assert [link.key for link in written_links("``a` [x](sla:q) `` [y](sla:z)")] == ["z"]
    assert [link.key for link in written_links("`open [x](sla:q)")] == ["q"]
    # An escaped backtick is text; the rest of its run opens code, for both.
    text = "\\``[a](member:nobody)`"
    assert parse(text) == (Text("`"), InlineCode("[a](member:nobody)"))
    assert list(written_links(text)) == []


def test_scanning_a_long_hostile_text_agrees_with_the_parser() -> None:
    """Half-links and backtick runs by the ten thousand: the check's scan finds exactly the
    links the parser makes, in one pass each."""
    text = "`` ` [a](role:x) ](term: [b](sla:y \\`[c](role:z)` " * 20_000
    refs = [value for value in parse(text) if isinstance(value, Ref)]
    assert len(refs) > 1000
    assert [(link.kind, link.key) for link in written_links(text)] == [
        (ref.kind, ref.key) for ref in refs
    ]


def _refs(values: tuple[Inline, ...]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for value in values:
        if isinstance(value, Ref):
            found.append((value.kind, value.key))
        elif isinstance(value, (Strong, Emphasis, Link, PageLink)):
            found.extend(_refs(value.children))
    return found


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["[a](role:x)", "[b](sla:y)", "`", "``", "\\`", "\\\\", " ", "a", "*"]),
        max_size=14,
    )
)
def test_the_scan_finds_exactly_the_parsers_links(pieces: list[str]) -> None:
    """Backtick runs, escaped backticks and backslashes in any order: one verdict."""
    text = "".join(pieces)
    assert [(link.kind, link.key) for link in written_links(text)] == _refs(parse(text))


def run_validate(policy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "support_policy.validator", "validate", str(policy)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_validate_reports_an_unknown_id_with_its_position_and_a_hint(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        with_admin_text("See [the response](process:incident-respons) and [x](term:nothing)."),
        encoding="utf-8",
    )
    result = run_validate(policy)
    assert result.returncode == 1, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    line = BUNDLED[: BUNDLED.index(ADMIN) + len(ADMIN)].count("\n") + 1
    assert (
        f"{policy}:{line}:26: SP217 `process:incident-respons` links to no process of the "
        "policy (did you mean `incident-response`?)"
    ) in lines
    assert any(f":{line}:60: SP217 `term:nothing` links to no glossary term" in x for x in lines)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("role:../../x", "`role:../../x`"),
        ("member:javascript:alert", "`member:javascript:alert`"),
        ("rotation:" + "x" * 500, "`rotation:" + "x" * 57 + "...`"),
    ],
)
def test_a_hostile_id_is_an_error_on_one_line(tmp_path: Path, target: str, shown: str) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(with_admin_text(f"See [this]({target})."), encoding="utf-8")
    result = run_validate(policy)
    assert result.returncode == 1, result.stderr
    errors = [x for x in result.stdout.splitlines() + result.stderr.splitlines() if "SP217" in x]
    assert len(errors) == 1, result.stdout + result.stderr
    assert shown in errors[0]


def test_markup_that_cannot_be_a_target_is_text_not_an_error(tmp_path: Path) -> None:
    """``<`` ends a link target for the parser and the check alike: plain text, no error."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(with_admin_text("See [this](member:<script>x</script>)."), encoding="utf-8")
    assert run_validate(policy).returncode == 0
    assert parse("[this](member:<script>x</script>)") == (
        Text("[this](member:<script>x</script>)"),
    )


def test_the_bundled_example_links_the_teams_pages() -> None:
    """The team's links, restored: processes, the roles calendar and glossary terms."""
    loaded = load_policy_text(BUNDLED, "policy.yaml")
    assert loaded.diagnostics == [] or all(d.severity != "error" for d in loaded.diagnostics)
    found = {(link.kind, link.key) for link in written_links(BUNDLED)}
    assert {
        ("process", "incident-response"),
        ("process", "non-incident-response"),
        ("rotation", "support-steward"),
        ("term", "support-budget"),
        ("term", "community-representative"),
    } <= found


def test_diff_quotes_a_changed_object_link_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same words for a reader, another object: a reviewer still sees the new target."""
    from support_policy.validator import cli

    commander = (
        "    definition: The person designated to orchestrate our response to an incident.\n"
    )
    assert BUNDLED.count(commander) == 1
    old = BUNDLED.replace(commander, '    definition: "Leads the [response](process:triage)."\n')
    new = BUNDLED.replace(commander, '    definition: "Leads the [response](process:overview)."\n')
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    files = [str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    status = cli.main(["diff", *files, "--today", "2026-04-20", "--format", "text"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert (
        "Term Incident Commander: definition “Leads the [response](process:triage).” → "
        "“Leads the [response](process:overview).”"
    ) in out


def plain(text: str) -> str:
    """Policy text as a terminal shows it: the markup read, then its plain text."""
    return plain_text(parse(text))
