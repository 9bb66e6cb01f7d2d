"""``support-rotation``: the rules in words, a table of tenures and a timeline picture."""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from docutils import nodes
from sphinx.util.typing import OptionSpec

from support_policy.policy import clock
from support_policy.policy.bounds import OutOfRange, check_date, parse_weeks
from support_policy.policy.clock import BadEpoch
from support_policy.policy.derive import schedule_of
from support_policy.policy.diagnostics import Code
from support_policy.policy.references import on_duty_count
from support_policy.policy.rotation import Tenure
from support_policy.policy.rotations import RotationSchedule as Schedule

from .directives import SupportDirective
from .nodes_util import join, labelled, table

ON_DUTY_MARK = "■"
OFF_DUTY_MARK = "·"
DEFAULT_WEEKS = 12


def today() -> date:
    """Today (:func:`support_policy.policy.clock.today`: ``SOURCE_DATE_EPOCH`` when set)."""
    return clock.today()


def date_option(value: str | None) -> str:
    if value is None:
        raise ValueError("give a date (YYYY-MM-DD) or `today`")
    text = value.strip()
    if text != "today":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"expected YYYY-MM-DD or `today`, got {text!r}") from None
    return text


def weeks_option(value: str | None) -> str:
    # Only the syntax here (a docutils option error); the range is checked when rendering,
    # as a coded warning shared with the CLI's bounds.
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        raise ValueError("give a whole number of weeks")
    return value.strip()


class RotationDirective(SupportDirective):
    option_spec: ClassVar[OptionSpec] = {
        **SupportDirective.option_spec,
        "from": date_option,
        "weeks": weeks_option,
    }

    def render(self) -> list[nodes.Node]:
        rotation = self.policy.rotation
        if rotation is None:
            return self.missing("rotation")
        members = self.policy.team.members
        role = self.policy.roles.get(rotation.role)
        role_name = role.name if role else rotation.role
        count = on_duty_count(self.policy)
        handoff = f"every {rotation.handover_every} on {rotation.handover_day.capitalize()}" + (
            f", generally at the {rotation.handover_event}" if rotation.handover_event else ""
        )
        order = "alphabetical by name" if rotation.order == "alphabetical" else "as listed"
        result: list[nodes.Node] = [
            labelled("Role", self.link_to("role", rotation.role, role_name)),
            labelled(
                "On duty",
                f"{count} at a time ({rotation.tenure} tenure ÷ hand-off every "
                f"{rotation.handover_every})",
            ),
            labelled("Tenure", str(rotation.tenure)),
            labelled("Hand-off", handoff),
            labelled("Order", order),
        ]
        try:
            schedule = schedule_of(self.policy)
        except ValueError as error:
            self.warn(Code.ROTATION_WINDOW, f"the rotation schedule cannot be computed: {error}")
            schedule = None
        if schedule is None:
            return result
        pool = [members[p].name if p in members else p for p in schedule.pool]
        result.append(labelled("Pool", *join(pool)))
        window = self.window(rotation.start, rotation.role)
        if window is None:
            return result
        first, weeks = window
        last = first + timedelta(days=7 * weeks - 1)
        tenures = schedule.tenures_overlapping(first, last)
        result.append(
            labelled("Schedule", f"{first.isoformat()} to {last.isoformat()} ({weeks} weeks)")
        )
        result.append(self.tenure_table(tenures))
        result.append(self.picture(schedule, tenures))
        return result

    def window(self, start: date, role: str) -> tuple[date, int] | None:
        """The first day and the weeks to show, or ``None`` after a warning (SP920)."""
        try:
            weeks = parse_weeks(str(self.options.get("weeks", DEFAULT_WEEKS)), ":weeks:")
            first = self.first_day(start, role)
        except OutOfRange as error:
            self.warn(Code.OUT_OF_RANGE, f"{error}; the schedule is not rendered")
            return None
        except BadEpoch as error:
            self.warn(Code.BAD_EPOCH, f"{error}; the schedule is not rendered")
            return None
        return first, weeks

    def first_day(self, start: date, role: str) -> date:
        """The schedule's first day: ``:from:``, never before the rotation's ``start``.

        Tenures before ``start`` are computed as if the rotation had always run; shown on
        a page they would read as history that never happened. ``today`` before ``start``
        (a rotation that begins soon) quietly shows it from ``start``; a date written
        into the page warns, as it is a mistake that ``start`` moved past.
        """
        value = self.options.get("from")
        if value is None:
            return start
        first = check_date(today() if value == "today" else date.fromisoformat(value), ":from:")
        if first < start:
            if value != "today":
                self.warn(
                    Code.SCHEDULE_BEFORE_START,
                    f"`:from: {value}` is before the start of the `{role}` "
                    f"rotation ({start.isoformat()}); the schedule is shown from its start "
                    "(use `:from: today`, or a later date)",
                )
            return start
        return first

    def name_of(self, person: str) -> str:
        member = self.policy.team.members.get(person)
        return member.name if member else person

    def tenure_table(self, tenures: list[Tenure]) -> nodes.table:
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = []
        for tenure in tenures:
            change = ""
            if tenure.changed:
                change = "changed" + (f": {tenure.reason}" if tenure.reason else "")
            rows.append(
                [
                    self.name_of(tenure.person),
                    tenure.start.isoformat(),
                    tenure.end.isoformat(),
                    change,
                ]
            )
        return table(
            ["Person", "From", "Until", "Change"],
            rows,
            widths=[14, 12, 12, 40],
            classes=["support-rotation-tenures"],
        )

    def picture(self, schedule: Schedule, tenures: list[Tenure]) -> nodes.table:
        """One row per person, one column per hand-off interval; ``■`` marks duty."""
        # The oldest overlapping tenure started T - 1 hand-offs before the one covering `first`.
        first_k = min(t.handoff for t in tenures) + schedule.on_duty_count - 1
        intervals = list(range(first_k, max(t.handoff for t in tenures) + 1))
        # Sets, not scans: a ten-year window of weekly hand-offs has hundreds of each.
        people = list(dict.fromkeys(tenure.person for tenure in tenures))
        span = schedule.on_duty_count
        on_duty = {
            (t.person, k)
            for t in tenures
            for k in range(max(t.handoff, first_k), min(t.handoff + span, intervals[-1] + 1))
        }
        headers = ["Person", *(schedule.handoff_date(k).strftime("%m-%d") for k in intervals)]
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = []
        classes: list[list[list[str]]] = []
        for person in people:
            row: list[str | nodes.Node | list[nodes.Node]] = [self.name_of(person)]
            row_classes: list[list[str]] = [[]]
            for k in intervals:
                duty = (person, k) in on_duty
                row.append(ON_DUTY_MARK if duty else OFF_DUTY_MARK)
                row_classes.append(["support-on-duty" if duty else "support-off-duty"])
            rows.append(row)
            classes.append(row_classes)
        return table(
            headers,
            rows,
            widths=[14] + [6] * len(intervals),
            classes=["support-rotation-timeline"],
            cell_classes=classes,
        )
