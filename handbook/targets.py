"""Which policy objects a site may show with their target on several pages.

A member (the team table, every rotation picture) and a rotation (one window per page)
are shown wherever they help: links go to the first place that shows them, and no page
is told to add ``:no-index:``. Every other object is defined once; a second definition
is a warning. Both engines read this set: the Sphinx domain skips the duplicate check
for these kinds, the mystmd transform keeps only the first identifier.
"""

from __future__ import annotations

from .model import RefKind

SHOWN_IN_MANY_PLACES: frozenset[RefKind] = frozenset({"member", "rotation"})
