"""``support-policy handoff``: the announcement in every format, handles and mentions,
the announcement template's checks, the scaffolded workflow and ``diff``'s mentions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml
from example_variants import with_recorded_swap
from test_hostile import run_cli
from test_output_safety import MARKDOWN, _rendered_text

from support_policy.policy.loader import LoadedPolicy
from support_policy.validator import cli

HANDLES = (
    ("person-e: {name: Person E}", "person-e: {name: Person E, github: person-e, chat: U0EEEEEE}"),
    (
        "person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}",
        "person-f: {name: Person F, email: person-f@example.org, github: f-gh}",
    ),
)

# The Block Kit blocks the payload uses, with Slack's limits (api.slack.com/reference/block-kit).
TEXT_OBJECT = {
    "type": "object",
    "required": ["type", "text"],
    "properties": {
        "type": {"enum": ["plain_text", "mrkdwn"]},
        "text": {"type": "string", "minLength": 1, "maxLength": 3000},
    },
    "additionalProperties": False,
}
SLACK_SCHEMA = {
    "type": "object",
    "required": ["text", "blocks"],
    "additionalProperties": False,
    "properties": {
        "text": {"type": "string", "minLength": 1},
        "blocks": {
            "type": "array",
            "maxItems": 50,
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "text"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "header"},
                            "text": {
                                "type": "object",
                                "required": ["type", "text"],
                                "properties": {
                                    "type": {"const": "plain_text"},
                                    "text": {"type": "string", "minLength": 1, "maxLength": 150},
                                },
                                "additionalProperties": False,
                            },
                        },
                    },
                    {
                        "type": "object",
                        "required": ["type"],
                        "anyOf": [{"required": ["text"]}, {"required": ["fields"]}],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "section"},
                            "text": {
                                **TEXT_OBJECT,
                                "properties": {
                                    "type": {"const": "mrkdwn"},
                                    "text": {"type": "string", "minLength": 1, "maxLength": 3000},
                                },
                            },
                            "fields": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": 10,
                                "items": {
                                    **TEXT_OBJECT,
                                    "properties": {
                                        "type": {"const": "mrkdwn"},
                                        "text": {
                                            "type": "string",
                                            "minLength": 1,
                                            "maxLength": 2000,
                                        },
                                    },
                                },
                            },
                        },
                    },
                    {
                        "type": "object",
                        "required": ["type", "elements"],
                        "additionalProperties": False,
                        "properties": {
                            "type": {"const": "context"},
                            "elements": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": 10,
                                "items": TEXT_OBJECT,
                            },
                        },
                    },
                ]
            },
        },
    },
}


@pytest.fixture
def bundled_text(bundled_text: str) -> str:
    """The example as these tests were written against: Person E's leave as two recorded
    `changes`, no `away`, no `cover` (see ``tests/example_variants.py``)."""
    return with_recorded_swap(bundled_text)


def handoff(capsys: pytest.CaptureFixture[str], policy: Path, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["handoff", "--policy", str(policy), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def with_handles(variant: Callable[..., str], tmp_path: Path) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(variant(*HANDLES), encoding="utf-8")
    return path


GOLDEN_TEXT = """\
Support Steward hand-off on 2026-03-03 (rotation support-steward)

Person F joins the Support Steward rotation on 2026-03-03 and serves until 2026-03-30 \
(recorded change: Person E on leave; swapped with Person F). Person C rotates off; \
Person D stays on. Next hand-off: 2026-03-17.

  joins:  Person F, 2026-03-03 to 2026-03-30 (recorded change: Person E on leave; \
swapped with Person F)
  stays:  Person D, until 2026-03-16
  leaves: Person C
  next hand-off: 2026-03-17
  FreshDesk: https://example.freshdesk.com
"""

GOLDEN_MARKDOWN = """\
### Support Steward hand-off on 2026-03-17

Person E (@person-e) joins the Support Steward rotation on 2026-03-17 and serves until \
2026-04-13 (recorded change: Swap with Person F). Person D rotates off; Person F (@f-gh) \
stays on. Next hand-off: 2026-03-31.

| | Who | Tenure | Why |
|---|---|---|---|
| joins | Person E (@person-e) | 2026-03-17 to 2026-04-13 | recorded change: Swap with Person F |
| stays | Person F (@f-gh) | 2026-03-03 to 2026-03-30 | |
| leaves | Person D | 2026-02-17 to 2026-03-16 | |

Next hand-off: 2026-03-31.

Links: [FreshDesk](https://example.freshdesk.com), [Handbook](https://handbook.example.org/rotation)
"""


def test_text_golden_the_next_handoff_after_a_date(
    with_handles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = handoff(capsys, with_handles, "--at", "2026-03-01")
    assert (status, err) == (0, "")
    assert out == GOLDEN_TEXT
    # On the hand-off day itself, that same hand-off.
    assert handoff(capsys, with_handles, "--at", "2026-03-03")[1] == GOLDEN_TEXT


def test_markdown_golden_mentions_only_declared_handles(
    with_handles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = handoff(
        capsys,
        with_handles,
        "--at",
        "2026-03-17",
        "--format",
        "markdown",
        "--handbook",
        "https://handbook.example.org/rotation",
    )
    assert status == 0
    assert out == GOLDEN_MARKDOWN
    html = MARKDOWN.render(out)
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html))
    assert tags <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "a"}, html
    mentions = set(re.findall(r"(?<![\w\u200d])@([A-Za-z0-9-]+)", _rendered_text(html)))
    assert mentions == {"person-e", "f-gh"}


def test_slack_payload_is_valid_block_kit_with_member_mentions(
    with_handles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = handoff(capsys, with_handles, "--at", "2026-03-17", "--format", "slack")
    assert status == 0
    payload = json.loads(out)
    jsonschema.validate(payload, SLACK_SCHEMA)
    assert [block["type"] for block in payload["blocks"]] == [
        "header",
        "section",
        "section",
        "context",
    ]
    assert payload["blocks"][0]["text"]["text"] == "Support Steward hand-off on 2026-03-17"
    fields = [field["text"] for field in payload["blocks"][2]["fields"]]
    assert fields == [
        "*Joins*\nPerson E (<@U0EEEEEE>), 2026-03-17 to 2026-04-13",
        "*Stays*\nPerson F, until 2026-03-30",  # no `chat` declared: no mention
        "*Leaves*\nPerson D",
        "*Next hand-off*\n2026-03-31",
    ]
    assert payload["blocks"][3]["elements"] == [
        {"type": "mrkdwn", "text": "<https://example.freshdesk.com|FreshDesk>"}
    ]
    assert re.findall(r"<@(\w+)>", out) == ["U0EEEEEE", "U0EEEEEE", "U0EEEEEE"]


def test_json_says_who_joins_leaves_and_stays_and_why(
    with_handles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = handoff(capsys, with_handles, "--at", "2026-03-02", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["kind"] == "support-policy/handoff"
    assert (document["date"], document["next"], document["tenure"]) == (
        "2026-03-03",
        "2026-03-17",
        "4 weeks",
    )
    assert document["joins"] == {
        "id": "person-f",
        "name": "Person F",
        "from": "2026-03-03",
        "until": "2026-03-30",
        "github": "f-gh",
        "chat": None,
    }
    assert document["leaves"]["id"] == "person-c"
    assert [p["id"] for p in document["stays"]] == ["person-d"]
    assert document["reason"] == "recorded change: Person E on leave; swapped with Person F"
    assert document["message"].startswith("Person F joins")


def test_away_swaps_owed_turns_and_covers_are_announced(
    variant: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        variant(
            (
                "person-b: {name: Person B, email: person-b@example.org, timezone: Europe/Berlin}",
                "person-b: {name: Person B, email: person-b@example.org, away: "
                "[{from: 2026-05-01, to: 2026-05-20, reason: Parental leave}]}",
            ),
            (
                "  changes:                         # a swap is two changes",
                "  cover:\n    - {member: person-f, covers: person-a, from: 2026-04-15, "
                "to: 2026-04-16, reason: Conference}\n  changes:",
            ),
        ),
        encoding="utf-8",
    )
    status, out, err = handoff(capsys, policy, "--at", "2026-04-14", "--format", "json")
    assert status == 0, err
    document = json.loads(out)
    assert document["join_kind"] == "swapped"
    assert document["reason"] == "swapped in for Person B (away: Parental leave)"
    assert document["covers"] == [
        {
            "member": "Person F",
            "covers": "Person A",
            "from": "2026-04-15",
            "to": "2026-04-16",
            "reason": "Conference",
        }
    ]
    owed = json.loads(handoff(capsys, policy, "--at", "2026-05-13", "--format", "json")[1])
    assert owed["joins"]["id"] == "person-b"
    assert owed["reason"] == "owed turn (passed over while away: Parental leave)"


HOSTILE_NAME = "<!channel> @here <@U999> @octocat [x](javascript:alert(1)) <img src=x> #1"


def test_hostile_names_and_templates_make_no_mention_in_any_format(
    variant: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        variant(
            (
                "person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}",
                f"person-f: {{name: {json.dumps(HOSTILE_NAME)}, github: f-gh}}",
            ),
            (
                "  handover_event: sprint meeting\n",
                "  handover_event: sprint meeting\n  announcement: "
                + json.dumps("@team <!here> {{ JOINER }}\n- <b>x</b> {{ LEAVER }}")
                + "\n",
            ),
        ),
        encoding="utf-8",
    )
    status, md, err = handoff(capsys, policy, "--at", "2026-03-03", "--format", "markdown")
    assert status == 0, err
    html = MARKDOWN.render(md)
    assert "<img" not in html
    assert "<b>" not in html
    assert 'href="javascript' not in html
    mentions = set(re.findall(r"(?<![\w\u200d])@([A-Za-z0-9-]+)", _rendered_text(html)))
    assert mentions == {"f-gh"}
    assert "<ul>" not in html  # the template's "- " line starts no list
    _, slack, _ = handoff(capsys, policy, "--at", "2026-03-03", "--format", "slack")
    payload = json.loads(slack)
    jsonschema.validate(payload, SLACK_SCHEMA)
    texts = json.dumps(payload)
    assert "<!" not in texts
    assert "<@U999>" not in texts
    assert "<img" not in texts
    assert re.findall(r"(?<![\w\u200d])@(?:here|channel|octocat|team)", texts) == []
    _, text, _ = handoff(capsys, policy, "--at", "2026-03-03")
    assert "\x1b" not in text


def test_the_announcement_template_fills_variables_and_policy_values(
    variant: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        variant(
            (
                "  handover_event: sprint meeting\n",
                "  handover_event: sprint meeting\n  announcement: |-\n"
                "    Welcome {{ JOINER }} ({{ TENURE }}, {{ DATE }} to {{ UNTIL }})!\n"
                "    Triage within {{ policy.sla.triage }}. Bye {{ LEAVER }}; with you: "
                "{{ STAYING }}. {{ ROLE }}, {{ REASON }}, next {{ NEXT }}.\n",
            )
        ),
        encoding="utf-8",
    )
    status, out, _ = handoff(capsys, policy, "--at", "2026-01-20")
    assert status == 0
    assert out.splitlines()[2:4] == [
        "Welcome Person B (4 weeks, 2026-01-20 to 2026-02-16)!",
        "Triage within 1 working day. Bye Person F; with you: Person A. Support Steward, "
        "regular turn, next 2026-02-03.",
    ]


def test_unknown_announcement_variables_are_positioned_errors(
    variant: Callable[..., str], load: Callable[[str], LoadedPolicy]
) -> None:
    loaded = load(
        variant(
            (
                "  handover_event: sprint meeting\n",
                "  handover_event: sprint meeting\n"
                "  announcement: Hello {{ JOINR }} and {{ NAME }} {{ policy.nope }}\n",
            )
        )
    )
    found = [(d.line, d.column, d.code, d.message) for d in loaded.diagnostics]
    line = next(i for i, t in enumerate(loaded_text_lines(loaded), 1) if "announcement:" in t)
    assert (
        line,
        23,
        "SP701",
        "`{{ JOINR }}` is not a declared variable (did you mean `JOINER`?)",
    ) in found
    assert any(
        code == "SP701" and column == 39 and "an announcement knows JOINER, LEAVER" in message
        for _, column, code, message in found
    )
    assert any(code == "SP213" for _, _, code, _ in found)
    assert not any(code in ("SP212", "SP214") for _, _, code, _ in found)


def loaded_text_lines(loaded: LoadedPolicy) -> list[str]:
    assert loaded.source is not None
    return loaded.source.text.splitlines()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("github", "-bad"),
        ("github", "a--b"),
        ("github", "x" * 40),
        ("github", "@octocat"),
        ("chat", "u123"),
        ("chat", "<!channel>"),
    ],
)
def test_handles_are_validated(
    variant: Callable[..., str], load: Callable[[str], LoadedPolicy], field: str, value: str
) -> None:
    loaded = load(
        variant(
            (
                "person-e: {name: Person E}",
                f"person-e: {{name: Person E, {field}: {json.dumps(value)}}}",
            )
        )
    )
    [diagnostic] = loaded.diagnostics
    assert diagnostic.code == "SP103"
    assert diagnostic.line > 0
    assert ("GitHub login" if field == "github" else "Slack member ID") in diagnostic.message


# --- the CLI as a process: errors ----------------------------------------------------------


def test_cli_errors_are_one_coded_line(tmp_path: Path, variant: Callable[..., str]) -> None:
    bad_rotation = run_cli("handoff", "--example", "--rotation", "support-stewrd")
    assert bad_rotation.status == 2
    assert (
        "SP901 --rotation `support-stewrd` names no rotation (did you mean `support-steward`?)"
        in bad_rotation.stderr
    )
    bad_date = run_cli("handoff", "--example", "--at", "next tuesday")
    assert (bad_date.status, bad_date.stdout) == (2, "")
    assert "SP901" in bad_date.stderr
    assert "Traceback" not in bad_date.stderr
    bad_link = run_cli("handoff", "--example", "--handbook", "javascript:alert(1)")
    assert bad_link.status == 2
    assert "SP901 --handbook" in bad_link.stderr
    hidden = run_cli("handoff", "--example", "--handbook", "https://handbook\u200b.example/")
    assert hidden.status == 2, "an invisible character makes no link, as in the handbook"
    no_policy = run_cli("handoff", cwd=tmp_path)
    assert no_policy.status == 2
    assert "SP910" in no_policy.stderr
    no_rotation = tmp_path / "none.yaml"
    text = variant()
    start, end = text.index("rotation:                          #"), text.index("request_types:")
    no_rotation.write_text(
        text[:start] + text[end:].replace("{{ policy.rotation.on_duty }}", "two"), encoding="utf-8"
    )
    outcome = run_cli("handoff", "--policy", no_rotation)
    assert outcome.status in (1,), outcome.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text(variant(("handover_day: tuesday", "handover_day: tusday")), encoding="utf-8")
    failed = run_cli("handoff", "--policy", broken, "--format", "slack")
    assert failed.status == 1
    assert failed.stdout == ""
    assert re.search(r"broken\.yaml:\d+:\d+: SP", failed.stderr)


# --- init and diff -------------------------------------------------------------------------


def test_init_scaffolds_a_workflow_that_posts_the_announcement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["init", str(tmp_path)]) == 0
    capsys.readouterr()
    text = (tmp_path / ".github/workflows/support-handoff.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow[True]["schedule"]  # PyYAML reads the key `on` as true[0]["cron"]
    steps = workflow["jobs"]["announce"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert any("support-policy handoff" in run and "--format slack" in run for run in runs)
    # The secret reaches only the step that posts, through its environment, and the tool
    # is never given it.
    secret_steps = [step for step in steps if "secrets." in json.dumps(step)]
    assert len(secret_steps) == 1
    assert secret_steps[0]["env"] == {"WEBHOOK": "${{ secrets.SUPPORT_HANDOFF_WEBHOOK }}"}
    assert "support-policy" not in secret_steps[0]["run"].split("curl")[1]
    assert "__TOOL_REQUIREMENT__" not in text


def test_diff_markdown_mentions_people_whose_tenures_move(
    variant: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(variant(*HANDLES), encoding="utf-8")
    swapped = variant(*HANDLES).replace("      joins: person-f\n", "      joins: person-b\n", 1)
    new.write_text(swapped, encoding="utf-8")
    argv = ["diff", str(old), str(new), "--today", "2026-01-01"]
    assert cli.main([*argv, "--format", "markdown"]) in (0, 1)
    markdown = capsys.readouterr().out
    lines = [line for line in markdown.splitlines() if "upcoming tenures move" in line]
    assert any("Person F" in line and line.endswith("(@f-gh)") for line in lines), lines
    assert any("Person B" in line and "@" not in line for line in lines), lines
    html = MARKDOWN.render(markdown)
    assert set(re.findall(r"(?<![\w\u200d])@([A-Za-z0-9-]+)", _rendered_text(html))) == {"f-gh"}
    cli.main([*argv, "--format", "text"])
    assert "@" not in "".join(
        line for line in capsys.readouterr().out.splitlines() if "upcoming" in line
    )


def test_a_forged_mention_mark_in_input_mentions_nobody() -> None:
    from support_policy.policy.safe_text import markdown_of_marked, mention_suffix, unmark

    forged = "Person \ue002" + "0" * 16 + "octocat\ue003 moves" + mention_suffix("real")
    assert markdown_of_marked(forged) == "Person  moves (@real)"
    assert unmark(forged) == "Person  moves"
    assert mention_suffix("not valid!") == ""
