"""Sphinx configuration for the support-policy handbook and documentation."""

from __future__ import annotations

import os
import sys

# Docs-local extensions: the format reference (from the models) and the CLI reference
# (from the command's own argument parser).
sys.path.insert(0, os.path.abspath("_ext"))

project = "support-policy"
author = "support-policy maintainers"
copyright = "the support-policy maintainers"

extensions = ["myst_parser", "support_policy.sphinxext", "format_reference", "cli_reference"]

# This site renders the example bundled with the tool; a team's site names its own file
# with `support_policy_file` (default: the policy.yaml beside this conf.py).
support_policy_example = True

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
html_title = "support-policy"
html_theme_options = {
    "show_toc_level": 2,
}

# pydata-sphinx-theme (under the book theme) logs a console error on a first visit when
# no default colour mode is set.
html_context = {"default_mode": "auto"}
