"""The rotation over time, as a team would notice it: leave, new hires, leavers, cover.

The worked examples follow the contract's "The rotation over time" section; the properties
check the dealing against an independent, deliberately naive transcription of that section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from support_policy.policy.dealing import (
    MAX_HANDOFFS,
    Availability,
    Away,
    Cover,
    Dealing,
    DealingLimitError,
    Finding,
    RotationSpec,
)
from support_policy.policy.derive import schedule_of
from support_policy.policy.loader import load_policy, load_policy_text
from support_policy.policy.rotation import Change, Schedule
from support_policy.policy.rotations import rotation_pool

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
POOL = ("person-a", "person-b", "person-c", "person-d")
START = date(2026, 1, 6)  # a Tuesday; hand-offs every 2 weeks, two people on duty


def dealing(
    team: Mapping[str, Availability] | None = None,
    *,
    pool: Sequence[str] = POOL,
    on_duty: int = 2,
    every: int = 2,
    changes: Sequence[Change] = (),
    covers: Sequence[Cover] = (),
    zone: ZoneInfo = UTC_ZONE,
    exclusive_with: Sequence[Dealing] = (),
    start: date = START,
    rotation_id: str = "rotation",
) -> Dealing:
    members = {member: Availability() for member in pool}
    members.update(team or {})
    spec = RotationSpec(
        tuple(pool), start, every, on_duty, zone, tuple(changes), tuple(covers), rotation_id
    )
    return Dealing(spec, members, exclusive_with)


def joiners(d: Dealing, first: int, last: int) -> list[str | None]:
    return [d.handoff(k).joiner for k in range(first, last + 1)]


def crew(d: Dealing, when: date | datetime) -> list[str]:
    return [duty.person for duty in d.on_duty(when)]


def kinds(findings: Sequence[Finding]) -> list[str]:
    return [finding.kind for finding in findings]


def away(first: date, last: date, reason: str | None = None) -> Availability:
    return Availability(away=(Away(first, last, reason),))


# --- worked examples ----------------------------------------------------------------------


def test_person_on_leave_swaps_with_the_next_one_and_joins_after_return() -> None:
    # Person A is due on 3 March but away 2-13 March: the contract's hand-recorded swap.
    d = dealing({"person-a": away(date(2026, 3, 2), date(2026, 3, 13), "Leave")})
    recorded = Schedule(
        POOL,
        START,
        2,
        4,
        UTC_ZONE,
        [Change(date(2026, 3, 3), "person-b"), Change(date(2026, 3, 17), "person-a")],
    )

    assert joiners(d, -4, 12) == [recorded.joiner(k) for k in range(-4, 13)]
    swap, owed = d.handoff(4), d.handoff(5)
    assert (swap.start, swap.joiner, swap.why()) == (
        date(2026, 3, 3),
        "person-b",
        "swapped in for person-a (away: Leave)",
    )
    assert (owed.joiner, owed.why()) == ("person-a", "owed turn (passed over while away: Leave)")
    assert d.handoff(6).why() == "regular turn"
    assert "person-a" not in crew(d, date(2026, 3, 10))
    assert d.findings() == []


def test_new_hire_joins_at_their_turn_after_joined_and_the_past_stays() -> None:
    before = dealing()
    pool = ("person-a", "person-b", "person-c", "person-d", "person-g")
    d = dealing({"person-g": Availability(joined=date(2026, 5, 11))}, pool=pool)

    first_after_joining = d.latest_handoff(date(2026, 5, 11)) + 1  # 19 May
    assert joiners(d, -8, first_after_joining - 1) == joiners(before, -8, first_after_joining - 1)
    # The cursor reaches person-g right after person-d: A B C D G A B C D G …
    dealt = joiners(d, first_after_joining, first_after_joining + 9)
    assert dealt[dealt.index("person-g") - 1] == "person-d"
    assert dealt.count("person-g") == 2
    assert all("person-g" not in crew(d, START + timedelta(days=n)) for n in range(125))
    assert d.findings() == []


def test_leaver_is_never_on_duty_from_left_and_earlier_tenures_stay() -> None:
    left = date(2026, 7, 1)
    before = dealing()
    d = dealing({"person-c": Availability(left=left)})

    for k in range(-4, 40):
        tenure = d.handoff(k)
        if tenure.end <= left:
            assert tenure.joiner == before.handoff(k).joiner
        if tenure.end > left and k >= 0:
            assert tenure.joiner != "person-c"
    assert all("person-c" not in crew(d, left + timedelta(days=n)) for n in range(400))
    assert (d.former_members(date(2026, 6, 30)), d.former_members(left)) == ((), ("person-c",))
    assert d.findings() == []


def test_owed_queue_pays_back_two_people_in_the_order_they_were_passed_over() -> None:
    pool = tuple(f"person-{c}" for c in "abcdef")
    leave = {
        "person-a": away(date(2026, 3, 30), date(2026, 4, 10), "Leave"),
        "person-b": away(date(2026, 3, 30), date(2026, 5, 1), "Parental leave"),
    }
    d = dealing(leave, pool=pool)
    # Regular: k=6 A (31 March), 7 B, 8 C …; A and B are away, C steps in.
    assert [d.handoff(k).joiner for k in range(6, 12)] == [
        "person-c",
        "person-a",  # back after 10 April, free for the 14 April hand-off
        "person-d",  # B is still away in the 28 April - 26 May tenure
        "person-b",
        "person-e",
        "person-f",
    ]
    assert d.handoff(6).why() == (
        "swapped in for person-a (away: Leave) and person-b (away: Parental leave)"
    )
    assert d.handoff(9).why() == "owed turn (passed over while away: Parental leave)"
    # Every person still serves once per cycle around the swap.
    assert sorted(joiners(d, 6, 11)) == sorted(pool)
    assert d.findings() == []


def test_back_to_back_fallback_is_a_warning() -> None:
    # Three people, two on duty: when the one due is away, only the leaver can join.
    pool = ("person-a", "person-b", "person-c")
    d = dealing({"person-a": away(date(2026, 1, 6), date(2026, 1, 6), "Doctor")}, pool=pool)
    first = d.handoff(0)
    assert (first.joiner, first.kind) == ("person-b", "back_to_back")
    assert first.why() == "back to back: nobody else can join"
    assert crew(d, START) == ["person-c", "person-b"]
    [warning] = d.findings()
    assert (warning.kind, warning.severity, warning.date) == ("back_to_back", "warning", START)
    assert warning.message == (
        "person-b serves back to back from 2026-01-06: nobody else can join "
        "(person-a (away: Doctor), person-c (on duty))"
    )
    # The turn is owed afterwards: A was not passed over (nobody joined instead), the cursor
    # stayed, so A joins next.
    assert d.handoff(1).joiner == "person-a"


def test_nobody_can_join_names_who_is_away_on_duty_or_gone() -> None:
    pool = ("person-a", "person-b", "person-c")
    team = {
        "person-a": away(date(2026, 1, 6), date(2026, 1, 8), "Leave"),
        "person-b": Availability(left=date(2026, 1, 20)),
    }
    d = dealing(team, pool=pool)
    assert d.handoff(0).joiner is None
    assert crew(d, START) == ["person-c"]
    errors = [f for f in d.findings() if f.severity == "error"]
    assert errors[0].kind == "nobody_can_join"
    assert errors[0].message == (
        "nobody can join at 2026-01-06: person-a (away: Leave), "
        "person-b (off the team from 2026-01-20), person-c (on duty)"
    )
    assert errors[0].people == ("person-a", "person-b", "person-c")


def test_changes_replace_the_dealt_joiner_and_move_neither_cursor_nor_queue() -> None:
    leave = {"person-a": away(date(2026, 3, 2), date(2026, 3, 13), "Leave")}
    change = Change(date(2026, 3, 31), "person-d", "Swap for a conference")
    plain, changed = dealing(leave), dealing(leave, changes=[change])
    k = changed.handoff_index_of(change.date)
    assert k == 6

    assert changed.handoff(k).scheduled == "person-c"
    assert changed.handoff(k).joiner == "person-d"
    assert changed.handoff(k).why() == "recorded change: Swap for a conference"
    assert joiners(changed, 0, 30)[k + 1 :] == joiners(plain, 0, 30)[k + 1 :]
    # person-d joins at k=6 and is dealt again at k=7: overlapping tenures, as today.
    [conflict] = changed.findings()
    assert (conflict.kind, conflict.severity, conflict.change_index) == (
        "change_overlap",
        "error",
        0,
    )
    assert conflict.message == (
        "person-d would serve 2026-03-31–2026-04-28 and 2026-04-14–2026-05-12 (overlapping tenures)"
    )


def test_change_making_tenures_touch_is_a_warning() -> None:
    # C serves 3 Feb - 3 March and is due again on 31 March: both tenures touch.
    d = dealing(changes=[Change(date(2026, 3, 3), "person-c")])
    assert [(f.kind, f.severity) for f in d.findings()] == [("change_touch", "warning")] * 2


def test_change_at_a_vacant_hand_off_fills_it() -> None:
    pool = ("person-a", "person-b", "person-c")
    team = {
        "person-a": away(date(2026, 1, 6), date(2026, 1, 8)),
        "person-b": Availability(left=date(2026, 1, 20)),
    }
    d = dealing(team, pool=pool, changes=[Change(START, "person-e")])
    assert d.handoff(0).joiner == "person-e"
    assert ("nobody_can_join", START) not in [(f.kind, f.date) for f in d.findings()]
    assert ("nobody_can_join", START) in [
        (f.kind, f.date) for f in dealing(team, pool=pool).findings()
    ]


def test_cover_replaces_the_covered_person_on_its_days_only() -> None:
    cover = Cover("person-c", "person-a", date(2026, 1, 8), date(2026, 1, 9), "Conference")
    d = dealing(covers=[cover])
    assert crew(d, date(2026, 1, 7)) == ["person-d", "person-a"]
    assert crew(d, date(2026, 1, 8)) == ["person-d", "person-c"]
    assert crew(d, datetime(2026, 1, 9, 23, 59, tzinfo=UTC)) == ["person-d", "person-c"]
    assert crew(d, date(2026, 1, 10)) == ["person-d", "person-a"]
    seat = d.on_duty(date(2026, 1, 8))[1]
    assert (seat.cover, seat.handoff.joiner) == (cover, "person-a")
    assert d.covers_between(date(2026, 1, 9), date(2026, 1, 12)) == [cover]
    assert d.covers_between(date(2026, 1, 10), date(2026, 1, 12)) == []
    assert d.findings() == []


@pytest.mark.parametrize(
    ("cover", "team", "expected"),
    [
        pytest.param(
            Cover("person-c", "person-b", date(2026, 1, 8), date(2026, 1, 9)),
            {},
            ("cover_not_on_duty", date(2026, 1, 8), "person-b is not on duty on 2026-01-08"),
            id="covers-not-on-duty",
        ),
        pytest.param(
            Cover("person-d", "person-a", date(2026, 1, 30), date(2026, 2, 5)),
            {},
            ("cover_not_on_duty", date(2026, 2, 3), "person-a is not on duty on 2026-02-03"),
            id="covers-leaves-duty-midway",
        ),
        pytest.param(
            Cover("person-x", "person-a", date(2026, 1, 8), date(2026, 1, 9)),
            {},
            ("cover_member_off_team", date(2026, 1, 8), "person-x is not on the team"),
            id="member-unknown",
        ),
        pytest.param(
            Cover("person-e", "person-a", date(2026, 1, 8), date(2026, 1, 9)),
            {"person-e": Availability(joined=date(2026, 1, 9))},
            ("cover_member_off_team", date(2026, 1, 8), "person-e is not on the team on"),
            id="member-not-joined",
        ),
        pytest.param(
            Cover("person-e", "person-a", date(2026, 1, 8), date(2026, 1, 9)),
            {"person-e": Availability(left=date(2026, 1, 9))},
            ("cover_member_off_team", date(2026, 1, 9), "person-e is not on the team on"),
            id="member-left",
        ),
        pytest.param(
            Cover("person-e", "person-a", date(2026, 1, 8), date(2026, 1, 9)),
            {"person-e": away(date(2026, 1, 9), date(2026, 1, 20), "Leave")},
            ("cover_member_away", date(2026, 1, 9), "person-e is away on 2026-01-09 (Leave)"),
            id="member-away",
        ),
        pytest.param(
            Cover("person-d", "person-a", date(2026, 1, 8), date(2026, 1, 9)),
            {},
            ("cover_member_on_duty", date(2026, 1, 8), "double duty is no cover"),
            id="member-on-duty",
        ),
    ],
)
def test_each_bad_cover_is_reported_with_its_first_bad_day(
    cover: Cover, team: dict[str, Availability], expected: tuple[str, date, str]
) -> None:
    d = dealing(team, covers=[cover])
    [finding] = d.findings()
    kind, day, text = expected
    assert (finding.kind, finding.severity, finding.date, finding.cover_index) == (
        kind,
        "error",
        day,
        0,
    )
    assert text in finding.message


def test_overlapping_covers_of_one_person_or_by_one_person_are_errors() -> None:
    covers = [
        Cover("person-c", "person-a", date(2026, 1, 8), date(2026, 1, 12)),
        Cover("person-b", "person-a", date(2026, 1, 12), date(2026, 1, 13)),  # same covered
        Cover("person-c", "person-d", date(2026, 1, 10), date(2026, 1, 10)),  # same member
        Cover("person-b", "person-d", date(2026, 1, 15), date(2026, 1, 16)),  # fine
    ]
    d = dealing(covers=covers)
    overlaps = [f for f in d.findings() if f.kind == "cover_overlap"]
    assert [(f.cover_index, f.other_cover_index, f.message) for f in overlaps] == [
        (2, 0, "person-c covers two people on 2026-01-10"),
        (1, 0, "covers of person-a overlap on 2026-01-12"),
    ]
    assert len(d.findings()) == 2


def test_exclusive_rotation_skips_and_owes_people_on_duty_in_an_earlier_one() -> None:
    steward = dealing(rotation_id="support-steward")
    commander = dealing(
        pool=(*POOL, "person-e", "person-f"),
        on_duty=1,
        every=1,
        start=date(2026, 1, 5),
        exclusive_with=[steward],
        rotation_id="incident-commander",
    )
    for day in range(0, 400, 1):
        when = date(2026, 1, 5) + timedelta(days=day)
        [commander_on_duty] = crew(commander, when)
        assert commander_on_duty not in crew(steward, when)
    first = commander.handoff(0)  # C, D then A are stewards in the week of 5 January
    assert first.joiner == "person-b"
    assert first.why() == "swapped in for person-a (on duty in support-steward)"
    assert [commander.handoff(k).joiner for k in range(1, 6)] == [
        "person-c",
        "person-e",  # D is a steward until 20 January: passed over and owed
        "person-d",
        "person-f",
        "person-a",  # A's stewardship ends on 3 February
    ]
    assert commander.handoff(3).why() == "owed turn (passed over while on duty in support-steward)"
    assert commander.findings() == []
    assert commander.periodicity() is not None


def test_pool_too_small_at_start_and_a_walk_beyond_the_bound_are_errors() -> None:
    late = {m: Availability(joined=date(2026, 2, 1)) for m in ("person-b", "person-c")}
    assert "pool_at_start_too_small" in kinds(dealing(late).findings())

    far = dealing({"person-a": away(date(3026, 1, 1), date(3026, 1, 2))}, every=1)
    assert kinds(far.findings())[-1] == "walk_limit"
    assert far.handoff(5).joiner == "person-b"


def test_dates_at_the_end_of_the_calendar_are_findings_not_crashes() -> None:
    late_start = dealing(start=date(9999, 12, 28))
    assert kinds(late_start.findings()) == ["walk_limit"]
    with pytest.raises(DealingLimitError, match="cannot be dealt"):
        late_start.on_duty(date(9999, 12, 30))
    with pytest.raises(DealingLimitError):
        dealing().on_duty(datetime.max.replace(tzinfo=UTC))

    forever = Cover("person-c", "person-a", date(2026, 1, 8), date.max)
    d = dealing({"person-b": away(date(2026, 2, 1), date.max)}, covers=[forever])
    assert set(kinds(d.findings())) == {"walk_limit"}
    # B is away for good from 1 February: the three others take turns.
    assert joiners(d, 0, 5) == [
        "person-a",
        "person-c",
        "person-d",
        "person-a",
        "person-c",
        "person-d",
    ]


def test_far_queries_are_answered_from_the_period_without_walking() -> None:
    # 30 people, 100 away periods: a date 50 years out costs a lookup (k beyond the bound).
    pool = tuple(f"person-{n:02d}" for n in range(30))
    team = {
        member: Availability(
            away=tuple(
                Away(
                    date(2026, 2, 1) + timedelta(days=40 * i + n),
                    date(2026, 2, 5) + timedelta(days=40 * i + n),
                )
                for i in range(4)
                if 30 * i + n < 100
                for first in [date(2026, 2, 1) + timedelta(days=40 * i + n)]
            )
        )
        for n, member in enumerate(pool)
    }
    d = dealing(team, pool=pool, every=1, on_duty=2)
    assert d.findings() == []
    far = d.handoff(MAX_HANDOFFS * 5)
    period_first, period = d.periodicity() or (0, 0)
    assert period == 30
    assert far.joiner == d.handoff(period_first + (MAX_HANDOFFS * 5 - period_first) % 30).joiner
    assert len(crew(d, date(2076, 5, 5))) == 2


def test_instants_follow_dst_shifted_midnights() -> None:
    d = dealing(zone=BERLIN)
    summer = date(2026, 6, 9)  # a hand-off date (k = 11), 22:00Z the day before
    assert d.handoff_index_of(summer) == 11
    before = datetime(2026, 6, 8, 21, 59, tzinfo=UTC)
    after = datetime(2026, 6, 8, 22, 0, tzinfo=UTC)
    assert crew(d, before) == crew(d, date(2026, 6, 8))
    assert crew(d, after) == crew(d, summer)
    assert crew(d, before) != crew(d, after)


# --- properties ---------------------------------------------------------------------------


def naive(
    pool: Sequence[str],
    team: Mapping[str, Availability],
    every_days: int,
    on_duty: int,
    upto: int,
    busy: Callable[[date, date], set[str]] = lambda first, end: set(),
) -> dict[int, str | None]:
    """The contract's walk, transcribed as plainly as possible: no memo, no period."""

    def day(k: int) -> date:
        return START + timedelta(days=k * every_days)

    def on_team(member: str, first: date, end: date) -> bool:
        a = team[member]
        return (a.joined is None or a.joined <= first) and (a.left is None or end <= a.left)

    def gone(member: str, day: date) -> bool:
        left = team[member].left
        return left is not None and left <= day

    def is_away(member: str, first: date, end: date) -> bool:
        return any(p.first < end and first <= p.last for p in team[member].away)

    at_start = [m for m in pool if on_team(m, START, START + timedelta(days=1))]
    s: dict[int, str | None] = {
        k: at_start[k % len(at_start)] if at_start else None for k in range(-on_duty, 0)
    }
    cursor = s[-1] if s[-1] is not None else pool[-1]
    owed: list[str] = []
    for k in range(upto + 1):
        first, end = day(k), day(k + on_duty)
        duty = [s[j] for j in range(k - on_duty, k)]
        taken = busy(first, end)

        def eligible(m: str, first: date, end: date, duty: Sequence[object]) -> bool:
            return on_team(m, first, end) and not is_away(m, first, end) and m not in duty

        owed = [m for m in owed if not gone(m, first)]
        ready = [m for m in owed if eligible(m, first, end, [*duty, *taken])]
        if ready:
            owed.remove(ready[0])
            s[k] = ready[0]
            continue
        at = pool.index(cursor)
        order = [pool[(at + i) % len(pool)] for i in range(1, len(pool) + 1)]
        chosen = next((m for m in order if eligible(m, first, end, [*duty, *taken])), None)
        if chosen is not None:
            for m in order[: order.index(chosen)]:
                if on_team(m, first, end) and m not in duty and m not in owed:
                    owed.append(m)
            cursor = chosen
            s[k] = chosen
            continue
        again = duty[0]
        s[k] = (
            again
            if again is not None
            and again not in duty[1:]
            and on_team(again, first, end)
            and not is_away(again, first, end)
            and again not in taken
            else None
        )
    return s


Drawn = tuple[tuple[str, ...], int, int, dict[str, Availability]]  # pool, on_duty, every, team


@st.composite
def teams(draw: st.DrawFn, max_size: int = 7) -> Drawn:
    size = draw(st.integers(3, max_size))
    on_duty = draw(st.integers(1, min(3, size - 1)))
    every = draw(st.integers(1, 2))
    pool = tuple(f"person-{n}" for n in range(size))
    day = st.integers(-60, 500).map(lambda n: START + timedelta(days=n))
    team: dict[str, Availability] = {}
    for member in pool:
        joined = draw(st.none() | day)
        left = draw(st.none() | day)
        if joined is not None and left is not None and left <= joined:
            left = None
        starts = sorted(draw(st.lists(day, max_size=3, unique=True)))
        periods = []
        for i, first in enumerate(starts):
            longest = (starts[i + 1] - first).days - 1 if i + 1 < len(starts) else 60
            length = draw(st.integers(0, max(0, min(longest, 60))))
            periods.append(Away(first, first + timedelta(days=length), f"reason {i}"))
        team[member] = Availability(joined, left, tuple(periods))
    return pool, on_duty, every, team


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(size=st.integers(2, 9), on_duty=st.integers(1, 4), every=st.integers(1, 3))
def test_without_new_keys_the_dealing_is_pool_k_mod_n(size: int, on_duty: int, every: int) -> None:
    assume(size > on_duty)
    pool = tuple(f"person-{n}" for n in range(size))
    d = dealing(pool=pool, on_duty=on_duty, every=every, zone=BERLIN)
    arithmetic = Schedule(pool, START, every, every * on_duty, BERLIN)
    for k in range(-3 * size, 4 * size):
        assert d.handoff(k).joiner == pool[k % size] == arithmetic.joiner(k)
        assert d.handoff(k).kind == "regular"
    for offset in range(-30, 400, 3):
        when = START + timedelta(days=offset)
        assert crew(d, when) == [t.person for t in arithmetic.on_duty(when)]
    assert d.findings() == []


@PROPERTY
@given(
    size=st.integers(3, 7),
    on_duty=st.integers(1, 2),
    picks=st.lists(st.tuples(st.integers(-10, 30), st.integers(0, 7)), max_size=6),
)
def test_without_new_keys_changes_and_their_conflicts_are_as_today(
    size: int, on_duty: int, picks: list[tuple[int, int]]
) -> None:
    pool = tuple(f"person-{n}" for n in range(size))
    by_handoff = {k: f"person-{m % (size + 1)}" for k, m in picks}  # person-<size> is a stand-in
    changes = [
        Change(START + timedelta(weeks=2 * k), who, f"r{k}") for k, who in by_handoff.items()
    ]
    arithmetic = Schedule(pool, START, 2, 2 * on_duty, UTC_ZONE, changes)
    d = dealing(pool=pool, on_duty=on_duty, changes=changes)
    assert joiners(d, -20, 40) == [arithmetic.joiner(k) for k in range(-20, 41)]
    today = sorted((c.change.date, c.other.handoff, c.severity) for c in arithmetic.conflicts())
    dealt = [f.conflict for f in d.findings() if f.conflict is not None]
    assert sorted((c.change.date, c.other.handoff, c.severity) for c in dealt) == today
    assert all(f.kind.startswith("change_") for f in d.findings())


@pytest.mark.parametrize(
    "path",
    [None, *sorted((Path(__file__).parent / "fixtures" / "valid").glob("*.yaml"))],
    ids=lambda path: path.name if path else "bundled-with-recorded-changes",
)
def test_every_valid_policy_deals_exactly_as_its_arithmetic_schedule(
    path: Path | None, recorded_swap_text: str
) -> None:
    # The bundled example uses `away` now; as it was written before (the same leave as two
    # recorded changes, no new keys) it must deal as the arithmetic did.
    loaded = load_policy(path) if path else load_policy_text(recorded_swap_text, "policy.yaml")
    policy = loaded.policy
    assert policy is not None
    if policy.rotation is None:
        return
    # Today's arithmetic, built from the file directly: pool[k mod N] plus recorded changes.
    rotation = policy.rotation
    every, tenure = rotation.handover_every.whole_weeks, rotation.tenure.whole_weeks
    assert every is not None
    assert tenure is not None
    schedule = Schedule(
        rotation_pool(policy, rotation),
        rotation.start,
        every,
        tenure,
        ZoneInfo(policy.effective_working_time.timezone),
        [Change(c.date, c.joins, c.reason) for c in rotation.changes],
    )
    dealt = schedule_of(policy)
    assert dealt is not None
    assert [dealt.joiner(k) for k in range(-40, 80)] == [schedule.joiner(k) for k in range(-40, 80)]
    members = {member: Availability() for member in loaded.policy.team.members}
    d = Dealing(RotationSpec.from_schedule(schedule), members)
    size = len(schedule.pool)
    assert joiners(d, -3 * size, 5 * size) == [
        schedule.joiner(k) for k in range(-3 * size, 5 * size + 1)
    ]
    assert [f.conflict for f in d.findings()] == schedule.conflicts()


@PROPERTY
@given(teams())
def test_nobody_serves_while_away_or_off_the_team_and_crews_are_whole(
    drawn: Drawn,
) -> None:
    pool, on_duty, every, team = drawn
    d = dealing(team, pool=pool, on_duty=on_duty, every=every)
    findings = d.findings()
    reported = {(f.kind, f.date) for f in findings}
    for k in range(d.horizon() + 1):
        tenure = d.handoff(k)
        if tenure.kind == "vacant":
            assert ("nobody_can_join", tenure.start) in reported
            continue
        person = tenure.joiner
        assert person is not None
        availability = team[person]
        assert availability.on_team(tenure.start, tenure.end)
        assert availability.away_during(tenure.start, tenure.end) is None
        if tenure.kind == "back_to_back":
            assert ("back_to_back", tenure.start) in reported
            assert d.handoff(k - on_duty).joiner == person
        else:
            assert person not in joiners(d, k - on_duty, k - 1)
    if not any(f.severity == "error" for f in findings):
        for k in range(-on_duty, d.horizon() + 1):
            seats = joiners(d, k - on_duty + 1, k)
            assert len(set(seats)) == on_duty
            assert None not in seats


@PROPERTY
@given(teams(), st.data())
def test_a_future_dated_fact_never_changes_an_earlier_hand_off(
    drawn: Drawn, data: st.DataObject
) -> None:
    pool, on_duty, every, team = drawn
    fact = START + timedelta(days=data.draw(st.integers(1, 500), label="fact day"))
    which = data.draw(st.sampled_from(["away", "left", "joined"]), label="fact")
    new_pool = pool
    new_team = dict(team)
    member = data.draw(st.sampled_from(pool), label="member")
    if which == "away":
        length = data.draw(st.integers(0, 40))
        period = Away(fact, fact + timedelta(days=length), "new")
        new_team[member] = replace(team[member], away=(*team[member].away, period))
    elif which == "left":
        current = team[member].left
        assume(current is None or current > fact)
        new_team[member] = replace(team[member], left=fact)
    else:
        at = data.draw(st.integers(0, len(pool)), label="position")
        new_pool = (*pool[:at], "person-new", *pool[at:])
        new_team["person-new"] = Availability(joined=fact)
    before = dealing(team, pool=pool, on_duty=on_duty, every=every)
    after = dealing(new_team, pool=new_pool, on_duty=on_duty, every=every)
    for k in range(-2 * len(pool), after.latest_handoff(fact) + 1):
        tenure = before.handoff(k)
        if tenure.end <= fact or (which == "joined" and tenure.start < fact):
            assert after.handoff(k).joiner == tenure.joiner, (which, k)


@PROPERTY
@given(teams(), st.lists(st.integers(-400, 365 * 60), min_size=1, max_size=6))
def test_cheap_queries_equal_a_naive_full_walk(drawn: Drawn, offsets: list[int]) -> None:
    pool, on_duty, every, team = drawn
    d = dealing(team, pool=pool, on_duty=on_duty, every=every)
    days = [START + timedelta(days=offset) for offset in offsets]
    upto = max(d.latest_handoff(day) for day in days)
    walked = naive(pool, team, every * 7, on_duty, upto)
    for day in sorted(days, reverse=True):  # far ones first: the walk must not need order
        newest = d.latest_handoff(day)
        expected = [
            walked[k] if k >= 0 else d.pool_at_start[k % len(d.pool_at_start)]
            for k in range(newest - on_duty + 1, newest + 1)
            if d.pool_at_start or k >= 0
        ]
        assert crew(d, day) == [person for person in expected if person is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams(max_size=5), teams(max_size=6), st.integers(0, 365 * 40))
def test_exclusive_rotations_never_overlap_and_match_a_naive_walk(
    first: Drawn,
    second: Drawn,
    offset: int,
) -> None:
    pool_1, duty_1, every_1, team_1 = first
    pool_2, duty_2, every_2, team_2 = second
    team = {**team_1, **team_2}  # one team: shared ids keep the second draw's dates
    earlier = dealing(team, pool=pool_1, on_duty=duty_1, every=every_1, rotation_id="one")
    later = dealing(team, pool=pool_2, on_duty=duty_2, every=every_2, exclusive_with=[earlier])
    for k in range(later.horizon() + 1):
        tenure = later.handoff(k)
        if tenure.joiner is not None:
            assert tenure.joiner not in earlier.joiners_between(tenure.start, tenure.end)
    day = START + timedelta(days=offset)
    upto = later.latest_handoff(day)
    walked = naive(pool_2, team, every_2 * 7, duty_2, upto, earlier.joiners_between)
    newest = later.latest_handoff(day)
    expected = [walked[k] for k in range(max(0, newest - duty_2 + 1), newest + 1)]
    assert joiners(later, max(0, newest - duty_2 + 1), newest) == expected
