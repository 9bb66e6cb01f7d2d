"""``support-policy on-duty [WHEN]``: who is on duty at a date or instant (default: now).

A date means that whole day in the team's zone (hand-offs happen at 00:00 there, so a day
has one crew); a datetime without a zone is read in the team's zone; ``Z`` or an offset
converts. "Now" honours ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .cli import EXIT_OK, EXIT_VIOLATIONS, load_valid_policy, now, parse_when


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "on-duty",
        help="who is on duty at a date or time (default: now)",
        description=(
            "Print who is on duty, from the rotation of the policy. WHEN is a date "
            "(2026-03-10, read in the team's zone) or a datetime (2026-03-10T09:30, in the "
            "team's zone unless it carries Z or an offset). Default: now, or "
            "SOURCE_DATE_EPOCH when set."
        ),
    )
    parser.add_argument("when", nargs="?", metavar="DATE-OR-DATETIME", help="default: now")
    parser.add_argument(
        "--policy", type=Path, help="the policy YAML (default: the bundled example)"
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.derive import schedule_of, team_zone

    loaded = load_valid_policy(args.policy)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    zone = team_zone(policy)
    when = parse_when(args.when, zone, "on-duty date") if args.when is not None else now()
    schedule = schedule_of(policy)
    if schedule is None:
        out.write(f"{loaded.display}: the policy has no rotation, so nobody is on duty\n")
        return EXIT_VIOLATIONS
    tenures = schedule.on_duty(when)
    members = policy.team.members
    shown_when = (
        when.astimezone(zone).isoformat() if isinstance(when, datetime) else when.isoformat()
    )
    if args.format == "json":
        document = {
            "when": shown_when,
            "timezone": str(zone),
            "on_duty": [
                {
                    "id": tenure.person,
                    "name": _name(members, tenure.person),
                    "start": tenure.start.isoformat(),
                    "end": tenure.end.isoformat(),
                    "changed": tenure.changed,
                    "reason": tenure.reason,
                }
                for tenure in tenures
            ],
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    out.write(f"On duty at {shown_when} ({zone}):\n")
    for tenure in tenures:
        line = (
            f"  {_name(members, tenure.person)} ({tenure.person}): "
            f"{tenure.start.isoformat()} to {tenure.end.isoformat()}"
        )
        if tenure.changed:
            line += f" [recorded change: {tenure.reason}]" if tenure.reason else " [changed]"
        out.write(line + "\n")
    out.write(f"Tenures run from hand-off to hand-off, at 00:00 {zone}.\n")
    return EXIT_OK


def _name(members: dict[str, Any], person: str) -> str:
    member = members.get(person)
    return str(member.name) if member is not None else person
