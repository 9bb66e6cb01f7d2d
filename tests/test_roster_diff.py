"""`diff` on roster edits: the right way is told in words, the wrong way is flagged with
the exact key and value that would have kept the past."""

from __future__ import annotations

from test_diff import PERSON_F, diff, texts

PERSON_A = "    person-a: {name: Person A, email: person-a@example.org, timezone: Europe/Madrid}\n"
PERSON_C = "    person-c: {name: Person C, timezone: America/Los_Angeles}\n"
PERSON_D = "    person-d: {name: Person D, email: person-d@example.org, timezone: Asia/Kolkata}\n"
# Today is 2026-04-20: Person A (since 03-31) and Person B (since 04-14) are on duty; the
# next hand-offs are 04-28 (Person C), 05-12 (Person D), 05-26 (Person E), 06-09 (Person F).


def with_keys(line: str, keys: str) -> str:
    return line.replace("}\n", f", {keys}}}\n")


def test_a_new_hire_with_joined_is_told_and_moves_only_the_future() -> None:
    result = diff((PERSON_F, PERSON_F + "    person-g: {name: Person G, joined: 2026-05-11}\n"))
    assert not result.flagged
    assert "Team: Person G joins the team on 2026-05-11 (`person-g`)" in texts(result, "team")
    rotation = texts(result, "rotation")
    assert "Rotation: Person G joins the pool" in rotation
    # After Person F (06-09) the cursor reaches Person G before Person A.
    assert "Rotation: from 2026-06-23 the schedule changes: Person G joins instead of Person A" in (
        rotation
    )
    assert "Rotation: Person G's upcoming tenures move: no tenure → 2026-06-23" in rotation


def test_a_dated_leave_is_told_and_lists_whose_tenures_move() -> None:
    result = diff((PERSON_D, with_keys(PERSON_D, "left: 2026-06-01")))
    assert not result.flagged
    assert "Team: Person D leaves the team on 2026-06-01" in texts(result, "team")
    rotation = texts(result, "rotation")
    assert "Rotation: from 2026-05-12 the schedule changes: Person E joins instead of Person D" in (
        rotation
    )
    assert "Rotation: Person D's upcoming tenures move: 2026-05-12 → no tenure" in rotation


def test_a_future_away_period_swaps_with_the_next_person() -> None:
    away = "away: [{from: 2026-05-01, to: 2026-05-10, reason: Leave}]"
    result = diff((PERSON_C, with_keys(PERSON_C, away)))
    assert not result.flagged
    assert "Team: Person C away 2026-05-01 to 2026-05-10 (Leave)" in texts(result, "team")
    rotation = texts(result, "rotation")
    assert "Rotation: from 2026-04-28 the schedule changes: Person D joins instead of Person C" in (
        rotation
    )
    assert "Rotation: 2026-05-12: Person C joins instead of Person D" in rotation


def test_deleting_a_member_is_flagged_with_the_left_date_that_keeps_the_past() -> None:
    result = diff((PERSON_D, ""))
    [past, *_] = result.flagged
    assert "rewrites past hand-offs" in past.text
    assert "to keep the past: keep `person-d` with `left: 2026-04-28`" in past.text


def test_deleting_a_member_on_duty_keeps_them_until_their_tenure_ends() -> None:
    result = diff((PERSON_A, ""))
    assert any("keep `person-a` with `left: 2026-04-28`" in e.text for e in result.flagged)


def test_an_away_period_inside_a_running_tenure_asks_for_cover() -> None:
    away = "away: [{from: 2026-04-21, to: 2026-04-22, reason: Conference}]"
    result = diff((PERSON_A, with_keys(PERSON_A, away)))
    flagged = " ".join(entry.text for entry in result.flagged)
    assert (
        "use `rotation.cover` for the days of `person-a`'s away period 2026-04-21–2026-04-22"
        in (flagged)
    )


def test_a_cover_is_told_and_changes_no_tenure() -> None:
    cover = (
        "  changes:                         # a swap is two changes\n",
        "  cover:\n    - {member: person-c, covers: person-a, from: 2026-04-21, to: 2026-04-22,"
        " reason: Conference}\n  changes:                         # a swap is two changes\n",
    )
    result = diff(cover)
    assert not result.flagged
    assert texts(result, "rotation") == [
        "Rotation: cover added: Person C covers Person A 2026-04-21 to 2026-04-22 (Conference)"
    ]


def test_the_suggested_left_date_does_keep_the_past() -> None:
    result = diff((PERSON_D, with_keys(PERSON_D, "left: 2026-04-28")))
    assert not result.flagged


def test_the_suggested_joined_date_does_keep_the_past() -> None:
    result = diff((PERSON_F, PERSON_F + "    person-g: {name: Person G, joined: 2026-04-28}\n"))
    assert not result.flagged
