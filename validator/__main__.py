"""``python -m support_policy.validator`` runs the CLI."""

from .cli import entry_point

raise SystemExit(entry_point())
