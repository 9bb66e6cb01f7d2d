"""``report fairness`` and ``support-fairness``: the numbers against an independent count
over generated two-year schedules, the warnings, the formats and exit statuses."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from example_variants import with_recorded_swap
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sphinx_fixtures import MakeApp, build
from test_hostile import run_cli
from test_output_safety import MARKDOWN, _rendered_text

from support_policy.policy.derive import schedule_of
from support_policy.policy.fairness import fairness, holiday_periods, percent
from support_policy.policy.loader import LoadedPolicy, load_policy_text
from support_policy.policy.models import Policy

pytest_plugins = ("sphinx.testing.fixtures",)

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
FIRST, LAST = date(2026, 1, 1), date(2027, 12, 31)


@pytest.fixture
def bundled_text(bundled_text: str) -> str:
    """The example as these tests were written against: Person E's leave as two recorded
    `changes`, no `away`, no `cover` (see ``tests/example_variants.py``)."""
    return with_recorded_swap(bundled_text)


# --- an independent count -------------------------------------------------------------------


def naive(policy: Policy, first: date, last: date) -> dict[str, dict[str, int]]:
    """Per person: tenures, days, working days, holidays, weekends, owed turns open.

    Tenure by tenure from the dealt hand-offs, cover from the model's own list, working
    days from the raw `working_time` keys; owed turns as "passed over after the last
    owed turn paid".
    """
    schedule = schedule_of(policy)
    assert schedule is not None
    rotation = policy.rotation
    assert rotation is not None
    working = policy.effective_working_time
    workdays = {WEEKDAYS.index(day) for day in working.days}
    holidays = set(working.holidays)
    counts: dict[str, Counter[str]] = {}
    k = schedule.latest_handoff(first) - schedule.on_duty_count
    while schedule.handoff_date(k) <= last:
        tenure = schedule.handoff(k)
        if tenure.joiner is not None:
            if first <= tenure.start <= last:
                counts.setdefault(tenure.joiner, Counter())["tenures"] += 1
            day = max(tenure.start, first)
            while day < tenure.end and day <= last:
                cover = [
                    c
                    for c in rotation.cover
                    if c.covers == tenure.joiner and c.start <= day <= c.to
                ]
                who = cover[0].member if cover else tenure.joiner
                tally = counts.setdefault(who, Counter())
                tally["days"] += 1
                tally["working_days"] += day.weekday() in workdays and day not in holidays
                tally["holidays"] += day in holidays
                tally["weekends"] += day.weekday() not in workdays
                day += timedelta(days=1)
        k += 1
    passed: dict[str, int] = {}
    paid: dict[str, int] = {}
    k = 0
    while schedule.handoff_date(k) <= last:
        handoff = schedule.handoff(k)
        if handoff.kind == "swapped":
            for reason in handoff.unavailable:
                passed[reason.member] = k
        if handoff.kind == "owed" and handoff.scheduled is not None:
            paid[handoff.scheduled] = k
        k += 1
    for member, when in passed.items():
        left = policy.team.members[member].left
        if when > paid.get(member, -1) and (left is None or last < left):
            counts.setdefault(member, Counter())["owed_open"] += 1
    return {key: dict(value) for key, value in counts.items()}


@st.composite
def rotations(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(4, 7))
    on_duty = draw(st.integers(1, 2))
    every = draw(st.integers(1, 2))
    members: dict[str, Any] = {}
    for index in range(size):
        member: dict[str, Any] = {"name": f"Person {chr(65 + index)}"}
        away = []
        cursor = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 200)))
        for _ in range(draw(st.integers(0, 2))):
            length = draw(st.integers(1, 25))
            away.append({"from": cursor, "to": cursor + timedelta(days=length), "reason": "Leave"})
            cursor += timedelta(days=length + draw(st.integers(30, 200)))
        if away:
            member["away"] = away
        members[f"person-{chr(97 + index)}"] = member
    if draw(st.booleans()):
        members["person-z"] = {"name": "Person Z", "joined": date(2026, 9, 1)}
    holidays = sorted(
        {
            date(2026, 1, 1) + timedelta(days=d)
            for d in draw(st.lists(st.integers(0, 729), max_size=8))
        }
    )
    start = date(2026, 1, 5)  # a Monday
    return {
        "version": 1,
        "organization": {"name": "Org"},
        "team": {"name": "Team", "members": members},
        "working_time": {
            "days": WEEKDAYS[: draw(st.integers(4, 6))],
            "holidays": holidays,
        },
        "roles": {"steward": {"name": "Steward"}},
        "rotation": {
            "role": "steward",
            "tenure": f"{on_duty * every} weeks",
            "handover_every": f"{every} weeks",
            "handover_day": "monday",
            "start": start,
        },
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rotations())
def test_numbers_match_an_independent_count_over_two_years(data: dict[str, Any]) -> None:
    loaded = load_policy_text(yaml.safe_dump(data, sort_keys=False), "policy.yaml")
    assume(loaded.ok)  # a draw where nobody can join is an error, reported elsewhere
    policy = loaded.policy
    assert policy is not None
    schedule = schedule_of(policy)
    assert schedule is not None
    report = fairness(policy, schedule, FIRST, LAST)
    expected = naive(policy, FIRST, LAST)
    keys = ("tenures", "days", "working_days", "holidays", "weekends", "owed_open")
    for person in report.people:
        counted = expected.get(person.id, {})
        assert {k: getattr(person, k) for k in keys} == {k: counted.get(k, 0) for k in keys}, (
            person.id
        )
    assert {p.id for p in report.people if p.days or p.tenures} == {
        key for key, value in expected.items() if value.get("days") or value.get("tenures")
    }
    # The deviation is measured against the pool's own average, per day on the team.
    pool = [p for p in report.people if p.in_pool and p.days_on_team]
    average = Fraction(sum(p.days for p in pool), sum(p.days_on_team for p in pool))
    for person in pool:
        assert person.deviation == Fraction(person.days, person.days_on_team) / average - 1
    assert sum(p.deviation * p.days_on_team for p in pool if p.deviation is not None) == 0


# --- the example and the warnings ---------------------------------------------------------


def example_report(load: Callable[[str], LoadedPolicy], text: str, first: date, last: date) -> Any:
    loaded = load(text)
    assert loaded.ok, loaded.diagnostics
    assert loaded.policy is not None
    schedule = schedule_of(loaded.policy)
    assert schedule is not None
    return fairness(loaded.policy, schedule, first, last)


def test_holiday_periods_join_weekends_to_declared_holidays(
    bundled_text: str, load: Callable[[str], LoadedPolicy]
) -> None:
    policy = load(bundled_text).policy
    assert policy is not None
    assert holiday_periods(policy) == [
        (date(2026, 12, 25), date(2026, 12, 27)),
        (date(2027, 1, 1), date(2027, 1, 3)),
    ]


def test_one_person_over_two_holiday_periods_in_a_row_is_warned(
    bundled_text: str, load: Callable[[str], LoadedPolicy]
) -> None:
    report = example_report(load, bundled_text, date(2026, 1, 6), date(2027, 1, 4))
    holidays = [w.message for w in report.warnings if w.code.code == "SP710"]
    assert holidays == [
        "Person A is on duty over two holiday periods in a row: 2026-12-25–2026-12-27 and "
        "2027-01-01–2027-01-03",
        "Person B is on duty over two holiday periods in a row: 2026-12-25–2026-12-27 and "
        "2027-01-01–2027-01-03",
    ]
    by_id = {p.id: p for p in report.people}
    assert by_id["person-a"].holidays == 2
    assert by_id["person-c"].holidays == 0


def test_someone_not_dealt_for_two_cycles_is_warned(
    variant: Callable[..., str], load: Callable[[str], LoadedPolicy]
) -> None:
    text = variant(
        (
            "person-c: {name: Person C, timezone: America/Los_Angeles}",
            "person-c: {name: Person C, away: "
            "[{from: 2026-03-01, to: 2026-09-30, reason: Sabbatical}]}",
        )
    )
    report = example_report(load, text, date(2026, 1, 6), date(2026, 12, 31))
    [warning] = [w for w in report.warnings if w.code.code == "SP711"]
    assert warning.people == ("person-c",)
    assert warning.message.startswith("Person C is not dealt at ")
    assert "two full cycles of 6 members are 12" in warning.message
    # Back from leave, the turn is paid: nothing owed at the end of the year.
    person_c = next(p for p in report.people if p.id == "person-c")
    assert person_c.owed_open == 0
    mid = example_report(load, text, date(2026, 1, 6), date(2026, 6, 1))
    assert next(p for p in mid.people if p.id == "person-c").owed_open == 1


def test_working_hours_without_local_daytime_need_member_time_zones(
    variant: Callable[..., str], load: Callable[[str], LoadedPolicy]
) -> None:
    report = example_report(load, variant(), date(2026, 1, 6), date(2026, 1, 19))
    [warning] = [w for w in report.warnings if w.code.code == "SP712"]
    # Person A (Madrid, 08:00–20:00 is 07:00–19:00 UTC in January) and Person F (Nairobi,
    # 05:00–17:00 UTC): nobody is in daytime from 19:00 to 05:00 UTC, 10 h a working day.
    assert warning.message == (
        "Person A and Person F on duty: 100 h of working time with nobody in local daytime "
        "(08:00–20:00), first 2026-01-06 00:00–01:00 UTC"
    )
    plain = variant(
        (
            "person-a: {name: Person A, email: person-a@example.org, timezone: Europe/Madrid}",
            "person-a: {name: Person A, email: person-a@example.org}",
        ),
        ("person-c: {name: Person C, timezone: America/Los_Angeles}", "person-c: {name: Person C}"),
        (
            "person-d: {name: Person D, email: person-d@example.org, timezone: Asia/Kolkata}",
            "person-d: {name: Person D, email: person-d@example.org}",
        ),
        (", timezone: Europe/Berlin}", "}"),
        (", timezone: Africa/Nairobi}", "}"),
    )
    quiet = example_report(load, plain, date(2026, 1, 6), date(2026, 1, 19))
    assert [w for w in quiet.warnings if w.code.code == "SP712"] == []


def test_percent_rounds_to_the_nearest_whole_percent() -> None:
    assert percent(Fraction(12, 100)) == "+12 %"
    assert percent(Fraction(-1, 730)) == "0 %"
    assert percent(Fraction(-5, 146)) == "-3 %"
    assert percent(Fraction(1, 200)) == "+1 %"
    assert percent(None) == "–"


# --- the CLI -------------------------------------------------------------------------------

GOLDEN_TEXT = (Path(__file__).parent / "snapshots" / "cli" / "fairness.txt").read_text(
    encoding="utf-8"
)


def test_text_golden_and_strict_exit(tmp_path: Path) -> None:
    argv = ("report", "fairness", "--example", "--from", "2026-01-06", "--to", "2026-03-02")
    outcome = run_cli(*argv)
    assert outcome.status == 0, outcome.stderr
    assert outcome.stdout.startswith(GOLDEN_TEXT)
    assert "Warnings (" in outcome.stdout
    strict = run_cli(*argv, "--strict")
    assert strict.status == 1
    lines = strict.stderr.splitlines()
    assert lines
    assert all(re.match(r"<bundled>/policy\.yaml:\d+:3: SP71\d ", line) for line in lines)


def test_json_and_markdown(tmp_path: Path, variant: Callable[..., str]) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        variant(
            (
                "person-e: {name: Person E}",
                'person-e: {name: "Person E <img src=x> @octocat #1 | x"}',
            )
        ),
        encoding="utf-8",
    )
    argv = ("report", "fairness", "--policy", policy, "--from", "2026-01-06", "--to", "2027-01-04")
    document = json.loads(run_cli(*argv, "--format", "json").stdout)
    assert document["kind"] == "support-policy/fairness"
    assert (document["from"], document["to"]) == ("2026-01-06", "2027-01-04")
    person_a = document["people"][0]
    assert set(person_a) >= {
        "tenures",
        "days",
        "working_days",
        "holidays",
        "weekends",
        "owed_open",
        "swap_balance",
        "deviation",
    }
    assert {w["code"] for w in document["warnings"]} >= {"SP710", "SP712"}
    markdown = run_cli(*argv, "--format", "markdown").stdout
    html = MARKDOWN.render(markdown)
    assert "<img" not in html
    assert html.count("<tr>") == 7  # the header and six people: `|` split no cell
    assert not re.search(r"(?<![\w\u200d])[@#][A-Za-z0-9]", _rendered_text(html))


@pytest.mark.parametrize(
    ("argv", "status", "code"),
    [
        (("--from", "2026-03-01", "--to", "2026-01-01"), 2, "SP713"),
        (("--from", "2000-01-01", "--to", "2026-01-01"), 2, "SP713"),
        (("--from", "March"), 2, "SP901"),
        (("--rotation", "nope"), 2, "SP901"),
    ],
)
def test_cli_errors(argv: tuple[str, ...], status: int, code: str) -> None:
    outcome = run_cli("report", "fairness", "--example", *argv)
    assert outcome.status == status
    assert outcome.stdout == ""
    [line] = outcome.stderr.splitlines()
    assert f" {code} " in line
    assert "Traceback" not in outcome.stderr


def test_no_policy_found_is_exit_2(tmp_path: Path) -> None:
    outcome = run_cli("report", "fairness", cwd=tmp_path)
    assert outcome.status == 2
    assert "SP910" in outcome.stderr


# --- the directive -------------------------------------------------------------------------


@pytest.mark.sphinx
def test_directive_renders_the_table_and_warnings(
    make_app: MakeApp, tmp_path: Path, bundled_text: str
) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    # reST: a myst_parser app here would leave `.md` registered for later builds.
    (srcdir / "conf.py").write_text(
        'extensions = ["support_policy.sphinxext"]\n'
        'support_policy_file = "policy.yaml"\nexclude_patterns = ["_build"]\n',
        encoding="utf-8",
    )
    (srcdir / "policy.yaml").write_text(bundled_text, encoding="utf-8")
    (srcdir / "index.rst").write_text(
        "Fairness\n========\n\n.. support-fairness::\n   :from: 2026-01-06\n"
        "   :to: 2027-01-04\n\n.. support-fairness:: support-steward\n"
        "   :from: 2026-03-01\n   :to: 2026-01-01\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "text")
    page = " ".join((Path(app.outdir) / "index.txt").read_text(encoding="utf-8").split())
    assert "From 2026-01-06 to 2027-01-04." in page
    assert "Vs. average" in page
    assert "Person A" in page
    assert '"SP710" Person A is on duty over two holiday periods in a row' in page
    [line] = [line for line in warnings.splitlines() if "SP713" in line]
    assert "[support-policy.fairness]" in line
    assert "index.rst" in line
