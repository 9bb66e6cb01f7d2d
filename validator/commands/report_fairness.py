"""``support-policy report fairness``: how evenly the rotation spreads the work.

Per person over a window (default: the year up to today): tenures, days on duty, working
days, holidays and weekend days on duty, owed turns and swaps still open, and the
deviation from the team's average. Warnings: the same person over two holiday periods in
a row, someone not dealt for more than two full cycles, and working hours with nobody on
duty in local daytime. Exit status: 0, or 1 with ``--strict`` when there is a warning;
1 when the policy has errors or no rotation; 2 when the command cannot run.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_markdown, for_terminal, json_text

from ..policy_path import add_policy_options, choose_policy
from ..runtime import (
    EXIT_CANNOT_RUN,
    EXIT_OK,
    EXIT_VIOLATIONS,
    UsageError,
    fail,
    load_valid_policy,
    now,
    parse_day,
)

if TYPE_CHECKING:
    from support_policy.policy.fairness import FairnessReport

YEAR = timedelta(days=364)


def register(reports: Any) -> None:
    parser = reports.add_parser(
        "fairness",
        help="how evenly the rotation spreads the work, per person, with warnings",
        description=(
            "Per person over a window: tenures, days on duty, working days, holidays and "
            "weekend days on duty, owed turns and recorded swaps still open, and the "
            "deviation from the team's average. Warns about one person over two holiday "
            "periods in a row, someone not dealt for more than two full cycles, and "
            "working hours with nobody on duty in local daytime (08:00-20:00)."
        ),
    )
    add_policy_options(parser)
    parser.add_argument(
        "--rotation", metavar="ID", help="the rotation to report on (default: the first)"
    )
    parser.add_argument(
        "--from", dest="start", metavar="DATE", help="first day (default: a year before --to)"
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help="last day, inclusive (default: today)"
    )
    parser.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when the report has a warning"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.checks import suggest
    from support_policy.policy.dealing import DealingLimitError
    from support_policy.policy.derive import team_zone
    from support_policy.policy.fairness import WindowError, document, fairness
    from support_policy.policy.rotations import located_rotations, schedules

    first, last = parse_day(args.start, "--from"), parse_day(args.end, "--to")
    loaded = load_valid_policy(choose_policy(args).path)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    if last is None:
        last = first + YEAR if first is not None else _today(team_zone(policy))
    if first is None:
        first = last - YEAR
    dealt = schedules(policy)
    if not dealt:
        message = "the policy has no rotation to report on"
        fail(Diagnostic.make(Code.NOTHING_TO_ANNOUNCE, message, loaded.display))
        return EXIT_VIOLATIONS
    key = args.rotation if args.rotation is not None else next(iter(dealt))
    if key not in dealt:
        known = list(dealt)
        hint = suggest(key, known) or f"; known: {', '.join(known)}"
        raise UsageError(f"--rotation `{key}` names no rotation{hint}")
    try:
        report = fairness(policy, dealt[key], first, last)
    except WindowError as error:
        fail(Diagnostic.make(Code.FAIRNESS_WINDOW, str(error), "support-policy"))
        return EXIT_CANNOT_RUN
    except DealingLimitError as error:
        fail(Diagnostic.make(Code.ROTATION_TOO_FAR, str(error), loaded.display))
        return EXIT_VIOLATIONS
    if args.format == "json":
        out.write(json_text(document(report)))
    elif args.format == "markdown":
        out.write(markdown(report))
    else:
        out.write(text(report))
    if args.strict and report.warnings:
        loc = next(r.loc for r in located_rotations(policy) if r.id == key)
        line, column = loaded.position(loc)
        for warning in report.warnings:
            fail(Diagnostic.make(warning.code, warning.message, loaded.display, line, column))
        return EXIT_VIOLATIONS
    return EXIT_OK


def _today(zone: Any) -> date:
    moment: datetime = now()
    return moment.astimezone(zone).date()


def _rows(report: FairnessReport) -> list[list[str]]:
    from support_policy.policy.fairness import COLUMNS, percent

    rows = []
    for person in report.people:
        numbers = [str(getattr(person, key)) for key, _ in COLUMNS]
        if person.swap_balance > 0:
            numbers[-1] = f"+{person.swap_balance}"
        deviation = percent(person.deviation) if person.in_pool else "(stood in)"
        rows.append([person.name, *numbers, deviation])
    return rows


def _headers() -> list[str]:
    from support_policy.policy.fairness import COLUMNS

    return ["Person", *(title for _, title in COLUMNS), "Vs. average"]


def text(report: FairnessReport) -> str:
    lines = [
        f"Fairness of rotation {for_terminal(report.rotation)}, "
        f"{report.first.isoformat()} to {report.last.isoformat()}",
        "",
    ]
    table = [_headers(), *([for_terminal(cell) for cell in row] for row in _rows(report))]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        cells = [
            cell.ljust(widths[0]) if not i else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    lines += ["", _average_note(report)]
    if report.warnings:
        lines += ["", f"Warnings ({len(report.warnings)}):"]
        lines += [f"  {w.code.code} {for_terminal(w.message)}" for w in report.warnings]
    else:
        lines += ["", "No warnings."]
    return "\n".join(lines) + "\n"


def _average_note(report: FairnessReport) -> str:
    if report.average is None:
        return "Nobody in the pool was on the team in this window."
    share = round(float(report.average) * 100, 1)
    return (
        f"On average a member of the pool is on duty {share}% of their days on the team; "
        '"Vs. average" compares each person\'s share with it.'
    )


def markdown(report: FairnessReport) -> str:
    headers = _headers()
    lines = [
        f"## Fairness of rotation {for_markdown(report.rotation, block_start=False)}",
        "",
        f"{report.first.isoformat()} to {report.last.isoformat()}.",
        "",
        "| " + " | ".join(headers) + " |",
        "|---|" + "---:|" * (len(headers) - 1),
    ]
    for row in _rows(report):
        cells = [for_markdown(cell, block_start=False) for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", for_markdown(_average_note(report))]
    if report.warnings:
        lines += ["", f"### Warnings ({len(report.warnings)})", ""]
        lines += [
            f"- `{w.code.code}` {for_markdown(w.message, block_start=False)}"
            for w in report.warnings
        ]
    return "\n".join(lines) + "\n"
