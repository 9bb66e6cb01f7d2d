"""The CLI's commands: one module each, registered in :data:`COMMANDS`.

A module provides ``register(commands)``, which adds its sub-parser and sets ``run`` as
the parser default: ``run(args, out) -> exit status``. It imports heavy libraries
(icalendar, jsonschema) inside ``run`` only, so that ``validate`` starts fast. A new
command is one module here and one line in the table.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

#: command name → module in this package, in the order ``--help`` lists them
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "calendar": "calendar",
    "on-duty": "on_duty",
    "deadline": "deadline",
    "handoff": "handoff",
    "diff": "diff",
    "report": "report",
    "init": "init",
    "schema": "schema",
    "myst": "myst",
}


def command_module(name: str) -> ModuleType:
    """The module of command ``name``; a missing or broken module fails loudly."""
    return import_module(f"{__name__}.{COMMANDS[name]}")
