"""Attack tests: hostile links and markup in policy text, built by a real ``sphinx-build``.

The built HTML must hold no link with an unsafe scheme, no element or attribute that
came from the input, and the build must finish (100k characters, nesting far too deep)
within the bounds every hostile test runs under.
"""

from __future__ import annotations

import sys
from pathlib import Path

from markup_hostile import hostile_site, policy_markup, policy_nesting, unsafe_hrefs
from test_hostile import run_bounded

from support_policy.handbook.markup import MAX_DEPTH

#: What the renderer itself makes inside a support-policy container; anything else came
#: from the input.
RENDERED_TAGS = {"p", "a", "span", "code", "em", "strong"}
RENDERED_ATTRIBUTES = {"class", "href"}


def test_hostile_policy_text_builds_into_inert_html(tmp_path: Path) -> None:
    srcdir = hostile_site(tmp_path / "src")
    outdir = tmp_path / "html"
    outcome = run_bounded([sys.executable, "-m", "sphinx", "-q", "-b", "html", srcdir, outdir])
    assert outcome.status == 0, outcome.stderr
    assert outcome.stderr == "", outcome.stderr

    html = (outdir / "hostile.html").read_text(encoding="utf-8")
    markup = policy_markup(html)
    assert {tag for tag, _ in markup} <= RENDERED_TAGS, markup
    assert {name for _, attrs in markup for name in attrs} <= RENDERED_ATTRIBUTES
    hrefs = [attrs["href"] for tag, attrs in markup if tag == "a"]
    assert not unsafe_hrefs(hrefs), unsafe_hrefs(hrefs)
    # Only the safe targets (given or bare) became links; every hostile text is still there.
    assert sorted(set(hrefs)) == [
        "https://ok.example.org/bare",
        "https://ok.example.org/close",
        "https://ok.example.org/nested",
        "https://ok.example.org/open",
        "https://ok.example.org/q",
        "https://ok.example.org/script",
        "mailto:support%40example.org",  # docutils escapes the @
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:alert(1)" in html  # shown as text, never as a target
    # Emphasis nested 10,000 deep in the input is at most the parser's bound in the page
    # (and the paragraph, a link and its span around it).
    assert MAX_DEPTH < policy_nesting(html) <= MAX_DEPTH + 3
