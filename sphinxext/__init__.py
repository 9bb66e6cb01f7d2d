"""Sphinx extension: render the support policy into the handbook.

Users write ``extensions = ["support_policy.sphinxext"]``; heavy imports happen in
:func:`setup`, so importing the package stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: Bump when the shape of what is stored on the environment changes.
ENV_VERSION = 2  # 2: what each page rendered, for rebuilding only what changed

STATIC_DIR = Path(__file__).parent / "static"
CSS_FILE = "support-policy.css"


def setup(app: Sphinx) -> ExtensionMetadata:
    from .config import setup_config
    from .data import load_for_build, quiet_after_failed_load
    from .directives import DIRECTIVES
    from .domain import SupportDomain, warn_unknown_target
    from .incremental import setup_incremental
    from .render_inline import setup_inline
    from .roles import ValueRole
    from .timeline import setup_timeline

    setup_config(app)
    app.add_domain(SupportDomain)
    app.add_role_to_domain("support", "value", ValueRole())
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive)
    setup_timeline(app)
    app.connect("env-before-read-docs", load_for_build)
    setup_incremental(app)
    app.connect("env-check-consistency", _warn_duplicates)
    app.connect("warn-missing-reference", quiet_after_failed_load)
    app.connect("warn-missing-reference", warn_unknown_target)
    setup_inline(app)  # links in policy text
    app.connect("config-inited", _add_static_path)
    app.add_css_file(CSS_FILE)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _warn_duplicates(app: Sphinx, env: BuildEnvironment) -> None:
    from .domain import SupportDomain

    domain = env.get_domain("support")
    assert isinstance(domain, SupportDomain)
    domain.warn_duplicates()
    domain.label_targets()


def _add_static_path(app: Sphinx, config: object) -> None:
    """Ship the timeline CSS through ``html_static_path`` (copied by html builders only)."""
    static_path = list(getattr(config, "html_static_path", []))
    if str(STATIC_DIR) not in static_path:
        static_path.append(str(STATIC_DIR))
        setattr(config, "html_static_path", static_path)  # noqa: B010
