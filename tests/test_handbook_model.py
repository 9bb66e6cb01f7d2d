"""The handbook's builders without any engine: what each directive shows of the bundled
example, as document values, and the problems it reports, with their codes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest

from support_policy.handbook.directives import SPECS
from support_policy.handbook.invocation import invoke
from support_policy.handbook.model import (
    Anchor,
    Block,
    BulletList,
    Cell,
    Container,
    EnumeratedList,
    Glossary,
    Inline,
    InlineCode,
    Link,
    LiteralBlock,
    Paragraph,
    Ref,
    Rendered,
    Request,
    Rubric,
    Strong,
    Table,
    Text,
)
from support_policy.policy.loader import LoadedPolicy, load_policy, load_policy_text

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def example() -> LoadedPolicy:
    return load_policy()


def build(
    loaded: LoadedPolicy,
    name: str,
    argument: str | None = None,
    options: Mapping[str, str | None] | None = None,
    **extra: object,
) -> Rendered:
    request = Request(loaded, argument, options or {}, **extra)  # type: ignore[arg-type]
    return SPECS[name].build(request)


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first."""
    for block in blocks:
        yield block
        if isinstance(block, Container):
            yield from walk(block.children)
        elif isinstance(block, (BulletList, EnumeratedList)):
            for item in block.items:
                yield from walk(item)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from walk(cell.blocks)


def plain(values: tuple[Inline, ...]) -> str:
    parts = []
    for value in values:
        if isinstance(value, (Text, InlineCode)):
            parts.append(value.text)
        else:
            parts.append(plain(value.children))
    return "".join(parts)


def codes(rendered: Rendered) -> list[str]:
    return [problem.code.code for problem in rendered.problems]


# --- the table ----------------------------------------------------------------------------


def test_every_directive_has_one_spec_under_its_name() -> None:
    assert all(spec.name == name for name, spec in SPECS.items())
    assert {
        "support-roles",
        "support-request-types",
        "support-sla",
        "support-priorities",
        "support-budget",
        "support-channels",
        "support-template",
        "support-process",
        "support-glossary",
        "support-fairness",
        "support-sla-report",
    } <= set(SPECS)


# --- what the builders show ---------------------------------------------------------------


def test_one_role_is_anchored_and_headed(example: LoadedPolicy) -> None:
    rendered = build(example, "support-roles", "support-steward")
    assert rendered.problems == ()
    [role] = rendered.blocks
    assert isinstance(role, Container)
    assert role.classes == ("support-role",)
    assert role.children[0] == Anchor("role", "support-steward", "Support Steward")
    assert role.children[1] == Rubric((Text("Support Steward"),))
    texts = [plain(b.children) for b in role.children if isinstance(b, Paragraph)]
    assert "Also called: Customer Liaison, External Liaison, Customer Support" in texts


def test_a_heading_the_section_already_gives_is_left_out(example: LoadedPolicy) -> None:
    rendered = build(example, "support-process", "triage", section_title="TRIAGE process ")
    assert rendered.blocks[0] == Anchor("process", "triage", "Triage process")
    assert not any(isinstance(block, Rubric) for block in walk(rendered.blocks))
    other = build(example, "support-process", "triage", section_title="Steps")
    assert Rubric((Text("Triage process"),)) in other.blocks


def test_process_steps_link_their_targets(example: LoadedPolicy) -> None:
    rendered = build(example, "support-process", "triage")
    steps = [block for block in rendered.blocks if isinstance(block, EnumeratedList)]
    assert steps[0].style == "arabic"
    paragraphs = [b for b in walk(rendered.blocks) if isinstance(b, Paragraph)]
    refs = [c for p in paragraphs for c in p.children if isinstance(c, Ref)]
    assert Ref("sla", "triage", (Text("Read and understand"),)) in refs
    assert Ref("role", "support-steward", (Text("Support Steward"),)) in refs
    names = [p.children[0] for p in paragraphs if p.children and isinstance(p.children[0], Strong)]
    assert Strong((Text("Read and understand"),)) in names


def test_sla_table_anchors_each_target(example: LoadedPolicy) -> None:
    [table] = build(example, "support-sla").blocks
    assert isinstance(table, Table)
    assert table.header == ("Target", "Applies to", "How long", "Kind")
    first = table.rows[0][0]
    assert first.blocks[0] == Anchor("sla", "triage", "Read and understand")
    assert table.rows[0][3] == Cell((Paragraph((Text("deadline"),)),))


def test_channels_are_one_table_and_only_safe_urls_link(example: LoadedPolicy) -> None:
    [table] = build(example, "support-channels").blocks
    assert isinstance(table, Table)
    assert table.header == ("Channel", "Kind", "Audience", "Visibility", "Where / purpose")
    assert example.policy is not None
    assert len(table.rows) == len(example.policy.channels)
    links = [c for b in walk((table,)) if isinstance(b, Paragraph) for c in b.children]
    assert Link("https://example.freshdesk.com", (Text("https://example.freshdesk.com"),)) in links
    hostile = replaced_channel_url("javascript:alert(1)")
    [table] = build(hostile, "support-channels").blocks
    inlines = [c for b in walk((table,)) if isinstance(b, Paragraph) for c in b.children]
    assert InlineCode("javascript:alert(1)") in inlines
    assert not any(isinstance(c, Link) and "javascript" in c.url for c in inlines)


def replaced_channel_url(url: str) -> LoadedPolicy:
    text = load_policy().path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    text = text.replace("url: https://example.freshdesk.com", f"url: '{url}'", 1)
    loaded = load_policy_text(text, "policy.yaml")
    assert loaded.policy is not None, [d.format() for d in loaded.diagnostics]
    return loaded


def test_template_text_is_literal_with_values_filled(example: LoadedPolicy) -> None:
    [template] = build(example, "support-template", "non-incident-status").blocks
    assert isinstance(template, Container)
    [body] = [b for b in template.children if isinstance(b, LiteralBlock)]
    assert body.classes == ("support-template-body",)
    assert "{{ policy." not in body.text


def test_glossary_selects_and_never_repeats_a_term(example: LoadedPolicy) -> None:
    rendered = build(example, "support-glossary", options={"include": "kind:term"})
    [glossary] = rendered.blocks
    assert isinstance(glossary, Glossary)
    terms = [term for item in glossary.items for term in item.terms]
    assert "Support Budget" in terms
    assert "Support Steward" not in terms
    everything = build(example, "support-glossary").blocks[0]
    assert isinstance(everything, Glossary)
    folded = [t.casefold() for item in everything.items for t in item.terms]
    assert len(folded) == len(set(folded))


# --- problems carry codes -----------------------------------------------------------------


def test_unknown_ids_are_sp201_with_a_hint(example: LoadedPolicy) -> None:
    rendered = build(example, "support-process", "triagee")
    assert rendered.blocks == ()
    assert codes(rendered) == ["SP201"]
    assert rendered.problems[0].message == "unknown process `triagee` (did you mean `triage`?)"
    assert codes(build(example, "support-roles", "nobody")) == ["SP201"]
    assert codes(build(example, "support-fairness", "nope")) == ["SP201"]


def test_missing_sections_are_sp502() -> None:
    minimal = load_policy(FIXTURES / "valid" / "minimal.yaml")
    for name in ("support-sla", "support-channels", "support-template", "support-budget"):
        assert codes(build(minimal, name)) == ["SP502"], name
    assert codes(build(minimal, "support-fairness")) == ["SP502"]


def test_bad_glossary_tokens_are_sp508(example: LoadedPolicy) -> None:
    rendered = build(example, "support-glossary", options={"include": "kind:roles, term:nope"})
    assert codes(rendered) == ["SP508", "SP508"]
    assert "(did you mean `kind:role`?)" in rendered.problems[0].message


def test_fairness_window_and_dates(example: LoadedPolicy) -> None:
    reversed_window = {"from": "2026-03-01", "to": "2026-01-01"}
    assert codes(build(example, "support-fairness", options=reversed_window)) == ["SP713"]
    bad = build(example, "support-fairness", options={"from": "someday"})
    assert codes(bad) == ["SP713"]
    assert "`:from:` expects a date (YYYY-MM-DD) or `today`, got `someday`" in (
        bad.problems[0].message
    )
    far = build(example, "support-fairness", options={"to": "9999-12-31"})
    assert codes(far) == ["SP920"]
    assert "`:to:` 9999-12-31 is outside the supported dates" in far.problems[0].message
    fixed = build(example, "support-fairness", options={"to": "today"}, today=date(2026, 6, 1))
    first = fixed.blocks[0]
    assert isinstance(first, Paragraph)
    assert plain(first.children) == "From 2025-06-02 to 2026-06-01."


def test_an_unusable_epoch_troubles_only_a_builder_that_needs_today(
    example: LoadedPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "999999999999999")
    assert build(example, "support-roles").problems == ()
    assert codes(build(example, "support-fairness", options={"from": "today"})) == ["SP920"]


# --- support-sla-report: a file inside the page's folder -------------------------------------


def test_sla_report_reads_only_inside_the_page_folder(
    example: LoadedPolicy, tmp_path: Path
) -> None:
    page = tmp_path / "docs"
    page.mkdir()
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    outside = build(example, "support-sla-report", "../secret.json", page_folder=page)
    assert codes(outside) == ["SP620"]
    assert "outside the page's folder" in outside.problems[0].message
    assert codes(build(example, "support-sla-report", "x.json")) == ["SP620"]  # no folder


def test_sla_report_survives_hostile_json(example: LoadedPolicy, tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    deep = build(example, "support-sla-report", "deep.json", page_folder=tmp_path)
    assert codes(deep) == ["SP620"]
    assert deep.dependencies == (tmp_path / "deep.json",)
    report = json.loads(
        (
            Path(__file__).parent.parent / "docs" / "reference" / "reports" / "sla-example.json"
        ).read_text(encoding="utf-8")
    )
    report["targets"][0]["worst"] = [{"id": "<b>1</b>", "link": "javascript:x", "title": "t"}]
    (tmp_path / "r.json").write_text(json.dumps(report), encoding="utf-8")
    rendered = build(example, "support-sla-report", "r.json", page_folder=tmp_path)
    assert rendered.problems == ()
    inlines = [c for b in walk(rendered.blocks) if isinstance(b, Paragraph) for c in b.children]
    assert InlineCode("<b>1</b>") in inlines
    assert not any(isinstance(c, Link) and c.url.startswith("javascript") for c in inlines)


# --- how the page wrote the directive -----------------------------------------------------


def test_malformed_invocations_are_coded() -> None:
    process = SPECS["support-process"]
    assert [p.code.code for p in invoke(process, None, {}).problems] == ["SP511"]
    two = invoke(process, "triage other", {"colour": "blue", "no-index": "yes"})
    assert two.argument == "triage"
    assert two.options == {"no-index": None}
    assert sorted(p.code.code for p in two.problems) == ["SP509", "SP510", "SP512"]
    sla = invoke(SPECS["support-sla"], "extra", {})
    assert (sla.argument, [p.code.code for p in sla.problems]) == (None, ["SP512"])
    budget = invoke(SPECS["support-budget"], None, {}, ["", "Some text."])
    assert [p.code.code for p in budget.problems] == ["SP512"]
    assert invoke(SPECS["support-budget"], None, {}, ["", "  "]).problems == ()
    glossary = invoke(SPECS["support-glossary"], None, {"include": None, "no-index": None})
    assert glossary.options == {"include": "", "no-index": None}
    assert glossary.problems == ()
