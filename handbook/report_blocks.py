"""Reports on a page: the rotation's fairness (``support-fairness``) and last period's SLA
figures from a report file in the docs (``support-sla-report``).

The fairness report is the same computation as ``support-policy report fairness``; its
warnings are content of the page, not build warnings. The SLA report file is the JSON
that ``support-policy report sla --format json`` writes, read inside the page's folder
(:func:`~support_policy.policy.files.read_inside`); every string from it is plain text.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from support_policy.policy.bounds import OutOfRange
from support_policy.policy.clock import BadEpoch
from support_policy.policy.diagnostics import Code
from support_policy.policy.fairness import COLUMNS, FairnessReport, WindowError, fairness, percent
from support_policy.policy.files import FileRefused, read_inside
from support_policy.policy.json_input import strict_loads
from support_policy.policy.models import Policy
from support_policy.policy.rotations import schedules
from support_policy.policy.sla_report import REPORT_KIND
from support_policy.policy.urls import web_url

from .blocks import (
    NOTHING,
    bullets,
    date_option,
    missing,
    para,
    text,
    text_cell,
    unknown,
    with_policy,
)
from .model import (
    Block,
    Cell,
    Inline,
    InlineCode,
    Link,
    Paragraph,
    Problem,
    Rendered,
    Request,
    Strong,
    Table,
    Text,
)

YEAR = timedelta(days=364)
MAX_REPORT_BYTES = 4 * 1024 * 1024
BAR_CELLS = 10
FULL, EMPTY = "█", "░"

# -- support-fairness ----------------------------------------------------------------------


@with_policy
def fairness_report(request: Request, policy: Policy) -> Rendered:
    """The fairness table of the rotation (the first one unless the argument names one)."""
    dealt = schedules(policy)
    if not dealt:
        return missing("rotation")
    key = request.argument if request.argument is not None else next(iter(dealt))
    if key not in dealt:
        return unknown("rotation", key, list(dealt))
    schedule = dealt[key]
    try:
        first, last = date_option(request, "from"), date_option(request, "to")
        if first is None:
            first = last - YEAR if last is not None else schedule.start
        if last is None:
            last = first + YEAR
        report = fairness(policy, schedule, first, last)
    except BadEpoch as error:
        return Rendered((), (Problem(Code.BAD_EPOCH, f"{error}; nothing rendered"),))
    except OutOfRange as error:
        return Rendered((), (Problem(Code.OUT_OF_RANGE, f"{error}; nothing rendered"),))
    except (WindowError, ValueError, OverflowError) as error:
        return Rendered((), (Problem(Code.FAIRNESS_WINDOW, f"support-fairness: {error}"),))
    return Rendered(_fairness_blocks(report, show_warnings="no-warnings" not in request.options))


def _fairness_blocks(report: FairnessReport, *, show_warnings: bool) -> tuple[Block, ...]:
    header = ("Person", *(title for _, title in COLUMNS), "Vs. average")
    rows: list[tuple[Cell, ...]] = []
    for person in report.people:
        numbers = [str(getattr(person, column)) for column, _ in COLUMNS]
        if person.swap_balance > 0:
            numbers[-1] = f"+{person.swap_balance}"
        versus = percent(person.deviation) if person.in_pool else "stood in"
        rows.append(tuple(text_cell(value) for value in (person.name, *numbers, versus)))
    blocks: list[Block] = [
        para(*text(f"From {report.first.isoformat()} to {report.last.isoformat()}.")),
        Table(header, tuple(rows), widths=(3, *([2] * (len(header) - 1)))),
    ]
    if report.average is not None:
        share = round(float(report.average) * 100, 1)
        blocks.append(
            para(
                Text(
                    f"On average a member of the pool is on duty {share}% of their days on "
                    "the team; “Vs. average” compares each person's share with it."
                )
            )
        )
    if show_warnings and report.warnings:
        blocks.append(para(Strong(text(f"Warnings ({len(report.warnings)}):"))))
        blocks.append(
            bullets((InlineCode(w.code.code), Text(" "), Text(w.message)) for w in report.warnings)
        )
    return tuple(blocks)


# -- support-sla-report --------------------------------------------------------------------


def sla_report(request: Request) -> Rendered:
    """A table per target and request type with a text bar of the share met, then the
    worst breaches with their ticket links (http and https only)."""
    relative = request.argument
    if relative is None:  # reported as a missing argument already
        return NOTHING
    folder = request.page_folder
    if folder is None:
        return _refused(f"SLA report `{relative}` cannot be read: the page has no folder")
    dependencies = (folder / relative,)
    try:
        raw = read_inside(folder, relative, MAX_REPORT_BYTES, where="the page's folder")
        document = strict_loads(raw.decode("utf-8"))
    except FileRefused as refused:
        return _refused(f"SLA report `{relative}`: {refused.message}", dependencies)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return _refused(f"SLA report `{relative}` cannot be read: {error}", dependencies)
    except RecursionError:  # JSON nested deeper than Python parses
        return _refused(f"SLA report `{relative}` cannot be read: nested too deep", dependencies)
    problem = _invalid(document)
    if problem is not None:
        return _refused(f"SLA report `{relative}`: {problem}", dependencies)
    return Rendered(_report_blocks(document), dependencies=dependencies)


def _refused(message: str, dependencies: tuple[Path, ...] = ()) -> Rendered:
    return Rendered((), (Problem(Code.REPORT_FILE, message),), dependencies)


def _invalid(document: Any) -> str | None:
    """Why ``document`` is not an SLA report, or ``None``."""
    if not isinstance(document, dict) or document.get("kind") != REPORT_KIND:
        return "it is not an SLA report (write it with `support-policy report sla --format json`)"
    if document.get("version") != 1:
        return "it is an SLA report of an unknown version"
    targets = document.get("targets")
    if not isinstance(targets, list):
        return "it has no `targets` list"
    number = (int, float)
    for item in targets:
        if not isinstance(item, dict):
            return "an entry of `targets` is not an object"
        if not all(isinstance(item.get(key), str) for key in ("name", "request_type_name")):
            return "an entry of `targets` has no `name` or `request_type_name`"
        if not all(isinstance(item.get(key), int) for key in ("tickets", "met", "breached")):
            return "an entry of `targets` has no ticket counts"
        for key in ("percent_met", "median_hours", "p90_hours"):
            if item.get(key) is not None and not isinstance(item.get(key), number):
                return f"`{key}` of an entry of `targets` is not a number"
        if not isinstance(item.get("worst", []), list):
            return "`worst` of an entry of `targets` is not a list"
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _hours(value: Any) -> str:
    return "–" if not isinstance(value, int | float) else f"{value} h"


def bar(percent_met: float | None) -> Paragraph:
    """The share met as a bar of ten cells, with a class per tenth for the html theme."""
    if percent_met is None:
        return Paragraph(text("–"), classes=("support-sla-bar",))
    filled = min(BAR_CELLS, max(0, round(percent_met / 100 * BAR_CELLS)))
    shown = FULL * filled + EMPTY * (BAR_CELLS - filled)
    return Paragraph(text(shown), classes=("support-sla-bar", f"support-sla-bar-{filled}"))


def _ticket(entry: dict[str, Any]) -> Inline:
    ticket_id, link = _text(entry.get("id")), _text(entry.get("link"))
    if link and web_url(link):
        return Link(link, text(ticket_id))
    return InlineCode(ticket_id)


def _report_blocks(document: dict[str, Any]) -> tuple[Block, ...]:
    found = document.get("period")
    period: dict[str, Any] = found if isinstance(found, dict) else {}
    start = _text(period.get("from")) or "the first ticket"
    end = _text(period.get("to")) or "the last"
    summary = (
        f"Tickets received {start} to {end}, as of {_text(document.get('as_of'))}, "
        f"working time in {_text(document.get('timezone'))}."
    )
    target_met = _text(document.get("target_met"))
    if target_met:
        summary += f" Each target should be met for {target_met} of tickets."
    rows: list[tuple[Cell, ...]] = []
    breaches: list[tuple[Inline, ...]] = []
    for item in document["targets"]:
        percent_met = item.get("percent_met")
        shown = "–" if percent_met is None else f"{percent_met}%"
        counts = (str(item["tickets"]), str(item["met"]), str(item["breached"]))
        rows.append(
            (
                *(text_cell(value) for value in (item["name"], item["request_type_name"], *counts)),
                text_cell(shown),
                Cell((bar(percent_met),)),
                text_cell(_hours(item.get("median_hours"))),
                text_cell(_hours(item.get("p90_hours"))),
            )
        )
        for entry in item.get("worst", []):
            if isinstance(entry, dict):
                late = _hours(entry.get("over_hours")).replace(" h", " working hours")
                breaches.append(
                    (
                        _ticket(entry),
                        Text(
                            f" {_text(entry.get('title'))} — {item['name']}, "
                            f"{item['request_type_name']}: {late} late"
                        ),
                    )
                )
    header = ("Target", "Request type", "Tickets", "Met", "Breached", "% met", "", "Median")
    blocks: list[Block] = [
        para(*text(summary)),
        Table(
            (*header, "90th percentile"),
            tuple(rows),
            widths=(20, 16, 8, 7, 9, 8, 12, 9, 11),
            classes=("support-sla-report",),
        ),
    ]
    if breaches:
        blocks.append(para(Strong(text("Worst breaches:"))))
        blocks.append(bullets(breaches))
    unclassified = document.get("unclassified")
    count = unclassified.get("count") if isinstance(unclassified, dict) else None
    if isinstance(count, int) and count:
        blocks.append(para(*text(f"{count} tickets could not be classified by request type.")))
    return tuple(blocks)
