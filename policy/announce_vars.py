"""The variables of the hand-off announcement (``rotation.announcement``).

Apart from :mod:`.announce` so that the checks can name them without importing the
rendering (the ``validate`` path stays light).
"""

from __future__ import annotations

ANNOUNCEMENT_VARIABLES: tuple[str, ...] = (
    "JOINER",
    "LEAVER",
    "STAYING",
    "DATE",
    "UNTIL",
    "TENURE",
    "REASON",
    "ROLE",
    "NEXT",
)
"""What ``support-policy handoff`` fills in, in the order the docs list them."""

DEFAULT_ANNOUNCEMENT = (
    "{{ JOINER }} joins the {{ ROLE }} rotation on {{ DATE }} and serves until {{ UNTIL }} "
    "({{ REASON }}). {{ LEAVER }} rotates off; {{ STAYING }} stays on. "
    "Next hand-off: {{ NEXT }}."
)
"""The message when the rotation declares no ``announcement``."""
