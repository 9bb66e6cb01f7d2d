"""Sphinx extension: render the support policy into the handbook."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("support_policy_file", None, "env", types=(str, type(None)))
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
