"""The ``support-rotation`` builder and its timeline picture, without any engine.

The SVG is parsed as XML: years on its axis, legend entries, marks for away, cover and
swaps, escaped names, and the same bytes for the same policy.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
from example_variants import with_recorded_swap

from support_policy.handbook.model import Figure, Rendered, Request, Table
from support_policy.handbook.timeline import build_rotation
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import LoadedPolicy

SVG = "{http://www.w3.org/2000/svg}"
# Sorts where Person C does, so the dealing stays the same.
HOSTILE_NAME = 'Person C</text><script>alert(1)</script><text x="1'
TODAY = date(2026, 3, 4)

Load = Callable[[str], LoadedPolicy]


def render(loaded: LoadedPolicy, today: date = TODAY, **options: str) -> Rendered:
    return build_rotation(Request(loaded, None, options, today))


def figure_of(rendered: Rendered) -> Figure:
    [figure] = [block for block in rendered.blocks if isinstance(block, Figure)]
    return figure


def svg_of(rendered: Rendered) -> ET.Element:
    return ET.fromstring(figure_of(rendered).svg)


def texts(svg: ET.Element) -> list[str]:
    return [node.text or "" for node in svg.iter(f"{SVG}text")]


def classes(svg: ET.Element) -> set[str]:
    return {node.get("class", "") for node in svg.iter()}


def test_axis_names_the_years_of_the_window(load: Load, bundled_text: str) -> None:
    svg = svg_of(render(load(bundled_text), **{"from": "2026-11-03", "weeks": "12"}))
    # The window crosses the new year: both years are on the axis.
    years = [node for node in svg.iter(f"{SVG}text") if node.get("class") == "sp-tl-year"]
    assert [node.text for node in years] == ["2026", "2027"]


def test_legend_names_what_the_picture_marks(load: Load, bundled_text: str) -> None:
    svg = svg_of(render(load(bundled_text), **{"from": "2026-02-03", "weeks": "8"}))
    legend = next(node for node in svg.iter(f"{SVG}g") if node.get("class") == "sp-tl-legend")
    entries = [node.text for node in legend.iter(f"{SVG}text")]
    # The bundled example: Person E away, Person F swapped in, Person A covers Person C.
    assert entries == [
        "On duty",
        "Out of turn (swap, owed turn)",
        "Covering",
        "Covered by someone else",
        "Away",
        "Hand-off",
    ]


def _titles(svg: ET.Element, kind: str) -> list[str]:
    return [
        node.findtext(f"{SVG}title") or ""
        for node in svg.iter(f"{SVG}rect")
        if node.get("class") == f"sp-tl-{kind}" and node.get("width") != "14"
    ]


def test_away_cover_and_swap_are_marked(load: Load, bundled_text: str) -> None:
    svg = svg_of(render(load(bundled_text), **{"from": "2026-02-03", "weeks": "8"}))
    assert _titles(svg, "away") == ["Person E away 2026-03-03 to 2026-03-16: Leave"]
    assert _titles(svg, "cover") == ["Person A covers Person C, 2026-02-11 to 2026-02-12"]
    assert _titles(svg, "covered") == ["Person C covered by Person A, 2026-02-11 to 2026-02-12"]
    assert _titles(svg, "swapped") == [
        "Person F: 2026-03-03 to 2026-03-30 (swapped in for Person E (away: Leave))",
        "Person E: 2026-03-17 to 2026-04-13 (owed turn (passed over while away: Leave))",
    ]
    assert "sp-tl-change" not in classes(svg)


def test_recorded_changes_are_marked_apart_from_swaps(load: Load, bundled_text: str) -> None:
    svg = svg_of(render(load(with_recorded_swap(bundled_text)), **{"from": "2026-02-03"}))
    changed = _titles(svg, "change")
    assert changed[0] == (
        "Person F: 2026-03-03 to 2026-03-30 (recorded change: Person E on leave; swapped with "
        "Person F)"
    )
    assert "sp-tl-away" not in classes(svg)
    assert "sp-tl-cover" not in classes(svg)
    legend = [node.text for node in svg.iter(f"{SVG}text")][-3:]
    assert legend == ["On duty", "Recorded change", "Hand-off"]


def test_handoffs_are_ticks_at_their_dates(load: Load, bundled_text: str) -> None:
    svg = svg_of(render(load(bundled_text), **{"from": "2026-02-03", "weeks": "8"}))
    assert [t for t in texts(svg) if t.endswith(("Feb", "Mar"))] == [
        "3 Feb",
        "17 Feb",
        "3 Mar",
        "17 Mar",
    ]


def test_hostile_name_is_text_in_the_svg(load: Load, bundled_text: str) -> None:
    text = bundled_text.replace("name: Person C", f"name: '{HOSTILE_NAME}'", 1)
    assert text != bundled_text
    rendered = render(load(text), **{"from": "2026-02-03", "weeks": "8"})
    figure = figure_of(rendered)
    assert "<script" not in figure.svg
    assert "&lt;/text&gt;&lt;script&gt;" in figure.svg
    svg = ET.fromstring(figure.svg)  # still well-formed XML
    assert not list(svg.iter(f"{SVG}script"))
    assert HOSTILE_NAME[:27] + "…" in texts(svg)  # the lane label, cut to its width
    assert any(title.startswith(HOSTILE_NAME + ": 2026-02-03") for title in _titles(svg, "regular"))
    assert HOSTILE_NAME in svg.get("aria-label", "")  # escaped in the attribute, read back whole


def test_svg_is_accessible_and_names_its_window(load: Load, bundled_text: str) -> None:
    rendered = render(load(bundled_text), **{"from": "2026-02-03", "weeks": "8"})
    figure = figure_of(rendered)
    svg = ET.fromstring(figure.svg)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == figure.alt
    assert svg.findtext(f"{SVG}title") == "Support Steward rotation, 2026-02-03 to 2026-03-30"
    assert "Person B, Person C, Person D, Person F, Person E, Person A" in figure.alt
    caption = "".join(getattr(part, "text", "") for part in figure.caption)
    assert caption.startswith("Schedule: 2026-02-03 to 2026-03-30 (8 weeks). Every date is")


def test_table_and_picture_use_inclusive_dates(load: Load, bundled_text: str) -> None:
    rendered = render(load(bundled_text), **{"from": "2026-02-03", "weeks": "8"})
    [tenures, _covers] = [block for block in rendered.blocks if isinstance(block, Table)]
    assert tenures.header == ("Person", "From", "To", "Why")
    first = [cell.blocks[0].children[0].text for cell in tenures.rows[0][:3]]  # type: ignore[union-attr]
    assert first == ["Person B", "2026-01-20", "2026-02-16"]
    bar = next(node for node in svg_of(rendered).iter(f"{SVG}rect") if node.get("data-from"))
    assert (bar.get("data-from"), bar.get("data-to")) == ("2026-01-20", "2026-02-16")


def test_default_window_is_centred_on_today(load: Load, bundled_text: str) -> None:
    figure = figure_of(render(load(bundled_text), today=date(2026, 11, 30)))
    svg = ET.fromstring(figure.svg)
    first, last = date.fromisoformat(svg.get("data-first", "")), svg.get("data-last", "")
    # 12 weeks: from the hand-off on or before six weeks back.
    assert (first.isoformat(), last) == ("2026-10-13", "2027-01-04")
    assert abs((date(2026, 11, 30) - first).days - 42) < 14


def test_default_window_before_start_shows_the_start(load: Load, bundled_text: str) -> None:
    rendered = render(load(bundled_text), today=date(2025, 12, 1))
    assert rendered.problems == ()
    assert svg_of(rendered).get("data-first") == "2026-01-06"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"from": "next tuesday"}, Code.ROTATION_OPTION),
        ({"weeks": "twelve"}, Code.ROTATION_OPTION),
        ({"weeks": "0"}, Code.OUT_OF_RANGE),
        ({"from": "9999-12-31"}, Code.OUT_OF_RANGE),
        ({"from": "2025-12-01"}, Code.SCHEDULE_BEFORE_START),
    ],
)
def test_bad_options_are_coded_problems(
    load: Load, bundled_text: str, options: dict[str, str], code: Code
) -> None:
    rendered = render(load(bundled_text), **options)
    assert [problem.code for problem in rendered.problems] == [code]
    assert any(block for block in rendered.blocks)  # the rules in words stay


def test_same_policy_same_bytes(load: Load, bundled_text: str) -> None:
    first = figure_of(render(load(bundled_text), **{"from": "2026-02-03"})).svg
    again = figure_of(render(load(bundled_text), **{"from": "2026-02-03"})).svg
    assert first == again
