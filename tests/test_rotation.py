"""Behaviour of the steward rotation as a team would notice it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support_policy.policy.rotation import Change, Schedule

BERLIN = ZoneInfo("Europe/Berlin")
CONTRACT_POOL = ["person-a", "person-b", "person-c", "person-d"]
CONTRACT_START = date(2026, 1, 6)  # a Tuesday


def people(count: int) -> list[str]:
    return [f"person-{index:02d}" for index in range(count)]


def contract_schedule(
    changes: list[Change] | None = None, pool: list[str] | None = None
) -> Schedule:
    return Schedule(
        pool=pool or CONTRACT_POOL,
        start=CONTRACT_START,
        handover_every_weeks=2,
        tenure_weeks=4,
        zone=BERLIN,
        changes=changes or [],
    )


def on_duty_people(schedule: Schedule, when: date | datetime) -> list[str]:
    return [tenure.person for tenure in schedule.on_duty(when)]


# --- the rotation wraps around the pool -------------------------------------------------


@pytest.mark.parametrize("pool_size", range(3, 13))
def test_rotation_cycles_through_every_member_once_per_wrap(pool_size: int) -> None:
    pool = people(pool_size)
    schedule = Schedule(pool, CONTRACT_START, 1, 2, BERLIN)
    handoffs = range(-pool_size, 3 * pool_size)

    for k in handoffs:
        assert schedule.joiner(k) == schedule.joiner(k + pool_size)
    for window_start in handoffs:
        window = [schedule.joiner(k) for k in range(window_start, window_start + pool_size)]
        assert Counter(window) == Counter(pool)

    first_day = schedule.handoff_date(0)
    for offset in range(3 * pool_size * 7):
        day = first_day + timedelta(days=offset)
        on_duty = on_duty_people(schedule, day)
        assert len(on_duty) == 2
        assert len(set(on_duty)) == 2


# --- the contract's worked example ------------------------------------------------------


SWAP = [
    Change(date(2026, 3, 3), "person-b", reason="person-a on leave"),
    Change(date(2026, 3, 17), "person-a", reason="swap with person-b"),
]


def test_contract_example_swap_and_resume() -> None:
    schedule = contract_schedule(SWAP)

    assert schedule.on_duty_count == 2
    assert schedule.computed_joiner(4) == "person-a"
    assert schedule.joiner(4) == "person-b"
    assert schedule.joiner(5) == "person-a"
    # person-d joined on 02-17, person-b stood in on 03-03.
    assert on_duty_people(schedule, date(2026, 3, 10)) == ["person-d", "person-b"]
    assert on_duty_people(schedule, date(2026, 3, 24)) == ["person-b", "person-a"]
    # The order resumes after the swap.
    assert schedule.handoff_index(date(2026, 3, 31)) == 6
    assert schedule.joiner(6) == "person-c"
    assert on_duty_people(schedule, date(2026, 3, 31)) == ["person-a", "person-c"]
    assert schedule.joiner(7) == "person-d"

    stand_in = schedule.tenure(4)
    assert stand_in.changed
    assert stand_in.reason == "person-a on leave"
    assert (stand_in.start, stand_in.end) == (date(2026, 3, 3), date(2026, 3, 31))
    assert not schedule.tenure(6).changed
    assert schedule.conflicts() == []


def test_stand_in_from_outside_the_pool() -> None:
    schedule = contract_schedule([Change(date(2026, 3, 3), "guest-steward")])
    assert on_duty_people(schedule, date(2026, 3, 10)) == ["person-d", "guest-steward"]
    assert schedule.joiner(5) == "person-b"


def test_schedule_before_start_is_defined() -> None:
    schedule = contract_schedule()
    # Hand-offs -2 (2025-12-09) and -1 (2025-12-23) are still running on 2025-12-30.
    on_duty = schedule.on_duty(date(2025, 12, 30))
    assert [tenure.person for tenure in on_duty] == ["person-c", "person-d"]
    assert [tenure.handoff for tenure in on_duty] == [-2, -1]
    assert on_duty[0].start == date(2025, 12, 9)
    # On start day person-c leaves and person-a joins.
    assert on_duty_people(schedule, CONTRACT_START) == ["person-d", "person-a"]


def test_far_away_handoffs() -> None:
    far = date(2026, 1, 6) + timedelta(weeks=2 * 10_000)
    schedule = contract_schedule([Change(far, "guest-steward")])
    assert schedule.handoff_index(far) == 10_000
    assert schedule.joiner(10_000) == "guest-steward"
    assert schedule.computed_joiner(-10_000) == "person-a"
    assert len(schedule.on_duty(schedule.handoff_date(-10_000))) == 2
    assert schedule.handoff_instant(10_000).date() == far - timedelta(days=1)


def test_tenures_overlapping_includes_those_already_running() -> None:
    schedule = contract_schedule(SWAP)
    tenures = schedule.tenures_overlapping(date(2026, 3, 10), date(2026, 3, 17))
    assert [(tenure.handoff, tenure.person) for tenure in tenures] == [
        (3, "person-d"),
        (4, "person-b"),
        (5, "person-a"),
    ]
    # A tenure ending on `first` (end is exclusive) is not included.
    assert [
        tenure.handoff
        for tenure in schedule.tenures_overlapping(date(2026, 3, 3), date(2026, 3, 3))
    ] == [3, 4]


def test_tenures_overlapping_rejects_reversed_range() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        contract_schedule().tenures_overlapping(date(2026, 3, 17), date(2026, 3, 10))


# --- time zones -------------------------------------------------------------------------


def test_handoff_instant_follows_berlin_daylight_saving() -> None:
    schedule = contract_schedule()
    assert schedule.handoff_instant(0) == datetime(2026, 1, 5, 23, 0, tzinfo=UTC)
    assert schedule.handoff_date(12) == date(2026, 6, 23)
    assert schedule.handoff_instant(12) == datetime(2026, 6, 22, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize("k", [0, 12])
def test_on_duty_switches_exactly_at_the_handoff_instant(k: int) -> None:
    schedule = contract_schedule()
    instant = schedule.handoff_instant(k)
    leaving_crew = [schedule.joiner(k - 2), schedule.joiner(k - 1)]
    arriving_crew = [schedule.joiner(k - 1), schedule.joiner(k)]

    # Still the previous UTC date, yet already the hand-off date in Berlin.
    assert on_duty_people(schedule, instant - timedelta(seconds=1)) == leaving_crew
    assert on_duty_people(schedule, instant) == arriving_crew
    assert on_duty_people(schedule, instant + timedelta(minutes=30)) == arriving_crew
    new_york = instant.astimezone(ZoneInfo("America/New_York"))
    assert on_duty_people(schedule, new_york) == arriving_crew


# --- conflicts --------------------------------------------------------------------------


FIVE_PEOPLE = [f"person-{letter}" for letter in "abcde"]  # person-c computed at k=2, 7


def test_change_overlapping_own_tenure_is_an_error() -> None:
    schedule = contract_schedule([Change(date(2026, 2, 17), "person-c")], pool=FIVE_PEOPLE)
    (conflict,) = schedule.conflicts()
    assert conflict.severity == "error"
    assert conflict.other.handoff == 2
    assert conflict.other.person == "person-c"


def test_change_touching_own_tenure_is_a_warning() -> None:
    schedule = contract_schedule([Change(date(2026, 3, 3), "person-c")], pool=FIVE_PEOPLE)
    (conflict,) = schedule.conflicts()
    assert conflict.severity == "warning"
    assert conflict.other.handoff == 2
    assert "back-to-back" in conflict.describe()


def test_conflict_description_names_both_tenures() -> None:
    # Stand-in without the swap back: person-b is also due on 03-17.
    schedule = contract_schedule([Change(date(2026, 3, 3), "person-b")])
    (conflict,) = schedule.conflicts()
    assert conflict.describe() == (
        "person-b would serve 2026-03-03–2026-03-31 and 2026-03-17–2026-04-14 (overlapping tenures)"
    )


def test_two_changes_for_one_person_are_reported_once() -> None:
    changes = [Change(date(2026, 3, 3), "guest"), Change(date(2026, 3, 17), "guest")]
    (conflict,) = contract_schedule(changes).conflicts()
    assert conflict.change.date == date(2026, 3, 3)
    assert conflict.other.handoff == 5
    assert conflict.severity == "error"


def test_conflicts_are_ordered_by_date() -> None:
    changes = [Change(date(2026, 4, 28), "person-e"), Change(date(2026, 2, 17), "person-c")]
    conflicts = contract_schedule(changes, pool=FIVE_PEOPLE).conflicts()
    assert [conflict.change.date for conflict in conflicts] == [
        date(2026, 2, 17),
        date(2026, 4, 28),
    ]


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pool", "every", "tenure", "changes", "message"),
    [
        (CONTRACT_POOL, 2, 4, [Change(date(2026, 3, 10), "person-b")], "not on a hand-off date"),
        (
            CONTRACT_POOL,
            2,
            4,
            [Change(date(2026, 3, 3), "person-b"), Change(date(2026, 3, 3), "person-c")],
            "more than one change",
        ),
        (CONTRACT_POOL, 2, 3, [], "whole multiple"),
        (CONTRACT_POOL, 2, 0, [], "whole multiple"),
        (CONTRACT_POOL, 0, 4, [], "at least 1 week"),
        ([], 2, 4, [], "empty"),
        (["person-a", "person-b", "person-a"], 2, 4, [], "more than once: person-a"),
    ],
)
def test_invalid_schedules_are_rejected(
    pool: list[str], every: int, tenure: int, changes: list[Change], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Schedule(pool, CONTRACT_START, every, tenure, BERLIN, changes)


def test_naive_datetime_is_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        contract_schedule().on_duty(datetime(2026, 3, 10, 12, 0))


# --- properties -------------------------------------------------------------------------


@st.composite
def schedules_and_handoffs(draw: st.DrawFn) -> tuple[Schedule, int]:
    pool_size = draw(st.integers(3, 12))
    every_weeks = draw(st.integers(1, 4))
    on_duty_count = draw(st.integers(1, pool_size - 1))
    start = draw(st.dates(date(1990, 1, 1), date(2060, 12, 31)))
    zone = ZoneInfo(draw(st.sampled_from(["Europe/Berlin", "America/Santiago", "UTC"])))
    schedule = Schedule(people(pool_size), start, every_weeks, on_duty_count * every_weeks, zone)
    return schedule, draw(st.integers(-10_000, 10_000))


@given(schedules_and_handoffs())
def test_on_duty_is_the_last_t_joiners(case: tuple[Schedule, int]) -> None:
    schedule, k = case
    count = schedule.on_duty_count
    handoff_day = schedule.handoff_date(k)

    on_duty = on_duty_people(schedule, handoff_day)
    assert on_duty == [schedule.joiner(j) for j in range(k - count + 1, k + 1)]
    assert len(set(on_duty)) == count
    # The day before belongs to the previous crew, both by date and by instant.
    previous_crew = [schedule.joiner(j) for j in range(k - count, k)]
    assert on_duty_people(schedule, handoff_day - timedelta(days=1)) == previous_crew
    instant = schedule.handoff_instant(k)
    assert on_duty_people(schedule, instant - timedelta(microseconds=1)) == previous_crew
    assert on_duty_people(schedule, instant) == on_duty
