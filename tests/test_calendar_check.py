"""Checking a rotation calendar (.ics) against the policy, as a team's CI would."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from example_variants import without_cover

from support_policy.policy.derive import schedule_of
from support_policy.policy.diagnostics import Diagnostic
from support_policy.policy.loader import (
    LoadedPolicy,
    PolicyUnreadable,
    bundled_policy_path,
    load_policy_text,
)
from support_policy.validator.calendar_check import check_calendar, check_calendar_bytes
from support_policy.validator.ics_export import rotation_ics

CALENDARS = Path(__file__).parent / "data" / "calendars"


@pytest.fixture(scope="module")
def bundled() -> LoadedPolicy:
    """The bundled policy without its cover (the hand-written calendars hold no cover event)."""
    text = without_cover(bundled_policy_path().read_text(encoding="utf-8"))
    loaded = load_policy_text(text, str(bundled_policy_path()))
    assert loaded.ok, loaded.diagnostics
    return loaded


@pytest.fixture(scope="module")
def berlin() -> LoadedPolicy:
    """The bundled policy with hand-offs at midnight in Europe/Berlin."""
    text = without_cover(bundled_policy_path().read_text(encoding="utf-8"))
    old = "working_time:\n  timezone: UTC\n"
    assert text.count(old) == 1
    loaded = load_policy_text(
        text.replace(old, "working_time:\n  timezone: Europe/Berlin\n"), "berlin.yaml"
    )
    assert loaded.ok, loaded.diagnostics
    return loaded


def check(loaded: LoadedPolicy, name: str) -> list[Diagnostic]:
    return check_calendar(loaded, CALENDARS / name, f"calendars/{name}")


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def one(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, [d.format() for d in diagnostics]
    return found[0]


def vevent_lines(name: str) -> list[int]:
    text = (CALENDARS / name).read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if line == "BEGIN:VEVENT"]


def ics(*events: str) -> bytes:
    body = "".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\n" + body + "END:VCALENDAR\r\n"
    ).encode()


def timed(start: datetime, end: datetime, summary: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{start:%Y%m%dT%H%M%SZ}@tests\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )


def all_day(start: date, end: date, summary: str) -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{start:%Y%m%d}-{summary[-1]}@tests\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;VALUE=DATE:{start:%Y%m%d}\r\nDTEND;VALUE=DATE:{end:%Y%m%d}\r\n"
        f"SUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )


# --- Good calendars ---------------------------------------------------------------------


def test_all_day_calendar_matching_the_policy_is_clean(bundled: LoadedPolicy) -> None:
    # Identified by ATTENDEE only, by an alias and an id, by the plural, with odd case/spaces.
    assert check(bundled, "good_allday.ics") == []


def test_timed_utc_and_tzid_calendar_matching_the_policy_is_clean(bundled: LoadedPolicy) -> None:
    assert check(bundled, "good_timed_utc.ics") == []


def test_export_round_trips_through_the_checker(bundled: LoadedPolicy) -> None:
    data = rotation_ics(bundled, date(2025, 11, 1), 60)
    assert check_calendar_bytes(bundled, data, "export.ics") == []


def test_export_across_the_recorded_swap_is_clean(bundled: LoadedPolicy) -> None:
    data = rotation_ics(bundled, date(2026, 2, 20), 6)
    assert b"SUMMARY:Support Steward: Person F\r\nDTSTART;VALUE=DATE:20260303" in data
    assert check_calendar_bytes(bundled, data, "swap.ics") == []


def test_year_with_53_iso_weeks(bundled: LoadedPolicy, tmp_path: Path) -> None:
    # 2026 has 53 ISO weeks: hand-offs stay on Tuesdays 14 days apart across the new year.
    assert date(2026, 12, 31).isocalendar().week == 53
    data = rotation_ics(bundled, date(2026, 12, 15), 6)
    assert b"DTSTART;VALUE=DATE:20261222" in data
    assert b"DTSTART;VALUE=DATE:20270105" in data
    path = tmp_path / "year-end.ics"
    path.write_bytes(data)
    assert check_calendar(bundled, path, "year-end.ics") == []
    # A hand-written calendar that skips "week 53" by moving the hand-off a week is caught.
    shifted = data.replace(b"DTSTART;VALUE=DATE:20270105", b"DTSTART;VALUE=DATE:20270112")
    shifted = shifted.replace(b"DTEND;VALUE=DATE:20270202", b"DTEND;VALUE=DATE:20270209")
    found = check_calendar_bytes(bundled, shifted, "shifted.ics")
    assert "2027-01-12" in one(found, "SP407").message
    assert "from 2027-01-05 until 2027-01-12" in one(found, "SP404").message


# --- DST: timed events in UTC for a Berlin team -------------------------------------


def berlin_timed_calendar(loaded: LoadedPolicy, skew: dict[int, timedelta]) -> bytes:
    schedule = schedule_of(loaded.policy)  # type: ignore[arg-type]
    assert schedule is not None
    names = {key: m.name for key, m in loaded.policy.team.members.items()}  # type: ignore[union-attr]
    events = []
    for k in range(3, 9):  # 2026-02-17 … 2026-04-28, across the switch on 2026-03-29
        start = schedule.handoff_instant(k) + skew.get(k, timedelta(0))
        end = schedule.handoff_instant(k + 2) + skew.get(k + 2, timedelta(0))
        events.append(timed(start, end, f"Support Steward: {names[schedule.joiner(k)]}"))
    return ics(*events)


def test_berlin_hand_offs_are_23z_in_winter_and_22z_in_summer(berlin: LoadedPolicy) -> None:
    data = berlin_timed_calendar(berlin, {})
    assert b"DTSTART:20260316T230000Z" in data  # 2026-03-17 00:00 CET
    assert b"DTSTART:20260330T220000Z" in data  # 2026-03-31 00:00 CEST
    assert check_calendar_bytes(berlin, data, "berlin.ics") == []


def test_berlin_summer_event_at_the_winter_offset_is_off_the_hand_off(
    berlin: LoadedPolicy,
) -> None:
    # 2026-03-31 hand-off written as 23:00Z (the winter offset): that is 01:00 CEST.
    data = berlin_timed_calendar(berlin, {6: timedelta(hours=1)})
    assert b"DTSTART:20260330T230000Z" in data
    found = check_calendar_bytes(berlin, data, "berlin.ics")
    message = one(found, "SP411").message
    assert "2026-03-30 23:00Z" in message
    assert "2026-03-30 22:00Z" in message  # the right instant is named


def test_utc_midnight_events_are_wrong_for_a_berlin_team(berlin: LoadedPolicy) -> None:
    found = check(berlin, "good_timed_utc.ics")
    assert codes(found).count("SP411") == 4


def test_all_day_events_need_no_offset_for_a_berlin_team(berlin: LoadedPolicy) -> None:
    assert check(berlin, "good_allday.ics") == []


# --- Recurring events -----------------------------------------------------------------


def recurring(name: str, *edits: tuple[str, str]) -> bytes:
    """A committed recurring calendar, each ``(old, new)`` edit applied to the first match."""
    text = (CALENDARS / name).read_bytes().decode("utf-8")  # CRLF kept
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode()


def test_recurring_series_with_the_swap_as_changed_occurrences_is_clean(
    bundled: LoadedPolicy,
) -> None:
    # Six open-ended series, one per person, every 12 weeks; the recorded swap is two
    # changed occurrences (RECURRENCE-ID), as Google Calendar exports "this event only".
    assert check(bundled, "recurring_good.ics") == []


def test_recurring_series_with_the_swap_as_exceptions_and_single_events_is_clean(
    bundled: LoadedPolicy,
) -> None:
    assert check(bundled, "recurring_exdate.ics") == []


def test_recurring_series_without_the_swap_diverge_at_their_own_lines(
    bundled: LoadedPolicy,
) -> None:
    data = recurring("recurring_exdate.ics", ("EXDATE;VALUE=DATE:20260303\r\n", ""))
    found = check_calendar_bytes(bundled, data, "r.ics")
    lines = [n for n, line in enumerate(data.decode().splitlines(), 1) if line == "BEGIN:VEVENT"]
    overlap = one(found, "SP405")  # Person E's occurrence is back beside Person F's swap
    assert "from 2026-03-03 until 2026-03-17" in overlap.message
    # Person E serves the series' occurrence and the single event of the swap.
    twice = one(found, "SP409")
    assert twice.line == lines[7]
    assert f"2026-03-03–2026-03-31 (line {lines[4]})" in twice.message


def test_a_fault_of_a_series_is_reported_once_with_its_count(bundled: LoadedPolicy) -> None:
    # Person A's series lasts five weeks: every occurrence is wrong, one line says so.
    data = recurring(
        "recurring_good.ics",
        ("DTEND;VALUE=DATE:20260203\r\nRRULE", "DTEND;VALUE=DATE:20260210\r\nRRULE"),
    )
    found = check_calendar_bytes(bundled, data, "r.ics")
    length = one(found, "SP406")
    assert length.line == vevent_lines("recurring_good.ics")[0]
    assert "2026-01-06–2026-02-10 lasts 5 weeks" in length.message
    # Read through 52 weeks after the last stated date (2026-04-14): 2026-01-06 and every
    # 12 weeks until 2027-04-13, i.e. 6 occurrences.
    assert length.message.endswith("(and 5 more occurrences of this recurring event)")


def test_a_changed_occurrence_is_reported_at_its_own_line(bundled: LoadedPolicy) -> None:
    data = recurring(
        "recurring_good.ics",
        (
            "DTEND;VALUE=DATE:20260414\r\nDTSTAMP:20260101T000000Z\r\n"
            "UID:series-person-f@tests\r\nRECURRENCE-ID",
            "DTEND;VALUE=DATE:20260421\r\nDTSTAMP:20260101T000000Z\r\n"
            "UID:series-person-f@tests\r\nRECURRENCE-ID",
        ),
    )
    found = check_calendar_bytes(bundled, data, "r.ics")
    length = one(found, "SP406")
    assert length.line == vevent_lines("recurring_good.ics")[7]
    assert "2026-03-17–2026-04-21" in length.message
    assert "more occurrences" not in length.message


def test_an_open_ended_series_is_read_for_a_year_past_the_last_stated_date(
    bundled: LoadedPolicy,
) -> None:
    # The last date the file states is 2026-04-14, so occurrences are read until
    # 2027-04-13. Person A's fall every 12 weeks from 2026-01-06: dropping the one of
    # 2027-03-02 (inside) leaves a gap; dropping the one of 2027-05-25 changes nothing.
    inside = recurring(
        "recurring_good.ics",
        (
            "RRULE:FREQ=WEEKLY;INTERVAL=12\r\n",
            "RRULE:FREQ=WEEKLY;INTERVAL=12\r\nEXDATE;VALUE=DATE:20270302\r\n",
        ),
    )
    gap = one(check_calendar_bytes(bundled, inside, "r.ics"), "SP404")
    assert "from 2027-03-02 until 2027-03-30" in gap.message
    beyond = recurring(
        "recurring_good.ics",
        (
            "RRULE:FREQ=WEEKLY;INTERVAL=12\r\n",
            "RRULE:FREQ=WEEKLY;INTERVAL=12\r\nEXDATE;VALUE=DATE:20270525\r\n",
        ),
    )
    assert check_calendar_bytes(bundled, beyond, "r.ics") == []


def test_timed_series_in_the_team_zone_keep_midnight_across_dst(berlin: LoadedPolicy) -> None:
    def timed_series(start: str, tzid: str) -> bytes:
        text = (CALENDARS / "recurring_good.ics").read_bytes().decode("utf-8")
        # Person B's all-day series as a timed one: 2026-01-20 00:00 in the given zone.
        old = "DTSTART;VALUE=DATE:20260120\r\nDTEND;VALUE=DATE:20260217\r\n"
        assert old in text
        new = f"DTSTART{tzid}:{start}\r\nDURATION:P28D\r\n"
        return text.replace(old, new).encode()

    local = timed_series("20260120T000000", ";TZID=Europe/Berlin")
    assert check_calendar_bytes(berlin, local, "r.ics") == []
    # The same series in UTC repeats at 23:00Z, which is 01:00 in summer (CEST).
    utc = timed_series("20260119T230000Z", "")
    found = check_calendar_bytes(berlin, utc, "r.ics")
    off = one(found, "SP411")
    assert off.line == vevent_lines("recurring_good.ics")[1]
    assert "2026-04-13 23:00Z" in off.message  # the first occurrence in summer
    assert off.message.endswith("more occurrences of this recurring event)")


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=HOURLY", "repeats more often than daily"),
        ("FREQ=DAILY;BYHOUR=1,2,3", "repeats more often than daily"),
        ("INTERVAL=12", "has no FREQ"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL below 1"),
        ("FREQ=FORTNIGHTLY", "cannot be read: Expected frequency, got: FORTNIGHTLY"),
        ("FREQ=WEEKLY;UNTIL=2027", "cannot be read"),
    ],
)
def test_a_series_that_cannot_be_a_rotation_is_refused_at_its_line(
    bundled: LoadedPolicy, rule: str, reason: str
) -> None:
    data = recurring(
        "recurring_good.ics", ("RRULE:FREQ=WEEKLY;INTERVAL=12\r\n", f"RRULE:{rule}\r\n")
    )
    found = check_calendar_bytes(bundled, data, "r.ics")
    refused = one(found, "SP401")
    assert reason in refused.message
    assert refused.line == vevent_lines("recurring_good.ics")[0]
    assert "SP404" not in codes(found)  # coverage is not judged on a partial reading


def test_expansion_stops_at_the_occurrence_limit(
    bundled: LoadedPolicy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("support_policy.validator.calendar_recurrence.MAX_OCCURRENCES", 20)
    data = recurring(
        "recurring_good.ics", ("RRULE:FREQ=WEEKLY;INTERVAL=12\r\n", "RRULE:FREQ=DAILY\r\n")
    )
    found = check_calendar_bytes(bundled, data, "r.ics")
    assert "more than 20 occurrences" in one(found, "SP401").message


# --- Faults, one file each --------------------------------------------------------------


def test_gap_is_reported_with_its_dates(bundled: LoadedPolicy) -> None:
    found = check(bundled, "gap.ics")
    assert codes(found) == ["SP404"]
    assert "from 2026-02-03 until 2026-02-17" in found[0].message
    assert "only 1 on duty" in found[0].message
    assert found[0].line == vevent_lines("gap.ics")[0]  # Person A's tenure ends there


def test_overlap_is_reported_with_its_dates(bundled: LoadedPolicy) -> None:
    found = check(bundled, "overlap.ics")
    overlap = one(found, "SP405")
    assert "from 2026-02-03 until 2026-03-03" in overlap.message
    assert "3 people" in overlap.message
    assert "Person E" in one(found, "SP408").message


def test_wrong_tenure_length(bundled: LoadedPolicy) -> None:
    found = check(bundled, "wrong_length.ics")
    length = one(found, "SP406")
    assert "2026-01-20–2026-02-24" in length.message
    assert "5 weeks" in length.message
    assert length.line == vevent_lines("wrong_length.ics")[1]


def test_wrong_weekday(bundled: LoadedPolicy) -> None:
    found = check(bundled, "wrong_weekday.ics")
    misplaced = one(found, "SP407")
    assert "Wednesday" in misplaced.message
    assert "2026-02-04" in misplaced.message
    assert misplaced.line == vevent_lines("wrong_weekday.ics")[2]


def test_right_weekday_wrong_interval(bundled: LoadedPolicy) -> None:
    misplaced = one(check(bundled, "wrong_interval.ics"), "SP407")
    assert "between hand-offs" in misplaced.message
    assert "2026-02-03, 2026-02-17" in misplaced.message


def test_wrong_order_names_expected_and_found(bundled: LoadedPolicy) -> None:
    found = check(bundled, "wrong_order.ics")
    assert codes(found) == ["SP408", "SP408"]
    first = found[0].message
    assert "2026-02-03" in first
    assert "has Person D (person-d) join" in first
    assert "order has Person C (person-c)" in first


def test_order_divergences_are_capped(bundled: LoadedPolicy) -> None:
    # Everyone listed one hand-off late: every join diverges, only five are spelled out.
    data = rotation_ics(bundled, date(2026, 4, 1), 40)
    pool = ["Person A", "Person B", "Person C", "Person D", "Person E", "Person F"]
    rotated = data
    for index, name in enumerate(pool):
        rotated = rotated.replace(
            f"Steward: {name}\r\n".encode(), f"Steward: @{pool[(index + 1) % 6]}\r\n".encode()
        )
    rotated = rotated.replace(b"Steward: @", b"Steward: ")
    rotated = b"\r\n".join(line for line in rotated.split(b"\r\n") if b"ATTENDEE" not in line)
    found = check_calendar_bytes(bundled, rotated, "late.ics")
    order = [d for d in found if d.code == "SP408"]
    assert len(order) == 5
    assert "more" in order[-1].message


def test_back_to_back_tenures(bundled: LoadedPolicy) -> None:
    found = check(bundled, "back_to_back.ics")
    repeat = one(found, "SP409")
    assert repeat.severity == "error"
    assert "Person A" in repeat.message
    assert "2026-01-06–2026-02-03" in repeat.message
    assert "2026-02-03–2026-03-03" in repeat.message


def test_overlapping_tenures_of_one_person(bundled: LoadedPolicy) -> None:
    data = ics(
        all_day(date(2026, 1, 6), date(2026, 2, 3), "Support Steward: Person A"),
        all_day(date(2026, 1, 20), date(2026, 2, 17), "Support Steward: Person A"),
    )
    repeat = one(check_calendar_bytes(bundled, data, "x.ics"), "SP409")
    assert "overlapping" in repeat.message


def test_unknown_person(bundled: LoadedPolicy) -> None:
    found = check(bundled, "unknown_person.ics")
    assert codes(found) == ["SP402"]
    assert "Person Z" in found[0].message
    assert "2026-02-03–2026-03-03" in found[0].message


def test_event_that_is_not_a_rotation_event(bundled: LoadedPolicy) -> None:
    """No role prefix and no member attendee: another duty, skipped (so its slot is a gap)."""
    found = check(bundled, "not_a_rotation_event.ics")
    assert codes(found) == ["SP416", "SP404"]
    note = one(found, "SP416")
    assert note.severity == "note"
    assert "skipped 1 event of other duties (`Lunch with the team` ×1)" in note.message


def mixed_duty_calendar(loaded: LoadedPolicy, separator: str, prefix: str) -> bytes:
    """The exported rotation, rewritten with ``separator``, plus other duties' events."""
    text = rotation_ics(loaded, date(2026, 1, 6), 12).decode()
    text = text.replace("SUMMARY:Support Steward: ", f"SUMMARY:{prefix}{separator}")
    others = "".join(
        all_day(
            date(2026, 1, 5) + timedelta(weeks=week),
            date(2026, 1, 6) + timedelta(weeks=week),
            f"Meeting Facilitator{separator}Person {'AB'[week % 2]}",
        )
        for week in range(4)
    )
    return text.replace("END:VCALENDAR", others + "END:VCALENDAR").encode()


@pytest.mark.parametrize("separator", [": ", " - ", " – ", " — "])
def test_a_roles_calendar_with_other_duties_validates(
    bundled: LoadedPolicy, separator: str
) -> None:
    found = check_calendar_bytes(
        bundled, mixed_duty_calendar(bundled, separator, "Support Steward"), "roles.ics"
    )
    assert [(d.code, d.severity) for d in found] == [("SP416", "note")], [d.format() for d in found]
    assert "skipped 4 events of other duties (`Meeting Facilitator` ×4)" in found[0].message


def test_a_near_miss_of_the_role_name_is_an_error_with_a_hint(bundled: LoadedPolicy) -> None:
    found = check_calendar_bytes(
        bundled, mixed_duty_calendar(bundled, " - ", "Suport Stewart"), "roles.ics"
    )
    misses = [d for d in found if d.code == "SP402"]
    assert misses, [d.format() for d in found]
    assert "(did you mean `Support Steward: Person " in misses[0].message
    assert "SP416" in codes(found)  # the facilitators are still only skipped


def test_following_the_near_miss_hint_gives_a_valid_calendar(bundled: LoadedPolicy) -> None:
    """Each event's hint names its SUMMARY as it should read: write that, and it validates."""
    data = mixed_duty_calendar(bundled, " - ", "Suport Stewart").decode()
    found = check_calendar_bytes(bundled, data.encode(), "roles.ics")
    misses = [d for d in found if d.code == "SP402"]
    assert misses, [d.format() for d in found]
    for miss in misses:
        wrong = re.search(r"SUMMARY `([^`]+)`", miss.message)
        meant = re.search(r"did you mean `([^`]+)`", miss.message)
        assert wrong is not None, miss.message
        assert meant is not None, miss.message
        data = data.replace(f"SUMMARY:{wrong.group(1)}\r\n", f"SUMMARY:{meant.group(1)}\r\n")

    fixed = check_calendar_bytes(bundled, data.encode(), "roles.ics")
    assert [(d.code, d.severity) for d in fixed] == [("SP416", "note")], [d.format() for d in fixed]


def test_ambiguous_person(bundled: LoadedPolicy) -> None:
    found = check(bundled, "ambiguous_person.ics")
    assert codes(found) == ["SP403"]
    assert "person-a" in found[0].message
    assert "person-b" in found[0].message


def test_ambiguous_summary_name(bundled: LoadedPolicy) -> None:
    text = bundled_policy_path().read_text(encoding="utf-8")
    text = text.replace("person-e: {name: Person E,", "person-e: {name: Person F,")
    loaded = load_policy_text(text, "twins.yaml")
    assert loaded.policy is not None
    data = ics(all_day(date(2026, 3, 3), date(2026, 3, 31), "Support Steward: Person F"))
    assert "SP403" in codes(check_calendar_bytes(loaded, data, "x.ics"))


def test_summary_and_attendee_disagree(bundled: LoadedPolicy) -> None:
    found = check(bundled, "identity_conflict.ics")
    assert codes(found) == ["SP412"]
    assert "Person C" in found[0].message
    assert "Person B" in found[0].message
    assert found[0].line == vevent_lines("identity_conflict.ics")[2]


def test_duplicate_event(bundled: LoadedPolicy) -> None:
    found = check(bundled, "duplicate.ics")
    assert codes(found) == ["SP410"]  # not also an overlap or a back-to-back
    lines = vevent_lines("duplicate.ics")
    assert found[0].line == lines[3]
    assert f"line {lines[2]}" in found[0].message


def test_timed_event_at_the_wrong_instant(bundled: LoadedPolicy) -> None:
    found = check(bundled, "timed_wrong_instant.ics")
    off = one(found, "SP411")
    assert "2026-02-03 09:00Z" in off.message
    assert off.line == vevent_lines("timed_wrong_instant.ics")[2]


def test_unparseable_file(bundled: LoadedPolicy) -> None:
    found = check(bundled, "unparseable.ics")
    assert codes(found) == ["SP401"]
    assert found[0].line == 1


def test_not_utf8(bundled: LoadedPolicy) -> None:
    found = check_calendar_bytes(bundled, b"BEGIN:VCALENDAR\r\nX:\xff\r\n", "x.ics")
    assert codes(found) == ["SP401"]
    assert found[0].line == 2


def test_broken_date_is_reported_at_the_event(bundled: LoadedPolicy) -> None:
    data = ics(
        "BEGIN:VEVENT\r\nDTSTART:2026\r\nSUMMARY:Support Steward: Person A\r\nEND:VEVENT\r\n"
    )
    found = check_calendar_bytes(bundled, data, "x.ics")
    assert codes(found) == ["SP401"]
    assert found[0].line == 4


def test_missing_file_raises_unreadable(bundled: LoadedPolicy, tmp_path: Path) -> None:
    with pytest.raises(PolicyUnreadable) as raised:
        check_calendar(bundled, tmp_path / "nope.ics", "nope.ics")
    assert raised.value.diagnostic.code == "SP001"


def test_empty_calendar_is_a_gap(bundled: LoadedPolicy) -> None:
    assert codes(check_calendar_bytes(bundled, ics(), "x.ics")) == ["SP404"]


def test_calendar_edges_are_not_gaps(bundled: LoadedPolicy) -> None:
    # Two tenures starting together at the first hand-off would be an overlap at the start;
    # the staggered start of a real export is not a gap.
    data = rotation_ics(bundled, date(2026, 1, 6), 2)
    assert data.count(b"BEGIN:VEVENT") == 2
    assert check_calendar_bytes(bundled, data, "x.ics") == []


def test_missing_dtend_means_one_day(bundled: LoadedPolicy) -> None:
    event = "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260106\r\nSUMMARY:Support Steward: Person A\r\n"
    found = check_calendar_bytes(bundled, ics(event + "END:VEVENT\r\n"), "x.ics")
    assert "lasts 1 day," in one(found, "SP406").message


def test_hand_off_instants_used_in_messages_are_utc(berlin: LoadedPolicy) -> None:
    schedule = schedule_of(berlin.policy)  # type: ignore[arg-type]
    assert schedule is not None
    assert schedule.handoff_instant(6) == datetime(2026, 3, 30, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    "dates",
    [
        "DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:00010129",
        "DTSTART;VALUE=DATE:99991231",
        "DTSTART:99991231T000000Z\r\nDURATION:P4W",
        "DTSTART;VALUE=DATE:20260106\r\nDURATION:P999999W",
        "DTSTART;VALUE=DATE:20260203\r\nDTEND;VALUE=DATE:20260106",
        "DTSTART;TZID=Nowhere/Zone:20260106T000000\r\nDTEND:20260203T000000Z",
    ],
)
def test_hostile_dates_are_reported_not_raised(bundled: LoadedPolicy, dates: str) -> None:
    event = f"BEGIN:VEVENT\r\n{dates}\r\nSUMMARY:Support Steward: Person A\r\nEND:VEVENT\r\n"
    found = check_calendar_bytes(bundled, ics(event), "x.ics")
    assert codes(found) == ["SP401"]
    assert found[0].line == 4


def test_an_unreadable_event_does_not_also_cause_gaps(bundled: LoadedPolicy) -> None:
    good = (CALENDARS / "good_allday.ics").read_bytes()
    broken = good.replace(b"DTSTART;VALUE=DATE:20260120", b"DTSTART;VALUE=DATE:2026")
    found = check_calendar_bytes(bundled, broken, "x.ics")
    assert codes(found) == ["SP401"]
    assert found[0].line == vevent_lines("good_allday.ics")[1]


def test_summary_names_win_over_ids(bundled: LoadedPolicy) -> None:
    # Member `person-a` is called "person-b": the SUMMARY's name, not the other id, decides.
    text = bundled_policy_path().read_text(encoding="utf-8")
    text = text.replace("{name: Person A,", "{name: person-b,")
    loaded = load_policy_text(text, "confusing.yaml")
    assert loaded.policy is not None
    data = ics(all_day(date(2026, 1, 6), date(2026, 2, 3), "Support Steward: Person-B"))
    found = check_calendar_bytes(loaded, data, "x.ics")
    assert "SP403" not in codes(found)
    # Identified as member person-a (whose name is "person-b"), not as member person-b.
    assert "has person-b (person-a) join" in one(found, "SP408").message


def test_oversized_calendar_is_refused_without_parsing(bundled: LoadedPolicy) -> None:
    raw = b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"a" * (16 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
    found = check_calendar_bytes(bundled, raw, "huge.ics")
    assert codes(found) == ["SP401"]
    assert "the limit is 16,777,216" in found[0].message
