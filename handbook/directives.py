"""Every directive of the handbook, by name: the one table both engines register from."""

from __future__ import annotations

from .model import DirectiveSpec
from .team import build_team

#: directive name (``support-roles`` …) → its neutral specification
SPECS: dict[str, DirectiveSpec] = {
    "support-team": DirectiveSpec(
        "support-team", build_team, argument="optional", options={"on": "text"}
    ),
}
