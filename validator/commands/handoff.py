"""``support-policy handoff``: announce the hand-off at (or next after) a date.

Who joins, who leaves, who stays and until when, why (regular turn, swap, owed turn,
recorded change, cover), the next hand-off and the links the policy gives. The message is
``rotation.announcement`` filled in. Formats: ``text``, ``markdown`` (a GitHub issue or
comment), ``slack`` (a Block Kit payload for an incoming webhook) and ``json``. The tool
only prints: posting it, and the webhook's secret, belong to the CI job.

Exit status: 0 printed; 1 the policy has errors or no rotation; 2 cannot run.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import json_text
from support_policy.policy.urls import web_url

from ..policy_path import add_policy_options, choose_policy
from ..runtime import EXIT_OK, EXIT_VIOLATIONS, UsageError, fail, load_valid_policy, now, parse_when


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "handoff",
        help="announce the next hand-off: who joins, leaves and stays, and why",
        description=(
            "Print the announcement of the hand-off on DATE, or the next one after it "
            "(default: today, or SOURCE_DATE_EPOCH when set): who joins, who leaves, who "
            "stays and until when, the reasons, and the links of the policy. The message "
            "is the rotation's `announcement` template."
        ),
    )
    parser.add_argument("--at", metavar="DATE", help="a date; the hand-off on it or next after it")
    parser.add_argument(
        "--rotation", metavar="ID", help="the rotation to announce (default: the first)"
    )
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json", "slack"],
        default="text",
        help="`markdown` for a GitHub issue or comment, `slack` a Block Kit webhook payload",
    )
    parser.add_argument(
        "--handbook", metavar="URL", help="an http(s) link to the handbook page, added to the links"
    )
    add_policy_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy import announce, announce_formats
    from support_policy.policy.checks import suggest
    from support_policy.policy.dealing import DealingLimitError
    from support_policy.policy.derive import team_zone
    from support_policy.policy.rotations import schedules

    if args.handbook is not None and web_url(args.handbook) is None:
        raise UsageError(f"--handbook `{args.handbook}` is not an http(s) URL")
    loaded = load_valid_policy(choose_policy(args).path)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    zone = team_zone(policy)
    when = parse_when(args.at, zone, "hand-off date") if args.at is not None else now()
    day = when.astimezone(zone).date() if isinstance(when, datetime) else when
    dealt = schedules(policy)
    if not dealt:
        fail(
            Diagnostic.make(
                Code.NOTHING_TO_ANNOUNCE, "the policy has no rotation to announce", loaded.display
            )
        )
        return EXIT_VIOLATIONS
    if args.rotation is None:
        schedule = next(iter(dealt.values()))
    elif args.rotation in dealt:
        schedule = dealt[args.rotation]
    else:
        known = list(dealt)
        hint = suggest(args.rotation, known) or f"; known: {', '.join(known)}"
        raise UsageError(f"--rotation `{args.rotation}` names no rotation{hint}")
    try:
        item = announce.handoff_at(policy, schedule, day, args.handbook)
    except DealingLimitError as error:
        fail(Diagnostic.make(Code.ROTATION_TOO_FAR, str(error), loaded.display))
        return EXIT_VIOLATIONS
    if args.format == "json":
        out.write(json_text(announce_formats.json_document(policy, item)))
    elif args.format == "slack":
        # Already in Slack's own escaping; display form would double the backslashes.
        out.write(json_text(announce_formats.slack_payload(policy, item), shown=True))
    elif args.format == "markdown":
        out.write(announce_formats.markdown(policy, item))
    else:
        out.write(announce_formats.text(policy, item))
    return EXIT_OK
