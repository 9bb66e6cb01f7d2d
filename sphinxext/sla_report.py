"""``support-sla-report FILE``: last period's SLA figures, from a report file in the docs.

The file is the JSON that ``support-policy report sla --format json`` writes, kept in the
docs source next to the page (read with :func:`~support_policy.policy.files.read_inside`
relative to the page's folder, so a page cannot read outside it; a dependency of the
page, so replacing the file rebuilds it). It renders as a table per target and request
type with a text bar of the share met, then the worst breaches with their ticket links
(http and https only). Nodes only; every string from the file is plain text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.util.typing import OptionSpec

from support_policy.policy.diagnostics import Code
from support_policy.policy.files import FileRefused, read_inside
from support_policy.policy.sla_report import REPORT_KIND

from .directives import SupportDirective
from .nodes_util import bullets, para, table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MAX_REPORT_BYTES = 4 * 1024 * 1024
BAR_CELLS = 10
FULL, EMPTY = "█", "░"


def bar(percent: float | None) -> nodes.inline:
    """The share met as a bar of ten cells, with a CSS class per tenth for the html theme."""
    if percent is None:
        return nodes.inline("–", "–", classes=["support-sla-bar"])
    filled = min(BAR_CELLS, max(0, round(percent / 100 * BAR_CELLS)))
    text = FULL * filled + EMPTY * (BAR_CELLS - filled)
    return nodes.inline(text, text, classes=["support-sla-bar", f"support-sla-bar-{filled}"])


def _valid(document: Any) -> str | None:
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


def _ticket(entry: dict[str, Any]) -> nodes.Node:
    ticket_id, link = _text(entry.get("id")), _text(entry.get("link"))
    if link and urlsplit(link).scheme.lower() in ("http", "https"):
        return nodes.reference(ticket_id, ticket_id, refuri=link)
    return nodes.literal(ticket_id, ticket_id)


class SlaReportDirective(SupportDirective):
    required_arguments = 1
    final_argument_whitespace = False
    option_spec: ClassVar[OptionSpec] = dict(SupportDirective.option_spec)

    def render(self) -> list[nodes.Node]:
        relative = self.arguments[0]
        docname = self.env.current_document.docname
        folder = Path(self.env.doc2path(docname)).parent
        self.env.note_dependency(str(folder / relative))
        try:
            raw = read_inside(folder, relative, MAX_REPORT_BYTES, where="the page's folder")
            document = json.loads(raw.decode("utf-8"))
        except FileRefused as refused:
            self.warn(Code.REPORT_FILE, f"SLA report `{relative}`: {refused.message}")
            return []
        except (OSError, UnicodeDecodeError, ValueError) as error:
            self.warn(Code.REPORT_FILE, f"SLA report `{relative}` cannot be read: {error}")
            return []
        problem = _valid(document)
        if problem is not None:
            self.warn(Code.REPORT_FILE, f"SLA report `{relative}`: {problem}")
            return []
        return self._report(document)

    def _report(self, document: dict[str, Any]) -> list[nodes.Node]:
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
        result: list[nodes.Node] = [para(summary)]
        rows: list[list[str | nodes.Node]] = []
        breaches: list[nodes.Node] = []
        for item in document["targets"]:
            percent = item.get("percent_met")
            shown = "–" if percent is None else f"{percent}%"
            rows.append(
                [
                    item["name"],
                    item["request_type_name"],
                    str(item["tickets"]),
                    str(item["met"]),
                    str(item["breached"]),
                    para(shown),
                    para(bar(percent)),
                    _hours(item.get("median_hours")),
                    _hours(item.get("p90_hours")),
                ]
            )
            for entry in item.get("worst", []):
                if isinstance(entry, dict):
                    late = _hours(entry.get("over_hours")).replace(" h", " working hours")
                    breaches.append(
                        para(
                            _ticket(entry),
                            f" {_text(entry.get('title'))} — {item['name']}, "
                            f"{item['request_type_name']}: {late} late",
                        )
                    )
        headers = ["Target", "Request type", "Tickets", "Met", "Breached", "% met", "", "Median"]
        result.append(
            table(
                [*headers, "90th percentile"],
                rows,
                widths=[20, 16, 8, 7, 9, 8, 12, 9, 11],
                classes=["support-sla-report"],
            )
        )
        if breaches:
            result.append(para(nodes.strong(text="Worst breaches:")))
            result.append(bullets(breaches))
        unclassified = document.get("unclassified")
        count = unclassified.get("count") if isinstance(unclassified, dict) else None
        if isinstance(count, int) and count:
            result.append(para(f"{count} tickets could not be classified by request type."))
        return result


def setup_sla_report(app: Sphinx) -> None:
    """Register ``support-sla-report`` (called from the extension's ``setup``)."""
    app.add_directive("support-sla-report", SlaReportDirective)
