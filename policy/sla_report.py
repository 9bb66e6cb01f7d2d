"""SLA compliance from ticket exports: per target and request type, met or breached.

For each ticket of the period, classified into a request type by the policy's mapping,
and each ``within`` target that applies to that type, the due time is the policy's
deadline from the ticket's arrival (:func:`.worktime.deadline`) and the evidence is the
timestamp the policy names for that target (the first response by default). A working
target is **met** when the working time from arrival to the evidence is at most the
target, a calendar target when the evidence is at or before the due time; otherwise it
is **breached**, and so is a ticket without evidence once the target is exceeded at
``as_of``; before that such a ticket is **pending** and counted apart. Response times
are working time between arrival and evidence (:func:`.worktime.elapsed`); median and
90th percentile are nearest-rank values over the answered tickets.

Memory stays bounded however long the export: tickets are streamed (see
:mod:`.ticket_exports`), worst breaches are kept in fixed-size heaps, listed problems and
unclassified tickets are capped (all are counted), and response times are kept as one
number per ticket and target. Framework-free. One ticket's verdict is
:mod:`.sla_measure`; how an export is read against the policy is :mod:`.sla_settings`.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .sla_measure import Measure, measure, percentile
from .sla_settings import ReportSettings, settings_for, ticket_link
from .ticket_exports import EVIDENCE, RowProblem, Ticket
from .types import format_share
from .worktime import WorkingTime

if TYPE_CHECKING:
    from .models import Policy, SlaTarget

REPORT_KIND = "support-policy-sla-report"
LISTED = 50
"""How many row problems and unclassified tickets a report lists (it counts them all)."""


@dataclass
class _Group:
    """One target × request type: counts, response times and the worst breaches."""

    sla: str
    request_type: str
    met: int = 0
    breached: int = 0
    pending: int = 0
    seconds: array[float] = field(default_factory=lambda: array("d"))
    worst: list[tuple[float, tuple[int, ...], dict[str, Any]]] = field(default_factory=list)


@dataclass
class Period:
    """Tickets received on ``start`` … ``end`` (inclusive dates in the team's zone)."""

    start: date | None = None
    end: date | None = None

    def holds(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


class SlaReportBuilder:
    """Feed it the rows of one export; :meth:`document` is the report (JSON-ready)."""

    def __init__(
        self,
        policy: Policy,
        working_time: WorkingTime,
        settings: ReportSettings,
        *,
        period: Period,
        as_of: datetime,
        worst: int = 5,
    ) -> None:
        self.policy, self.working_time, self.settings = policy, working_time, settings
        self.period, self.as_of, self.worst = period, as_of.astimezone(UTC), worst
        self.rows = self.tickets = self.outside = 0
        self.problems: list[RowProblem] = []
        self.problem_count = 0
        self.duplicates = 0
        self.unclassified: list[dict[str, Any]] = []
        self.unclassified_count = 0
        self.groups: dict[tuple[str, str], _Group] = {}
        self._seen: set[str] = set()
        self._targets = {key: policy.sla[key] for key in settings.answers}

    def add_all(self, rows: Iterable[Ticket | RowProblem]) -> None:
        for row in rows:
            self.add(row)

    def add(self, row: Ticket | RowProblem) -> None:
        self.rows += 1
        if isinstance(row, RowProblem):
            self._problem(row)
            return
        if row.id in self._seen:
            from .diagnostics import Code

            self.duplicates += 1
            self._problem(
                RowProblem(row.line, Code.DUPLICATE_TICKET, f"ticket {row.id} occurs again")
            )
            return
        self._seen.add(row.id)
        if not self.period.holds(row.created.astimezone(self.working_time.zone).date()):
            self.outside += 1
            return
        self.tickets += 1
        kind, why = self._classify(row)
        if kind is None:
            self.unclassified_count += 1
            if len(self.unclassified) < LISTED:
                self.unclassified.append({**self._ticket_fields(row), "reason": why})
            return
        for key, target in self._targets.items():
            if target.applies_to != "all" and kind not in target.applies_to:
                continue
            group = self.groups.get((key, kind))
            if group is None:
                group = self.groups[(key, kind)] = _Group(key, kind)
            self._count(group, target, row)

    def _problem(self, problem: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < LISTED:
            self.problems.append(problem)

    def _classify(self, ticket: Ticket) -> tuple[str | None, str]:
        found = sorted(
            {
                self.settings.types[v.casefold()]
                for v in ticket.type_values
                if v.casefold() in self.settings.types
            }
        )
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, f"maps to several request types: {', '.join(found)}"
        if not ticket.type_values:
            return None, "no request type given"
        shown = ", ".join(ticket.type_values)
        return None, f"no request type for `{shown}`"

    def _ticket_fields(self, ticket: Ticket) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "id": ticket.id,
            "title": ticket.title,
            "line": ticket.line,
            "received": _utc(ticket.created),
        }
        link = ticket_link(self.settings.ticket_url, ticket.id)
        if link is not None:
            fields["link"] = link
        return fields

    def _count(self, group: _Group, target: SlaTarget, ticket: Ticket) -> None:
        evidence = ticket.evidence(self.settings.answers[group.sla])
        result = measure(self.working_time, target, ticket.created, evidence, self.as_of)
        if result.working is not None:
            group.seconds.append(result.working.total_seconds())
        if result.verdict == "met":
            group.met += 1
            return
        if result.verdict == "pending":
            group.pending += 1
            return
        group.breached += 1
        assert result.over is not None
        over = result.over.total_seconds()
        key = (over, _negated(ticket.id))
        if self.worst and (len(group.worst) < self.worst or key > group.worst[0][:2]):
            details = {
                **self._ticket_fields(ticket),
                "due": _utc(result.due),
                "answered": _utc(result.evidence) if result.evidence is not None else None,
                "over_hours": _hours(over),
            }
            entry = (*key, details)
            if len(group.worst) < self.worst:
                heapq.heappush(group.worst, entry)
            else:
                heapq.heapreplace(group.worst, entry)

    def document(self) -> dict[str, Any]:
        """The report as plain data: what ``--format json`` writes and the directive reads."""
        targets = []
        names = self.policy.request_types
        order = {key: index for index, key in enumerate(self.policy.sla)}
        type_order = {key: index for index, key in enumerate(names)}
        for (key, kind), group in sorted(
            self.groups.items(), key=lambda item: (order[item[0][0]], type_order[item[0][1]])
        ):
            target = self.policy.sla[key]
            decided = group.met + group.breached
            values = sorted(group.seconds)
            below = (
                self.settings.target_met is not None
                and decided > 0
                and Decimal(group.met) < self.settings.target_met * decided
            )
            targets.append(
                {
                    "sla": key,
                    "name": target.name,
                    "within": str(target.duration),
                    "evidence": self.settings.answers[key],
                    "request_type": kind,
                    "request_type_name": names[kind].name,
                    "tickets": decided + group.pending,
                    "met": group.met,
                    "breached": group.breached,
                    "pending": group.pending,
                    "percent_met": round(100 * group.met / decided, 1) if decided else None,
                    "median_hours": _hours(percentile(values, 50)) if values else None,
                    "p90_hours": _hours(percentile(values, 90)) if values else None,
                    "below_target": below,
                    "worst": [item[2] for item in sorted(group.worst, reverse=True)],
                }
            )
        return {
            "kind": REPORT_KIND,
            "version": 1,
            "format": self.settings.format,
            "export": self.settings.export_id,
            "timezone": str(self.working_time.zone),
            "period": {
                "from": self.period.start.isoformat() if self.period.start else None,
                "to": self.period.end.isoformat() if self.period.end else None,
            },
            "as_of": _utc(self.as_of),
            "target_met": format_share(self.settings.target_met)
            if self.settings.target_met is not None
            else None,
            "rows": self.rows,
            "tickets": self.tickets,
            "outside_period": self.outside,
            "problems": self.problem_count,
            "targets": targets,
            "unclassified": {"count": self.unclassified_count, "tickets": self.unclassified},
            "not_measured": self.settings.not_measured,
        }


def _negated(ticket_id: str) -> tuple[int, ...]:
    # Equal overruns list the smaller id first: the heap keeps the largest key, so the
    # id enters the key inverted.
    return (*(-ord(char) for char in ticket_id), 1)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = [
    "EVIDENCE",
    "REPORT_KIND",
    "Measure",
    "Period",
    "ReportSettings",
    "SlaReportBuilder",
    "measure",
    "percentile",
    "settings_for",
    "ticket_link",
]
