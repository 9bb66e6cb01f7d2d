"""Due-time arithmetic: working hours/days inside team windows, and calendar durations."""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_policy.policy.worktime import (
    WorkingTime,
    add_elapsed,
    add_working,
    deadline,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC_ZONE = ZoneInfo("UTC")
MON_FRI = frozenset(range(5))
WHOLE_WEEK = frozenset(range(7))

ROUND_THE_CLOCK_UTC = WorkingTime(UTC_ZONE, MON_FRI, time(0), None)
OFFICE_BERLIN = WorkingTime(BERLIN, MON_FRI, time(9), time(17))
ROUND_THE_CLOCK_BERLIN = WorkingTime(BERLIN, WHOLE_WEEK, time(0), None)
ROUND_THE_CLOCK_NEW_YORK = WorkingTime(NEW_YORK, WHOLE_WEEK, time(0), None)
OFFICE_NEW_YORK = WorkingTime(NEW_YORK, MON_FRI, time(9), time(17))


def at(zone: tzinfo, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


# --- working hours and days -------------------------------------------------------------


def test_24_working_hours_from_friday_afternoon_end_monday_afternoon() -> None:
    received = at(UTC, "2026-06-05 15:00")  # Friday
    assert add_working(ROUND_THE_CLOCK_UTC, received, Decimal(24), "hour") == at(
        UTC, "2026-06-08 15:00"
    )


def test_24_working_hours_received_on_saturday_end_when_mondays_window_closes() -> None:
    received = at(UTC, "2026-06-06 10:00")  # Saturday: counting starts Monday 00:00
    assert add_working(ROUND_THE_CLOCK_UTC, received, Decimal(24), "hour") == at(
        UTC, "2026-06-09 00:00"
    )


@pytest.mark.parametrize(
    ("working_time", "hours_per_day"),
    [(ROUND_THE_CLOCK_UTC, "24"), (OFFICE_BERLIN, "8")],
    ids=["00-24", "09-17"],
)
@pytest.mark.parametrize(
    "received", ["2026-06-04 15:00", "2026-06-06 10:00", "2026-06-08 09:00"], ids=str
)
def test_one_working_day_is_one_window_of_working_hours(
    working_time: WorkingTime, hours_per_day: str, received: str
) -> None:
    start = at(working_time.zone, received)
    by_days = add_working(working_time, start, Decimal(3), "day")
    by_hours = add_working(working_time, start, 3 * Decimal(hours_per_day), "hour")
    assert by_days == by_hours
    assert add_working(working_time, start, Decimal("0.5"), "day") == add_working(
        working_time, start, Decimal(hours_per_day) / 2, "hour"
    )


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-06-04 15:00", "2026-06-05 11:00"),  # Thursday: 2 h today, 2 h Friday
        ("2026-06-04 08:00", "2026-06-04 13:00"),  # before opening: counts from 09:00
        ("2026-06-04 17:00", "2026-06-05 13:00"),  # at closing: nothing left today
    ],
)
def test_4_working_hours_in_a_berlin_office(received: str, expected: str) -> None:
    result = add_working(OFFICE_BERLIN, at(BERLIN, received), Decimal(4), "hour")
    assert result == at(BERLIN, expected)
    assert result.tzinfo is UTC


def test_result_lands_on_window_end_when_the_amount_runs_out_exactly_at_closing() -> None:
    result = add_working(OFFICE_BERLIN, at(BERLIN, "2026-06-04 15:00"), Decimal(2), "hour")
    assert result == at(BERLIN, "2026-06-04 17:00")


def test_christmas_holiday_on_a_friday_is_skipped() -> None:
    team = WorkingTime(BERLIN, MON_FRI, time(9), time(17), frozenset({date(2026, 12, 25)}))
    received = at(BERLIN, "2026-12-24 15:00")  # Thursday
    assert add_working(team, received, Decimal(4), "hour") == at(BERLIN, "2026-12-28 11:00")


def test_a_run_of_holidays_is_skipped() -> None:
    closed = {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 28), date(2026, 12, 29)}
    team = WorkingTime(BERLIN, MON_FRI, time(9), time(17), frozenset(closed))
    received = at(BERLIN, "2026-12-23 16:00")  # Wednesday
    assert add_working(team, received, Decimal(2), "hour") == at(BERLIN, "2026-12-30 10:00")


def test_400_working_days_are_counted_without_minute_steps() -> None:
    received = at(UTC, "2026-01-05 00:00")  # Monday; 400 days = 80 full working weeks
    expected = received + timedelta(weeks=79, days=5)
    assert add_working(ROUND_THE_CLOCK_UTC, received, Decimal(400), "day") == expected


# --- daylight saving time ---------------------------------------------------------------


def test_spring_forward_day_holds_only_23_working_hours_so_24h_end_at_13_00() -> None:
    # Sunday 2026-03-29 is 23 real hours long in Berlin; working time is real time.
    received = at(BERLIN, "2026-03-28 12:00")  # Saturday
    result = add_working(ROUND_THE_CLOCK_BERLIN, received, Decimal(24), "hour")
    assert result == at(BERLIN, "2026-03-29 13:00")
    assert result - received == timedelta(hours=24)


def test_office_hours_follow_local_wall_clock_across_spring_forward() -> None:
    before_change = add_working(OFFICE_BERLIN, at(BERLIN, "2026-03-20 16:00"), Decimal(2), "hour")
    across_change = add_working(OFFICE_BERLIN, at(BERLIN, "2026-03-27 16:00"), Decimal(2), "hour")
    # Monday 10:00 local both times: 09:00Z in winter time, 08:00Z in summer time.
    assert before_change == at(UTC, "2026-03-23 09:00")
    assert across_change == at(UTC, "2026-03-30 08:00")
    assert across_change == at(BERLIN, "2026-03-30 10:00")


def test_fall_back_day_holds_25_working_hours_so_24h_end_at_11_00() -> None:
    # Sunday 2026-11-01 is 25 real hours long in New York.
    received = at(NEW_YORK, "2026-10-31 12:00")  # Saturday, EDT
    result = add_working(ROUND_THE_CLOCK_NEW_YORK, received, Decimal(24), "hour")
    assert result == at(NEW_YORK, "2026-11-01 11:00")  # EST
    assert result == at(UTC, "2026-11-01 16:00")


def test_office_hours_follow_local_wall_clock_across_fall_back() -> None:
    result = add_working(OFFICE_NEW_YORK, at(NEW_YORK, "2026-10-30 16:00"), Decimal(2), "hour")
    assert result == at(NEW_YORK, "2026-11-02 10:00")
    assert result == at(UTC, "2026-11-02 15:00")  # was 14:00Z in summer time


def test_windows_on_dst_change_days_are_23_and_25_real_hours_long() -> None:
    spring = next(ROUND_THE_CLOCK_BERLIN.windows(at(BERLIN, "2026-03-29 12:00")))
    autumn = next(ROUND_THE_CLOCK_NEW_YORK.windows(at(NEW_YORK, "2026-11-01 12:00")))
    assert spring == (at(BERLIN, "2026-03-29 00:00"), at(BERLIN, "2026-03-30 00:00"))
    assert spring[1] - spring[0] == timedelta(hours=23)
    assert autumn[1] - autumn[0] == timedelta(hours=25)
    assert ROUND_THE_CLOCK_BERLIN.window_length == timedelta(hours=24)


def test_window_starting_in_skipped_hour_is_empty_and_in_repeated_hour_is_longer() -> None:
    # Skipped local times read with the offset before the change (02:30 = 03:30 summer
    # time); repeated ones mean their first occurrence.
    night_shift = WorkingTime(BERLIN, WHOLE_WEEK, time(2, 30), time(3, 30))
    spring = next(night_shift.windows(at(BERLIN, "2026-03-29 00:00")))
    autumn = next(night_shift.windows(at(BERLIN, "2026-10-25 00:00")))
    assert spring[0] == at(BERLIN, "2026-03-30 02:30")
    assert autumn == (at(UTC, "2026-10-25 00:30"), at(UTC, "2026-10-25 02:30"))


# --- windows and membership -------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "inside"),
    [
        ("2026-06-04 09:00", True),  # start is inclusive
        ("2026-06-04 16:59:59.999999", True),
        ("2026-06-04 17:00", False),  # end is exclusive
        ("2026-06-04 08:59", False),
        ("2026-06-06 12:00", False),  # Saturday
    ],
)
def test_contains_uses_local_office_hours(instant: str, inside: bool) -> None:
    assert OFFICE_BERLIN.contains(at(BERLIN, instant)) is inside


def test_holidays_are_not_working_dates() -> None:
    team = WorkingTime(BERLIN, MON_FRI, time(9), time(17), frozenset({date(2026, 12, 25)}))
    assert team.is_working_date(date(2026, 12, 24))
    assert not team.is_working_date(date(2026, 12, 25))
    assert not team.is_working_date(date(2026, 12, 26))  # Saturday
    assert not team.contains(at(BERLIN, "2026-12-25 10:00"))


# --- calendar durations -----------------------------------------------------------------


def test_elapsed_minutes_and_fractional_hours_are_exact() -> None:
    received = at(BERLIN, "2026-06-04 10:00:00.000001")
    assert add_elapsed(received, Decimal(30), "minute") == received + timedelta(minutes=30)
    assert add_elapsed(received, Decimal("1.5"), "hour") == received + timedelta(minutes=90)
    # 0.1 is not exact as a float; as a Decimal it is exactly 6 minutes.
    assert add_elapsed(received, Decimal("0.1"), "hour") == received + timedelta(minutes=6)


def test_elapsed_hours_count_real_time_across_spring_forward() -> None:
    received = at(BERLIN, "2026-03-28 12:00")
    assert add_elapsed(received, Decimal(24), "hour") == at(BERLIN, "2026-03-29 13:00")


def test_elapsed_day_keeps_local_wall_clock_across_spring_forward() -> None:
    received = at(BERLIN, "2026-03-28 12:00")
    result = add_elapsed(received, Decimal(1), "day")
    assert result == at(BERLIN, "2026-03-29 12:00")
    assert result - received == timedelta(hours=23)
    assert result.tzinfo is UTC


def test_elapsed_week_keeps_local_wall_clock_across_fall_back() -> None:
    received = at(NEW_YORK, "2026-10-28 09:30")
    assert add_elapsed(received, Decimal(1), "week") == at(NEW_YORK, "2026-11-04 09:30")


def test_deadline_dispatches_on_working_flag() -> None:
    received = at(BERLIN, "2026-06-05 16:00")  # Friday
    assert deadline(OFFICE_BERLIN, received, Decimal(2), "hour", True) == at(
        BERLIN, "2026-06-08 10:00"
    )
    assert deadline(OFFICE_BERLIN, received, Decimal(2), "hour", False) == at(
        BERLIN, "2026-06-05 18:00"
    )


def test_calendar_days_in_deadline_keep_the_teams_wall_clock_even_for_utc_input() -> None:
    received = at(BERLIN, "2026-03-28 12:00").astimezone(UTC)
    result = deadline(OFFICE_BERLIN, received, Decimal(1), "day", False)
    assert result == at(BERLIN, "2026-03-29 12:00")
    assert result.tzinfo is UTC


# --- errors -----------------------------------------------------------------------------


def test_naive_received_time_is_rejected() -> None:
    naive = datetime(2026, 6, 4, 10, 0)
    message = "received time must carry a time zone"
    with pytest.raises(ValueError, match=message):
        add_working(OFFICE_BERLIN, naive, Decimal(1), "hour")
    with pytest.raises(ValueError, match=message):
        add_elapsed(naive, Decimal(1), "hour")
    with pytest.raises(ValueError, match=message):
        deadline(OFFICE_BERLIN, naive, Decimal(1), "day", False)
    with pytest.raises(ValueError, match="must carry a time zone"):
        OFFICE_BERLIN.windows(naive)


@pytest.mark.parametrize("amount", ["0", "-1", "-0.5", "NaN", "Infinity"])
def test_amount_must_be_positive_and_finite(amount: str) -> None:
    received = at(BERLIN, "2026-06-04 10:00")
    with pytest.raises(ValueError, match="positive"):
        add_working(OFFICE_BERLIN, received, Decimal(amount), "hour")
    with pytest.raises(ValueError, match="positive"):
        add_elapsed(received, Decimal(amount), "day")


def test_amount_finer_than_a_microsecond_is_rejected_not_rounded() -> None:
    with pytest.raises(ValueError, match="microsecond"):
        add_elapsed(at(BERLIN, "2026-06-04 10:00"), Decimal("0.00000001"), "minute")


def test_unknown_units_are_rejected() -> None:
    received = at(BERLIN, "2026-06-04 10:00")
    with pytest.raises(ValueError, match="fortnight"):
        add_elapsed(received, Decimal(1), "fortnight")
    with pytest.raises(ValueError, match="fortnight"):
        add_working(OFFICE_BERLIN, received, Decimal(1), "fortnight")
    with pytest.raises(ValueError, match="week"):
        add_working(OFFICE_BERLIN, received, Decimal(1), "week")  # not a working unit
    with pytest.raises(ValueError, match="hours"):
        deadline(OFFICE_BERLIN, received, Decimal(1), "hours", True)  # singular only


@pytest.mark.parametrize(
    ("weekdays", "start", "end", "message"),
    [
        (frozenset(), time(9), time(17), "at least one working weekday"),
        (frozenset({7}), time(9), time(17), "0 \\(Monday\\) to 6"),
        (MON_FRI, time(17), time(9), "end after it starts"),
        (MON_FRI, time(9), time(0), "end after it starts"),  # 24:00 is spelt None
        (MON_FRI, time(9, tzinfo=UTC), time(17), "wall-clock"),
    ],
)
def test_invalid_working_time_is_rejected(
    weekdays: frozenset[int], start: time, end: time, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingTime(BERLIN, weekdays, start, end)


def test_holidays_hiding_every_working_date_stop_the_search() -> None:
    every_monday = frozenset(date(2026, 1, 5) + timedelta(weeks=n) for n in range(600))
    team = WorkingTime(BERLIN, frozenset({0}), time(9), time(17), every_monday)
    with pytest.raises(ValueError, match="no working date"):
        add_working(team, at(BERLIN, "2026-01-01 10:00"), Decimal(1), "hour")


# --- properties -------------------------------------------------------------------------

ODD_TEAMS = [
    ROUND_THE_CLOCK_UTC,
    ROUND_THE_CLOCK_BERLIN,
    ROUND_THE_CLOCK_NEW_YORK,
    WorkingTime(
        BERLIN,
        MON_FRI,
        time(9),
        time(17),
        frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1)}),
    ),
    WorkingTime(NEW_YORK, frozenset({0, 2, 4}), time(8, 30), time(12, 15)),
    # Windows that start or end inside the hour a DST change skips or repeats.
    WorkingTime(BERLIN, WHOLE_WEEK, time(2, 30), time(3, 30)),
    WorkingTime(ZoneInfo("Australia/Lord_Howe"), WHOLE_WEEK, time(1, 45), time(2, 15)),
    # Chile changes its clocks at midnight, where the windows meet.
    WorkingTime(ZoneInfo("America/Santiago"), WHOLE_WEEK, time(0), None),
]

DST_CHANGES = [
    at(UTC, text)
    for text in [
        "2026-03-29 01:00",  # Berlin spring forward
        "2026-10-25 01:00",  # Berlin fall back
        "2026-11-01 06:00",  # New York fall back
        "2026-04-04 15:00",  # Lord Howe fall back
        "2026-10-03 15:30",  # Lord Howe spring forward
        "2026-09-06 04:00",  # Santiago spring forward
    ]
]

teams = st.sampled_from(ODD_TEAMS)
received_times = st.one_of(
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2028, 12, 31),
        timezones=st.sampled_from([UTC, BERLIN, NEW_YORK]),
    ),
    st.builds(
        lambda change, offset: change + offset,
        st.sampled_from(DST_CHANGES),
        st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
    ),
)
# Hundredths of a unit, so that every amount is a whole number of microseconds.
amounts = st.integers(min_value=1, max_value=20_000).map(lambda n: Decimal(n).scaleb(-2))
working_units = st.sampled_from(["hour", "day"])


def working_time_between(team: WorkingTime, begin: datetime, finish: datetime) -> timedelta:
    total = timedelta(0)
    for start, end in team.windows(begin):
        if start >= finish:
            return total
        total += min(end, finish) - max(start, begin)
    raise AssertionError("windows never end")


def lies_in_window_end_inclusive(team: WorkingTime, instant: datetime) -> bool:
    if team.contains(instant):
        return True
    _start, end = next(team.windows(instant - timedelta(microseconds=1)))
    return end == instant


@settings(deadline=None)
@given(
    teams, received_times, st.timedeltas(timedelta(0), timedelta(days=10)), amounts, working_units
)
def test_later_received_time_never_gives_an_earlier_deadline(
    team: WorkingTime, received: datetime, delay: timedelta, amount: Decimal, unit: str
) -> None:
    earlier = add_working(team, received, amount, unit)
    later = add_working(team, received + delay, amount, unit)
    assert earlier <= later


@settings(deadline=None)
@given(teams, received_times, amounts, working_units)
def test_working_deadline_lies_inside_a_window_end_inclusive(
    team: WorkingTime, received: datetime, amount: Decimal, unit: str
) -> None:
    assert lies_in_window_end_inclusive(team, add_working(team, received, amount, unit))


@settings(deadline=None)
@given(teams, received_times, amounts, working_units)
def test_working_time_up_to_the_deadline_equals_the_amount_exactly(
    team: WorkingTime, received: datetime, amount: Decimal, unit: str
) -> None:
    result = add_working(team, received, amount, unit)
    unit_length = team.window_length if unit == "day" else timedelta(hours=1)
    requested = amount * (unit_length // timedelta(microseconds=1))
    assert working_time_between(team, received, result) == timedelta(microseconds=int(requested))


@settings(deadline=None)
@given(teams, received_times)
def test_windows_are_ordered_disjoint_and_on_working_dates(
    team: WorkingTime, after: datetime
) -> None:
    iterator = team.windows(after)
    windows = [next(iterator) for _ in range(20)]
    assert windows[0][1] > after
    for (_, previous_end), (next_start, _) in pairwise(windows):
        assert previous_end <= next_start
    for start, end in windows:
        assert start < end
        assert end - start <= team.window_length + timedelta(hours=1)
        assert team.is_working_date(start.astimezone(team.zone).date())


@settings(deadline=None)
@given(
    st.sampled_from([OFFICE_BERLIN, ROUND_THE_CLOCK_BERLIN, OFFICE_NEW_YORK]),
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    st.integers(min_value=1, max_value=60),
)
def test_working_hours_match_an_hour_by_hour_count_of_office_hours(
    team: WorkingTime, received: datetime, amount: int
) -> None:
    # Independent oracle: walk whole UTC hours and ask the local wall clock.
    now = received.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
    counted = 0
    while counted < amount:
        local = now.astimezone(team.zone)
        window_end = team.end or time.max
        if team.is_working_date(local.date()) and team.start <= local.time() < window_end:
            counted += 1
        now += timedelta(hours=1)
    start = received.replace(minute=0, second=0, microsecond=0, tzinfo=UTC)
    assert add_working(team, start, Decimal(amount), "hour") == now
