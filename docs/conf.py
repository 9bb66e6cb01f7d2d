"""Sphinx configuration for the support-policy handbook and documentation."""

from __future__ import annotations

project = "support-policy"
author = "support-policy maintainers"
copyright = "the support-policy maintainers"

extensions = ["myst_parser", "support_policy.sphinxext"]

# The bundled example policy is the default; a team points this at its own file.
support_policy_file = None

myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
html_title = "support-policy"
