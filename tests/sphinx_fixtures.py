"""Shared helpers for the Sphinx extension tests (imported by tests/test_sphinx*.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from support_policy.policy.loader import bundled_policy_path

ROOTS = Path(__file__).parent / "roots"
SNAPSHOTS = Path(__file__).parent / "snapshots" / "sphinx"
UPDATE_ENV = "SUPPORT_POLICY_UPDATE_SNAPSHOTS"

# sphinx-book-theme 1.4 reads `self.app` in a transform, which Sphinx 9 deprecates.
BOOK_THEME_DEPRECATION = (
    "ignore:'sphinx_book_theme._transforms.HandleFootnoteTransform.app' is deprecated"
    ":sphinx.deprecation.RemovedInSphinx11Warning"
)

MakeApp = Callable[..., SphinxTestApp]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds ``test-*`` roots."""
    return ROOTS


def copy_root(name: str, dest: Path, *, policy: str | None = None) -> Path:
    """Copy ``tests/roots/test-<name>`` to ``dest``; optionally write ``policy.yaml`` there."""
    shutil.copytree(ROOTS / f"test-{name}", dest)
    if policy is not None:
        (dest / "policy.yaml").write_text(policy, encoding="utf-8")
    return dest


def one_page_site(root: Path, page: str, policy: str) -> Path:
    """A one-page MyST site at ``root``: ``index.md`` holding ``page``, and ``policy``."""
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "support_policy.sphinxext"]\n'
        'support_policy_file = "policy.yaml"\n',
        encoding="utf-8",
    )
    (root / "index.md").write_text(page, encoding="utf-8")
    (root / "policy.yaml").write_text(policy, encoding="utf-8")
    return root


def example_policy() -> str:
    return bundled_policy_path().read_text(encoding="utf-8")


def build(
    make_app: MakeApp,
    srcdir: Path,
    buildername: str = "html",
    *,
    builddir: Path | None = None,
    on_read: list[str] | None = None,
    **kwargs: Any,
) -> tuple[SphinxTestApp, str]:
    """Build ``srcdir``; return the app and its warnings. ``on_read`` collects read docnames."""
    warnings = StringIO()
    app = make_app(
        buildername,
        srcdir=srcdir,
        builddir=builddir,
        status=StringIO(),
        warning=warnings,
        **kwargs,
    )
    if on_read is not None:
        app.connect("source-read", lambda _app, docname, _source: on_read.append(docname))
    try:
        app.build()
    finally:
        # Unregister this app's nodes and roles so the next app in the same test starts clean.
        app.cleanup()
    return app, warnings.getvalue()


def assert_snapshot(name: str, actual: str) -> None:
    """Compare with ``tests/snapshots/sphinx/<name>``; rewrite it when the env var is set."""
    path = SNAPSHOTS / name
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no snapshot {path}; run with {UPDATE_ENV}=1 to create it"
    assert actual == path.read_text(encoding="utf-8")
