"""The rotation timeline as SVG: one lane per person, bars over a date axis with years.

Framework-free and deterministic: the same :class:`Timeline` gives the same bytes. Every
text that came from the policy (names, reasons) goes through :func:`xml_text`, in element
text and in attribute values alike. Colours are CSS classes whose fills read CSS variables
(``--support-timeline-*``) with light defaults, and text is ``currentColor``, so a theme's
stylesheet can repaint the picture for dark mode without touching it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from support_policy.policy.safe_text import for_terminal, has_controls

BarKind = Literal["regular", "swapped", "change", "vacant"]
MarkKind = Literal["away", "cover", "covered"]

#: legend entry per class, in the order the legend shows them
LEGEND: tuple[tuple[str, str], ...] = (
    ("regular", "On duty"),
    ("swapped", "Out of turn (swap, owed turn)"),
    ("change", "Recorded change"),
    ("cover", "Covering"),
    ("covered", "Covered by someone else"),
    ("away", "Away"),
)

NAME_CHARS = 28  # longer names are cut in the lane label (the bar's tooltip has them whole)
LANE_HEIGHT = 22
BAR_HEIGHT = 14
AXIS_HEIGHT = 56
TARGET_WIDTH = 600  # the drawing area aims at this many pixels, within the day widths below
LEGEND_WIDTH = 380  # the legend wraps to this, so a narrow screen sees it without scrolling
DAY_WIDTH = (1.0, 14.0)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STYLE = (
    ".sp-tl{font-family:inherit;font-size:12px}"
    ".sp-tl text{fill:currentColor}"
    ".sp-tl .sp-tl-year{font-weight:bold}"
    ".sp-tl .sp-tl-grid{stroke:currentColor;stroke-opacity:.14}"
    ".sp-tl .sp-tl-tick{stroke:currentColor;stroke-opacity:.7}"
    ".sp-tl .sp-tl-month{stroke:currentColor;stroke-opacity:.35}"
    ".sp-tl .sp-tl-regular{fill:var(--support-timeline-duty,#3465a4)}"
    ".sp-tl .sp-tl-swapped{fill:var(--support-timeline-swapped,#c4661f);"
    "stroke:currentColor;stroke-dasharray:3 2}"
    ".sp-tl .sp-tl-change{fill:var(--support-timeline-change,#7b4ea8);"
    "stroke:currentColor;stroke-dasharray:1 2}"
    ".sp-tl .sp-tl-vacant{fill:none;stroke:currentColor;stroke-dasharray:2 2}"
    ".sp-tl .sp-tl-cover{fill:var(--support-timeline-cover,#2b8a57)}"
    ".sp-tl .sp-tl-covered{fill:var(--support-timeline-background,#fff);fill-opacity:.6;"
    "stroke:var(--support-timeline-cover,#2b8a57);stroke-dasharray:2 1}"
    ".sp-tl .sp-tl-away{fill:var(--support-timeline-away,#888);fill-opacity:.3;"
    "stroke:var(--support-timeline-away,#888);stroke-dasharray:4 2}"
    ".sp-tl .sp-tl-today{stroke:var(--support-timeline-today,#c01c28);stroke-width:2}"
    ".sp-tl .sp-tl-now{stroke:var(--support-timeline-today,#c01c28);stroke-width:2}"
)


@dataclass(frozen=True)
class Bar:
    """One tenure in a lane, ``first`` to ``last`` inclusive; ``label`` is its tooltip."""

    lane: int
    first: date
    last: date
    kind: BarKind
    label: str


@dataclass(frozen=True)
class Mark:
    """Days marked in a lane: away, covering someone, or covered by someone."""

    lane: int
    first: date
    last: date
    kind: MarkKind
    label: str


@dataclass(frozen=True)
class Timeline:
    """What the picture shows; every date inclusive, every text plain."""

    title: str
    first: date
    last: date
    lanes: tuple[str, ...]
    bars: tuple[Bar, ...]
    marks: tuple[Mark, ...] = ()
    handoffs: tuple[date, ...] = ()


def xml_text(text: str) -> str:
    """Text safe in XML element content and in a double-quoted attribute value."""
    shown = for_terminal(text) if has_controls(text) else text
    return html.escape(shown, quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal: stable bytes, no ``-0``."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


class _Scale:
    def __init__(self, timeline: Timeline) -> None:
        self.first = timeline.first
        self.days = (timeline.last - timeline.first).days + 1
        self.day = min(max(TARGET_WIDTH / self.days, DAY_WIDTH[0]), DAY_WIDTH[1])
        longest = max((len(_short(name)) for name in timeline.lanes), default=8)
        self.left = 12 + 7 * max(longest, 8)
        self.width = self.left + self.days * self.day + 28

    def x(self, day: date) -> float:
        return self.left + (day - self.first).days * self.day

    def span(self, first: date, last: date) -> tuple[float, float] | None:
        """``x`` and width of the days ``first..last`` cut to the window, or ``None``."""
        end = self.first + timedelta(days=self.days - 1)
        first, last = max(first, self.first), min(last, end)
        if last < first:
            return None
        return self.x(first), ((last - first).days + 1) * self.day


def _months(first: date, last: date) -> list[date]:
    """The first day of every month after ``first`` up to ``last`` (bounded by the window)."""
    found: list[date] = []
    year, month = first.year, first.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        day = date(year, month, 1)
        if day > last:
            return found
        found.append(day)


def _axis(timeline: Timeline, scale: _Scale, bottom: float) -> list[str]:
    months = _months(timeline.first, timeline.last)
    shown = [day for day in timeline.handoffs if timeline.first <= day <= timeline.last]
    # Hand-offs are labelled with their dates when there is room, else the months are.
    spacing = (shown[1] - shown[0]).days * scale.day if len(shown) > 1 else 0.0
    dated = spacing >= 48
    # Month lines every month while they fit, else every quarter, else only the years.
    step = 1 if scale.day * 28 >= 34 else 3 if scale.day * 90 >= 34 else 12
    parts = [f'<text class="sp-tl-year" x="{_num(scale.left)}" y="14">{timeline.first.year}</text>']
    if not (dated and shown and shown[0] == timeline.first):
        parts.append(f'<text x="{_num(scale.left)}" y="30">{_day_month(timeline.first)}</text>')
    for day in months:
        x = _num(scale.x(day))
        if day.month == 1:
            parts.append(f'<text class="sp-tl-year" x="{x}" y="14">{day.year}</text>')
        # With dated hand-offs only the new year gets a line; else months (or quarters).
        if (day.month - 1) % step == 0 and (not dated or day.month == 1):
            parts.append(f'<line class="sp-tl-month" x1="{x}" y1="18" x2="{x}" y2="{bottom}"/>')
            if not dated and scale.x(day) - scale.left >= 40:
                parts.append(
                    f'<text x="{_num(scale.x(day) + 3)}" y="30">{MONTHS[day.month - 1]}</text>'
                )
    for day in shown:
        x = _num(scale.x(day))
        if dated:
            parts.append(f'<text x="{_num(scale.x(day) + 2)}" y="42">{_day_month(day)}</text>')
        parts.append(f'<line class="sp-tl-tick" x1="{x}" y1="34" x2="{x}" y2="{AXIS_HEIGHT - 4}"/>')
        parts.append(
            f'<line class="sp-tl-grid" x1="{x}" y1="{AXIS_HEIGHT - 4}" x2="{x}" y2="{bottom}"/>'
        )
    parts.append(
        f'<line class="sp-tl-tick" x1="{_num(scale.left)}" y1="{AXIS_HEIGHT - 4}" '
        f'x2="{_num(scale.width - 28)}" y2="{AXIS_HEIGHT - 4}"/>'
    )
    return parts


def _day_month(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _lane_y(lane: int) -> float:
    return AXIS_HEIGHT + lane * LANE_HEIGHT


def _rect(
    kind: str, x: float, y: float, width: float, height: float, label: str, extra: str = ""
) -> str:
    return (
        f'<rect class="sp-tl-{kind}" x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" '
        f'height="{_num(height)}" rx="2"{extra}><title>{xml_text(label)}</title></rect>'
    )


def _lanes(timeline: Timeline, scale: _Scale) -> list[str]:
    parts = []
    for index, name in enumerate(timeline.lanes):
        y = _lane_y(index) + LANE_HEIGHT / 2 + 4
        parts.append(
            f'<text class="sp-tl-name" x="4" y="{_num(y)}">{xml_text(_short(name))}</text>'
        )
    for mark in (m for m in timeline.marks if m.kind == "away"):
        span = scale.span(mark.first, mark.last)
        if span is not None:
            parts.append(
                _rect("away", span[0], _lane_y(mark.lane) + 1, span[1], LANE_HEIGHT - 2, mark.label)
            )
    pad = (LANE_HEIGHT - BAR_HEIGHT) / 2
    for bar in timeline.bars:
        span = scale.span(bar.first, bar.last)
        if span is None:
            continue
        dates = f' data-from="{bar.first.isoformat()}" data-to="{bar.last.isoformat()}"'
        parts.append(
            _rect(bar.kind, span[0], _lane_y(bar.lane) + pad, span[1], BAR_HEIGHT, bar.label, dates)
        )
    for mark in (m for m in timeline.marks if m.kind != "away"):
        span = scale.span(mark.first, mark.last)
        if span is not None:
            inset = pad + 3 if mark.kind == "covered" else pad
            height = BAR_HEIGHT - 6 if mark.kind == "covered" else BAR_HEIGHT
            parts.append(
                _rect(mark.kind, span[0], _lane_y(mark.lane) + inset, span[1], height, mark.label)
            )
    return parts


def _legend(timeline: Timeline, top: float, width: float) -> tuple[list[str], float]:
    """The legend's entries (the kinds shown, and hand-offs), wrapped to ``width``."""
    used = {bar.kind for bar in timeline.bars} | {mark.kind for mark in timeline.marks}
    entries = [(kind, text) for kind, text in LEGEND if kind in used or kind == "regular"]
    parts = ['<g class="sp-tl-legend">']
    x, y = 4.0, top + 14
    for kind, text in [*entries, ("tick", "Hand-off")]:
        size = 30 + 7.2 * len(text)
        if x + size > width and x > 4:
            x, y = 4.0, y + 18
        if kind == "tick":
            parts.append(
                f'<line class="sp-tl-tick" x1="{_num(x + 7)}" y1="{_num(y - 10)}" '
                f'x2="{_num(x + 7)}" y2="{_num(y + 2)}"/>'
            )
        else:
            parts.append(
                f'<rect class="sp-tl-{kind}" x="{_num(x)}" y="{_num(y - 10)}" '
                'width="14" height="12" rx="2"/>'
            )
        parts.append(f'<text x="{_num(x + 20)}" y="{_num(y)}">{text}</text>')
        x += size
    parts.append("</g>")
    return parts, y + 8


def draw(timeline: Timeline, alt: str) -> str:
    """The picture as an ``<svg>`` element; ``alt`` is its accessible name."""
    scale = _Scale(timeline)
    bottom = _lane_y(len(timeline.lanes))
    legend, height = _legend(timeline, bottom + 6, LEGEND_WIDTH)
    width = max(scale.width, LEGEND_WIDTH)
    label = xml_text(alt)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sp-tl" role="img" aria-label="{label}" '
        f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'data-first="{timeline.first.isoformat()}" data-last="{timeline.last.isoformat()}" '
        f'data-x0="{_num(scale.left)}" data-day="{scale.day!r}">',
        f"<title>{xml_text(timeline.title)}</title>",
        f"<style>{STYLE}</style>",
        *_axis(timeline, scale, bottom),
        *_lanes(timeline, scale),
        # Placed by the page's script on today's date; hidden without it (pages stay fixed).
        f'<line class="sp-tl-today" x1="0" y1="18" x2="0" y2="{_num(bottom)}" '
        'visibility="hidden"/>',
        *legend,
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
