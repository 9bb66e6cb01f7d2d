"""Cover events in rotation calendars: the export of any valid policy validates clean, and
the check matches cover events against `rotation.cover` both ways."""

from __future__ import annotations

import json
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from support_policy.policy.derive import schedule_of
from support_policy.policy.loader import LoadedPolicy, load_policy_text
from support_policy.validator.calendar_check import check_calendar_bytes
from support_policy.validator.cli import main
from support_policy.validator.ics_export import rotation_ics

START = date(2026, 1, 5)  # a Monday
MEMBERS = [f"person-{letter}" for letter in "abcdefgh"]


def _member(key: str, joined: date | None, left: date | None, away: list[tuple[date, int]]) -> str:
    fields = [f"name: {key.replace('-', ' ').title()}", f"email: {key}@example.org"]
    if joined is not None:
        fields.append(f"joined: {joined.isoformat()}")
    if left is not None:
        fields.append(f"left: {left.isoformat()}")
    if away:
        periods = ", ".join(
            f"{{from: {first.isoformat()}, to: {(first + timedelta(days=days)).isoformat()}, "
            "reason: Leave}"
            for first, days in away
        )
        fields.append(f"away: [{periods}]")
    return f"    {key}: {{{', '.join(fields)}}}\n"


def _rotation(key: str, role: str, members: list[str], tenure: int, extra: str) -> str:
    listed = ", ".join(members)
    return (
        f"  {key}:\n    role: {role}\n    members: [{listed}]\n    tenure: {tenure} weeks\n"
        f"    handover_every: 1 week\n    handover_day: monday\n    start: {START.isoformat()}\n"
        + extra
    )


def policy_text(
    dates: dict[str, tuple[date | None, date | None, list[tuple[date, int]]]],
    tenures: tuple[int, int],
    exclusive: bool,
    covers: dict[str, str] | None = None,
) -> str:
    covers = covers or {}
    team = "".join(_member(key, *dates.get(key, (None, None, []))) for key in MEMBERS)
    extra_b = "    exclusive_with: [steward]\n" if exclusive else ""
    return (
        "version: 1\norganization: {name: Org}\nteam:\n  name: Team\n  members:\n"
        + team
        + "roles:\n  steward: {name: Steward}\n  commander: {name: Commander}\nrotations:\n"
        + _rotation("steward", "steward", MEMBERS[:5], tenures[0], covers.get("steward", ""))
        + _rotation(
            "commander", "commander", MEMBERS[3:], tenures[1], extra_b + covers.get("commander", "")
        )
    )


def _cover_for(loaded: LoadedPolicy, rotation: str, day: date, length: int, pick: int) -> str:
    """A `cover` entry standing in for someone on duty in ``rotation`` from ``day``."""
    assert loaded.policy is not None
    schedule = schedule_of(loaded.policy, rotation)
    assert schedule is not None
    crew = schedule.crew(day)
    assume(crew)
    covered = crew[pick % len(crew)].handoff
    last = min(day + timedelta(days=length - 1), covered.end - timedelta(days=1))
    busy = schedule.dealing.joiners_between(day, last + timedelta(days=1))
    team = loaded.policy.team.members
    free = [
        key
        for key, member in team.items()
        if key not in busy
        and (member.joined is None or member.joined <= day)
        and (member.left is None or last < member.left)
        and not any(p.start <= last and day <= p.to for p in member.away)
    ]
    assume(free)
    member = free[pick % len(free)]
    return (
        f"    cover:\n      - {{member: {member}, covers: {covered.joiner}, "
        f"from: {day.isoformat()}, to: {last.isoformat()}, reason: Cover}}\n"
    )


days = st.integers(min_value=0, max_value=300).map(lambda n: START + timedelta(days=n))
member_dates = st.tuples(
    st.one_of(st.none(), days),
    st.one_of(st.none(), days),
    st.lists(st.tuples(days, st.integers(0, 20)), max_size=2),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(
    dates=st.dictionaries(st.sampled_from(MEMBERS), member_dates, max_size=3),
    tenures=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    exclusive=st.booleans(),
    cover_days=st.tuples(days, days),
    cover_lengths=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    pick=st.integers(0, 10),
    first=days,
    weeks=st.integers(1, 30),
)
def test_the_export_of_any_valid_policy_validates_clean(
    dates: dict[str, tuple[date | None, date | None, list[tuple[date, int]]]],
    tenures: tuple[int, int],
    exclusive: bool,
    cover_days: tuple[date, date],
    cover_lengths: tuple[int, int],
    pick: int,
    first: date,
    weeks: int,
) -> None:
    for joined, left, away in dates.values():
        assume(joined is None or left is None or joined < left)
        spans = sorted((a, a + timedelta(days=n)) for a, n in away)
        assume(all(b[0] > a[1] for a, b in pairwise(spans)))
    plain = load_policy_text(policy_text(dates, tenures, exclusive), "p.yaml")
    assume(plain.ok)
    covers = {
        rotation: _cover_for(plain, rotation, cover_days[index], cover_lengths[index], pick)
        for index, rotation in enumerate(("steward", "commander"))
    }
    loaded = load_policy_text(policy_text(dates, tenures, exclusive, covers), "p.yaml")
    assume(loaded.ok)
    ics = rotation_ics(loaded, first, weeks)
    found = check_calendar_bytes(loaded, ics, "rota.ics")
    assert [d.format() for d in found if d.severity == "error"] == []
    # Back to back is a warning of the policy itself; the calendar repeats it, nothing else.
    assert {d.code for d in found} <= {"SP409"}


# --- the cover rules, worked examples ---------------------------------------------------

ONE = policy_text({}, (2, 1), True).replace(
    "    members: [person-a, person-b, person-c, person-d, person-e]\n",
    "    members: [person-a, person-b, person-c, person-d, person-e]\n"
    "    cover:\n      - {member: person-c, covers: person-a, from: 2026-01-07, "
    "to: 2026-01-08, reason: Conference}\n",
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, str]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(ONE, encoding="utf-8")
    calendar = tmp_path / "rota.ics"
    status = main(
        ["calendar", str(policy), "--from", "2026-01-05", "--weeks", "4", "-o", str(calendar)]
    )
    assert status == 0
    return policy, calendar.read_bytes().decode()


def validate(
    capsys: pytest.CaptureFixture[str], policy: Path, text: str, *extra: str
) -> tuple[int, str]:
    calendar = policy.parent / "edited.ics"
    calendar.write_bytes(text.encode())
    status = main(["validate", str(policy), "--calendar", str(calendar), *extra])
    return status, capsys.readouterr().out


def test_the_export_validates_clean(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    policy, text = files
    assert "SUMMARY:Steward: Person C (covering Person A)\r\n" in text
    assert validate(capsys, policy, text) == (0, f"{policy}: ok\n")


def _cover_event(text: str) -> tuple[int, int]:
    """Where the cover event is: the offsets of its BEGIN and its END lines' ends."""
    at = text.index("SUMMARY:Steward: Person C (covering Person A)")
    begin = text.rindex("BEGIN:VEVENT\r\n", 0, at)
    return begin, text.index("END:VEVENT\r\n", at) + len("END:VEVENT\r\n")


def _without_cover_event(text: str) -> str:
    begin, end = _cover_event(text)
    return text[:begin] + text[end:]


def test_a_cover_entry_without_its_event_is_an_error(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    policy, text = files
    status, out = validate(capsys, policy, _without_cover_event(text), "--format", "json")
    assert status == 1
    found = [d for d in json.loads(out)["diagnostics"] if d["code"] == "SP415"]
    assert len(found) == 1
    assert (
        "Person C (person-c) covering Person A (person-a) from 2026-01-07 to 2026-01-08"
        in (found[0]["message"])
    )
    assert "`Steward: Person C (covering Person A)`" in found[0]["message"]


def test_a_cover_event_without_its_entry_is_an_error(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    policy, text = files
    begin, end = _cover_event(text)
    event = text[begin:end].replace("Person C", "Person B").replace("person-c", "person-b")
    edited = text[:begin] + event + text[end:]
    status, out = validate(capsys, policy, edited)
    assert status == 1
    line = text[:begin].count("\n") + 1
    assert out.splitlines() == [
        f"{policy.parent / 'edited.ics'}:{line}: SP414 cover event 2026-01-07–2026-01-09: "
        "Person B (person-b) covering Person A (person-a) is not in "
        "`rotations.steward.cover`; add `{member: person-b, covers: person-a, from: "
        "2026-01-07, to: 2026-01-08}` or remove the event",
        f"{policy.parent / 'edited.ics'}:{line}: SP415 `rotations.steward.cover`: "
        "Person C (person-c) covering Person A (person-a) from 2026-01-07 to 2026-01-08 has "
        "no event `Steward: Person C (covering Person A)` on those days",
        "2 errors, 0 warnings",
    ]


def test_a_cover_event_on_other_days_is_both_errors(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    policy, text = files
    edited = text.replace("DTEND;VALUE=DATE:20260109", "DTEND;VALUE=DATE:20260110")
    status, out = validate(capsys, policy, edited)
    assert status == 1
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["SP414", "SP415"]


def test_without_cover_events_the_covering_person_would_be_missing(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    # The covered person counts on the cover's days only when the event says "covering":
    # as a plain tenure-shaped event of those two days it is a third person on duty.
    policy, text = files
    edited = text.replace("Person C (covering Person A)", "Person C")
    status, out = validate(capsys, policy, edited)
    assert status == 1
    assert "SP405 overlap from 2026-01-07 until 2026-01-09: 3 people on duty" in out


def test_attendee_only_event_of_a_person_in_two_pools(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, str]
) -> None:
    # person-d is in both pools: an attendee-only event belongs to the rotation that has
    # them join that day; on a day neither has them join, it is ambiguous (SP413).
    policy, text = files
    plain = text.replace("SUMMARY:Steward: Person D\r\n", "SUMMARY:On call\r\n").replace(
        "SUMMARY:Commander: Person D\r\n", "SUMMARY:On call\r\n"
    )
    assert plain.count("SUMMARY:On call") == 2
    assert validate(capsys, policy, plain) == (0, f"{policy}: ok\n")
    moved = plain.replace(
        "DTSTART;VALUE=DATE:20260126\r\nDTEND;VALUE=DATE:20260209",
        "DTSTART;VALUE=DATE:20260127\r\nDTEND;VALUE=DATE:20260210",
    )
    status, out = validate(capsys, policy, moved)
    assert status == 1
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["SP413"]
    assert (
        "event 2026-01-27–2026-02-10: ATTENDEE Person D (person-d) is in several rotations; "
        "say which rotation in the SUMMARY (`Steward: …` or `Commander: …`)"
    ) in out
