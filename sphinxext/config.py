"""Configuration values of the extension, declared once."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from support_policy.policy.loader import bundled_policy_path

POLICY_FILE = "support_policy_file"
EXAMPLE = "support_policy_example"
#: whether the calendar feed published with the site names members' e-mail addresses
FEED_EMAILS = "support_policy_feed_emails"
DEFAULT_NAME = "policy.yaml"
WARNING_TYPE = "support-policy"


def setup_config(app: Sphinx) -> None:
    app.add_config_value(POLICY_FILE, None, "env", types=frozenset({str, type(None)}))
    app.add_config_value(EXAMPLE, False, "env", types=frozenset({bool}))
    # Off by default: a published handbook is public, and addresses in it are harvested.
    app.add_config_value(FEED_EMAILS, False, "html", types=frozenset({bool}))


def policy_path(config: Config, confdir: Path) -> Path:
    """The policy file: ``support_policy_file`` relative to conf.py's folder, else the
    ``policy.yaml`` beside it (as the CLI finds it); the bundled example only when asked
    for with ``support_policy_example = True`` — a handbook must never publish the example's
    people because a setting was forgotten."""
    if getattr(config, EXAMPLE):
        return bundled_policy_path().resolve()
    value = getattr(config, POLICY_FILE)
    return (confdir / str(DEFAULT_NAME if value is None else value)).resolve()
