"""``support-rotation [ID]``: the rules in words, a table of tenures and a timeline picture.

The schedule is the dealt one (:mod:`support_policy.policy.rotations`): swaps for ``away``
show their reason, covers get rows of their own, and people who left are marked "(former)".
Every policy string goes into a text node, never parsed as markup.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from docutils import nodes
from sphinx.util.typing import OptionSpec

from support_policy.policy import clock
from support_policy.policy.bounds import OutOfRange, check_date, parse_weeks
from support_policy.policy.clock import BadEpoch
from support_policy.policy.dealing import Cover, Handoff
from support_policy.policy.derive import schedule_of
from support_policy.policy.diagnostics import Code
from support_policy.policy.references import rotation_on_duty
from support_policy.policy.rotations import LocatedRotation, RotationSchedule, located_rotations

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
    """``support-rotation [ID]``: one rotation, or every rotation of the file, each labelled."""

    optional_arguments = 1
    option_spec: ClassVar[OptionSpec] = {
        **SupportDirective.option_spec,
        "from": date_option,
        "weeks": weeks_option,
    }

    def render(self) -> list[nodes.Node]:
        located = located_rotations(self.policy)
        if not located:
            return self.missing("rotation")
        if self.arguments:
            key = self.arguments[0]
            chosen = [entry for entry in located if entry.id == key]
            if not chosen:
                return self.unknown("rotation", key, [entry.id for entry in located])
            return self.rotation_block(chosen[0])
        if len(located) == 1:
            return self.rotation_block(located[0])
        result: list[nodes.Node] = []
        for entry in located:
            block = nodes.container(classes=["support-rotation-one"])
            block += nodes.rubric(text=self.rotation_label(entry.id))
            block.extend(self.rotation_block(entry))
            result.append(block)
        return result

    def rotation_label(self, key: str) -> str:
        """``Support Steward rotation``: readers know a rotation by its role, not its id."""
        rotation = self.policy.all_rotations.get(key)
        role = self.policy.roles.get(rotation.role) if rotation is not None else None
        return f"{role.name if role is not None else key} rotation"

    def rotation_name(self, key: str) -> str:
        """``the Support Steward rotation``, as a hand-off's reason names it."""
        return f"the {self.rotation_label(key)}"

    def rotation_block(self, located: LocatedRotation) -> list[nodes.Node]:
        rotation = located.rotation
        role = self.policy.roles.get(rotation.role)
        role_name = role.name if role else rotation.role
        count = rotation_on_duty(rotation)
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
        if rotation.exclusive_with:
            others = [self.rotation_label(key) for key in rotation.exclusive_with]
            result.append(
                labelled(
                    "Exclusive with",
                    *join(others),
                    " (nobody is dealt a tenure here while on duty there)",
                )
            )
        try:
            schedule = schedule_of(self.policy, located.id)
        except ValueError as error:
            self.warn(Code.ROTATION_WINDOW, f"the rotation schedule cannot be computed: {error}")
            schedule = None
        if schedule is None:
            return result
        window = self.window(rotation.start, located.id)
        # Who counts as a former member depends on the days shown: `left` on or before the
        # window's last day. Without a window, the rotation's start.
        last = rotation.start if window is None else window[0] + timedelta(weeks=window[1], days=-1)
        result.extend(self.pool_lines(schedule, last))
        if window is None:
            return result
        first, weeks = window
        try:
            tenures = schedule.dealing.tenures_between(first, last + timedelta(days=1))
            covers = schedule.covers_between(first, last + timedelta(days=1))
        except ValueError as error:
            self.warn(Code.ROTATION_WINDOW, f"the rotation schedule cannot be computed: {error}")
            return result
        result.append(
            labelled("Schedule", f"{first.isoformat()} to {last.isoformat()} ({weeks} weeks)")
        )
        result.append(self.tenure_table(tenures, last))
        if covers:
            result.append(labelled("Cover", "who stands in for whom, on the days listed only"))
            result.append(self.cover_table(covers))
        result.append(self.picture(schedule, tenures, last))
        return result

    def pool_lines(self, schedule: RotationSchedule, last: date) -> list[nodes.Node]:
        """The pool without former members; they are listed apart, with the day they left."""
        members = self.policy.team.members
        current: list[str] = []
        former: list[str] = []
        for key in schedule.pool:
            member = members.get(key)
            if member is None:
                current.append(key)
            elif member.left is not None and member.left <= last:
                former.append(f"{member.name} (left {member.left.isoformat()})")
            elif member.joined is not None and member.joined > schedule.start:
                current.append(f"{member.name} (from {member.joined.isoformat()})")
            else:
                current.append(member.name)
        lines: list[nodes.Node] = [labelled("Pool", *join(current))] if current else []
        if former:
            lines.append(labelled("Former members", *join(former)))
        return lines

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

    def shown(self, person: str, last: date) -> str:
        """A name as the schedule shows it: "(former)" once the person has left by ``last``."""
        if not person:
            return "nobody"
        member = self.policy.team.members.get(person)
        if member is not None and member.left is not None and member.left <= last:
            return f"{member.name} (former)"
        return self.name_of(person)

    def tenure_table(self, tenures: list[Handoff], last: date) -> nodes.table:
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = []
        for tenure in tenures:
            regular = tenure.kind == "regular" and tenure.change is None
            rows.append(
                [
                    self.shown(tenure.joiner or "", last),
                    tenure.start.isoformat(),
                    tenure.end.isoformat(),
                    "" if regular else tenure.why(self.name_of, self.rotation_name),
                ]
            )
        return table(
            ["Person", "From", "Until", "Why"],
            rows,
            widths=[14, 12, 12, 40],
            classes=["support-rotation-tenures"],
        )

    def cover_table(self, covers: list[Cover]) -> nodes.table:
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = [
            [
                self.name_of(cover.member),
                self.name_of(cover.covers),
                cover.first.isoformat(),
                cover.last.isoformat(),
                cover.reason or "",
            ]
            for cover in covers
        ]
        return table(
            ["Covering", "For", "From", "To", "Reason"],
            rows,
            widths=[14, 14, 12, 12, 26],
            classes=["support-rotation-cover"],
        )

    def picture(
        self, schedule: RotationSchedule, tenures: list[Handoff], last: date
    ) -> nodes.table:
        """One row per person, one column per hand-off interval; ``■`` marks duty."""
        # The oldest overlapping tenure started T - 1 hand-offs before the one covering `first`.
        first_k = min(t.k for t in tenures) + schedule.on_duty_count - 1
        intervals = list(range(first_k, max(t.k for t in tenures) + 1))
        # Sets, not scans: a ten-year window of weekly hand-offs has hundreds of each.
        people = list(dict.fromkeys(t.joiner for t in tenures if t.joiner))
        span = schedule.on_duty_count
        on_duty = {
            (t.joiner, k)
            for t in tenures
            for k in range(max(t.k, first_k), min(t.k + span, intervals[-1] + 1))
        }
        headers = ["Person", *(schedule.handoff_date(k).strftime("%m-%d") for k in intervals)]
        rows: list[list[str | nodes.Node | list[nodes.Node]]] = []
        classes: list[list[list[str]]] = []
        for person in people:
            row: list[str | nodes.Node | list[nodes.Node]] = [self.shown(person, last)]
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
