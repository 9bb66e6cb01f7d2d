"""``support-policy on-duty [WHEN]``: who is on duty at a date or instant (default: now).

A date means that whole day in the team's zone (hand-offs happen at 00:00 there, so a day
has one crew); a datetime without a zone is read in the team's zone; ``Z`` or an offset
converts. "Now" honours ``SOURCE_DATE_EPOCH``.

The answer is the crew after ``changes`` and ``cover`` (the dealing's, from
:mod:`support_policy.policy.rotations`), and says why each person is there when it is not
their regular turn: a swap for someone away, an owed turn, a recorded change, a cover.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from support_policy.policy.safe_text import for_terminal, json_text

from ..policy_path import add_policy_options, choose_policy
from ..rotation_choice import add_rotation_option, chosen_schedules, member_name, role_name
from ..runtime import EXIT_OK, EXIT_VIOLATIONS, UsageError, load_valid_policy, now, parse_when

if TYPE_CHECKING:
    from support_policy.policy.dealing import Duty
    from support_policy.policy.models import Policy


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "on-duty",
        help="who is on duty at a date or time (default: now)",
        description=(
            "Print who is on duty (after recorded changes and cover) and why, for every "
            "rotation of the policy or the one named with --rotation. WHEN is a date "
            "(2026-03-10, read in the team's zone) or a datetime (2026-03-10T09:30, in the "
            "team's zone unless it carries Z or an offset). Default: now, or "
            "SOURCE_DATE_EPOCH when set."
        ),
    )
    parser.add_argument("when", nargs="?", metavar="DATE-OR-DATETIME", help="default: now")
    add_policy_options(parser)
    add_rotation_option(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.derive import team_zone

    if args.when is not None and _names_a_file(args.when):
        # `on-duty policy.yaml`: the policy was meant, in the place of WHEN.
        raise UsageError(
            f"`{args.when}` is a file, not a date or datetime: name the policy with "
            f"`--policy {args.when}` (WHEN is e.g. 2026-03-10 or 2026-03-10T09:30)"
        )
    loaded = load_valid_policy(choose_policy(args).path)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    zone = team_zone(policy)
    when = parse_when(args.when, zone, "on-duty date") if args.when is not None else now()
    chosen = chosen_schedules(policy, args.rotation)
    if not chosen:
        shown = for_terminal(loaded.display)
        out.write(f"{shown}: the policy has no rotation, so nobody is on duty\n")
        return EXIT_VIOLATIONS
    # Whole seconds: "now" carries microseconds that nobody asked to see.
    shown_when = (
        when.astimezone(zone).isoformat(timespec="seconds")
        if isinstance(when, datetime)
        else when.isoformat()
    )
    crews = {key: [_seat(policy, duty) for duty in s.crew(when)] for key, s in chosen.items()}
    # One rotation shown: today's layout; several: each labelled with its id and role.
    labelled = len(chosen) > 1
    if args.format == "json":
        document: dict[str, Any] = {
            "policy": loaded.display,
            "when": shown_when,
            "timezone": str(zone),
        }
        if labelled:
            document["rotations"] = [
                {
                    "id": key,
                    "role": schedule.rotation.role,
                    "role_name": role_name(policy, schedule),
                    "on_duty": crews[key],
                }
                for key, schedule in chosen.items()
            ]
        else:
            (key,) = chosen
            document["rotation"] = key
            document["on_duty"] = crews[key]
        out.write(json_text(document))
        return EXIT_OK
    out.write(f"On duty at {shown_when} ({zone}), from {for_terminal(loaded.display)}:\n")
    for key, schedule in chosen.items():
        indent = "  "
        if labelled:
            out.write(f"  {for_terminal(role_name(policy, schedule))} ({for_terminal(key)}):\n")
            indent = "    "
        for seat in crews[key]:
            out.write(indent + _line(seat) + "\n")
    out.write(f"Tenures run from hand-off to hand-off, at 00:00 {zone}.\n")
    return EXIT_OK


def _seat(policy: Policy, duty: Duty) -> dict[str, Any]:
    """One seat of the crew: who sits in it, the tenure it belongs to, and why."""
    tenure = duty.handoff
    names = partial(member_name, policy)
    cover = duty.cover
    seat: dict[str, Any] = {
        "id": duty.person,
        "name": names(duty.person),
        "start": tenure.start.isoformat(),
        "end": tenure.end.isoformat(),
        "changed": tenure.change is not None,
        "reason": tenure.change.reason if tenure.change is not None else None,
        "kind": "cover" if cover is not None else tenure.kind,
        "why": tenure.why(names),
        "cover": None,
    }
    if cover is not None:
        covered = names(cover.covers)
        seat["why"] = f"covering {covered}" + (f" ({cover.reason})" if cover.reason else "")
        seat["cover"] = {
            "covers": cover.covers,
            "covers_name": covered,
            "from": cover.first.isoformat(),
            "until": (cover.last + timedelta(days=1)).isoformat(),
            "reason": cover.reason,
        }
    return seat


def _line(seat: dict[str, Any]) -> str:
    # Names, ids and reasons come from the policy: display form, one line each.
    who = f"{for_terminal(seat['name'])} ({for_terminal(seat['id'])})"
    cover = seat["cover"]
    start, end = (cover["from"], cover["until"]) if cover else (seat["start"], seat["end"])
    line = f"{who}: {start} to {end}"
    if seat["kind"] != "regular" or seat["changed"]:
        line += f" [{for_terminal(seat['why'])}]"
    return line


def _names_a_file(text: str) -> bool:
    return text.lower().endswith((".yaml", ".yml")) or Path(text).is_file()
