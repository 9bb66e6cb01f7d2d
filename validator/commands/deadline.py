"""``support-policy deadline --received WHEN``: when each SLA deadline falls due.

Only ``within`` targets are deadlines. ``effort`` (a budget of work) and ``after`` (time
after our last message) targets are listed as skipped; naming one with ``--sla`` is a
usage error (exit 2). Due times are printed in UTC and in the team's zone.
"""

from __future__ import annotations

import argparse
from datetime import datetime, time, tzinfo
from typing import Any, TextIO

from support_policy.policy.bounds import utc_stamp
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal, json_text

from ..policy_path import add_policy_options, choose_policy
from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, UsageError, fail, load_valid_policy, parse_when


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "deadline",
        help="due times of the SLA deadlines for a request received at a given time",
        description=(
            "Print when each `within` SLA target falls due for a request received at "
            "--received (a datetime in the team's zone unless it carries Z or an offset; a "
            "date means 00:00 that day), in UTC and in the team's zone."
        ),
    )
    parser.add_argument(
        "--received", required=True, metavar="DATETIME", help="when the request arrived"
    )
    parser.add_argument("--sla", metavar="ID", help="only this target (a key of `sla`)")
    add_policy_options(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    parser.set_defaults(run=run)


def _shown(item: dict[str, str]) -> dict[str, str]:
    """A table row with its values in display form (names come from the policy)."""
    return {key: for_terminal(value) for key, value in item.items()}


# Zone names whose local time is UTC all year: the UTC time says it all.
UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
    | {"GMT", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "GMT0", "GMT+0", "GMT-0"}
    | {"Etc/Greenwich", "Greenwich"}
)


def _utc(moment: datetime) -> str:
    return utc_stamp(moment)


def _local(moment: datetime, zone: tzinfo) -> str:
    """`` (<local time> <zone>)``, or nothing when the team's zone is UTC (same time)."""
    if str(zone) in UTC_NAMES:
        return ""
    return f" ({moment.astimezone(zone).isoformat()} {zone})"


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.checks import suggest
    from support_policy.policy.derive import due_time, team_zone

    loaded = load_valid_policy(choose_policy(args).path)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    zone = team_zone(policy)
    when = parse_when(args.received, zone, "--received")
    received = when if isinstance(when, datetime) else datetime.combine(when, time(), zone)
    targets = dict(policy.sla)
    if args.sla is not None:
        if args.sla not in targets:
            known = list(targets)
            hint = suggest(args.sla, known) or (
                f"; known: {', '.join(known)}" if known else "; the policy defines no SLA targets"
            )
            raise UsageError(f"--sla `{args.sla}` names no SLA target{hint}")
        target = targets[args.sla]
        if target.kind != "within":
            raise UsageError(
                f"SLA target `{args.sla}` is `{target.kind}: {target.duration}`, not a deadline "
                "(only `within` targets have a due time)"
            )
        targets = {args.sla: target}
    deadlines: list[dict[str, str]] = []
    skipped: list[dict[str, str]] = []
    for key, target in targets.items():
        if target.kind != "within":
            skipped.append(
                {
                    "sla": key,
                    "name": target.name,
                    "kind": target.kind,
                    "duration": str(target.duration),
                }
            )
            continue
        try:
            due = due_time(policy, target, received)
        except ValueError as error:
            # The target's duration and the received time together reach past the
            # supported dates (or past every working day): point at the target.
            line, column = loaded.position(("sla", key, "within"))
            fail(
                Diagnostic.make(
                    Code.BEYOND_CALENDAR, f"{key}: {error}", loaded.display, line, column
                )
            )
            return EXIT_CANNOT_RUN
        deadlines.append(
            {
                "sla": key,
                "name": target.name,
                "within": str(target.duration),
                "due_utc": _utc(due),
                "due_local": due.astimezone(zone).isoformat(),
            }
        )
    if args.format == "json":
        document = {
            "policy": loaded.display,
            "received_utc": _utc(received),
            "timezone": str(zone),
            "deadlines": deadlines,
            "skipped": skipped,
        }
        out.write(json_text(document))
        return EXIT_OK
    shown = for_terminal(loaded.display)
    out.write(f"Received {_utc(received)}{_local(received, zone)}, from {shown}\n")
    for item in map(_shown, deadlines):
        due = datetime.fromisoformat(item["due_local"])
        out.write(
            f"  {item['sla']} ({item['name']}, within {item['within']}): "
            f"due {item['due_utc']}{_local(due, zone)}\n"
        )
    for item in map(_shown, skipped):
        what = "a budget of work" if item["kind"] == "effort" else "counted from our last message"
        out.write(
            f"  {item['sla']} ({item['name']}, {item['kind']} {item['duration']}): "
            f"not a deadline ({what}); skipped\n"
        )
    return EXIT_OK
