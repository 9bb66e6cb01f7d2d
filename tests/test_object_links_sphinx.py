"""Links from policy text to policy objects, in a Sphinx build of the real directives.

The bundled example's Hub Administrator description gains one link of every kind; one page
shows it, another page shows the objects. A link reaches its object on the other page, and
stays text, quietly, where the object is rendered nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, rootdir

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

ADMIN = "      looks after its users and the settings the community controls itself.\n"
#: one link of each kind, then one without text of its own (the object's name shows)
LINKS = (
    "      Ask the [steward](role:support-steward) about an [incident](request-type:incident)\n"
    "      within [the triage target](sla:triage); follow the\n"
    "      [incident response](process:incident-response), send the\n"
    "      [status update](template:non-incident-status), ask [A](member:person-a), read\n"
    "      the [roles calendar](rotation:support-steward) and the\n"
    "      [budget](term:support-budget); see [](process:triage).\n"
)
POLICY = example_policy().replace(ADMIN, ADMIN + LINKS)

TARGETS = """\
# Targets

```{support-roles} support-steward
```

```{support-request-types}
```

```{support-sla}
```

```{support-process} incident-response
```

```{support-process} triage
```

```{support-template} non-incident-status
```

```{support-team}
:on: 2026-02-01
```

```{support-rotation}
:from: 2026-01-06
```

```{support-glossary}
:include: support-budget
```
"""

LINKS_PAGE = "# Links\n\n```{support-roles} hub-administrator\n```\n"

#: link text → the anchor it must reach on the targets page
EXPECTED = {
    "steward": "support-role-support-steward",
    "incident": "support-request-type-incident",
    "the triage target": "support-sla-triage",
    "incident response": "support-process-incident-response",
    "status update": "support-template-non-incident-status",
    "A": "support-member-person-a",
    "roles calendar": "support-rotation-support-steward",
    "budget": "term-Support-Budget",
    "Triage process": "support-process-triage",
}


def write_site(root: Path, pages: dict[str, str], *, nitpicky: bool = False) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "support_policy.sphinxext"]\n'
        'support_policy_file = "policy.yaml"\n'
        f"nitpicky = {nitpicky}\n",
        encoding="utf-8",
    )
    toctree = "\n".join(pages)
    (root / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for name, text in pages.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return root


def anchors(html: str) -> dict[str, str]:
    """Link text → href, for every link in the page's policy output."""
    link = r'<a class="[^"]*reference internal[^"]*" href="([^"]*)"[^>]*>(.*?)</a>'
    found = re.findall(link, html)
    return {re.sub(r"<[^>]*>", "", text): href for href, text in found}


def test_each_kind_links_to_its_object_on_another_page(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = write_site(tmp_path / "src", {"links": LINKS_PAGE, "targets": TARGETS})
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    outdir = Path(app.outdir)
    links = anchors((outdir / "links.html").read_text(encoding="utf-8"))
    for text, anchor in EXPECTED.items():
        assert links.get(text) == f"targets.html#{anchor}", (text, links)
    targets = (outdir / "targets.html").read_text(encoding="utf-8")
    for anchor in EXPECTED.values():
        assert f'id="{anchor}"' in targets, anchor
    # The rotation's anchor stands before its picture and its feed.
    rotation = targets.index('id="support-rotation-support-steward"')
    assert rotation < targets.index("<svg", rotation)


def test_objects_rendered_nowhere_leave_the_text_quietly(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = write_site(tmp_path / "src", {"links": LINKS_PAGE}, nitpicky=True)
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    html = (Path(app.outdir) / "links.html").read_text(encoding="utf-8")
    assert anchors(html) == {}
    words = " ".join(re.sub(r"<[^>]*>", " ", html).split())
    assert "Ask the steward about an incident within the triage target ;" in words
    # No text of its own: the object's name, from the policy, even unlinked.
    assert "see Triage process ." in words


def test_member_and_rotation_roles_and_std_labels(make_app: MakeApp, tmp_path: Path) -> None:
    page = (
        "# Mentions\n\n{support:member}`person-b`, {support:rotation}`support-steward`, "
        "[the feed](support-rotation-support-steward) and {ref}`support-member-person-c`.\n"
    )
    srcdir = write_site(tmp_path / "src", {"mentions": page, "targets": TARGETS})
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    links = anchors((Path(app.outdir) / "mentions.html").read_text(encoding="utf-8"))
    assert links["Person B"] == "targets.html#support-member-person-b"
    assert links["Support Steward rotation"] == "targets.html#support-rotation-support-steward"
    assert links["the feed"] == "targets.html#support-rotation-support-steward"
    assert links["Person C"] == "targets.html#support-member-person-c"


def test_a_team_and_a_rotation_shown_on_two_pages_link_to_the_first(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Members and rotations are shown wherever a site likes: no duplicate warning, and
    links go to the first page by name, whatever order the pages are read in."""
    shown = "# Again\n\n```{support-team}\n:on: 2026-02-01\n```\n\n```{support-rotation}\n```\n"
    pages = {"links": LINKS_PAGE, "zz-again": shown, "targets": TARGETS}
    app, warnings = build(make_app, write_site(tmp_path / "src", pages), "html")
    assert warnings == ""
    links = anchors((Path(app.outdir) / "links.html").read_text(encoding="utf-8"))
    assert links["A"] == "targets.html#support-member-person-a"
    assert links["roles calendar"] == "targets.html#support-rotation-support-steward"


def test_a_hostile_target_is_escaped_text(make_app: MakeApp, tmp_path: Path) -> None:
    """What cannot be an id stays the text as written, escaped: never markup, never a link."""
    hostile = "      See [x](role:<script>alert(1)</script>) and [y](term:<img src=q>).\n"
    srcdir = write_site(tmp_path / "src", {"links": LINKS_PAGE, "targets": TARGETS})
    (srcdir / "policy.yaml").write_text(POLICY.replace(LINKS, hostile), encoding="utf-8")
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    html = (Path(app.outdir) / "links.html").read_text(encoding="utf-8")
    assert "[x](role:&lt;script&gt;alert(1)&lt;/script&gt;)" in html
    assert "[y](term:&lt;img src=q&gt;)" in html
    assert "<script>alert" not in html
    assert "<img src=q" not in html
