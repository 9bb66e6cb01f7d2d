"""``python -m support_policy.validator`` runs the CLI."""

from .cli import main

raise SystemExit(main())
