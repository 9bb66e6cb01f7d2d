"""``--rotation ID``: which of a policy's rotations a command shows, and their labels.

Shared by ``on-duty`` and ``calendar`` so both refuse an unknown id the same way (exit 2,
listing the ids) and both label a rotation by the name of the role it serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from support_policy.policy.facts import member_name
from support_policy.policy.ics import role_name

from .runtime import UsageError

if TYPE_CHECKING:
    from support_policy.policy.models import Policy
    from support_policy.policy.rotations import RotationSchedule


def add_rotation_option(parser: Any) -> None:
    parser.add_argument(
        "--rotation",
        metavar="ID",
        help="only this rotation (a key of `rotations`, or the role of `rotation`); "
        "default: every rotation, each labelled",
    )


def chosen_schedules(policy: Policy, rotation_id: str | None) -> dict[str, RotationSchedule]:
    """Rotation id → dealt schedule, in file order: all of them, or the one asked for.

    Raises :class:`UsageError` (exit 2) when ``rotation_id`` names no rotation.
    """
    from support_policy.policy.rotations import schedules

    dealt = schedules(policy)
    if rotation_id is None:
        return dealt
    if rotation_id not in dealt:
        known = ", ".join(f"`{key}`" for key in dealt) or "none"
        raise UsageError(
            f"--rotation: `{rotation_id}` names no rotation of the policy; its rotations: {known}"
        )
    return {rotation_id: dealt[rotation_id]}


__all__ = ["add_rotation_option", "chosen_schedules", "member_name", "role_name"]
