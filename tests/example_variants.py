"""The bundled example as it was written before the rotation could deal with leave.

Then Person E's leave was two hand-recorded `changes` (a swap with Person F); now it is an
`away` period, with the same hand-offs, and the rotation also has a two-day `cover`. Tests
of recorded `changes`, and of edits a cover would get in the way of, start from this text.
"""

from __future__ import annotations

import re

RECORDED_SWAP = """\
  changes:                         # a swap is two changes
    - date: 2026-03-03             # Person E was due to join
      joins: person-f
      reason: Person E on leave; swapped with Person F
    - date: 2026-03-17             # Person F was due to join
      joins: person-e
      reason: Swap with Person F
"""


def with_recorded_swap(bundled_text: str) -> str:
    """``bundled_text`` with the leave as two recorded changes, no `away` and no `cover`."""
    member = re.search(r"    person-e: .*\n", bundled_text)
    overlays = re.search(r"  # Person E's leave .*\n  cover:.*\n(    .*\n)+", bundled_text)
    assert member is not None, "the bundled person-e changed shape"
    assert overlays is not None, "the bundled rotation changed shape"
    return bundled_text.replace(member.group(0), "    person-e: {name: Person E}\n").replace(
        overlays.group(0), RECORDED_SWAP
    )


def without_cover(bundled_text: str) -> str:
    """``bundled_text`` without its `cover` entry (same line count: blank lines instead).

    The hand-written calendars under ``tests/data/calendars`` hold no cover event; a policy
    with a cover asks for one (SP415), which ``tests/test_cover_calendar.py`` tests.
    """
    block = re.search(r"  cover:.*\n(    .*\n)+", bundled_text)
    assert block is not None, "the bundled rotation changed shape"
    return bundled_text.replace(block.group(0), "\n" * block.group(0).count("\n"))
