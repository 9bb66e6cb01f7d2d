"""Every directive of the handbook, by name: the one table both engines register from."""

from __future__ import annotations

from .model import DirectiveSpec

#: directive name (``support-roles`` …) → its neutral specification
SPECS: dict[str, DirectiveSpec] = {}
