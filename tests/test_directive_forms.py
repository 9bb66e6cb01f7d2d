"""How a page may write a directive: malformed forms are our coded warnings (SP509–SP512)
that a site can silence, a heading is not repeated under itself, and the channels table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, rootdir

from support_policy.policy.diagnostics import Code

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

CONF = 'extensions = ["myst_parser", "support_policy.sphinxext"]\nexclude_patterns = ["_build"]\n'

#: Each malformed form, in reST and in MyST, with the code it must be reported under.
MALFORMED_RST = (
    "Malformed\n=========\n\n"
    ".. support-roles::\n   :colour: blue\n\n"  # line 4: SP509
    ".. support-glossary::\n   :no-index: please\n\n"  # line 7: SP510
    ".. support-process::\n\n"  # line 10: SP511
    ".. support-sla:: extra words\n\n"  # line 12: SP512
    ".. support-template:: non-incident-status other\n\n"  # line 14: SP512
    ".. support-budget::\n\n   Some text.\n"  # line 16: SP512 (content)
)
MALFORMED_MD = (
    "# Malformed\n\n"
    "```{support-roles}\n:no-index:\n:colour: blue\n```\n\n"  # line 3: SP509
    "```{support-glossary}\n:no-index: please\n```\n\n"  # line 8: SP510
    "```{support-process}\n```\n\n"  # line 12: SP511
    "```{support-sla} extra words\n:no-index:\n```\n\n"  # line 15: SP512
    "```{support-template} non-incident-status other\n:no-index:\n```\n\n"  # line 19: SP512
    "```{support-budget}\nSome text.\n```\n"  # line 23: SP512 (content)
)
EXPECTED_RST = [
    ("SP509", 4),
    ("SP510", 7),
    ("SP511", 10),
    ("SP512", 12),
    ("SP512", 14),
    ("SP512", 16),
]
EXPECTED_MD = [
    ("SP509", 3),
    ("SP510", 8),
    ("SP511", 12),
    ("SP512", 15),
    ("SP512", 19),
    ("SP512", 23),
]


def site(root: Path, pages: dict[str, str], conf: str = "") -> Path:
    root.mkdir(parents=True)
    (root / "conf.py").write_text(CONF + conf, encoding="utf-8")
    (root / "policy.yaml").write_text(example_policy(), encoding="utf-8")
    toctree = "\n".join(name.split(".")[0] for name in pages)
    (root / "index.md").write_text(f"# Site\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def ours(warnings: str) -> list[tuple[str, str, int]]:
    """``(page, code, line)`` of each of our warnings."""
    found = re.findall(r"([\w-]+)\.(?:rst|md):(\d+): WARNING: (SP\d+) ", warnings)
    return [(page, code, int(line)) for page, line, code in found]


def test_each_malformed_form_is_reported_once_with_its_code(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = site(tmp_path / "src", {"rst.rst": MALFORMED_RST, "md.md": MALFORMED_MD})
    app, warnings = build(make_app, srcdir, "text")
    reported = [(page, code, line) for page, code, line in ours(warnings) if code != "SP503"]
    assert sorted(reported) == sorted(
        [("rst", code, line) for code, line in EXPECTED_RST]
        + [("md", code, line) for code, line in EXPECTED_MD]
    ), warnings
    assert "ERROR" not in warnings
    assert "[support-policy.directive]" in warnings
    assert "`support-roles` has no option `:colour:`" in warnings
    assert "`:no-index:` of `support-glossary` takes no value; `please` is ignored" in warnings
    assert "`support-template` takes one argument; `other` is ignored" in warnings
    assert "`support-budget` takes no content; it is ignored" in warnings
    # What can be shown is shown: the roles, the glossary, the SLA table, the template.
    page = (Path(app.outdir) / "rst.txt").read_text(encoding="utf-8")
    for shown in ("Support Steward", "Read and understand", "Non-incident status", "Per engineer"):
        assert shown in page
    assert "Support Budget" in page  # the glossary, though its flag had a value


def test_a_typo_in_an_option_name_gets_a_suggestion(make_app: MakeApp, tmp_path: Path) -> None:
    page = "# Roles\n\n```{support-roles}\n:noindex:\n```\n"
    _app, warnings = build(make_app, site(tmp_path / "src", {"roles.md": page}), "text")
    assert "has no option `:noindex:` (did you mean `no-index`?)" in warnings


@pytest.mark.parametrize("name", ["rst.rst", "md.md"])
def test_malformed_forms_pass_a_strict_build_when_silenced(
    make_app: MakeApp, tmp_path: Path, name: str
) -> None:
    text = MALFORMED_RST if name.endswith("rst") else MALFORMED_MD
    srcdir = site(tmp_path / "src", {name: text}, 'suppress_warnings = ["support-policy.*"]\n')
    app, warnings = build(make_app, srcdir, "html", warningiserror=True)
    assert warnings == ""
    assert app.statuscode == 0


def test_malformed_forms_fail_a_strict_build_otherwise(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = site(tmp_path / "src", {"rst.rst": MALFORMED_RST})
    app, warnings = build(make_app, srcdir, "html", warningiserror=True)
    assert "SP509" in warnings
    assert app.statuscode == 1


def test_the_codes_are_in_the_catalogue() -> None:
    codes = {Code.of(code).subtype for code in ("SP509", "SP510", "SP511", "SP512")}
    assert codes == {"directive"}


# --- a heading is not repeated under itself ---------------------------------------------


def test_a_rubric_that_repeats_its_section_title_is_left_out(
    make_app: MakeApp, tmp_path: Path
) -> None:
    pages = {
        "same.md": "# Triage PROCESS\n\n```{support-process} triage\n```\n",
        "other.rst": "Steps\n=====\n\n.. support-process:: triage\n   :no-index:\n",
        "role.rst": "Support Steward\n===============\n\n.. support-roles:: support-steward\n",
    }
    app, warnings = build(make_app, site(tmp_path / "src", pages), "html")
    assert warnings == ""
    out = Path(app.outdir)
    same = (out / "same.html").read_text(encoding="utf-8")
    assert '<p class="rubric"' not in same
    assert 'id="support-process-triage"' in same  # the target stays
    other = (out / "other.html").read_text(encoding="utf-8")
    assert '<p class="rubric">Triage process</p>' in other
    role = (out / "role.html").read_text(encoding="utf-8")
    assert '<p class="rubric"' not in role
    assert "Responsibilities" in role


# --- support-channels: one table --------------------------------------------------------


def channel_policy(url: str) -> str:
    text = example_policy()
    start = text.index("\nchannels:\n")
    hostile = (
        "\nchannels:\n"
        "  odd:\n"
        "    name: Odd <b>place</b>\n"
        "    kind: other\n"
        "    audience: internal\n"
        "    visibility: private\n"
        f"    url: '{url}'\n"
        "    address: help@example.org\n"
        "    label: '<i>x</i>'\n"
    )
    return text[:start] + hostile + text[start + len("\nchannels:\n") :]


def test_channels_are_one_table_with_safe_links(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = site(tmp_path / "src", {"channels.md": "# Channels\n\n```{support-channels}\n```\n"})
    (srcdir / "policy.yaml").write_text(channel_policy("javascript:alert(1)"), encoding="utf-8")
    app, warnings = build(make_app, srcdir, "html")
    assert "SP5" not in warnings
    html = (Path(app.outdir) / "channels.html").read_text(encoding="utf-8")
    assert html.count('class="support-policy-table support-channels') == 1
    for header in ("Channel", "Kind", "Audience", "Visibility", "Where / purpose"):
        assert f'<th class="head"><p>{header}</p></th>' in html
    assert 'href="https://example.freshdesk.com"' in html
    assert 'href="javascript:' not in html
    assert '<span class="pre">javascript:alert(1)</span>' in html
    assert 'href="mailto:help' in html  # Sphinx hides the address from harvesters
    assert "Odd &lt;b&gt;place&lt;/b&gt;" in html
    assert "<b>" not in html
    assert "<i>x" not in html
    assert "<strong>Kind:</strong>" not in html  # no stacked fields any more
