"""What a page links to and names stays right when the policy or the pages change, and
whatever the number of parallel readers: the "On duty now" line, links in policy text,
and the std labels of objects shown on several pages."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, rootdir
from test_incremental import html, reread

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

CONF = (
    'extensions = ["myst_parser", "support_policy.sphinxext"]\n'
    'support_policy_file = "policy.yaml"\nexclude_patterns = ["_build"]\n'
)
TRIAGE = """  triage:
    role: product-and-community-lead
    members: [person-d, person-e, person-f]
    tenure: 1 week
    handover_every: 1 week
    handover_day: thursday
    start: 2026-01-08
"""
STEWARD = """  support-steward:
    role: support-steward
    members: [person-a, person-b, person-c]
    tenure: 2 weeks
    handover_every: 1 week
    handover_day: tuesday
    start: 2026-01-06
"""


def two_rotations(first: str, second: str) -> str:
    """The example policy with ``rotations:``, in the order given."""
    policy = example_policy().replace("policy.rotation.", "policy.rotations.support-steward.")
    start = policy.index("rotation:                          # the Support Steward rotation")
    end = policy.index("\nrequest_types:")
    return policy[:start] + "rotations:\n" + first + "\n" + second + policy[end:]


def project(srcdir: Path, policy: str, pages: dict[str, str]) -> Path:
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    write(srcdir, "policy.yaml", policy)
    toctree = "\n".join(sorted(pages))
    (srcdir / "index.md").write_text(f"# Handbook\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, body in pages.items():
        write(srcdir, f"{name}.md", body)
    return srcdir


def write(srcdir: Path, name: str, text: str) -> None:
    """Write a source file, newer than the last build whatever the file system's clock."""
    path = srcdir / name
    later = path.stat().st_mtime + 10 if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if later is not None:
        os.utime(path, (later, later))


def now_line(page: str) -> str:
    found = re.search(r'<p class="(support-rotation-now[^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_the_on_duty_line_names_its_rotation_after_the_rotations_are_swapped(
    make_app: MakeApp, tmp_path: Path
) -> None:
    pages = {"r": "# R\n\n```{support-rotation} triage\n```\n"}
    srcdir = project(tmp_path / "src", two_rotations(TRIAGE, STEWARD), pages)
    reread(make_app, srcdir)
    write(srcdir, "policy.yaml", two_rotations(STEWARD, TRIAGE))
    pages_read, _ = reread(make_app, srcdir)
    assert "r" not in pages_read  # the rotation renders the same
    line = now_line(html(srcdir, "r"))
    fresh = project(tmp_path / "fresh", two_rotations(STEWARD, TRIAGE), pages)
    reread(make_app, fresh)
    assert line == now_line(html(fresh, "r"))
    assert line.split() == ["support-rotation-now", "support-rotation-id-triage"]
    published = srcdir / "_build" / "html" / "_static" / "support-policy" / "rotation.json"
    ids = [rotation["id"] for rotation in json.loads(published.read_text("utf-8"))["rotations"]]
    assert ids == ["support-steward", "triage"]


def test_a_page_without_an_argument_shows_every_rotation(make_app: MakeApp, tmp_path: Path) -> None:
    pages = {"r": "# R\n\n```{support-rotation}\n```\n"}
    srcdir = project(tmp_path / "src", two_rotations(TRIAGE, STEWARD), pages)
    reread(make_app, srcdir)
    assert now_line(html(srcdir, "r")) == "support-rotation-now"


MEMBER_LINK = (
    "who sent it. Together",
    "who sent it, as [Person B](member:person-b) does. Together",
)
TEAM = "# {title}\n\n```{{support-team}}\n```\n"


def test_a_link_in_policy_text_follows_its_target_to_another_page(
    make_app: MakeApp, tmp_path: Path
) -> None:
    policy = example_policy().replace(*MEMBER_LINK)
    pages = {
        "roles": "# Roles\n\n```{support-roles}\n```\n",
        "team-a": TEAM.format(title="A"),
        "team-b": "# B\n",
    }
    srcdir = project(tmp_path / "src", policy, pages)
    reread(make_app, srcdir)
    assert 'href="team-a.html#support-member-person-b"' in html(srcdir, "roles")
    write(srcdir, "team-a.md", "# A\n")
    write(srcdir, "team-b.md", TEAM.format(title="B"))
    pages_read, _ = reread(make_app, srcdir)
    assert "roles" not in pages_read  # re-written, not re-read
    roles = html(srcdir, "roles")
    assert 'href="team-b.html#support-member-person-b"' in roles
    assert "team-a.html#" not in roles
    # No page shows the team any more: the link becomes its text.
    write(srcdir, "team-b.md", "# B\n")
    reread(make_app, srcdir)
    roles = html(srcdir, "roles")
    assert "#support-member-person-b" not in roles
    assert "as Person B does" in " ".join(re.sub(r"<[^>]+>", "", roles).split())


LINKING = (
    "# Links\n\n{ref}`support-member-person-b`, [](#support-member-person-b) and "
    "{support:member}`person-b`.\n"
)


def _hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*#support-member-person-b)"', page)


def test_std_labels_of_a_member_on_several_pages_do_not_depend_on_parallel_reads(
    make_app: MakeApp, tmp_path: Path
) -> None:
    pages = {f"team-{letter}": TEAM.format(title=letter) for letter in "abcdefgh"}
    pages["links"] = LINKING
    serial = project(tmp_path / "serial", example_policy(), pages)
    parallel = tmp_path / "parallel"
    shutil.copytree(serial, parallel)
    app, _ = build(make_app, serial, "html")
    serial_hrefs = _hrefs((Path(app.outdir) / "links.html").read_text("utf-8"))
    assert serial_hrefs == ["team-a.html#support-member-person-b"] * 3
    app, _ = build(make_app, parallel, "html", parallel=2)
    assert _hrefs((Path(app.outdir) / "links.html").read_text("utf-8")) == serial_hrefs
