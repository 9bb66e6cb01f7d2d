"""Every hint that says what to write can be followed: doing so gives a valid policy.

Each case breaks the bundled policy one way, takes the suggestion out of the message the
tool gives, applies it as a person would, and validates again. The command line's hints
(a date option, a `--rotation`, `--sla` or `--export` typo, a template file's name, a
ticket export's column) are followed the same way and the command run again. Hints that
name no value of their own are left out: an undefined YAML alias ("write the value out")
and "name it with `--policy PATH`".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from support_policy.policy.loader import LoadedPolicy, load_policy, load_policy_text
from support_policy.policy.types import parse_duration
from support_policy.validator.cli import main

BODY = "      Hello {{ NAME }}, thank you for your request."


def load(text: str) -> LoadedPolicy:
    return load_policy_text(text, "policy.yaml")


def broken(bundled: str, old: str, new: str) -> str:
    assert bundled.count(old) == 1, old
    text = bundled.replace(old, new)
    if "*madrid" in new:  # the anchor the merge key refers to
        text = text.replace("person-a: {", "person-a: &madrid {", 1)
    return text


def suggestion(message: str, pattern: str) -> str:
    found = re.search(pattern, message)
    assert found is not None, message
    return found.group(1)


DID_YOU_MEAN = r"did you mean `([^`]+)`"
WRITE_VALUE = r"write `([^`<]+)`"
QUOTE_IT = r"quote it: `([^`]+)`"


def write_placeholder(text: str, message: str, wrong: str) -> str:
    """`write `{{ X }}` and add `X` to `variables``: both."""
    placeholder = suggestion(message, r"write `(\{\{ [^`]+ \}\})`")
    text = text.replace(wrong, placeholder, 1)
    declared = re.search(r"add `([^`]+)` to `variables`", message)
    if declared is not None:
        text = text.replace("variables: [NAME]", f"variables: [NAME, {declared.group(1)}]", 1)
    return text


def add_to_variables(text: str, message: str, wrong: str) -> str:
    assert "(add it to `variables`)" in message
    name = wrong.strip("{} ")
    return text.replace("variables: [NAME]", f"variables: [NAME, {name}]", 1)


def escape_literal(text: str, message: str, wrong: str) -> str:
    assert "write `\\{{`" in message
    return text.replace(wrong, wrong.replace("{{", "\\{{"), 1)


def close_quote(text: str, message: str, wrong: str) -> str:
    """Follows "add the closing quote at the end of the value"."""
    quote = suggestion(message, r"add the closing (\S) at the end of the value")
    return text.replace(wrong, wrong.rstrip("\n") + quote + "\n", 1)


def indent_with_spaces(text: str, message: str, wrong: str) -> str:
    """Follows "indent it with N spaces and no tab"."""
    spaces = int(suggestion(message, r"indent it with (\d+) spaces and no tab"))
    return text.replace(wrong, " " * spaces + wrong.lstrip(), 1)


def remove_the_dash(text: str, message: str, wrong: str) -> str:
    """Follows "remove the `-`": the item was meant as a key of the mapping."""
    assert "remove the `-`" in message
    return text.replace(wrong, wrong.replace("- ", "", 1), 1)


def indent_as_the_key(text: str, message: str, wrong: str) -> str:
    """Follows "indent it exactly as far as that key" (on the line the message names)."""
    number = int(suggestion(message, r"on line (\d+) already has a value"))
    key_line = text.splitlines()[number - 1]
    indent = key_line[: len(key_line) - len(key_line.lstrip())]
    return text.replace(wrong, indent + wrong.lstrip(), 1)


def flow_list(text: str, message: str, wrong: str) -> str:
    """Follows "write the list as `[a, b]`": the items of the line, in brackets."""
    assert "write the list as `[a, b]`" in message
    key, item = wrong.split(": - ")
    return text.replace(wrong, f"{key}: [{item}]", 1)


def write_keys_out(text: str, message: str, wrong: str) -> str:
    """Follows "write the keys out": the anchored keys this mapping does not set."""
    assert "write the keys out" in message
    line = next(line for line in text.splitlines() if wrong in line)
    anchored = next(line for line in text.splitlines() if "&madrid" in line)
    base = yaml.safe_load(anchored.split("&madrid", 1)[1])
    own = yaml.safe_load(line.split(": ", 1)[1].replace(wrong, ""))
    merged = {**base, **own}
    written = ", ".join(f"{key}: {value}" for key, value in merged.items())
    return text.replace(line, f"{line.split(':', 1)[0]}: {{{written}}}", 1)


def replace_with(pattern: str, template: str) -> Apply:
    """Replace the wrong text by ``template`` filled with what the hint names."""

    def apply(text: str, message: str, wrong: str) -> str:
        assert text.count(wrong) == 1, wrong
        return text.replace(wrong, template.format(suggestion(message, pattern)))

    return apply


Apply = Callable[[str, str, str], str]

# (case, the exact text in the bundled policy, what replaces it, the code, the text the user
# edits, how to follow the hint)
CASES: list[tuple[str, str, str, str, str, Apply]] = [
    (
        "variable with spaces",
        BODY,
        BODY + " {{ next billing month }}",
        "SP211",
        "{{ next billing month }}",
        write_placeholder,
    ),
    (
        "variable with a dot",
        BODY,
        BODY + " {{ next.month }}",
        "SP211",
        "{{ next.month }}",
        write_placeholder,
    ),
    ("empty placeholder", BODY, BODY + " {{ }}", "SP211", "{{ }}", write_placeholder),
    (
        "undeclared variable",
        BODY,
        BODY + " {{ CLUSTER }}",
        "SP211",
        "{{ CLUSTER }}",
        add_to_variables,
    ),
    (
        "variable typo",
        BODY,
        BODY.replace("{{ NAME }}", "{{ NAEM }}"),
        "SP211",
        "{{ NAEM }}",
        replace_with(DID_YOU_MEAN, "{{{{ {} }}}}"),
    ),
    (
        "unknown role",
        "    owner: support-steward\n    description: >-\n      The Support Stewards run",
        "    owner: support-stewart\n    description: >-\n      The Support Stewards run",
        "SP201",
        "support-stewart",
        replace_with(DID_YOU_MEAN, "{}"),
    ),
    (
        "unknown key",
        "  hours_per_month:",
        "  hours_per_mont:",
        "SP101",
        "  hours_per_mont:",
        replace_with(DID_YOU_MEAN, "  {}:"),
    ),
    (
        "value path",
        "{{ policy.sla.timebox }}, try to",
        "{{ policy.sla.timebx }}, try to",
        "SP213",
        "policy.sla.timebx",
        replace_with(DID_YOU_MEAN, "policy.{}"),
    ),
    (
        "duration number",
        "  tenure: 4 weeks",
        "  tenure: 4",
        "SP104",
        "  tenure: 4\n",
        replace_with(WRITE_VALUE, "  tenure: {}\n"),
    ),
    (
        "duration case",
        "  tenure: 4 weeks",
        "  tenure: 4 Weeks",
        "SP104",
        "  tenure: 4 Weeks",
        replace_with(WRITE_VALUE, "  tenure: {}"),
    ),
    ("unclosed", BODY, BODY + " {{ not closed", "SP216", "{{ not closed", escape_literal),
    (
        "no space after colon",
        "  tenure: 4 weeks",
        "  tenure:4 weeks",
        "SP010",
        "  tenure:4 weeks",
        replace_with(r"write `([^`]+)`", "  {}"),
    ),
    (
        "duration case with working weeks",
        "  tenure: 4 weeks",
        "  tenure: 4 Working Weeks",
        "SP104",
        "  tenure: 4 Working Weeks",
        replace_with(WRITE_VALUE, "  tenure: {}"),
    ),
    (
        "duration case with working minutes",
        "    within: 24 working hours",
        "    within: 2 Working Minutes",
        "SP104",
        "    within: 2 Working Minutes",
        replace_with(WRITE_VALUE, "    within: {}"),
    ),
    (
        "duration case, working days",
        "    within: 1 working day",
        "    within: 1 Working Day",
        "SP104",
        "    within: 1 Working Day",
        replace_with(WRITE_VALUE, "    within: {}"),
    ),
    (
        "tenure in days",
        "  tenure: 4 weeks",
        "  tenure: 28 days",
        "SP202",
        "  tenure: 28 days",
        replace_with(WRITE_VALUE, "  tenure: {}"),
    ),
    (
        "announcement variable typo",
        "  handover_event: sprint meeting\n",
        '  handover_event: sprint meeting\n  announcement: "{{ JOINR }} joins"\n',
        "SP701",
        "{{ JOINR }}",
        replace_with(DID_YOU_MEAN, "{{{{ {} }}}}"),
    ),
    (
        "stray dash",
        "    plural: Incidents\n",
        "    - plural: Incidents\n",
        "SP010",
        "    - plural: Incidents\n",
        remove_the_dash,
    ),
    (
        "unclosed flow list",
        "  days: [monday, tuesday, wednesday, thursday, friday]",
        "  days: [monday, tuesday, wednesday, thursday, friday",
        "SP010",
        "friday\n",
        replace_with(r"end the list with `(\])` on the same line", "friday{}\n"),
    ),
    (
        "line indented too deep",
        "  handover_event: sprint meeting\n",
        "     handover_event: sprint meeting\n",
        "SP010",
        "     handover_event: sprint meeting\n",
        indent_as_the_key,
    ),
    (
        "share in words",
        '  support_share: "20%"',
        "  support_share: 20 percent",
        "SP103",
        "  support_share: 20 percent",
        replace_with(WRITE_VALUE, "  support_share: {}"),
    ),
    (
        "daily window in short",
        '  hours: "00:00-24:00"',
        "  hours: 0-24",
        "SP103",
        "  hours: 0-24",
        replace_with(WRITE_VALUE, "  hours: {}"),
    ),
    (
        "id written as a name",
        "  role: support-steward",
        "  role: Support_Steward",
        "SP105",
        "Support_Steward",
        replace_with(WRITE_VALUE, "{}"),
    ),
    (
        "communities per engineer reversed",
        "  communities_per_engineer: [8, 20]",
        "  communities_per_engineer: [20, 8]",
        "SP103",
        "[20, 8]",
        replace_with(WRITE_VALUE, "{}"),
    ),
    (
        "YAML 1.1 boolean meant as text",
        "  handover_event: sprint meeting",
        "  handover_event: no",
        "SP012",
        "no\n",
        replace_with(QUOTE_IT, "{}\n"),
    ),
    (
        "YAML 1.1 boolean meant as a boolean",
        "    uses_budget: false",
        "    uses_budget: off",
        "SP012",
        "uses_budget: off",
        replace_with(r"or write `(true|false)` for the boolean", "uses_budget: {}"),
    ),
    (
        "YAML 1.1 base-60 number meant as text",
        "  handover_event: sprint meeting",
        "  handover_event: 12:30",
        "SP012",
        "12:30",
        replace_with(QUOTE_IT, "{}"),
    ),
    (
        "number where text was expected",
        "    name: Change Request\n",
        "    name: 2024\n",
        "SP103",
        "2024\n",
        replace_with(QUOTE_IT, "{}\n"),
    ),
    (
        "number as a mapping key",
        "          Question: guidance-request",
        "          42: guidance-request",
        "SP019",
        "42:",
        replace_with(r"quote it \(`([^`]+)`\)", "{}"),
    ),
    (
        "tab indentation",
        "  support_email: support@example.org",
        "\tsupport_email: support@example.org",
        "SP010",
        "\tsupport_email:",
        indent_with_spaces,
    ),
    (
        "tab and spaces indentation",
        "  tenure: 4 weeks",
        "\t  tenure: 4 weeks",
        "SP010",
        "\t  tenure:",
        indent_with_spaces,
    ),
    (
        "unclosed quote",
        "          first-response: first_response\n",
        '          first-response: "first_response\n',
        "SP010",
        '"first_response\n',
        close_quote,
    ),
    (
        "list item on the key's line",
        "    aliases: [Customer Liaison, External Liaison, Customer Support]",
        "    aliases: - Customer Liaison",
        "SP010",
        "aliases: - Customer Liaison",
        flow_list,
    ),
    (
        "merge key",
        "    person-c: {name: Person C, timezone: America/Los_Angeles}",
        "    person-c: {<<: *madrid, name: Person C}",
        "SP013",
        "<<: *madrid, ",
        write_keys_out,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "wrong", "apply"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_following_the_hint_gives_a_valid_policy(
    bundled_text: str, old: str, new: str, code: str, wrong: str, apply: Apply
) -> None:
    text = broken(bundled_text, old, new)
    first = load(text)
    reported = [d for d in first.diagnostics if d.code == code]
    assert reported, [d.format() for d in first.diagnostics]
    fixed = apply(text, reported[0].message, wrong)
    again = load(fixed)
    assert again.ok, (reported[0].format(), [d.format() for d in again.diagnostics])


@pytest.mark.parametrize(
    "used", ["{{ CLUSTER }} and {{ CLUSTER }}", "{{ next month }} and {{ next-month }}"]
)
def test_following_every_variable_hint_declares_each_name_once(
    bundled_text: str, used: str
) -> None:
    text = broken(bundled_text, BODY, f"{BODY} {used}")
    hints = [d.message for d in load(text).diagnostics if d.code == "SP211"]
    assert len(hints) == 2, hints
    added: list[str] = []
    for hint in hints:
        added += re.findall(r"add `([A-Za-z_]+)` to `variables`", hint)
        if "(add it to `variables`)" in hint:
            added.append(suggestion(hint, r"`\{\{ ([A-Za-z_]+) \}\}`"))
        placeholder = re.search(r"write `(\{\{ [^`]+ \}\})`", hint)
        wrong = suggestion(hint, r"^`(\{\{ [^`]+ \}\})`")
        if placeholder is not None:
            text = text.replace(wrong, placeholder.group(1), 1)
    text = text.replace("variables: [NAME]", f"variables: [{', '.join(['NAME', *added])}]", 1)

    again = load(text)
    assert again.ok, (hints, [d.format() for d in again.diagnostics])


def test_the_variable_hint_names_letters_digits_and_underscore(bundled_text: str) -> None:
    result = load(broken(bundled_text, BODY, BODY + " {{ next billing month }}"))
    (diagnostic,) = result.diagnostics
    assert "variable names are letters, digits and `_`" in diagnostic.message
    assert "write `{{ next_billing_month }}` and add `next_billing_month` to `variables`" in (
        diagnostic.message
    )
    assert "add it to `variables`" not in diagnostic.message


# --- a template file in another placeholder syntax --------------------------------------

TEMPLATE_BODY = re.compile(r"    body: \|\n(?:      .*\n)+")


def test_following_each_mixed_syntax_hint_of_a_template_file_gives_a_valid_policy(
    bundled_text: str, tmp_path: Path
) -> None:
    """Replace each placeholder as told and add to `variables` what the hints name: the
    declared `NAME` is not added again, and `CLUSTER` (used twice) is added once."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(TEMPLATE_BODY.sub("    file: reply.md\n", bundled_text, count=1), "utf-8")
    reply = tmp_path / "reply.md"
    reply.write_text("Hello { NAME }, <CLUSTER> is back; `CLUSTER` was down.\n", "utf-8")

    first = load_policy(policy)
    hints = [d.message for d in first.diagnostics if d.code == "SP303"]
    assert len(hints) == 3, [d.format() for d in first.diagnostics]
    assert [" and add " in hint for hint in hints] == [False, True, False]
    text, declared = reply.read_text("utf-8"), ["NAME"]
    for hint in hints:
        wrong = suggestion(hint, r"^`?(`[A-Z]+`|\{ [A-Z]+ \}|<[A-Z]+>)`?")
        text = text.replace(wrong, suggestion(hint, r"write `(\{\{ [A-Z]+ \}\})`"), 1)
        declared += re.findall(r"add `([A-Z]+)` to `variables`", hint)
    reply.write_text(text, "utf-8")
    policy.write_text(
        policy.read_text("utf-8").replace(
            "variables: [NAME]", f"variables: [{', '.join(declared)}]", 1
        ),
        "utf-8",
    )

    again = load_policy(policy)
    assert again.ok, [d.format() for d in again.diagnostics]
    assert reply.read_text("utf-8") == (
        "Hello {{ NAME }}, {{ CLUSTER }} is back; {{ CLUSTER }} was down.\n"
    )


# --- the command line's hints --------------------------------------------------------------

WRITE_OPTION = r"write `([^`]+)`"

TICKETS = Path(__file__).parent / "data" / "tickets"

# (case, the command with the mistake, the mistaken argument, the hint's pattern)
CLI_CASES = [
    ("on-duty date", ["on-duty", "--example", "2026-3-10"], "2026-3-10", WRITE_OPTION),
    (
        "on-duty datetime",
        ["on-duty", "--example", "2026/03/10 9:30+0100"],
        "2026/03/10 9:30+0100",
        WRITE_OPTION,
    ),
    ("handoff date", ["handoff", "--example", "--at", "2026.3.10"], "2026.3.10", WRITE_OPTION),
    (
        "deadline received",
        ["deadline", "--example", "--received", "2026-3-10T9:30Z"],
        "2026-3-10T9:30Z",
        WRITE_OPTION,
    ),
    (
        "calendar from",
        ["calendar", "--example", "--format", "table", "--from", "2026/1/6"],
        "2026/1/6",
        WRITE_OPTION,
    ),
    (
        "report fairness from",
        ["report", "fairness", "--example", "--from", "2026-1-6", "--to", "2026-06-30"],
        "2026-1-6",
        WRITE_OPTION,
    ),
    (
        "deadline target",
        ["deadline", "--example", "--received", "2026-03-10", "--sla", "triag"],
        "triag",
        DID_YOU_MEAN,
    ),
    (
        "handoff rotation",
        ["handoff", "--example", "--rotation", "support-stewrd"],
        "support-stewrd",
        DID_YOU_MEAN,
    ),
    (
        "report fairness rotation",
        ["report", "fairness", "--example", "--rotation", "support-stewrd"],
        "support-stewrd",
        DID_YOU_MEAN,
    ),
    (
        "report sla export",
        [
            "report",
            "sla",
            str(TICKETS / "freshdesk.csv"),
            "--policy",
            str(TICKETS / "policy.yaml"),
            "--as-of",
            "2026-04-01",
            "--export",
            "freshdsk",
        ],
        "freshdsk",
        DID_YOU_MEAN,
    ),
]


@pytest.mark.parametrize(
    ("args", "wrong", "pattern"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_following_a_command_line_hint_runs_the_command(
    capsys: pytest.CaptureFixture[str], args: list[str], wrong: str, pattern: str
) -> None:
    assert main(args) == 2
    message = capsys.readouterr().err
    fixed = [suggestion(message, pattern) if arg == wrong else arg for arg in args]

    assert main(fixed) == 0, capsys.readouterr().err


def test_following_the_date_hint_of_diff_runs_it(
    capsys: pytest.CaptureFixture[str], bundled_text: str, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(bundled_text, "utf-8")
    new.write_text(bundled_text.replace("  name: Example Org", "  name: Example Team"), "utf-8")
    args = ["diff", str(old), str(new), "--format", "text", "--today", "2026-4-1"]
    assert main(args) == 2
    fixed = [*args[:-1], suggestion(capsys.readouterr().err, WRITE_OPTION)]

    assert main(fixed) == 0, capsys.readouterr().err
    assert "Example Team" in capsys.readouterr().out


def test_a_file_in_the_place_of_the_date_names_the_option_to_use(
    capsys: pytest.CaptureFixture[str], bundled_text: str, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(bundled_text, "utf-8")
    assert main(["on-duty", str(policy)]) == 2
    option = suggestion(capsys.readouterr().err, r"name the policy with `([^`]+)`")

    assert main(["on-duty", *option.split(" ", 1), "2026-03-10"]) == 0


@pytest.mark.parametrize("written", ["10/03/2026", "2026-02-30", "tomorrow"])
def test_a_date_with_no_single_reading_gets_an_example_not_a_guess(
    capsys: pytest.CaptureFixture[str], written: str
) -> None:
    assert main(["on-duty", "--example", written]) == 2
    message = capsys.readouterr().err
    assert "write e.g. 2026-03-10" in message
    assert re.search(WRITE_OPTION, message) is None


# --- a duration hint only ever suggests a valid duration ---------------------------------


@given(
    number=st.sampled_from(["0", "1", "2", "1.5", "24", "522", "523", "99999", "0.0"]),
    working=st.sampled_from(["", "working ", "Working ", "WORKING "]),
    unit=st.sampled_from(["minute", "hours", "day", "weeks", "Minutes", "Hour", "DAYS", "Week"]),
    spaces=st.sampled_from([" ", "  ", "\t"]),
)
def test_a_suggested_duration_is_always_valid(
    number: str, working: str, unit: str, spaces: str
) -> None:
    written = f"{number}{spaces}{working}{unit}"
    message = refusal(written)
    for suggested in re.findall(WRITE_VALUE, message):
        assert parse_duration(suggested).text == suggested, (written, message)


def refusal(written: str) -> str:
    """The message a duration is refused with ("" when it is valid)."""
    try:
        parse_duration(written)
    except PydanticCustomError as error:
        return error.message()
    return ""


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2 Working Minutes", "write `2 minutes`"),
        ("3 Working Weeks", "write `3 weeks`"),
        ("24 Working Hours", "units are lower-case: write `24 working hours`"),
        ("0 Weeks", "units are lower-case, and a duration must be more than zero"),
    ],
)
def test_the_lower_case_hint_names_a_duration_that_validates(written: str, hint: str) -> None:
    with pytest.raises(PydanticCustomError) as raised:
        parse_duration(written)
    assert hint in raised.value.message()


def test_following_the_hint_for_a_misnamed_template_file_validates_the_folder(
    capsys: pytest.CaptureFixture[str], bundled_text: str, tmp_path: Path
) -> None:
    """`did you mean` names the template id: the file takes that name (and keeps `.md`)."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(bundled_text, "utf-8")
    body = TEMPLATE_BODY.search(bundled_text)
    assert body is not None
    folder = tmp_path / "canned"
    folder.mkdir()
    text = "".join(line[6:] + "\n" for line in body.group(0).splitlines()[1:])
    (folder / "non-incident-stauts.md").write_text(text, "utf-8")
    assert main(["validate", str(policy), "--templates", str(folder)]) == 1
    key = suggestion(capsys.readouterr().out, DID_YOU_MEAN)
    (folder / "non-incident-stauts.md").rename(folder / f"{key}.md")

    assert main(["validate", str(policy), "--templates", str(folder)]) == 0, capsys.readouterr().out


TWO_ROTATIONS = """\
version: 1
organization: {name: Example Org}
team:
  name: Example Team
  members:
    person-a: {name: Person A}
    person-b: {name: Person B}
    person-c: {name: Person C}
roles:
  support-steward:
    name: Support Steward
    description: Each steward serves for {{ policy.rotation.tenure }}.
  incident-commander: {name: Incident Commander}
rotations:
  support-steward:
    role: support-steward
    tenure: 2 weeks
    handover_every: 1 week
    handover_day: tuesday
    start: 2026-01-06
  incident-commander:
    role: incident-commander
    tenure: 1 week
    handover_every: 1 week
    handover_day: tuesday
    start: 2026-01-06
"""


def test_following_the_several_rotations_hint_names_a_value_that_resolves() -> None:
    (diagnostic,) = load(TWO_ROTATIONS).diagnostics
    assert diagnostic.code == "SP213"
    path = suggestion(diagnostic.message, r"name one, e\.g\. `([^`]+)`")

    again = load(TWO_ROTATIONS.replace("policy.rotation.tenure", f"policy.{path}"))
    assert again.ok, [d.format() for d in again.diagnostics]


def test_following_the_missing_column_hint_reads_the_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An export whose creation column is named otherwise: the hint names the column and
    the `columns` entry to write; written under the export's entry, the report runs."""
    export = tmp_path / "tickets.csv"
    csv = (TICKETS / "freshdesk.csv").read_bytes()  # one row is not UTF-8, on purpose
    export.write_bytes(csv.replace(b",Created time,", b",Creation time,", 1))
    policy = tmp_path / "policy.yaml"
    text = (TICKETS / "policy.yaml").read_text("utf-8")
    policy.write_text(text, "utf-8")
    args = ["report", "sla", str(export), "--policy", str(policy), "--as-of", "2026-04-30"]
    assert main([*args, "--export", "freshdesk"]) == 1
    entry = suggestion(capsys.readouterr().err, r"write `(columns: \{[^`]+\})`")
    assert entry == 'columns: {created: "Creation time"}'
    anchor = "        format: freshdesk\n"
    policy.write_text(text.replace(anchor, f"{anchor}        {entry}\n", 1), "utf-8")

    assert main([*args, "--export", "freshdesk"]) == 0, capsys.readouterr().err


def test_a_header_of_many_columns_gets_no_column_guess(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Past MAX_COLUMNS_COMPARED unclaimed columns nothing is compared: the hint only says
    where to name the column (a hostile header cannot make the hint costly)."""
    export = tmp_path / "tickets.csv"
    header = ",".join(["Ticket ID", "Type", *(f"Created {n}" for n in range(5000))])
    export.write_text(header + "\n1," + "x," * 5000 + "\n", "utf-8")
    args = ["report", "sla", str(export), "--policy", str(TICKETS / "policy.yaml")]
    assert main([*args, "--export", "freshdesk", "--as-of", "2026-04-30"]) == 1
    message = capsys.readouterr().err
    assert "name the export's column for it in `columns.created`" in message
    assert "if the export calls it" not in message


def test_a_hostile_column_name_in_the_hint_is_shown_safely(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = tmp_path / "tickets.csv"
    export.write_text("Ticket ID,Type,Created\x1b[2J time\n1,Question,2026-03-02\n", "utf-8")
    args = ["report", "sla", str(export), "--policy", str(TICKETS / "policy.yaml")]
    assert main([*args, "--export", "freshdesk", "--as-of", "2026-04-30"]) == 1
    message = capsys.readouterr().err
    assert "if the export calls it" in message
    assert "\x1b" not in message
