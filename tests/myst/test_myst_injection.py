"""Policy text stays text in a mystmd build: the Sphinx injection policy, through the plugin.

The same hostile policy as ``test_sphinx_build.test_policy_strings_render_literally``
(and the same MyST page of ``tests/roots/test-injection``), read the way a mystmd site
consumes it: the MyST AST mystmd stores for the theme, and the built HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mystmd_build import ROOT, MystBuild, myst_build
from test_output_safety import MARKDOWN_VECTORS
from test_sphinx_build import INJECTION_POLICY

SAFE_URL = re.compile(r"^(https?:|mailto:|#|/)")


def _nodes(tree: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(item.get("children", []))
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _build(tmp_path: Path) -> MystBuild:
    page = (ROOT / "tests" / "roots" / "test-injection" / "md-page.md").read_text("utf-8")
    return myst_build(tmp_path, {"md-page.md": page}, INJECTION_POLICY)


def test_policy_strings_render_literally_in_the_mystmd_html(tmp_path: Path) -> None:
    build = _build(tmp_path)
    assert build.status == 0, build.log
    assert build.problems == [], build.log
    html = build.html()
    assert "<script>alert" not in html
    assert "&#x3C;script>alert(1)&#x3C;/script>" in html or "&lt;script&gt;alert(1)" in html
    assert "<b>Mail</b>" not in html
    assert 'href="javascript:' not in html
    assert "|sub|" in html
    assert "/etc/passwd" in html


def test_the_mystmd_ast_has_no_raw_html_and_only_safe_links(tmp_path: Path) -> None:
    build = _build(tmp_path)
    assert build.status == 0, build.log
    tree = json.loads(build.content("index"))["mdast"]
    nodes = _nodes(tree)
    assert [n for n in nodes if n.get("type") == "html"] == []
    urls = [n["url"] for n in nodes if n.get("type") in ("link", "image") and "url" in n]
    assert [u for u in urls if not SAFE_URL.match(u)] == []
    assert not any(n.get("type") == "supportPolicyProblem" for n in nodes)


def test_markdown_vectors_in_a_value_stay_text(tmp_path: Path) -> None:
    vectors = "".join(f"\n      - {json.dumps(v)}" for v in MARKDOWN_VECTORS)
    policy = INJECTION_POLICY.replace(
        "    responsibilities:\n", f"    responsibilities:{vectors}\n", 1
    )
    page = "# Roles\n\n```{support-roles}\n```\n"
    build = myst_build(tmp_path, {"roles.md": page}, policy)
    assert build.status == 0, build.log
    assert build.problems == [], build.log
    html = build.html()
    assert "<img src=x" not in html
    assert "<details>" not in html
    assert "<!-- hide" not in html
    tree = json.loads(build.content("index"))["mdast"]
    assert [n for n in _nodes(tree) if n.get("type") == "html"] == []
