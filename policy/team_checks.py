"""Checks of the team over time and of the rotations' shape (``joined``/``left``/``away``,
``rotation`` vs ``rotations``, ``exclusive_with``): facts about dates, before any dealing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from .diagnostics import Code
from .findings import Finding
from .rotations import located_rotations

if TYPE_CHECKING:
    from .models import Policy


def check_team(policy: Policy) -> Iterator[Finding]:
    for key, member in policy.team.members.items():
        here = ("team", "members", key)
        if member.joined is not None and member.left is not None and member.left <= member.joined:
            yield Finding(
                (*here, "left"),
                Code.MEMBER_DATES,
                f"`left` ({member.left}) must be after `joined` ({member.joined}): "
                "`left` is the first day no longer on the team",
            )
        periods = sorted(
            (period.start, period.to, index) for index, period in enumerate(member.away)
        )
        for start, end, index in periods:
            if end < start:
                yield Finding(
                    (*here, "away", index, "to"),
                    Code.SPAN_REVERSED,
                    f"`to` ({end}) is before `from` ({start})",
                )
        # Sorted by start, a period overlaps an earlier one exactly when it starts on or
        # before the latest end so far.
        latest: tuple[date, int] | None = None
        for start, end, index in periods:
            if latest is not None and start <= latest[0]:
                yield Finding(
                    (*here, "away", index, "from"),
                    Code.AWAY_OVERLAP,
                    f"this period overlaps away entry {latest[1] + 1} (ending {latest[0]}); "
                    "merge them",
                )
            if latest is None or end > latest[0]:
                latest = (end, index)


def check_rotations_shape(policy: Policy) -> Iterator[Finding]:
    if policy.rotation is not None and policy.rotations:
        yield Finding(
            ("rotations",),
            Code.ROTATION_TWICE,
            "a policy has `rotation` or `rotations`, not both; move `rotation` into "
            "`rotations` under an id",
        )
    for located in located_rotations(policy):
        prefix, rotation = located.loc, located.rotation
        for index, cover in enumerate(rotation.cover):
            if cover.to < cover.start:
                yield Finding(
                    (*prefix, "cover", index, "to"),
                    Code.SPAN_REVERSED,
                    f"`to` ({cover.to}) is before `from` ({cover.start})",
                )
    earlier: list[str] = []
    roles: dict[str, str] = {}
    for key, rotation in policy.rotations.items():
        here = ("rotations", key)
        for index, name in enumerate(rotation.exclusive_with):
            if name not in earlier:
                where = (
                    "is this rotation itself"
                    if name == key
                    else (
                        "comes later in the file" if name in policy.rotations else "is no rotation"
                    )
                )
                yield Finding(
                    (*here, "exclusive_with", index),
                    Code.EXCLUSIVE_NOT_EARLIER,
                    f"`{name}` {where}; exclusive_with names rotations earlier in `rotations`",
                )
        if rotation.role in roles:
            yield Finding(
                (*here, "role"),
                Code.ROLE_IN_TWO_ROTATIONS,
                f"rotation `{roles[rotation.role]}` already serves role `{rotation.role}`; "
                "calendar events are matched to a rotation by its role",
            )
        roles.setdefault(rotation.role, key)
        earlier.append(key)
    if policy.rotation is not None and policy.rotation.exclusive_with:
        yield Finding(
            ("rotation", "exclusive_with", 0),
            Code.EXCLUSIVE_NOT_EARLIER,
            "a single `rotation` has no earlier rotation to be exclusive with",
        )
