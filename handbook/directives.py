"""Every directive of the handbook, by name: the one table both engines register from.

A new directive is a builder (``build(request) -> Rendered``, in the ``*_blocks`` module
of its subject) and one entry here.
"""

from __future__ import annotations

from . import glossary_blocks, policy_blocks, process_blocks, report_blocks
from .model import DirectiveSpec
from .team import build_team
from .timeline import ROTATION

_SPECS = (
    DirectiveSpec("support-roles", policy_blocks.roles, argument="optional"),
    DirectiveSpec("support-request-types", policy_blocks.request_types),
    DirectiveSpec("support-sla", policy_blocks.sla),
    DirectiveSpec("support-priorities", policy_blocks.priorities),
    DirectiveSpec("support-budget", policy_blocks.budget),
    DirectiveSpec("support-channels", policy_blocks.channels),
    DirectiveSpec("support-template", policy_blocks.template, argument="optional"),
    DirectiveSpec("support-process", process_blocks.process, argument="required"),
    DirectiveSpec(
        "support-glossary",
        glossary_blocks.glossary,
        options={"include": "text", "exclude": "text"},
    ),
    DirectiveSpec(
        "support-fairness",
        report_blocks.fairness_report,
        argument="optional",
        options={"from": "text", "to": "text", "no-warnings": "flag"},
    ),
    DirectiveSpec("support-sla-report", report_blocks.sla_report, argument="required"),
    DirectiveSpec("support-team", build_team, argument="optional", options={"on": "text"}),
    ROTATION,
)

#: directive name (``support-roles`` …) → its neutral specification
SPECS: dict[str, DirectiveSpec] = {spec.name: spec for spec in _SPECS}
