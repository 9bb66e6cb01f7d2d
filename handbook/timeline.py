"""``support-rotation [ID]``: the rules in words, a timeline picture and the tenure table.

The schedule is the dealt one (:mod:`support_policy.policy.rotations`): swaps for ``away``
show their reason, covers get rows of their own, and people who left are marked "(former)".
One date convention on the page: every date is inclusive (a tenure's "To" is the day before
the hand-off that ends it), and the figure's caption says so. Without ``:from:`` the window
is centred on the build date (:func:`support_policy.policy.clock.today`, ``SOURCE_DATE_EPOCH``
respected), so a handbook rebuilt every month stays current.
"""

from __future__ import annotations

from datetime import date, timedelta

from support_policy.policy.bounds import OutOfRange, check_date, parse_weeks
from support_policy.policy.checks import suggest
from support_policy.policy.clock import BadEpoch
from support_policy.policy.dealing import Cover, Handoff
from support_policy.policy.diagnostics import Code
from support_policy.policy.facts import has_left, member_name, role_name, rotation_name
from support_policy.policy.models import Policy
from support_policy.policy.references import rotation_on_duty
from support_policy.policy.rotations import (
    LocatedRotation,
    RotationSchedule,
    located_rotations,
    schedules,
)

from .blocks import date_option, labelled, text_cell
from .model import (
    Anchor,
    Block,
    Container,
    DirectiveSpec,
    Figure,
    Problem,
    Ref,
    Rendered,
    Request,
    Rubric,
    Table,
    Text,
)
from .timeline_svg import Bar, BarKind, Mark, Timeline, draw

DEFAULT_WEEKS = 12
CONVENTION = (
    "Every date is inclusive: a tenure runs from its hand-off day to the day before the "
    "hand-off that ends it; tenures running at either end of the window are listed whole."
)


def build_rotation(request: Request) -> Rendered:
    """The directive's builder (``SPECS["support-rotation"]``)."""
    policy = request.loaded.policy
    if policy is None:
        return Rendered(())
    located = located_rotations(policy)
    if not located:
        return Rendered(
            (), (Problem(Code.MISSING_SECTION, "the support policy has no `rotation` section"),)
        )
    if request.argument:
        key = request.argument
        chosen = [entry for entry in located if entry.id == key]
        if not chosen:
            known = suggest(key, [entry.id for entry in located])
            return Rendered(
                (), (Problem(Code.UNRESOLVED_REFERENCE, f"unknown rotation `{key}`{known}"),)
            )
        located = chosen
    page = _RotationPage(policy, request)
    if len(located) == 1:
        return Rendered(tuple(page.rotation_blocks(located[0])), tuple(page.problems))
    blocks: list[Block] = []
    for entry in located:
        body = (Rubric((Text(rotation_name(policy, entry.id)),)), *page.rotation_blocks(entry))
        blocks.append(Container(("support-rotation-one",), body))
    return Rendered(tuple(blocks), tuple(page.problems))


class _RotationPage:
    """One directive's worth of rotations, collecting its problems."""

    def __init__(self, policy: Policy, request: Request) -> None:
        self.policy = policy
        self.request = request
        self.problems: list[Problem] = []
        self.schedules = schedules(policy)

    def warn(self, code: Code, message: str) -> None:
        self.problems.append(Problem(code, message))

    def name_of(self, person: str) -> str:
        return member_name(self.policy, person)

    def rotation_name(self, key: str) -> str:
        """``the Support Steward rotation``, as a hand-off's reason names it."""
        return f"the {rotation_name(self.policy, key)}"

    def shown(self, person: str, last: date) -> str:
        """A name as the schedule shows it: "(former)" once the person has left by ``last``."""
        if not person:
            return "nobody"
        if has_left(self.policy, person, last):
            return f"{self.name_of(person)} (former)"
        return self.name_of(person)

    # -- the rules ------------------------------------------------------------------------

    def rotation_blocks(self, located: LocatedRotation) -> list[Block]:
        rotation = located.rotation
        count = rotation_on_duty(rotation)
        handoff = f"every {rotation.handover_every} on {rotation.handover_day.capitalize()}" + (
            f", generally at the {rotation.handover_event}" if rotation.handover_event else ""
        )
        order = "alphabetical by name" if rotation.order == "alphabetical" else "as listed"
        blocks: list[Block] = [
            # Where `[…](rotation:id)` and `{support:rotation}` land: the rules, the picture
            # and the published feed all follow.
            Anchor("rotation", located.id, rotation_name(self.policy, located.id)),
            labelled("Role", Ref("role", rotation.role, (Text(role_name(self.policy, rotation)),))),
            labelled(
                "On duty",
                Text(
                    f"{count} at a time ({rotation.tenure} tenure ÷ "
                    f"hand-off every {rotation.handover_every})"
                ),
            ),
            labelled("Tenure", Text(str(rotation.tenure))),
            labelled("Hand-off", Text(handoff)),
            labelled("Order", Text(order)),
        ]
        if rotation.exclusive_with:
            others = ", ".join(rotation_name(self.policy, key) for key in rotation.exclusive_with)
            blocks.append(
                labelled(
                    "Exclusive with",
                    Text(f"{others} (nobody is dealt a tenure here while on duty there)"),
                )
            )
        schedule = self.schedules.get(located.id)
        if schedule is None:
            self.warn(
                Code.ROTATION_WINDOW,
                "the rotation schedule cannot be computed: its weeks do not add up",
            )
            return blocks
        window = self.window(schedule)
        # Who counts as a former member depends on the days shown: `left` on or before the
        # window's last day. Without a window, the rotation's start.
        last = rotation.start if window is None else window[1]
        blocks.extend(self.pool_lines(schedule, last))
        if window is None:
            return blocks
        try:
            blocks.extend(self.schedule_blocks(schedule, *window))
        except ValueError as error:
            self.warn(Code.ROTATION_WINDOW, f"the rotation schedule cannot be computed: {error}")
        return blocks

    def pool_lines(self, schedule: RotationSchedule, last: date) -> list[Block]:
        """The pool without former members; they are listed apart, with the day they left."""
        members = self.policy.team.members
        current: list[str] = []
        former: list[str] = []
        for key in schedule.pool:
            member = members.get(key)
            if member is None:
                current.append(key)
            elif has_left(self.policy, key, last) and member.left is not None:
                former.append(f"{member.name} (left {member.left.isoformat()})")
            elif member.joined is not None and member.joined > schedule.start:
                current.append(f"{member.name} (from {member.joined.isoformat()})")
            else:
                current.append(member.name)
        lines: list[Block] = [labelled("Pool", Text(", ".join(current)))] if current else []
        if former:
            lines.append(labelled("Former members", Text(", ".join(former))))
        return lines

    # -- the window -----------------------------------------------------------------------

    def window(self, schedule: RotationSchedule) -> tuple[date, date] | None:
        """The first and last day shown (inclusive), or ``None`` after a problem."""
        options = self.request.options
        try:
            weeks = parse_weeks(options.get("weeks") or str(DEFAULT_WEEKS), ":weeks:")
            first = self.first_day(schedule, weeks, options.get("from"))
        except OutOfRange as error:
            self.warn(Code.OUT_OF_RANGE, f"{error}; the schedule is not rendered")
            return None
        except BadEpoch as error:  # only a window that needs the clock asks it
            self.warn(Code.BAD_EPOCH, f"{error}; the schedule is not rendered")
            return None
        except ValueError as error:
            self.warn(Code.ROTATION_OPTION, f"{error}; the schedule is not rendered")
            return None
        return first, first + timedelta(weeks=weeks, days=-1)

    def first_day(self, schedule: RotationSchedule, weeks: int, value: str | None) -> date:
        """The schedule's first day: ``:from:``, or centred on today; never before ``start``.

        Tenures before ``start`` are computed as if the rotation had always run; shown on
        a page they would read as history that never happened. ``today`` or the centred
        default before ``start`` quietly show it from ``start``; a date written into the
        page warns, as it is a mistake that ``start`` moved past.
        """
        start = schedule.start
        if value is None:
            # Centred on today, from the hand-off on or before the middle's start.
            today = check_date(self.request.current_day(), "today")
            day = check_date(today - timedelta(days=weeks * 7 // 2), ":from:")
            first = schedule.handoff_date(schedule.latest_handoff(day))
            return max(first, start)
        chosen = date_option(self.request, "from")
        if chosen is None or value.strip() == "today":
            # `today` before `start` quietly shows the rotation from its start.
            return max(chosen or start, start)
        if chosen < start:
            self.warn(
                Code.SCHEDULE_BEFORE_START,
                f"`:from: {value.strip()}` is before the start of the `{schedule.id}` "
                f"rotation ({start.isoformat()}); the schedule is shown from its start "
                "(use `:from: today`, or a later date)",
            )
            return start
        return chosen

    # -- the schedule ---------------------------------------------------------------------

    def schedule_blocks(self, schedule: RotationSchedule, first: date, last: date) -> list[Block]:
        end = last + timedelta(days=1)
        tenures = schedule.dealing.tenures_between(first, end)
        covers = schedule.covers_between(first, end)
        weeks = (end - first).days // 7
        label = rotation_name(self.policy, schedule.id)
        caption = (
            Text(
                f"Schedule: {first.isoformat()} to {last.isoformat()} ({weeks} weeks). {CONVENTION}"
            ),
        )
        timeline, alt = self.timeline(schedule, tenures, covers, first, last, label)
        blocks: list[Block] = [
            Figure(draw(timeline, alt), alt, caption, classes=("support-rotation-figure",)),
            self.tenure_table(tenures, last),
        ]
        if covers:
            blocks.append(
                labelled("Cover", Text("who stands in for whom, on the days listed only"))
            )
            blocks.append(self.cover_table(covers))
        return blocks

    def why(self, tenure: Handoff) -> str:
        regular = tenure.kind == "regular" and tenure.change is None
        return "" if regular else tenure.why(self.name_of, self.rotation_name)

    def tenure_table(self, tenures: list[Handoff], last: date) -> Table:
        rows = tuple(
            (
                text_cell(self.shown(tenure.joiner or "", last)),
                text_cell(tenure.start.isoformat()),
                text_cell((tenure.end - timedelta(days=1)).isoformat()),
                text_cell(self.why(tenure)),
            )
            for tenure in tenures
        )
        return Table(
            ("Person", "From", "To", "Why"), rows, (14, 12, 12, 40), ("support-rotation-tenures",)
        )

    def cover_table(self, covers: list[Cover]) -> Table:
        rows = tuple(
            (
                text_cell(self.name_of(cover.member)),
                text_cell(self.name_of(cover.covers)),
                text_cell(cover.first.isoformat()),
                text_cell(cover.last.isoformat()),
                text_cell(cover.reason or ""),
            )
            for cover in covers
        )
        header = ("Covering", "For", "From", "To", "Reason")
        return Table(header, rows, (14, 14, 12, 12, 26), ("support-rotation-cover",))

    def timeline(
        self,
        schedule: RotationSchedule,
        tenures: list[Handoff],
        covers: list[Cover],
        first: date,
        last: date,
        label: str,
    ) -> tuple[Timeline, str]:
        """The picture's values and its text alternative."""
        people = list(dict.fromkeys(tenure.joiner or "" for tenure in tenures))
        people += [c.member for c in covers if c.member not in people]
        lane = {person: index for index, person in enumerate(people)}
        bars = tuple(
            Bar(
                lane[tenure.joiner or ""],
                tenure.start,
                tenure.end - timedelta(days=1),
                _bar_kind(tenure),
                f"{self.shown(tenure.joiner or '', last)}: {tenure.start.isoformat()} to "
                f"{(tenure.end - timedelta(days=1)).isoformat()}"
                + (f" ({why})" if (why := self.why(tenure)) else ""),
            )
            for tenure in tenures
        )
        marks: list[Mark] = []
        members = self.policy.team.members
        for person in people:
            member = members.get(person)
            if member is None:
                continue
            for period in member.away:
                if period.start <= last and first <= period.to:
                    days = f"{period.start.isoformat()} to {period.to.isoformat()}"
                    reason = f": {period.reason}" if period.reason else ""
                    text = f"{member.name} away {days}{reason}"
                    marks.append(Mark(lane[person], period.start, period.to, "away", text))
        for cover in covers:
            days = f"{cover.first.isoformat()} to {cover.last.isoformat()}"
            who, whom = self.name_of(cover.member), self.name_of(cover.covers)
            marks.append(
                Mark(
                    lane[cover.member],
                    cover.first,
                    cover.last,
                    "cover",
                    f"{who} covers {whom}, {days}",
                )
            )
            if cover.covers in lane:
                marks.append(
                    Mark(
                        lane[cover.covers],
                        cover.first,
                        cover.last,
                        "covered",
                        f"{whom} covered by {who}, {days}",
                    )
                )
        handoffs = tuple(
            schedule.handoff_date(k)
            for k in range(schedule.latest_handoff(first), schedule.latest_handoff(last) + 1)
        )
        names = ", ".join(self.shown(person, last) for person in people)
        span = f"{first.isoformat()} to {last.isoformat()}"
        timeline = Timeline(
            f"{label}, {span}",
            first,
            last,
            tuple(self.shown(p, last) for p in people),
            bars,
            tuple(marks),
            handoffs,
        )
        alt = (
            f"Timeline of the {label}, {span}: one bar per tenure for {names}"
            + (f"; {len(covers)} cover(s) marked" if covers else "")
            + ". The table of tenures lists the same dates."
        )
        return timeline, alt


def _bar_kind(tenure: Handoff) -> BarKind:
    if tenure.joiner is None:
        return "vacant"
    if tenure.change is not None:
        return "change"
    return "regular" if tenure.kind == "regular" else "swapped"


#: ``support-rotation [ID]`` with ``:from:`` and ``:weeks:`` (read and judged by the builder)
ROTATION = DirectiveSpec(
    "support-rotation", build_rotation, "optional", {"from": "text", "weeks": "text"}
)
