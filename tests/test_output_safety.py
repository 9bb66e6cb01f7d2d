"""Output safety: nothing a policy, calendar, template or file name holds acts on a reader.

Pull requests from forks choose every string the tool prints. These tests feed hostile
strings through the real CLI (child processes under the resource limits of
``test_hostile``) and read the output the way its consumers do: the GitHub Actions
runner (split on CR, LF and CRLF; ``::cmd`` at a line start after white space; ``##[cmd]``
anywhere), a terminal (no control character), a JSON reader (valid UTF-8 JSON) and a
CommonMark renderer for the Markdown posted as a pull-request comment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from test_hostile import TIMEOUT_SECONDS, _limit_memory

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import (
    code_span,
    for_markdown,
    for_terminal,
    ics_actions_safe,
    json_text,
    mark_code,
    markdown_of_marked,
    path_bytes,
    unmark,
)

# --- How the consumers read the output ----------------------------------------------------


def runner_lines(text: str) -> list[str]:
    """Lines as the Actions runner reads a stream (.NET ``ReadLine``: CR, LF or CRLF)."""
    return re.split(r"\r\n|\r|\n", text)


# .NET ``TrimStart`` white space, and more (zero-width ones), to err on the safe side.
_RUNNER_SPACE = re.compile(r"^[\s\u180e\u200b\ufeff]*")


def workflow_commands(text: str) -> list[str]:
    """Every line the runner would try as a workflow command, whatever its name.

    ``TryParseV2``: after leading white space, ``::`` and a second ``::``. ``TryParse``
    (the legacy form): ``##[`` anywhere in the line with a ``]`` after it.
    """
    found = []
    for line in runner_lines(text):
        trimmed = line[_RUNNER_SPACE.match(line).end() :]  # type: ignore[union-attr]
        legacy = line.find("##[")
        if (trimmed.startswith("::") and "::" in trimmed[2:]) or (
            legacy >= 0 and "]" in line[legacy:]
        ):
            found.append(line)
    return found


ANNOTATION = re.compile(r"::(error|warning) file=[^:,\r\n]*(,line=\d+(,col=\d+)?)?,title=SP\d{3}::")
PLAIN_DIAGNOSTIC = re.compile(r": SP\d{3} ")
# A terminal acts on C0 (but line feed), DEL and C1 controls; bidi controls reorder text.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str

    @property
    def both(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | bytes | Path, cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    """The CLI as a bounded child process; its output must be UTF-8 (else this fails)."""
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    environment.pop("PYTHONWARNINGS", None)
    if env is None:
        environment.pop("GITHUB_ACTIONS", None)
    completed = subprocess.run(
        [sys.executable, "-m", "support_policy.validator", *args],
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
        cwd=cwd,
        env=environment,
        check=False,
    )
    outcome = Outcome(
        completed.returncode,
        completed.stdout.decode("utf-8"),  # strict: an undecodable byte fails the test
        completed.stderr.decode("utf-8"),
    )
    assert "Traceback" not in outcome.both, outcome.both
    assert " SP902 " not in outcome.both, outcome.both
    return outcome


def assert_safe(outcome: Outcome, output_format: str) -> None:
    """What every consumer needs, for one run in one format."""
    assert workflow_commands(outcome.stderr) == [], outcome.stderr
    lines = runner_lines(outcome.stdout)
    annotations = 0
    if output_format == "github":
        while annotations < len(lines) and ANNOTATION.match(lines[annotations]):
            annotations += 1
        plain = lines[annotations:]
        # One annotation per diagnostic line of the plain report, and nothing else acts.
        assert annotations == sum(bool(PLAIN_DIAGNOSTIC.search(line)) for line in plain)
        assert all("##[" not in line for line in lines[:annotations])
    assert workflow_commands("\n".join(lines[annotations:])) == [], outcome.stdout
    if output_format in ("json", "sarif"):
        json.loads(outcome.stdout)
    if output_format != "ics":  # iCalendar lines end in CRLF by definition
        assert not RAW_CONTROL.search(outcome.both), outcome.both
    else:
        assert not RAW_CONTROL.search(outcome.stdout.replace("\r\n", "\n"))


# --- The hostile strings ------------------------------------------------------------------

# A YAML double-quoted string: every line break the runner knows (LF, CR, CRLF) followed
# by a command, the ones a terminal or .NET's TrimStart knows (NEL, LS, PS, VT, FF),
# the legacy form, terminal escapes (title, clear screen, 8-bit CSI), a bidi override.
HOSTILE = (
    r'"Eve\n::add-mask::leak-lf\r::error file=x.yaml,line=1::fake-cr\r\n  ::notice::crlf'
    r"\N::warning::nel\L::group::ls\P::debug::ps\v::endgroup::vt\f##[set-env name=A]ff"
    r' \e]0;owned\a\e[2J\x9b31m\u202eevil \\ @octocat #1"'
)
FILE_NAME = b"p\n::add-mask::name\r##[warning]x\x1b[31m\xff\xe2\x80\xae"
LEADING = "::add-mask::lead"  # no line break needed: the file name starts the line

BASE = """\
version: 1
organization:
  name: Test Org
  support_email: help@example.org
team:
  name: Test Team
  members:
    ann: {name: Ann}
    bob: {name: Bob}
    cy: {name: Cy}
    dan: {name: DAN}
roles:
  steward:
    name: Steward
rotation:
  role: steward
  members: all
  order: alphabetical
  tenure: 2 weeks
  handover_every: 1 week
  handover_day: tuesday
  start: 2026-01-06
  on_duty: 2
  changes:
    - date: 2026-01-20
      joins: dan
      reason: swap
    - date: 2026-01-27
      joins: cy
      reason: swap back
sla:
  triage:
    name: Triage
    applies_to: all
    within: 4 hours
templates:
  greeting:
    name: Greeting
    variables: [NAME]
    body: "Hello {{ NAME }},\\nbye\\n"
"""


def hostile_names() -> str:
    """A valid policy whose names, reasons and SLA name are all hostile."""
    text = BASE.replace("dan: {name: DAN}", f"dan: {{name: {HOSTILE}}}")
    for old in ("name: Steward", "reason: swap back", "name: Triage", "name: Test Team"):
        key = old.split(":")[0]
        text = text.replace(old, f"{key}: {HOSTILE}")
    return text


def invalid_id() -> str:
    """A policy with a hostile member id (reported, quoted, as an invalid key)."""
    return BASE.replace("dan: {name: DAN}", f"{HOSTILE}: {{name: Dan}}")


def hostile_calendar() -> bytes:
    """An iCalendar file whose SUMMARY holds escaped line breaks and commands."""
    summary = "Steward: Nobody\\n::add-mask::ics\\n##[warning]x \x1b[2J\\n  ::error::\\, \u202eevil"
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\n"
        "UID:1@hostile\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260106\r\n"
        f"DTEND;VALUE=DATE:20260120\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


DRIFTED_LINE = b"bye\r::add-mask::cr \x1b[31m##[warning]x\xe2\x80\xa8::notice::ls \xc2\x85nel"


def _write(path: Path | bytes, data: str | bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)


def _under(folder: Path, name: bytes) -> bytes:
    return os.fsencode(folder) + b"/" + name


# --- Unit: the display form -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb\rc\r\nd\te", "a\\nb\\rc\\r\\nd\\te"),
        ("\x0b\x0c\x1b[2J\x07\x7f", "\\x0b\\x0c\\x1b[2J\\x07\\x7f"),
        ("\x85\x9b\u2028\u2029", "\\u0085\\u009b\\u2028\\u2029"),
        ("\u202eevil\u2066\u200f", "\\u202eevil\\u2066\\u200f"),
        ("bad\udcff\udc80byte", "bad\\xff\\x80byte"),
        ("lone \ud800", "lone \\ud800"),
        ("back\\slash \\n", "back\\\\slash \\\\n"),
        ("x ##[add-mask]y", "x #\\x23[add-mask]y"),
        ("###[", "##\\x23["),
        ("::add-mask::x", "\\x3a:add-mask::x"),
        (" \u3000\u00a0::x::y", " \u3000\u00a0\\x3a:x::y"),
        ("\u200b::x::y", "\u200b\\x3a:x::y"),
        ("a::b ## [c]", "a::b ## [c]"),
        ("Zoë Ødegård 日本 🙂", "Zoë Ødegård 日本 🙂"),
    ],
)
def test_display_form(text: str, shown: str) -> None:
    assert for_terminal(text) == shown


def test_display_form_is_unambiguous() -> None:
    """Different texts never look the same: an escape always means an escape."""
    texts = ["\n", "\\n", "\\\n", "\udcff", "\xff", "\\xff", "\x1b", "\\x1b", "\u0085", "\udc85"]
    shown = [for_terminal(text) for text in texts]
    assert len(set(shown)) == len(texts), shown


def test_display_form_never_breaks_a_line_or_forms_a_command() -> None:
    every = "".join(chr(code) for code in range(0x3000)) + "\udcff\ud800"
    shown = for_terminal(f"::x::{every}##[y]")
    assert runner_lines(shown) == [shown]
    assert workflow_commands(shown) == []
    assert not RAW_CONTROL.search(shown)
    shown.encode("utf-8")  # no surrogate is left


def test_diagnostic_format_is_one_safe_line() -> None:
    diagnostic = Diagnostic.make(Code.UNKNOWN_KEY, "key `a\n::add-mask::x`", "f\r##[x]\udcff", 2, 3)
    assert diagnostic.format() == "f\\r#\\x23[x]\\xff:2:3: SP101 key `a\\n::add-mask::x`"


def test_json_text_is_valid_utf8_and_in_display_form() -> None:
    document = {"file\n": ["a\udcffb", {"m": "\x1b[2J##[x]"}], "n": 1, "ok": True}
    text = json_text(document)
    text.encode("utf-8")
    assert json.loads(text) == {
        "file\\n": ["a\\xffb", {"m": "\\x1b[2J#\\x23[x]"}],
        "n": 1,
        "ok": True,
    }


def test_path_bytes_restore_undecodable_bytes() -> None:
    assert path_bytes(os.fsdecode(b"a\xff\xc3\xa9")) == b"a\xff\xc3\xa9"
    assert path_bytes("x\ud800\udcff") == b"x\xed\xa0\x80\xff"


# --- Unit: Markdown ---------------------------------------------------------------------

MARKDOWN = MarkdownIt("gfm-like")  # tables, strikethrough and bare-URL linking, as GitHub

MARKDOWN_VECTORS = [
    "<img src=x onerror=alert(1)>",
    "<details><summary>x</summary>hidden",
    "<!-- hide the rest",
    "```\ncode fence",
    "~~~",
    "> [!CAUTION]\n> take over",
    "@octocat and @org/team",
    "#1 and owner/repo#2 and GH-3",
    "[x](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "<https://evil.example>",
    "https://evil.example/a and www.evil.example and mail@evil.example",
    "evil.example",
    "[x]: https://evil.example\n[x]",
    "`` ` ``` ````",
    "a | b\n---|---\nc | d",
    "&lt;b&gt; &#64;octocat &#x40;",
    "*em* __strong__ ~~gone~~ $x^2$",
    "- [ ] task\n1. list\n# heading\n---",
    "line\\\nbreak  \ntwo",
    "a5c3785ed8d6a35868bc169f07e40e889087fd2e",
    "\u202eevil\x1b[2J",
]


def _rendered_text(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html)


def assert_inert_html(html: str, allowed_tags: Sequence[str] = ("p", "code")) -> None:
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html))
    assert tags <= set(allowed_tags), html
    assert "<!--" not in html
    # GitHub links nothing inside a code span; outside, it links what looks like these.
    text = _rendered_text(re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL))
    assert not re.search(r"(?<![\w\u200d])@[A-Za-z0-9]", text), html  # no mention
    assert not re.search(r"(?<![\w\u200d])#\d", text), html  # no issue reference
    assert not re.search(r"\bGH-\d", text, re.IGNORECASE), html
    assert not re.search(r"\b[0-9a-f]{7,}\b", text), html  # no commit hash


@pytest.mark.parametrize("text", MARKDOWN_VECTORS)
def test_for_markdown_renders_as_the_display_form(text: str) -> None:
    markdown = for_markdown(text)
    assert "\n" not in markdown
    html = MARKDOWN.render(f"- {markdown}\n")
    assert_inert_html(html, ("ul", "li"))
    shown = _rendered_text(html).strip().replace("\u200d", "")
    assert shown == for_terminal(text).replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;"
    ).replace('"', "&quot;")


@pytest.mark.parametrize("text", [*MARKDOWN_VECTORS, "`", " ` ", "``a``", " ", "a "])
def test_code_span_cannot_be_closed(text: str) -> None:
    html = MARKDOWN.render(f"x {code_span(text)} y\n")
    assert_inert_html(html)
    assert html.count("<code>") == 1
    inside = re.search(r"<code>(.*)</code>", html, re.DOTALL)
    assert inside is not None
    escaped = for_terminal(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert inside.group(1) == escaped.replace('"', "&quot;")


def test_marked_sentence() -> None:
    marked = f"Team: <b>@x</b> renamed ({mark_code('a`b')}) as {mark_code('c' + chr(0xE000))}"
    assert unmark(marked) == "Team: <b>@x</b> renamed (`a`b`) as `c`"
    html = MARKDOWN.render(markdown_of_marked(marked))
    assert html.count("<code>") == 2
    assert "<code>a`b</code>" in html
    assert_inert_html(html)


# --- The real CLI, in every format --------------------------------------------------------

VALIDATE_FORMATS = ["text", "github", "json", "sarif", "default-in-actions"]


def _validate(cwd: Path, output_format: str, *args: str | bytes) -> Outcome:
    if output_format == "default-in-actions":
        return run_cli("validate", *args, cwd=cwd, env={"GITHUB_ACTIONS": "true"})
    return run_cli("validate", "--format", output_format, *args, cwd=cwd)


def _format_of(output_format: str) -> str:
    return "github" if output_format == "default-in-actions" else output_format


@pytest.mark.parametrize("output_format", VALIDATE_FORMATS)
def test_validate_hostile_member_id(tmp_path: Path, output_format: str) -> None:
    _write(tmp_path / "policy.yaml", invalid_id())
    outcome = _validate(tmp_path, output_format, "policy.yaml")
    assert outcome.status == 1, outcome.both
    assert "SP105" in outcome.stdout
    assert_safe(outcome, _format_of(output_format))
    if output_format == "text":
        assert "`Eve\\n::add-mask::leak-lf\\r::error" in outcome.stdout


@pytest.mark.parametrize("output_format", VALIDATE_FORMATS)
def test_validate_template_drift_line(tmp_path: Path, output_format: str) -> None:
    _write(tmp_path / "policy.yaml", BASE)
    (tmp_path / "templates").mkdir()
    _write(tmp_path / "templates" / "greeting.md", b"Hello {{ NAME }},\n" + DRIFTED_LINE + b"\n")
    outcome = _validate(tmp_path, output_format, "policy.yaml", "--templates", "templates")
    assert outcome.status == 1, outcome.both
    assert "SP302" in outcome.stdout
    assert_safe(outcome, _format_of(output_format))
    if output_format == "text":
        # Split at the CR into lines of its own, each shown in display form.
        assert "file has '::add-mask::cr \\x1b[31m#\\x23[warning]x'" in outcome.stdout


@pytest.mark.parametrize("output_format", VALIDATE_FORMATS)
def test_validate_calendar_summary(tmp_path: Path, output_format: str) -> None:
    _write(tmp_path / "policy.yaml", BASE)
    _write(tmp_path / "rotation.ics", hostile_calendar())
    outcome = _validate(tmp_path, output_format, "policy.yaml", "--calendar", "rotation.ics")
    assert outcome.status == 1, outcome.both
    assert "SP402" in outcome.stdout
    assert_safe(outcome, _format_of(output_format))


@pytest.mark.parametrize("output_format", VALIDATE_FORMATS)
def test_validate_hostile_file_names(tmp_path: Path, output_format: str) -> None:
    """Policy, calendar and template file names with line breaks, commands, ESC, 0xff."""
    policy = _under(tmp_path, FILE_NAME + b".yaml")
    calendar = _under(tmp_path, FILE_NAME + b".ics")
    _write(policy, BASE)
    _write(calendar, hostile_calendar())
    (tmp_path / "templates").mkdir()
    _write(_under(tmp_path / "templates", FILE_NAME + b".md"), b"hello\n")
    outcome = _validate(
        tmp_path, output_format, policy, "--calendar", calendar, "--templates", "templates"
    )
    assert outcome.status == 1, outcome.both
    assert {"SP301", "SP402"} <= set(re.findall(r"SP\d{3}", outcome.stdout))
    assert_safe(outcome, _format_of(output_format))
    if output_format == "sarif":
        uris = {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(outcome.stdout)["runs"][0]["results"]
        }
        # The real bytes, percent-encoded: a viewer can open the file.
        assert (
            "templates/p%0A%3A%3Aadd-mask%3A%3Aname%0D%23%23%5Bwarning%5Dx%1B%5B31m%FF%E2%80%AE.md"
            in uris
        )
    if output_format == "json":
        files = {d["file"] for d in json.loads(outcome.stdout)["diagnostics"]}
        assert "templates/p\\n::add-mask::name\\r#\\x23[warning]x\\x1b[31m\\xff\\u202e.md" in files


@pytest.mark.parametrize("output_format", VALIDATE_FORMATS)
def test_validate_file_name_starting_a_line(tmp_path: Path, output_format: str) -> None:
    """``::add-mask::…`` as a file name is a command at the start of every report line."""
    for name in (LEADING, "  " + LEADING):
        _write(tmp_path / f"{name}.yaml", invalid_id())
        outcome = _validate(tmp_path, output_format, f"{name}.yaml")
        assert outcome.status == 1
        assert_safe(outcome, _format_of(output_format))
    _write(tmp_path / f"{LEADING}-ok.yaml", BASE)
    outcome = _validate(tmp_path, output_format, f"{LEADING}-ok.yaml")
    assert outcome.status == 0
    assert_safe(outcome, _format_of(output_format))


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_on_duty_and_deadline_hostile_names(tmp_path: Path, output_format: str) -> None:
    _write(tmp_path / "policy.yaml", hostile_names())
    on_duty = run_cli(
        "on-duty", "2026-01-28", "--policy", "policy.yaml", "--format", output_format, cwd=tmp_path
    )
    assert on_duty.status == 0, on_duty.both
    assert_safe(on_duty, output_format)
    shown = "Eve\\n::add-mask::leak-lf"
    if output_format == "json":
        names = {entry["name"] for entry in json.loads(on_duty.stdout)["on_duty"]}
        assert any(name.startswith(shown) for name in names), names
    else:
        assert shown in on_duty.stdout
    deadline = run_cli(
        "deadline",
        "--received",
        "2026-01-06T10:00",
        "--policy",
        "policy.yaml",
        "--format",
        output_format,
        cwd=tmp_path,
    )
    assert deadline.status == 0, deadline.both
    assert_safe(deadline, output_format)
    if output_format == "json":
        names = {entry["name"] for entry in json.loads(deadline.stdout)["deadlines"]}
        assert any(name.startswith(shown) for name in names), names
    else:
        assert shown in deadline.stdout


@pytest.mark.parametrize("output_format", ["table", "json", "ics"])
def test_calendar_export_hostile_names(tmp_path: Path, output_format: str) -> None:
    _write(tmp_path / "policy.yaml", hostile_names())
    outcome = run_cli(
        "calendar",
        "policy.yaml",
        "--from",
        "2026-01-06",
        "--weeks",
        "4",
        "--format",
        output_format,
        cwd=tmp_path,
    )
    assert outcome.status == 0, outcome.both
    assert_safe(outcome, output_format)


def test_commands_with_a_hostile_policy_file_name(tmp_path: Path) -> None:
    """Errors of a policy named with line breaks and commands, on stderr, are safe too."""
    policy = _under(tmp_path, FILE_NAME + b".yaml")
    _write(policy, invalid_id())
    for args in (
        ("on-duty", "--policy", policy),
        ("deadline", "--received", "2026-01-06", "--policy", policy),
        ("calendar", policy, "--from", "2026-01-06", "--weeks", "1", "--format", "table"),
        ("diff", policy, policy),
    ):
        outcome = run_cli(*args, cwd=tmp_path)
        assert outcome.status in (1, 2), outcome.both
        # `diff` reports a version's errors as findings, in its report on stdout.
        assert "SP105" in (outcome.stdout if args[0] == "diff" else outcome.stderr)
        assert_safe(outcome, "text")


def test_init_into_a_hostile_folder_name(tmp_path: Path) -> None:
    outcome = run_cli("init", _under(tmp_path, FILE_NAME), cwd=tmp_path)
    assert outcome.status == 0, outcome.both
    assert_safe(outcome, "text")


def test_usage_errors_quote_arguments_safely(tmp_path: Path) -> None:
    for args in (
        ("on-duty", "\n::add-mask::x\x1b[2J"),
        ("deadline", "--received", "2026-01-06", "--sla", "\n##[warning]x"),
        ("diff", "--today", "\r::error::x"),
    ):
        outcome = run_cli(*args, cwd=tmp_path)
        assert outcome.status == 2, outcome.both
        assert_safe(outcome, "text")


# --- diff: the pull-request comment -----------------------------------------------------


@pytest.fixture
def hostile_diff(tmp_path: Path) -> Path:
    """OLD and NEW policies whose changes quote hostile names, ids, files and reasons."""
    new = hostile_names()
    new = new.replace("    bob: {name: Bob}\n", "")
    new = new.replace(
        '    body: "Hello {{ NAME }},\\nbye\\n"',
        '    file: "greet\\n::add-mask::f ``` <b>x @octocat #1 ##[warning]x.md"',
    )
    _write(tmp_path / "old.yaml", BASE)
    _write(tmp_path / "new.yaml", new)
    _write(
        tmp_path / "greet\n::add-mask::f ``` <b>x @octocat #1 ##[warning]x.md", "Hi {{ NAME }}\n"
    )
    for index, vector in enumerate(MARKDOWN_VECTORS):
        quoted = json.dumps(vector)  # a JSON string is a YAML double-quoted string
        new = new.replace(
            "    cy: {name: Cy}\n", f"    cy: {{name: Cy}}\n    m{index}: {{name: {quoted}}}\n"
        )
    _write(tmp_path / "new.yaml", new)
    return tmp_path


@pytest.mark.parametrize("output_format", ["markdown", "text", "json"])
def test_diff_hostile_changes(hostile_diff: Path, output_format: str) -> None:
    outcome = run_cli(
        "diff",
        "old.yaml",
        "new.yaml",
        "--today",
        "2026-01-28",
        "--format",
        output_format,
        cwd=hostile_diff,
    )
    assert outcome.status in (0, 1), outcome.both
    assert_safe(outcome, output_format)
    assert "add-mask" in outcome.stdout  # the hostile changes are reported, escaped


def test_diff_markdown_renders_nothing_from_input(hostile_diff: Path) -> None:
    outcome = run_cli("diff", "old.yaml", "new.yaml", "--today", "2026-01-28", cwd=hostile_diff)
    html = MARKDOWN.render(outcome.stdout)
    # Only what the comment's own structure uses: headings, lists, emphasis, code.
    assert_inert_html(html, ("h2", "h3", "p", "ul", "li", "strong", "code", "blockquote"))
    assert "<a " not in html
    assert "<img" not in html
    # One alert at most, ours: a flagged change; none from input.
    assert outcome.stdout.count("[!CAUTION]") <= 1
    assert "<pre" not in html
    for index in range(len(MARKDOWN_VECTORS)):
        assert f"(<code>m{index}</code>)" in html


# --- iCalendar: folding that acts on nothing ----------------------------------------------


def test_ics_refolding_is_invisible_to_calendar_readers() -> None:
    value = "a" * 67 + "::add-mask::x" + "b" * 80 + "##[warning]y" + "é" * 40
    line = f"SUMMARY:{value}"
    folded = "\r\n ".join([line[:75], line[75:149], line[149:]])  # as icalendar folds
    data = f"BEGIN:VEVENT\r\n{folded}\r\nEND:VEVENT\r\n".encode()
    safe = ics_actions_safe(data).decode()
    assert workflow_commands(safe) == []
    assert safe.replace("\r\n ", "") == f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n"
    assert all(len(part.encode()) <= 75 for part in safe.split("\r\n"))
    untouched = b"BEGIN:VEVENT\r\nSUMMARY:" + b"x" * 70 + b"\r\n y:z\r\nEND:VEVENT\r\n"
    assert ics_actions_safe(untouched) == untouched


def test_exported_calendar_with_printable_hostile_names_checks_clean(tmp_path: Path) -> None:
    """Printable names stay as they are in the export (no control character), and the
    exported calendar still passes its own check; printed, it acts on nothing."""
    name = "Dan " + "x" * 54 + "::add-mask::y ##[warning]z \\ back"
    _write(
        tmp_path / "policy.yaml",
        BASE.replace("dan: {name: DAN}", f"dan: {{name: {json.dumps(name)}}}"),
    )
    outcome = run_cli(
        "calendar", "policy.yaml", "--from", "2026-01-06", "--weeks", "6", cwd=tmp_path
    )
    assert outcome.status == 0, outcome.both
    assert_safe(outcome, "ics")
    assert name.replace("\\", "\\\\") in outcome.stdout.replace("\r\n ", "")
    _write(tmp_path / "rotation.ics", outcome.stdout)
    checked = run_cli("validate", "policy.yaml", "--calendar", "rotation.ics", cwd=tmp_path)
    assert checked.status == 0, checked.both
