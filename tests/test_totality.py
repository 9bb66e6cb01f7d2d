"""Totality: every date, window and number a user can reach gives an answer or a coded line.

The edges of the calendar (years 1 and 9999), windows of any length and integers of
thousands of digits are run through the real ``support-policy`` process, under the same
wall-clock and memory bounds as the hostile-input tests: each must end with its exit
status and one ``SP…`` line, never ``SP902`` or a traceback. The bounds themselves are
stated in ``policy/bounds.py`` and documented in the security page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from example_variants import with_recorded_swap
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx_fixtures import MakeApp, build, copy_root, example_policy, rootdir
from test_hostile import Outcome, run_cli

from support_policy.policy.bounds import MAX_DATE, MIN_DATE, iso_date, utc_stamp
from support_policy.policy.checks import check_policy
from support_policy.policy.loader import LoadedPolicy, bundled_policy_path, load_policy_text
from support_policy.validator.calendar_check import check_calendar_bytes
from support_policy.validator.cli import main
from support_policy.validator.ics_export import rotation_ics

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

BUNDLED = bundled_policy_path()
BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
# The example with its leave as two recorded changes and no cover: for tests that edit
# `changes`, or grow the pool (a cover stands in for someone on duty on fixed days).
RECORDED_SWAP_TEXT = with_recorded_swap(BUNDLED_TEXT)
ONE_LINE = re.compile(r"^[^\n]+: (SP\d{3}) [^\n]+\n$")
BIG = "9" * 5000


def assert_one_coded_line(outcome: Outcome, status: int, code: str) -> str:
    """Exit ``status``, nothing on stdout, one ``code`` line on stderr; returns that line."""
    assert "Traceback" not in outcome.stderr + outcome.stdout
    assert "SP902" not in outcome.stderr
    assert outcome.status == status, outcome.stderr
    found = ONE_LINE.match(outcome.stderr)
    assert found is not None, outcome.stderr
    assert found.group(1) == code, outcome.stderr
    return outcome.stderr


def variant(*replacements: tuple[str, str], base: str = BUNDLED_TEXT) -> str:
    text = base
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def position(text: str, needle: str) -> str:
    """``line:column`` of the first character of ``needle`` in ``text``."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


# --- dates at the edges of the calendar, as arguments -----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("on-duty", "--example", "9999-12-31"),
        ("on-duty", "--example", "0001-01-01"),
        ("on-duty", "--example", "0001-01-01T00:00+10:00"),
        ("on-duty", "--example", "9999-12-31T23:59-12:00"),
        ("deadline", "--example", "--received", "0001-01-01T00:00+10:00"),
        ("deadline", "--example", "--received", "9999-12-31T23:59:59Z"),
        ("calendar", "--example", "--from", "9999-01-01", "--weeks", "520"),
        ("calendar", "--example", "--from", "0001-01-01", "--weeks", "1", "--format", "json"),
        ("calendar", "--example", "--from", "2026-01-06", "--weeks", BIG),
        ("calendar", "--example", "--from", "2026-01-06", "--weeks", "521"),
        ("diff", "--today", "9999-12-31", str(BUNDLED), str(BUNDLED)),
        ("diff", "--today", "0001-01-01", str(BUNDLED), str(BUNDLED)),
        ("diff", "--weeks", "100000000", str(BUNDLED), str(BUNDLED)),
        ("diff", "--weeks", "-1", str(BUNDLED), str(BUNDLED)),
    ],
)
def test_argument_outside_the_bounds_is_sp920(args: tuple[str, ...]) -> None:
    outcome = run_cli(*args)
    line = assert_one_coded_line(outcome, 2, "SP920")
    assert outcome.stdout == ""
    assert "0100-01-01 to 9899-12-31" in line or "520 weeks" in line
    assert len(line) < 300  # a 5,000-digit argument is not echoed whole


@pytest.mark.parametrize(
    "args",
    [
        ("on-duty", "--example", "9899-12-31"),
        ("on-duty", "--example", "0100-01-01T00:00-14:00"),
        ("deadline", "--example", "--received", "9899-12-31T23:59Z"),
        ("deadline", "--example", "--received", "0100-01-01"),
        ("calendar", "--example", "--from", "9899-12-31", "--weeks", "520", "--format", "table"),
        ("calendar", "--example", "--from", "0100-01-01", "--weeks", "520", "--format", "json"),
        ("diff", "--today", "9899-12-31", "--weeks", "520", str(BUNDLED), str(BUNDLED)),
        ("diff", "--today", "0100-01-01", "--weeks", "520", str(BUNDLED), str(BUNDLED)),
    ],
)
def test_the_last_supported_dates_are_answered(args: tuple[str, ...]) -> None:
    outcome = run_cli(*args)
    assert outcome.status == 0, outcome.stderr
    assert _problems(outcome.stderr) == []
    assert outcome.stdout.strip()


@pytest.mark.parametrize(
    ("command", "epoch"),
    [
        (("on-duty", "--example"), "999999999999999"),
        (("on-duty", "--example"), "-99999999999"),
        (("on-duty", "--example"), BIG),
        (("diff", str(BUNDLED), str(BUNDLED)), "-99999999999"),
        (("diff", str(BUNDLED), str(BUNDLED)), BIG),
        (("calendar", "--example", "--from", "2026-01-06", "--weeks", "4"), "999999999999999"),
        (("calendar", "--example", "--from", "2026-01-06", "--weeks", "4"), BIG),
    ],
)
def test_source_date_epoch_outside_the_bounds(command: tuple[str, ...], epoch: str) -> None:
    outcome = run_cli(*command, env={"SOURCE_DATE_EPOCH": epoch})
    assert "Traceback" not in outcome.stderr
    assert outcome.status == 2, outcome.stderr
    assert re.search(r": SP9(01|20) SOURCE_DATE_EPOCH", outcome.stderr), outcome.stderr


def test_an_export_from_the_last_date_passes_its_own_check(tmp_path: Path) -> None:
    target = tmp_path / "late.ics"
    exported = run_cli(
        "calendar", "--example", "--from", "9899-12-31", "--weeks", "520", "-o", target
    )
    assert exported.status == 0, exported.stderr
    checked = run_cli("validate", "--example", "--calendar", target)
    assert checked.status == 0, checked.stdout + checked.stderr


# --- dates at the edges, in the policy ----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("start: 2026-01-06", "start: 9999-12-28"),
        ("start: 2026-01-06", "start: 0001-01-02"),
        ("holidays: [2026-12-25, 2027-01-01]", "holidays: [0001-01-01]"),
        ("holidays: [2026-12-25, 2027-01-01]", "holidays: [9999-12-31]"),
        ("to: 2026-03-16", "to: 9999-12-28"),
        ("      from: 2026-02-11", "      from: 0001-01-01"),
    ],
)
def test_policy_date_at_the_edge_is_a_positioned_violation(
    tmp_path: Path, old: str, new: str
) -> None:
    text = variant((old, new))
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    for args in (("validate", policy), ("on-duty", "--policy", policy, "2026-05-05")):
        outcome = run_cli(*args)
        assert outcome.status == 1
        assert "Traceback" not in outcome.stderr + outcome.stdout
        where = position(text, new.strip().split(": ", 1)[1].strip("[]"))
        assert f"policy.yaml:{where}: SP103 " in outcome.stdout + outcome.stderr


SECOND_CHANGE = """    - date: 2026-03-17             # Person F was due to join
      joins: person-e
      reason: Swap with Person F
"""


def test_a_rotation_at_the_last_policy_date_is_answered(tmp_path: Path) -> None:
    text = variant(
        ("start: 2026-01-06", "start: 2999-12-31"),
        ("    - date: 2026-03-03", "    - date: 2999-12-31"),
        ("      joins: person-f\n", "      joins: person-d\n"),
        (SECOND_CHANGE, ""),
        ("holidays: [2026-12-25, 2027-01-01]", "holidays: [2999-12-31]"),
        base=RECORDED_SWAP_TEXT,
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    assert run_cli("validate", policy).status == 0
    calendar = tmp_path / "edge.ics"
    exported = run_cli("calendar", policy, "--from", "2999-12-01", "--weeks", "520", "-o", calendar)
    assert exported.status == 0, exported.stderr
    checked = run_cli("validate", policy, "--calendar", calendar)
    assert checked.status == 0, checked.stdout
    on_duty = run_cli("on-duty", "--policy", policy, "2999-12-31")
    assert on_duty.status == 0
    assert "Person D (person-d): 2999-12-31 to 3000-01-28 [recorded change" in on_duty.stdout
    deadline = run_cli("deadline", "--policy", policy, "--received", "2999-12-31T12:00Z")
    assert deadline.status == 0, deadline.stderr
    # The holiday (a Tuesday) holds no working time: a working day from it ends a day later.
    assert "within 1 working day): due 3000-01-02T00:00:00Z" in deadline.stdout


def test_deadline_past_the_horizon_points_at_the_target(tmp_path: Path) -> None:
    text = variant(
        ('hours: "00:00-24:00"', 'hours: "09:00-09:01"'),
        ("within: 24 working hours", "within: 87000 working hours"),
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    outcome = run_cli("deadline", "--policy", policy, "--received", "2026-01-05")
    line = assert_one_coded_line(outcome, 2, "SP921")
    assert line.startswith(f"{policy}:{position(text, '87000 working hours')}: SP921 ")
    assert "100 years" in line


# --- numbers of thousands of digits -----------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("version: 1", f"version: {BIG}", BIG),
        ("hours_per_month: 173", f"hours_per_month: {BIG}", BIG),
        ("hours_per_month: 173", f"hours_per_month: 0.{BIG}", f"0.{BIG}"),
        ("hours_per_month: 173", "hours_per_month: 1e-99", "1e-99"),
        ("communities_per_engineer: [8, 20]", f"communities_per_engineer: [8, {BIG}]", BIG),
        ("on_duty: 2 ", f"on_duty: -{BIG} ", f"-{BIG}"),
        ("stated_hours: 34", f"stated_hours: 0x{BIG}", f"0x{BIG}"),
        ("tenure: 4 weeks", f"tenure: {BIG} weeks", f"{BIG} weeks"),
        ('support_share: "20%"', f'support_share: "{BIG}%"', f'"{BIG}%"'),
    ],
)
def test_long_number_is_refused_by_length_with_its_position(
    tmp_path: Path, old: str, new: str, needle: str
) -> None:
    text = variant((old, new))
    policy = tmp_path / "policy.yaml"
    policy.write_text(text, encoding="utf-8")
    outcome = run_cli("validate", policy)
    assert outcome.status == 1
    assert "Traceback" not in outcome.stderr
    assert "SP902" not in outcome.stderr
    assert outcome.stdout.startswith(f"{policy}:{position(text, needle)}: SP110 ")
    assert "30 digits" in outcome.stdout
    assert BIG not in outcome.stdout  # the number is not echoed back


# --- any date, in process ---------------------------------------------------------------

ANY_DATE = st.dates(min_value=date.min, max_value=date.max)


def _problems(stderr: str) -> list[str]:
    """The lines of ``stderr`` that report something, not the note of which file was read."""
    return [line for line in stderr.splitlines() if not line.startswith("<bundled>/policy.yaml:")]


def _main(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        status = main(list(args))
    return status, err.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    day=ANY_DATE,
    hour=st.integers(0, 23),
    offset=st.integers(-14 * 60, 14 * 60),
    weeks=st.integers(1, 520),
)
def test_any_date_gives_an_answer_or_a_bound(day: date, hour: int, offset: int, weeks: int) -> None:
    sign = "+" if offset >= 0 else "-"
    stamp = f"{iso_date(day)}T{hour:02d}:00{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    in_range = MIN_DATE <= day <= MAX_DATE
    plain_dates = (
        ("on-duty", "--example", iso_date(day)),
        ("deadline", "--example", "--received", iso_date(day)),
        (
            "calendar",
            "--example",
            "--from",
            iso_date(day),
            "--weeks",
            str(weeks),
            "--format",
            "json",
        ),
    )
    for args in plain_dates:
        status, err = _main(*args)
        assert "SP902" not in err, (args, err)
        if in_range:
            # A date inside the range is answered (stderr may only say which file was read).
            assert (status, _problems(err)) == (0, []), args
        else:
            assert status == 2, (args, err)
            assert " SP920 " in err, (args, err)
    # With an offset the UTC instant decides; either way an answer or a coded refusal.
    for args in (("on-duty", "--example", stamp), ("deadline", "--example", "--received", stamp)):
        status, err = _main(*args)
        assert status in (0, 2), (args, err)
        assert "SP902" not in err, (args, err)
        assert status == 0 or " SP920 " in err, (args, err)


# --- the handbook directive -------------------------------------------------------------


ROTATION_PAGES = {
    "rst": ("rotation.rst", "Rotation\n========\n\n.. support-rotation::\n{options}\n"),
    "md": ("rotation.md", "# Rotation\n\n```{{support-rotation}}\n{options}\n```\n"),
}


@pytest.mark.parametrize("syntax", ["rst", "md"])
@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"from": "9999-06-01"}, ":from: 9999-06-01 is outside the supported dates"),
        ({"from": "0001-01-01", "weeks": "2"}, ":from: 0001-01-01 is outside"),
        ({"weeks": "400000"}, ":weeks: must be between 1 and 520 weeks"),
        ({"weeks": "0"}, ":weeks: must be between 1 and 520 weeks"),
        ({"weeks": BIG}, ":weeks: must be between 1 and 520 weeks"),
        ({"from": "9899-12-31", "weeks": "521"}, ":weeks: must be between 1 and 520 weeks"),
    ],
)
def test_directive_option_out_of_range_is_a_coded_warning(
    make_app: MakeApp, tmp_path: Path, syntax: str, options: dict[str, str], needle: str
) -> None:
    srcdir = copy_root("bad-policy", tmp_path / "src", policy=example_policy())
    (srcdir / "rotation.rst").unlink()
    name, page = ROTATION_PAGES[syntax]
    indent = "   " if syntax == "rst" else ""
    lines = "\n".join(f"{indent}:{key}: {value}" for key, value in options.items())
    (srcdir / name).write_text(page.format(options=lines), encoding="utf-8")
    app, warnings = build(make_app, srcdir, "html")
    ours = [line for line in warnings.splitlines() if "support-rotation" in line or "SP9" in line]
    assert any(
        "SP920" in line and needle in line and "[support-policy.range]" in line for line in ours
    ), warnings
    assert "SP902" not in warnings
    assert "Traceback" not in warnings
    assert "Exception" not in warnings
    html = (Path(app.outdir) / "rotation.html").read_text(encoding="utf-8")
    assert "support-rotation-figure" not in html  # the schedule is left out
    assert "Support Steward" in html  # the rules in words are still there


def test_directive_today_with_an_epoch_outside_the_bounds_warns(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "999999999999999")
    srcdir = copy_root("bad-policy", tmp_path / "src", policy=example_policy())
    (srcdir / "rotation.rst").write_text(
        "Rotation\n========\n\n.. support-rotation::\n   :from: today\n", encoding="utf-8"
    )
    _app, warnings = build(make_app, srcdir, "html")
    assert "SP920 SOURCE_DATE_EPOCH" in warnings
    assert "[support-policy.range]" in warnings


def test_directive_longest_window_renders(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("bad-policy", tmp_path / "src", policy=example_policy())
    (srcdir / "rotation.rst").write_text(
        "Rotation\n========\n\n.. support-rotation::\n   :from: 9899-12-31\n   :weeks: 520\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "html")
    assert "rotation.rst" not in warnings
    html = (Path(app.outdir) / "rotation.html").read_text(encoding="utf-8")
    assert "9899-12-31 to 9909-12-18 (520 weeks)" in html


# --- calendars: role names with separators, years, empty files ---------------------------


@pytest.fixture(scope="module")
def colon_role() -> LoadedPolicy:
    loaded = load_policy_text(
        BUNDLED_TEXT.replace("    name: Support Steward\n", '    name: "Support: Steward"\n', 1),
        "policy.yaml",
    )
    assert loaded.ok, loaded.diagnostics
    return loaded


def test_role_name_with_a_colon_exports_a_calendar_that_passes_its_check(
    colon_role: LoadedPolicy,
) -> None:
    data = rotation_ics(colon_role, date(2026, 1, 6), 52)
    assert b"SUMMARY:Support: Steward: Person A" in data
    assert check_calendar_bytes(colon_role, data, "rotation.ics") == []


@pytest.mark.parametrize("separator", [": ", " - ", " – ", " — ", " :  "])
def test_summary_with_any_separator_after_a_colon_role_name(
    colon_role: LoadedPolicy, separator: str
) -> None:
    data = rotation_ics(colon_role, date(2026, 1, 6), 52)
    rewritten = data.replace(b"Support: Steward: ", f"support: steward{separator}".encode())
    assert rewritten != data
    assert check_calendar_bytes(colon_role, rewritten, "rotation.ics") == []


def test_summary_cut_at_the_role_names_own_colon_names_nobody(colon_role: LoadedPolicy) -> None:
    # Person C has no email, so only the SUMMARY could identify the event.
    data = rotation_ics(colon_role, date(2026, 1, 6), 52)
    cut = data.replace(b"SUMMARY:Support: Steward: Person C", b"SUMMARY:Support: Person C")
    assert cut != data
    found = check_calendar_bytes(colon_role, cut, "rotation.ics")
    # `Support` is no role label: the event is another duty's, skipped and never counted.
    codes = [d.code for d in found]
    assert "SP416" in codes
    assert "SP404" in codes


def _calendar(*events: str) -> bytes:
    """Two blank lines, then a calendar (``BEGIN:VCALENDAR`` on line 3) with ``events``."""
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:e{i}\r\n{event}\r\n"
        "SUMMARY:Support Steward: Person A\r\nEND:VEVENT\r\n"
        for i, event in enumerate(events)
    )
    head = "\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()


@pytest.fixture(scope="module")
def bundled() -> LoadedPolicy:
    return load_policy_text(BUNDLED_TEXT, "policy.yaml")


def test_early_timestamps_print_four_digit_years(bundled: LoadedPolicy) -> None:
    assert utc_stamp(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00Z"
    found = check_calendar_bytes(
        bundled, _calendar("DTSTART:00600105T120000Z\r\nDTEND:00600202T120000Z"), "x.ics"
    )
    messages = " ".join(d.message for d in found)
    assert "0060-01-05 12:00Z" in messages
    assert not re.search(r"(?<![0-9])60-01-05", messages)


def test_a_calendar_without_events_is_reported_at_its_vcalendar(bundled: LoadedPolicy) -> None:
    found = check_calendar_bytes(bundled, _calendar(), "empty.ics")
    assert [(d.code, d.line) for d in found] == [("SP404", 3)]
    assert found[0].format().startswith("empty.ics:3: SP404 ")


def test_calendar_events_at_year_one_are_refused_not_raised(bundled: LoadedPolicy) -> None:
    found = check_calendar_bytes(
        bundled, _calendar("DTSTART:00010101T000000Z\r\nDTEND:00010129T000000Z"), "x.ics"
    )
    assert [d.code for d in found] == ["SP401"]
    assert "0001-01-01" in found[0].message


# --- linear in members ------------------------------------------------------------------


def _members_policy(count: int) -> LoadedPolicy:
    extra = "".join(f"\n    m{index}: {{name: M{index}}}" for index in range(count))
    marker = "    person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}"
    loaded = load_policy_text(RECORDED_SWAP_TEXT.replace(marker, marker + extra, 1), "policy.yaml")
    assert loaded.ok, loaded.diagnostics[:3]
    return loaded


class _CountingMembers(dict[str, Any]):
    """A members mapping that counts the passes made over it."""

    passes = 0

    def __iter__(self) -> Iterator[str]:
        type(self).passes += 1
        return super().__iter__()

    def items(self) -> Any:
        type(self).passes += 1
        return super().items()

    def values(self) -> Any:
        type(self).passes += 1
        return super().values()


def _passes_over_members(count: int) -> int:
    loaded = _members_policy(count)
    policy = loaded.policy
    assert policy is not None
    counting = _CountingMembers(policy.team.members)
    object.__setattr__(policy.team, "members", counting)
    _CountingMembers.passes = 0
    check_policy(policy, {})
    return _CountingMembers.passes


def test_policy_checks_pass_over_the_members_a_fixed_number_of_times() -> None:
    # A scan of the members per member (the old name/id check) makes this grow with the
    # team; the checks must walk the members a fixed number of times, whatever the size.
    assert _passes_over_members(200) == _passes_over_members(400)


def test_a_name_that_is_another_members_id_is_still_found() -> None:
    text = BUNDLED_TEXT.replace("{name: Person B,", "{name: Person-A,", 1)
    extra = "".join(f"\n    m{index}: {{name: M{index}}}" for index in range(2000))
    marker = "    person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}"
    loaded = load_policy_text(text.replace(marker, marker + extra, 1), "policy.yaml")
    found = [d for d in loaded.diagnostics if d.code == "SP215"]
    assert len(found) == 1
    assert "id of another member (person-a)" in found[0].message


def test_diff_of_a_large_roster_still_names_joiners_and_leavers() -> None:
    from support_policy.policy.diff import diff_policies

    old, new = _members_policy(3000), _members_policy(3001)
    assert old.policy is not None
    assert new.policy is not None
    result = diff_policies(old.policy, new.policy, today=date(2026, 5, 5), weeks=0)
    texts = [entry.text for entry in result.entries]
    assert "Rotation: M3000 joins the pool" in texts
    assert not any("leaves the pool" in text for text in texts)


def test_date_helpers_stay_inside_the_calendar() -> None:
    from support_policy.policy.bounds import days_before

    assert days_before(date(2026, 1, 1), 10**9) == MIN_DATE
    assert days_before(date(2026, 1, 1), 7) == date(2025, 12, 25)
    assert MAX_DATE + timedelta(weeks=520 + 522) + timedelta(days=3653) <= date.max
    assert MIN_DATE - timedelta(weeks=520 + 522) - timedelta(days=3653) >= date.min


def test_did_you_mean_work_is_bounded_whatever_the_number_of_unknown_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import difflib

    from support_policy.policy.checks import MAX_HINT_COMPARISONS

    compared: list[int] = []
    real = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: Any, **kwargs: Any) -> list[str]:
        compared.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    members = "".join(f"\n    m{index}: {{name: M{index}}}" for index in range(3000))
    unknown = ", ".join(f"m{index}x" for index in range(3000))
    marker = "    person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}"
    text = BUNDLED_TEXT.replace(marker, marker + members, 1).replace(
        "  members: all\n", f"  members: [person-a, {unknown}]\n", 1
    )
    loaded = load_policy_text(text, "policy.yaml")
    unresolved = [d for d in loaded.diagnostics if d.code == "SP201"]
    assert len(unresolved) == 3000  # every unknown name is still reported
    assert "did you mean" in unresolved[0].message
    # Without the budget: 3,000 hints × 3,006 choices, nine million comparisons.
    assert sum(compared) <= MAX_HINT_COMPARISONS + 3006
