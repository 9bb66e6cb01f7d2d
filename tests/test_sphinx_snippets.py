"""Every directive and the roles, written in reST and in MyST, render to one snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from sphinx_fixtures import ROOTS, MakeApp, assert_snapshot, build, copy_root, rootdir

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

SNIPPETS = sorted(
    path.stem for path in (ROOTS / "test-snippets-rst").glob("*.rst") if path.stem != "index"
)


@pytest.fixture(scope="module")
def text_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build both snippet roots once with the text builder; kind → output folder."""
    from sphinx.testing.util import SphinxTestApp

    outputs: dict[str, Path] = {}
    for kind in ("rst", "md"):
        srcdir = copy_root(f"snippets-{kind}", tmp_path_factory.mktemp(kind) / "src")
        app = SphinxTestApp("text", srcdir=srcdir)
        try:
            app.build()
            assert app.warning.getvalue() == "", app.warning.getvalue()  # type: ignore[attr-defined]
            outputs[kind] = Path(app.outdir)
        finally:
            app.cleanup()
    return outputs


def test_roots_have_the_same_snippets() -> None:
    md = sorted(p.stem for p in (ROOTS / "test-snippets-md").glob("*.md") if p.stem != "index")
    assert md == SNIPPETS
    assert len(SNIPPETS) >= 12


@pytest.mark.parametrize("name", SNIPPETS)
def test_rst_and_myst_render_the_same(name: str, text_outputs: dict[str, Path]) -> None:
    rst = (text_outputs["rst"] / f"{name}.txt").read_text(encoding="utf-8")
    md = (text_outputs["md"] / f"{name}.txt").read_text(encoding="utf-8")
    assert rst == md
    assert_snapshot(f"{name}.txt", rst)


def test_value_role_inserts_plain_text(text_outputs: dict[str, Path]) -> None:
    text = (text_outputs["md"] / "value.txt").read_text(encoding="utf-8")
    assert "First response within 24 working hours; budget 34 hours." in text


def test_budget_shows_the_derivation(text_outputs: dict[str, Path]) -> None:
    text = " ".join((text_outputs["rst"] / "budget.txt").read_text(encoding="utf-8").split())
    assert "173 h × 20% = 34.6 h → 34 h per engineer per month (rounded down)" in text
    assert "1.7–4.25 h per community per month (34 h ÷ 20 … 34 h ÷ 8 communities)" in text


def test_doctrees_match_between_rst_and_myst(make_app: MakeApp, tmp_path: Path) -> None:
    """Beyond the text output: the directive nodes themselves are the same."""
    trees = {}
    for kind in ("rst", "md"):
        srcdir = copy_root(f"snippets-{kind}", tmp_path / kind)
        app, warnings = build(make_app, srcdir, "dummy")
        assert warnings == ""
        doctree = app.env.get_doctree("process-overview")
        container = next(
            n for n in doctree.findall(nodes.container) if "support-process" in n["classes"]
        )
        trees[kind] = _strip_source(container.deepcopy()).pformat()
    assert trees["rst"] == trees["md"]


def _strip_source(node: nodes.Element) -> nodes.Element:
    for child in node.findall(nodes.Element):
        child.source = child.line = None
    return node
