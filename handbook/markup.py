"""Light markup in policy text, parsed into the document model's inline values.

The first version keeps all text as text; links, code and emphasis arrive with the
handbook-for-readers work. Every engine and the CLI go through :func:`parse`.
"""

from __future__ import annotations

from .model import Inline, Text


def parse(text: str) -> tuple[Inline, ...]:
    """Policy text (values already filled in) as inline document values."""
    return (Text(text),) if text else ()
