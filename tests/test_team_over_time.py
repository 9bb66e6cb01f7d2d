"""The team over time: `joined`, `left`, `away`, `cover`, and several rotations' shape."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from support_policy.policy.loader import LoadedPolicy

Load = Callable[[str], LoadedPolicy]

BASE = """version: 1
organization: {name: Org}
team:
  name: Team
  members:
    person-a: {name: Person A}
    person-b: {name: Person B}
    person-c: {name: Person C}
MEMBER
roles:
  steward: {name: Steward}
  commander: {name: Commander}
ROTATION
"""

ROTATION = """rotation:
  role: steward
  tenure: 2 weeks
  handover_every: 1 week
  handover_day: monday
  start: 2026-01-05
"""


def policy(member: str = "", rotation: str = ROTATION) -> str:
    return BASE.replace("MEMBER\n", member).replace("ROTATION\n", rotation)


def spots(result: LoadedPolicy) -> list[str]:
    return [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics]


def test_dated_members_and_away_periods_load(load: Load) -> None:
    result = load(
        policy(
            "    person-d:\n      name: Person D\n      joined: 2026-05-11\n"
            "      left: 2026-09-01\n      away:\n"
            "        - {from: 2026-06-01, to: 2026-06-12, reason: Leave}\n"
        )
    )
    assert result.diagnostics == []
    assert result.policy is not None
    member = result.policy.team.members["person-d"]
    assert (member.joined, member.left) == (date(2026, 5, 11), date(2026, 9, 1))
    assert [(p.start.isoformat(), p.to.isoformat(), p.reason) for p in member.away] == [
        ("2026-06-01", "2026-06-12", "Leave")
    ]


def test_left_must_follow_joined(load: Load) -> None:
    result = load(policy("    person-d: {name: Person D, joined: 2026-05-11, left: 2026-05-11}\n"))
    assert spots(result) == ["SP230 9:58"]
    assert (
        "`left` (2026-05-11) must be after `joined` (2026-05-11)" in result.diagnostics[0].message
    )


def test_an_away_period_that_ends_before_it_starts(load: Load) -> None:
    result = load(
        policy("    person-d:\n      name: D\n      away: [{from: 2026-06-12, to: 2026-06-01}]\n")
    )
    assert spots(result) == ["SP231 11:37"]


@pytest.mark.parametrize(
    ("periods", "where"),
    [
        ("[{from: 2026-06-01, to: 2026-06-12}, {from: 2026-06-12, to: 2026-06-20}]", "11:57"),
        # A short period inside a long one, then one that only the long one overlaps.
        (
            "[{from: 2026-06-01, to: 2026-06-30}, {from: 2026-06-03, to: 2026-06-04},"
            " {from: 2026-06-10, to: 2026-06-11}]",
            "11:57 11:93",
        ),
    ],
    ids=["sharing-a-day", "inside-a-long-one"],
)
def test_one_persons_away_periods_do_not_overlap(load: Load, periods: str, where: str) -> None:
    result = load(policy(f"    person-d:\n      name: D\n      away: {periods}\n"))
    assert spots(result) == [f"SP232 {spot}" for spot in where.split()]
    assert "overlaps away entry 1" in result.diagnostics[0].message


def test_the_from_key_is_suggested_for_a_typo(load: Load) -> None:
    result = load(
        policy("    person-d:\n      name: D\n      away: [{form: 2026-06-01, to: 2026-06-02}]\n")
    )
    assert any("did you mean `from`?" in d.message for d in result.diagnostics)


def test_rotation_and_rotations_are_exclusive(load: Load) -> None:
    both = (
        ROTATION
        + "rotations:\n  other:\n"
        + "".join(f"  {line}\n" for line in ROTATION.splitlines()[1:]).replace(
            "role: steward", "role: commander"
        )
    )
    result = load(policy(rotation=both))
    assert [d.code for d in result.diagnostics] == ["SP233"]


def _rotations(*entries: tuple[str, str, str]) -> str:
    text = "rotations:\n"
    for key, role, extra in entries:
        text += (
            f"  {key}:\n    role: {role}\n    tenure: 2 weeks\n    handover_every: 1 week\n"
            f"    handover_day: monday\n    start: 2026-01-05\n{extra}"
        )
    return text


def test_exclusive_with_names_only_earlier_rotations(load: Load) -> None:
    result = load(
        policy(
            rotation=_rotations(
                ("first", "steward", "    exclusive_with: [second]\n"),
                ("second", "commander", "    exclusive_with: [first, second, nope]\n"),
            )
        )
    )
    messages = [d.message for d in result.diagnostics if d.code == "SP234"]
    assert messages == [
        "`second` comes later in the file; exclusive_with names rotations earlier in `rotations`",
        "`second` is this rotation itself; exclusive_with names rotations earlier in `rotations`",
        "`nope` is no rotation; exclusive_with names rotations earlier in `rotations`",
    ]


def test_two_rotations_cannot_serve_one_role(load: Load) -> None:
    result = load(policy(rotation=_rotations(("a", "steward", ""), ("b", "steward", ""))))
    assert [d.code for d in result.diagnostics] == ["SP235"]
    assert "rotation `a` already serves role `steward`" in result.diagnostics[0].message


def test_a_cover_period_that_ends_before_it_starts(load: Load) -> None:
    cover = (
        "  cover:\n    - {member: person-c, covers: person-a, from: 2026-01-07, to: 2026-01-06}\n"
    )
    result = load(policy(rotation=ROTATION + cover))
    assert "SP231" in [d.code for d in result.diagnostics]
