"""Policy text with links and markup, built by Sphinx in every builder that matters.

The ``test-markup`` root shows policy prose through a small ``policy-text`` directive
(parser, then the extension's inline renderer), as every directive of the extension does.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docutils import nodes
from sphinx_fixtures import MakeApp, build, copy_root, rootdir

from support_policy.handbook.model import Link, Text
from support_policy.sphinxext.render_inline import inline_node

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx


def _policy_text(srcdir: Path, name: str, text: str) -> None:
    """A page ``name`` (in the toctree's reach as an orphan) showing ``text``."""
    body = "\n".join(f"   {line}" for line in text.splitlines())
    (srcdir / f"{name}.rst").write_text(
        f":orphan:\n\nPage\n====\n\n.. policy-text::\n\n{body}\n", encoding="utf-8"
    )


def _paragraphs(html: str) -> list[str]:
    container = r'<div class="support-policy policy-text docutils container">\s*<p>(.*?)</p>'
    return re.findall(container, html, flags=re.DOTALL)


def test_html_links_code_and_emphasis(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("markup", tmp_path / "src")
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    (index,) = _paragraphs((Path(app.outdir) / "index.html").read_text(encoding="utf-8"))
    # A page link is a real link to the page, its formatting kept.
    assert (
        '<a class="support-page-link reference internal" href="process.html">'
        '<span class="doc">incident response <em>process</em></span></a>'
    ) in index
    assert (
        '<a class="reference external" href="https://calendar.example.org/roles?team=a&amp;b=1">'
        "roles calendar</a>"
    ) in index
    assert 'href="mailto:' in index
    assert (
        '<a class="reference external" href="https://docs.example.org/support">'
        "https://docs.example.org/support</a>."
    ) in index
    assert "<code" in index
    assert "validate</span></code>" in index
    assert "<strong>carefully</strong>" in index


def test_page_links_resolve_like_doc_references(make_app: MakeApp, tmp_path: Path) -> None:
    """Relative to the page showing the text; ``/`` from the docs root; ``..`` climbs."""
    srcdir = copy_root("markup", tmp_path / "src")
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    outdir = Path(app.outdir)
    (process,) = _paragraphs((outdir / "process.html").read_text(encoding="utf-8"))
    assert 'href="index.html"><span class="doc">overview</span></a>' in process
    assert 'href="sub/page.html"><span class="doc">the sub page</span></a>' in process
    (sub,) = _paragraphs((outdir / "sub" / "page.html").read_text(encoding="utf-8"))
    # No link text: the page's title, as Sphinx's {doc} shows it.
    assert 'href="../process.html"><span class="doc">Incident response</span></a>' in sub
    assert 'href="../index.html"><span class="doc">home</span></a>' in sub


def test_missing_page_warns_sp513_and_keeps_the_text(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("markup", tmp_path / "src")
    _policy_text(
        srcdir,
        "broken",
        "See [the runbook](doc:runbook) and [up](doc:../../outside).\n\n"
        "The site's own :doc:`no-such-page` keeps Sphinx's warning.",
    )
    (srcdir / "own.rst").write_text(
        ":orphan:\n\nOwn\n===\n\nSee :doc:`no-such-page`.\n", encoding="utf-8"
    )
    app, warnings = build(make_app, srcdir, "html")
    lines = warnings.splitlines()
    assert any(
        "broken.rst:6: WARNING: SP513 no handbook page `runbook` for this link "
        "[support-policy.link]" in line
        for line in lines
    ), warnings
    assert any("SP513 no handbook page `../../outside`" in line for line in lines), warnings
    # The site's own {doc} reference is Sphinx's business: its own words, no code of ours.
    own = [line for line in lines if "own.rst" in line]
    assert len(own) == 1, warnings
    assert "unknown document" in own[0]
    assert "SP513" not in own[0]
    (broken,) = _paragraphs((Path(app.outdir) / "broken.html").read_text(encoding="utf-8"))
    assert "the runbook" in broken
    assert "runbook.html" not in broken
    assert "<a " not in broken


def test_sp513_is_silenced_by_its_subtype(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("markup", tmp_path / "src")
    _policy_text(srcdir, "broken", "See [the runbook](doc:runbook).")
    _app, warnings = build(
        make_app, srcdir, "html", confoverrides={"suppress_warnings": ["support-policy.link"]}
    )
    assert warnings == ""


@pytest.mark.parametrize("buildername", ["text", "latex", "singlehtml", "dirhtml", "man"])
def test_every_builder_shows_the_link_text(
    make_app: MakeApp, tmp_path: Path, buildername: str
) -> None:
    srcdir = copy_root("markup", tmp_path / "src")
    app, warnings = build(make_app, srcdir, buildername)
    assert warnings == ""
    output = "\n".join(
        path.read_text(encoding="utf-8")
        for path in Path(app.outdir).rglob("*")
        if path.suffix in {".txt", ".tex", ".html", ".1"}
    )
    words = " ".join(re.sub(r"<[^>]*>", " ", output).split())
    for text in ["incident response", "roles calendar", "validate", "carefully", "home"]:
        assert text in words, f"{buildername}: {text!r} missing"
    if buildername == "latex":
        assert (
            r"\sphinxhref{https://calendar.example.org/roles?team=a\&b=1}{roles calendar}" in output
        )
        assert (
            r"{\hyperref[\detokenize{process::doc}]{\sphinxcrossref{\DUrole{doc}{home}"
            not in output
        )
        assert (
            r"{\hyperref[\detokenize{index::doc}]{\sphinxcrossref{\DUrole{doc}{home}}}}" in output
        )


def test_unsafe_schemes_never_become_links(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("markup", tmp_path / "src")
    _policy_text(
        srcdir,
        "hostile",
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert%281%29) [c](vbscript:msgbox)\n"
        "[d](data:text/html;base64,PHNjcmlwdD4=) [<script>alert(1)</script>](javascript:x)\n"
        "[<img src=x onerror=alert(1)>](https://ok.example.org) <b>bold</b> &amp; &lt;\n"
        '[q](https://ok.example.org/"onmouseover="alert(1)) [e](javascript&#58;alert)',
    )
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    (hostile,) = _paragraphs((Path(app.outdir) / "hostile.html").read_text(encoding="utf-8"))
    hrefs = re.findall(r'href="([^"]*)"', hostile)
    # The only links: the safe one, and the bare URL before the `"` that ends it.
    assert hrefs == ["https://ok.example.org", "https://ok.example.org/"], hrefs
    assert "<script" not in hostile
    assert "<img" not in hostile
    assert "<b>" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile  # shown, as written
    assert "&amp;amp;" in hostile  # an entity in the text is text, not a character
    tags = _tags(hostile)
    assert {tag for tag, _ in tags} <= {"a", "span", "code", "em", "strong"}, tags
    assert {name for _, attrs in tags for name in attrs} <= {"href", "class"}, tags


def _tags(html: str) -> list[tuple[str, list[str]]]:
    """Every start tag in ``html`` and the names of its attributes."""
    found: list[tuple[str, list[str]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, [name for name, _ in attrs]))

    Collector().feed(html)
    return found


def test_renderer_checks_the_scheme_again() -> None:
    """A ``Link`` made without the parser (any builder may) still never links elsewhere."""
    for url in ["javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:x", "java\tscript:x"]:
        node = inline_node(Link(url, (Text("click"),)), "index")
        assert not list(node.findall(nodes.reference)), url
        assert node.astext() == "click"
    safe = inline_node(Link("https://ok.example.org", (Text("ok"),)), "index")
    assert isinstance(safe, nodes.reference)
    assert safe["refuri"] == "https://ok.example.org"
