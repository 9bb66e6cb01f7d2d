"""Configuration values of the extension, declared once."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from support_policy.policy.loader import bundled_policy_path

POLICY_FILE = "support_policy_file"
WARNING_TYPE = "support-policy"


def setup_config(app: Sphinx) -> None:
    app.add_config_value(POLICY_FILE, None, "env", types=frozenset({str, type(None)}))


def policy_path(config: Config, confdir: Path) -> Path:
    """The policy file: ``support_policy_file`` relative to conf.py's folder, or the example."""
    value = getattr(config, POLICY_FILE)
    if value is None:
        return bundled_policy_path().resolve()
    return (confdir / str(value)).resolve()
