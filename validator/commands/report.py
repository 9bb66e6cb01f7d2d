"""``support-policy report sla TICKETS``: SLA compliance measured from a ticket export.

``report`` groups reports computed from the team's own records against the policy;
``sla`` is the first. Row problems are warnings (one positioned line each, on stderr);
the report is still computed from the other rows. Exit status: 0, or 1 with
``--strict`` when a row had a problem or a target is met less often than
``reports.sla.target_met``; 1 when the export cannot be read at all; 2 when the command
cannot run (no such file, bad usage).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import code_span, for_markdown, for_terminal, json_text

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
    parse_when,
)

if TYPE_CHECKING:
    from support_policy.policy.models import Policy

FORMATS = ("freshdesk", "zendesk", "github")
SHOWN_PROBLEMS = 50


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="reports measured against the policy (`report sla`, `report fairness`)",
        description="Reports measured from the team's own records against the policy.",
    )
    reports = parser.add_subparsers(
        dest="report",
        metavar="REPORT",
        parser_class=type(parser),
        help="the report to compute: `sla` (SLA compliance from a ticket export) or "
        "`fairness` (how evenly the rotation spreads the work)",
    )
    reports.required = True
    sla = reports.add_parser(
        "sla",
        help="SLA compliance from a Freshdesk, Zendesk or GitHub ticket export",
        description=(
            "Measure each `within` SLA target per request type from a ticket export: "
            "tickets, met, breached, % met, median and 90th percentile in working hours, "
            "the worst breaches. How the export is read is declared in `reports.sla` of "
            "the policy, with defaults for each format."
        ),
    )
    sla.add_argument("tickets", type=Path, metavar="TICKETS", help="the ticket export file")
    add_policy_options(sla)
    sla.add_argument(
        "--export", metavar="ID", help="how to read it: a key of `reports.sla.exports`"
    )
    sla.add_argument(
        "--input-format",
        choices=FORMATS,
        help="the export's format, when the policy declares no export for it "
        "(default: recognised from the file)",
    )
    sla.add_argument("--from", dest="start", metavar="DATE", help="first day of arrivals")
    sla.add_argument("--to", dest="end", metavar="DATE", help="last day of arrivals (inclusive)")
    sla.add_argument(
        "--as-of",
        metavar="DATETIME",
        help="when unanswered tickets are judged (default: now, or SOURCE_DATE_EPOCH)",
    )
    sla.add_argument(
        "--worst", type=int, default=5, metavar="N", help="worst breaches listed per target"
    )
    sla.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    sla.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a row had a problem or a target is below `reports.sla.target_met`",
    )
    sla.set_defaults(run=run)
    from .report_fairness import register as register_fairness

    register_fairness(reports)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from support_policy.policy.derive import team_zone, working_time_of
    from support_policy.policy.files import FileRefused
    from support_policy.policy.sla_report import Period, SlaReportBuilder, settings_for
    from support_policy.policy.ticket_exports import ExportUnreadable

    if args.worst < 0 or args.worst > 1000:
        raise UsageError("--worst takes a number from 0 to 1000")
    period = Period(parse_day(args.start, "--from"), parse_day(args.end, "--to"))
    if period.start and period.end and period.end < period.start:
        raise UsageError(f"--to {args.end} is before --from {args.start}")
    loaded = load_valid_policy(choose_policy(args).path)
    if isinstance(loaded, int):
        return loaded
    policy = loaded.policy
    assert policy is not None
    zone = team_zone(policy)
    if args.as_of is None:
        as_of = now()
    else:
        when = parse_when(args.as_of, zone)
        as_of = when if isinstance(when, datetime) else datetime.combine(when, time(), zone)
    shown = str(args.tickets)
    try:
        with _open(args.tickets) as stream:
            chunks = stream.chunks()
            first = next(chunks, b"")
            fmt, export_id = _choose(policy, args, first)
            settings = settings_for(policy, fmt, export_id)
            builder = SlaReportBuilder(
                policy,
                working_time_of(policy),
                settings,
                period=period,
                as_of=as_of,
                worst=args.worst,
            )
            builder.add_all(_rows(policy, fmt, export_id, itertools.chain([first], chunks)))
    except FileRefused as refused:
        fail(refused.diagnostic(shown))
        return EXIT_VIOLATIONS
    except ExportUnreadable as unreadable:
        fail(Diagnostic.make(unreadable.code, unreadable.message, shown, unreadable.line, 1))
        return EXIT_VIOLATIONS
    except OSError as error:
        reason = error.strerror or "cannot be read"
        fail(Diagnostic.make(Code.FILE_NOT_FOUND, reason, shown))
        return EXIT_CANNOT_RUN
    for problem in builder.problems[:SHOWN_PROBLEMS]:
        diagnostic = Diagnostic.make(
            problem.code, problem.message, shown, problem.line, 1, severity="warning"
        )
        sys.stderr.write(diagnostic.format() + "\n")
    if builder.problem_count > len(builder.problems):
        more = builder.problem_count - len(builder.problems)
        sys.stderr.write(f"{for_terminal(shown)}: {more} more rows with problems not shown\n")
    document = builder.document()
    document["file"] = Path(shown).name
    writer = {"json": _json, "markdown": _markdown, "text": _text}[args.format]
    out.write(writer(document))
    below = [item for item in document["targets"] if item["below_target"]]
    if args.strict:
        for item in below:
            message = (
                f"`{item['sla']}` for {item['request_type']}: {item['percent_met']}% met, "
                f"below target_met {document['target_met']}"
            )
            fail(Diagnostic.make(Code.TARGET_BELOW_THRESHOLD, message, shown))
        if below or builder.problem_count:
            return EXIT_VIOLATIONS
    return EXIT_OK


def _open(path: Path) -> Any:
    from support_policy.policy.files import NamedStream
    from support_policy.policy.ticket_exports import MAX_EXPORT_BYTES

    return NamedStream(path, MAX_EXPORT_BYTES)


def _choose(policy: Policy, args: argparse.Namespace, first: bytes) -> tuple[str, str | None]:
    """The export's format and its declared mapping (``None``: the format's defaults)."""
    from support_policy.policy.checks import suggest

    sla = policy.reports.sla if policy.reports is not None else None
    exports = dict(sla.exports) if sla is not None else {}
    if args.export is not None:
        if args.export not in exports:
            known = list(exports)
            hint = suggest(args.export, known) or (
                f"; known: {', '.join(known)}" if known else "; the policy declares no exports"
            )
            raise UsageError(f"--export `{args.export}` names no `reports.sla.exports` entry{hint}")
        return exports[args.export].format, args.export
    fmt = args.input_format or _recognise(first)
    if fmt is None:
        raise UsageError(
            "cannot tell the export's format from its first line; give --input-format "
            "freshdesk, zendesk or github (or --export ID)"
        )
    matching = [key for key, export in exports.items() if export.format == fmt]
    if len(matching) > 1:
        raise UsageError(
            f"several {fmt} exports are declared ({', '.join(matching)}); choose one with --export"
        )
    return fmt, matching[0] if matching else None


def _recognise(first: bytes) -> str | None:
    head = first.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "github"
    line = head.split(b"\n", 1)[0].decode("utf-8", "replace").casefold()
    if "ticket id" in line:
        return "freshdesk"
    if "created at" in line:
        return "zendesk"
    return None


def _rows(policy: Policy, fmt: str, export_id: str | None, chunks: Iterator[bytes]) -> Any:
    from support_policy.policy.derive import team_zone
    from support_policy.policy.sla_report import settings_for
    from support_policy.policy.ticket_exports import read_csv, read_github

    export = None
    if export_id is not None and policy.reports is not None and policy.reports.sla is not None:
        export = policy.reports.sla.exports[export_id]
    zone: Any = team_zone(policy)
    if export is not None and export.timezone is not None:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(export.timezone)
    if fmt == "github":
        return read_github(chunks, dict(export.handles) if export else {}, zone)
    needed = settings_for(policy, fmt, export_id).needed
    return read_csv(chunks, fmt, export, zone, needed)


# --- Output ------------------------------------------------------------------------------


def _json(document: dict[str, Any]) -> str:
    return json_text(document)


def _percent(item: dict[str, Any]) -> str:
    return "–" if item["percent_met"] is None else f"{item['percent_met']}%"


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value} h"


def _period(document: dict[str, Any]) -> str:
    period = document["period"]
    return f"{period['from'] or 'the first ticket'} to {period['to'] or 'the last'}"


def _text(document: dict[str, Any]) -> str:
    lines = [
        f"SLA report: {for_terminal(document['file'])} ({document['format']}), tickets "
        f"received {_period(document)}, as of {document['as_of']} ({document['timezone']})",
        f"{document['rows']} rows: {document['tickets']} tickets in the period, "
        f"{document['outside_period']} outside it, {document['unclassified']['count']} "
        f"unclassified; rows with problems: {document['problems']}",
    ]
    if document["target_met"]:
        lines.append(f"Each target should be met for {document['target_met']} of tickets.")
    for item in document["targets"]:
        flag = "  BELOW TARGET" if item["below_target"] else ""
        lines += [
            "",
            f"{for_terminal(item['name'])} ({item['sla']}, within {item['within']}, by "
            f"{item['evidence']}): {for_terminal(item['request_type_name'])}",
            f"  {item['tickets']} tickets, {item['met']} met, {item['breached']} breached, "
            f"{item['pending']} pending; {_percent(item)} met; median "
            f"{_hours(item['median_hours'])}, 90th percentile {_hours(item['p90_hours'])}"
            f"{flag}",
        ]
        for worst in item["worst"]:
            answered = f"answered {worst['answered']}" if worst["answered"] else "never answered"
            link = f" {for_terminal(worst['link'])}" if "link" in worst else ""
            lines.append(
                f"  breach: {for_terminal(worst['id'])} {for_terminal(worst['title'])}: "
                f"{worst['over_hours']} working hours late (due {worst['due']}, {answered}){link}"
            )
    unclassified = document["unclassified"]
    if unclassified["count"]:
        lines += ["", f"Unclassified tickets ({unclassified['count']}):"]
        for ticket in unclassified["tickets"]:
            lines.append(
                f"  {for_terminal(ticket['id'])} {for_terminal(ticket['title'])}: "
                f"{for_terminal(ticket['reason'])}"
            )
        if unclassified["count"] > len(unclassified["tickets"]):
            lines.append(f"  … and {unclassified['count'] - len(unclassified['tickets'])} more")
    for item in document["not_measured"]:
        lines.append(
            f"Not measured: {item['sla']} ({for_terminal(item['name'])}): {item['reason']}"
        )
    return "\n".join(lines) + "\n"


def _md_ticket(ticket: dict[str, Any]) -> str:
    ticket_id = for_markdown(ticket["id"], block_start=False)
    if "link" in ticket:  # built from the policy's http(s) template, the id percent-encoded
        return f"[{ticket_id}]({ticket['link']})"
    return code_span(ticket["id"])


def _markdown(document: dict[str, Any]) -> str:
    lines = [
        f"## SLA report: {code_span(document['file'])}",
        "",
        f"Tickets received {_period(document)} ({document['format']} export), as of "
        f"{document['as_of']}; working time in {code_span(document['timezone'])}. "
        f"{document['tickets']} tickets, {document['unclassified']['count']} unclassified, "
        f"rows with problems: {document['problems']}.",
        "",
        "| Target | Request type | Tickets | Met | Breached | Pending | % met | Median | 90th |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for item in document["targets"]:
        flag = " **below target**" if item["below_target"] else ""
        lines.append(
            f"| {for_markdown(item['name'], block_start=False)} ({item['within']}) "
            f"| {for_markdown(item['request_type_name'], block_start=False)} "
            f"| {item['tickets']} | {item['met']} | {item['breached']} | {item['pending']} "
            f"| {_percent(item)}{flag} | {_hours(item['median_hours'])} "
            f"| {_hours(item['p90_hours'])} |"
        )
    breaches = [(item, worst) for item in document["targets"] for worst in item["worst"]]
    if breaches:
        lines += ["", "### Worst breaches", ""]
        for item, worst in breaches:
            lines.append(
                f"- {_md_ticket(worst)} {for_markdown(worst['title'], block_start=False)}: "
                f"{item['sla']}, {worst['over_hours']} working hours late"
            )
    unclassified = document["unclassified"]
    if unclassified["count"]:
        lines += ["", f"### Unclassified tickets ({unclassified['count']})", ""]
        for ticket in unclassified["tickets"]:
            lines.append(
                f"- {_md_ticket(ticket)} {for_markdown(ticket['title'], block_start=False)}: "
                f"{for_markdown(ticket['reason'], block_start=False)}"
            )
    return "\n".join(lines) + "\n"
