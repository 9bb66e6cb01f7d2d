"""``support-fairness [ROTATION]``: the rotation's fairness table and warnings on a page.

The same computation as ``support-policy report fairness``
(:func:`support_policy.policy.fairness.fairness`): per person, tenures, days on duty,
working days, holidays and weekend days, open owed turns and swaps, and the deviation
from the team average; then the report's warnings as a list. The warnings are content
of the page (the handbook shows them to readers), not build warnings; only options that
cannot be used warn (``SP713``). Nodes only; names are plain text.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.typing import OptionSpec

from support_policy.policy import clock
from support_policy.policy.diagnostics import Code
from support_policy.policy.fairness import COLUMNS, FairnessReport, WindowError, fairness, percent
from support_policy.policy.rotations import schedules

from .directives import SupportDirective
from .nodes_util import bullets, para, table

if TYPE_CHECKING:
    from sphinx.application import Sphinx

YEAR = timedelta(days=364)


def day_option(value: str | None) -> str:
    text = (value or "").strip()
    if text != "today":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected YYYY-MM-DD or `today`, got {text!r}") from None
    return text


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    return clock.today() if text == "today" else date.fromisoformat(text)


class FairnessDirective(SupportDirective):
    optional_arguments = 1
    option_spec: ClassVar[OptionSpec] = {
        **SupportDirective.option_spec,
        "from": day_option,
        "to": day_option,
        "no-warnings": directives.flag,
    }

    def render(self) -> list[nodes.Node]:
        dealt = schedules(self.policy)
        if not dealt:
            return self.missing("rotation")
        key = self.arguments[0] if self.arguments else next(iter(dealt))
        if key not in dealt:
            return self.unknown("rotation", key, list(dealt))
        schedule = dealt[key]
        first, last = _day(self.options.get("from")), _day(self.options.get("to"))
        if first is None:
            first = last - YEAR if last is not None else schedule.start
        if last is None:
            last = first + YEAR
        try:
            report = fairness(self.policy, schedule, first, last)
        except (WindowError, ValueError, OverflowError) as error:
            self.warn(Code.FAIRNESS_WINDOW, f"support-fairness: {error}")
            return []
        return self._nodes(report)

    def _nodes(self, report: FairnessReport) -> list[nodes.Node]:
        headers = ["Person", *(title for _, title in COLUMNS), "Vs. average"]
        rows = []
        for person in report.people:
            numbers = [str(getattr(person, column)) for column, _ in COLUMNS]
            if person.swap_balance > 0:
                numbers[-1] = f"+{person.swap_balance}"
            rows.append(
                [person.name, *numbers, percent(person.deviation) if person.in_pool else "stood in"]
            )
        result: list[nodes.Node] = [
            para(f"From {report.first.isoformat()} to {report.last.isoformat()}."),
            table(headers, rows, widths=[3] + [2] * (len(headers) - 1)),
        ]
        if report.average is not None:
            share = round(float(report.average) * 100, 1)
            result.append(
                para(
                    f"On average a member of the pool is on duty {share}% of their days on "
                    "the team; “Vs. average” compares each person's share with it."
                )
            )
        if "no-warnings" not in self.options and report.warnings:
            result.append(para(nodes.strong(text=f"Warnings ({len(report.warnings)}):")))
            result.append(
                bullets(
                    para(nodes.literal(text=w.code.code), " ", w.message) for w in report.warnings
                )
            )
        return result


def setup_fairness(app: Sphinx) -> None:
    """Register ``support-fairness`` (called from the extension's ``setup``)."""
    app.add_directive("support-fairness", FairnessDirective)
