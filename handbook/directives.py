"""Every directive of the handbook, by name: the one table both engines register from."""

from __future__ import annotations

from .model import DirectiveSpec
from .timeline import ROTATION

#: directive name (``support-roles`` …) → its neutral specification
SPECS: dict[str, DirectiveSpec] = {ROTATION.name: ROTATION}
