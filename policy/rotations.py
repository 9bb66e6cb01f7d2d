"""The rotations of a policy, dealt: the one place the models meet :mod:`.dealing`.

Every consumer (checks, CLI commands, the Sphinx directive, ``diff``) asks here for a
rotation's pool, its members' availability and its dealing, so none of them can order the
pool or read ``joined``/``away`` differently from another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .dealing import Availability, Away, Cover, Dealing, Duty, Handoff, RotationSpec
from .models import Policy, Rotation
from .rotation import Change, Tenure

Loc = tuple[str, ...]


@dataclass(frozen=True)
class LocatedRotation:
    """A rotation with its id and the key path of its entry in the file."""

    id: str
    loc: Loc  # ("rotation",) or ("rotations", id)
    rotation: Rotation


def located_rotations(policy: Policy) -> list[LocatedRotation]:
    """Every rotation in file order; a single ``rotation`` is keyed by its role."""
    if policy.rotation is not None:
        return [LocatedRotation(policy.rotation.role, ("rotation",), policy.rotation)]
    return [LocatedRotation(key, ("rotations", key), r) for key, r in policy.rotations.items()]


def rotation_pool(policy: Policy, rotation: Rotation) -> list[str]:
    """The rotation's member ids in rotation order: former and future members included."""
    members = policy.team.members
    ids = (
        list(members)
        if rotation.members == "all"
        else [m for m in rotation.members if m in members]
    )
    if rotation.order == "alphabetical":
        ids.sort(key=lambda key: (members[key].name.casefold(), key))
    return ids


def availability(policy: Policy) -> dict[str, Availability]:
    """Every team member's ``joined``/``left``/``away``, as the dealing reads them."""
    return {
        key: Availability(
            member.joined,
            member.left,
            tuple(Away(p.start, p.to, p.reason) for p in member.away),
        )
        for key, member in policy.team.members.items()
    }


def spec_of(
    policy: Policy,
    located: LocatedRotation,
    changes: tuple[Change, ...] | None = None,
    covers: tuple[Cover, ...] | None = None,
) -> RotationSpec | None:
    """What the dealing needs of one rotation; ``None`` when its weeks do not add up.

    ``changes``/``covers`` default to the file's; the checks pass only those they accepted.
    """
    rotation = located.rotation
    tenure, every = rotation.tenure.whole_weeks, rotation.handover_every.whole_weeks
    if tenure is None or every is None or every < 1 or tenure % every:
        return None
    if changes is None:
        changes = tuple(Change(c.date, c.joins, c.reason) for c in rotation.changes)
    if covers is None:
        covers = tuple(Cover(c.member, c.covers, c.start, c.to, c.reason) for c in rotation.cover)
    zone = ZoneInfo(policy.effective_working_time.timezone)
    pool = tuple(rotation_pool(policy, rotation))
    return RotationSpec(
        pool, rotation.start, every, tenure // every, zone, changes, covers, located.id
    )


def dealings(policy: Policy) -> dict[str, Dealing]:
    """Rotation id → its dealing, in file order, each seeing the earlier ones it excludes.

    For a policy that loaded without errors (the checks guarantee what the dealing assumes).
    """
    dealt: dict[str, Dealing] = {}
    team = availability(policy)
    for located in located_rotations(policy):
        spec = spec_of(policy, located)
        if spec is None:
            continue
        earlier = [dealt[key] for key in located.rotation.exclusive_with if key in dealt]
        dealt[located.id] = Dealing(spec, team, earlier)
    return dealt


class RotationSchedule:
    """One dealt rotation, read the way the arithmetic :class:`~.rotation.Schedule` is.

    The calendar export and check, ``on-duty``, ``diff`` and the handbook ask for tenures and
    crews; through this view they get the dealing's answers (swaps for ``away``, ``joined``
    and ``left``, covers) without each learning the dealing's vocabulary.
    """

    def __init__(self, located: LocatedRotation, dealing: Dealing) -> None:
        self.id = located.id
        self.rotation = located.rotation
        self.dealing = dealing
        self.pool = dealing.pool
        self.start = dealing.rotation.start
        self.zone = dealing.rotation.zone
        self.handover_every_weeks = dealing.rotation.handover_every_weeks
        self.on_duty_count = dealing.on_duty_count
        self.changes = list(dealing.rotation.changes)

    def handoff_date(self, k: int) -> date:
        return self.dealing.handoff_date(k)

    def handoff_index(self, day: date) -> int | None:
        return self.dealing.handoff_index_of(day)

    def handoff_instant(self, k: int) -> datetime:
        return self.dealing.handoff_instant(k)

    def latest_handoff(self, when: date | datetime) -> int:
        """The last hand-off on or before ``when`` (a local date, or an aware instant)."""
        return self.dealing.latest_handoff(when)

    def handoff(self, k: int) -> Handoff:
        return self.dealing.handoff(k)

    def joiner(self, k: int) -> str:
        """Who serves the tenure of hand-off ``k`` (``""`` when nobody could join)."""
        return self.dealing.handoff(k).joiner or ""

    def computed_joiner(self, k: int) -> str:
        """Who the dealing schedules at hand-off ``k``, before recorded changes."""
        return self.dealing.handoff(k).scheduled or ""

    def tenure(self, k: int) -> Tenure:
        return self.dealing.handoff(k).as_tenure()

    def tenures_overlapping(self, first: date, last: date) -> list[Tenure]:
        """Every tenure active on some day in ``first..last`` (inclusive), by hand-off."""
        if last < first:
            raise ValueError(f"date range ends ({last}) before it starts ({first})")
        newest = self.latest_handoff(last)
        oldest = self.latest_handoff(first) - self.on_duty_count + 1
        return [self.tenure(k) for k in range(oldest, newest + 1)]

    def on_duty(self, when: date | datetime) -> list[Tenure]:
        """The tenures active at ``when``, earliest joiner first (before day-level cover)."""
        newest = self.latest_handoff(when)
        return [self.tenure(k) for k in range(newest - self.on_duty_count + 1, newest + 1)]

    def crew(self, when: date | datetime) -> list[Duty]:
        """Who is on duty at ``when`` after cover, with the tenure each seat belongs to."""
        return self.dealing.on_duty(when)

    def covers_between(self, first: date, end: date) -> list[Cover]:
        return self.dealing.covers_between(first, end)


def schedules(policy: Policy) -> dict[str, RotationSchedule]:
    """Rotation id → its dealt schedule, in file order."""
    located = {entry.id: entry for entry in located_rotations(policy)}
    return {key: RotationSchedule(located[key], d) for key, d in dealings(policy).items()}
