"""``support-policy on-duty [WHEN]``: who is on duty at a date or instant (default: now).

A date means that whole day in the team's zone (hand-offs happen at 00:00 there, so a day
has one crew); a datetime without a zone is read in the team's zone; ``Z`` or an offset
converts. "Now" honours ``SOURCE_DATE_EPOCH``.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.safe_text import for_terminal, json_text

from ..policy_path import add_policy_options, choose_policy
from ..runtime import EXIT_OK, EXIT_VIOLATIONS, UsageError, load_valid_policy, now, parse_when


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
    add_policy_options(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.derive import schedule_of, team_zone

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
    schedule = schedule_of(policy)
    if schedule is None:
        shown = for_terminal(loaded.display)
        out.write(f"{shown}: the policy has no rotation, so nobody is on duty\n")
        return EXIT_VIOLATIONS
    tenures = schedule.on_duty(when)
    members = policy.team.members
    # Whole seconds: "now" carries microseconds that nobody asked to see.
    shown_when = (
        when.astimezone(zone).isoformat(timespec="seconds")
        if isinstance(when, datetime)
        else when.isoformat()
    )
    if args.format == "json":
        document = {
            "policy": loaded.display,
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
        out.write(json_text(document))
        return EXIT_OK
    out.write(f"On duty at {shown_when} ({zone}), from {for_terminal(loaded.display)}:\n")
    for tenure in tenures:
        line = (
            f"  {for_terminal(_name(members, tenure.person))} ({for_terminal(tenure.person)}): "
            f"{tenure.start.isoformat()} to {tenure.end.isoformat()}"
        )
        if tenure.changed:
            reason = for_terminal(tenure.reason) if tenure.reason else None
            line += f" [recorded change: {reason}]" if reason else " [changed]"
        out.write(line + "\n")
    out.write(f"Tenures run from hand-off to hand-off, at 00:00 {zone}.\n")
    return EXIT_OK


def _names_a_file(text: str) -> bool:
    return text.lower().endswith((".yaml", ".yml")) or Path(text).is_file()


def _name(members: dict[str, Any], person: str) -> str:
    member = members.get(person)
    return str(member.name) if member is not None else person
