"""A handbook as a real team keeps it: its own glossary and labels beside the policy's pages.

Colliding ids (an SLA, a process and a template all called `triage`), a partial glossary,
per-step owners, warnings a site can silence as ours alone, and a roles calendar that holds
other duties too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sphinx_fixtures import MakeApp, build, example_policy, rootdir

from support_policy.policy.loader import load_policy_text
from support_policy.validator.ics_export import rotation_ics

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx

CONF = """\
extensions = ["myst_parser", "support_policy.sphinxext"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
project = "handbook"
support_policy_file = "policy.yaml"
"""

TRIAGE_TEMPLATE = """\
  triage:
    name: Triage acknowledgement
    body: |
      Thank you: we are reading your request.
"""

STEP_OWNERS = (
    (
        "      - name: Categorise the ticket\n",
        "      - name: Categorise the ticket\n        owner: hub-administrator\n",
    ),
    (
        "      - name: Monitor our support channels\n",
        "      - name: Monitor our support channels\n        owner: project-manager\n",
    ),
)


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def handbook_policy() -> str:
    """The example with a template called `triage` (beside the SLA and process) and owners."""
    return replaced(
        example_policy(), ("\nprocesses:", TRIAGE_TEMPLATE + "\nprocesses:"), *STEP_OWNERS
    )


def site(root: Path, pages: dict[str, str], *, policy: str | None = None, conf: str = "") -> Path:
    root.mkdir(parents=True)
    (root / "conf.py").write_text(CONF + conf, encoding="utf-8")
    (root / "policy.yaml").write_text(policy or handbook_policy(), encoding="utf-8")
    toctree = "\n".join(name for name in pages if name != "index")
    (root / "index.md").write_text(f"# Handbook\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, text in pages.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


# --- the site of the issue: -W clean ----------------------------------------------------

HANDBOOK_PAGES = {
    "sla": "# Time targets\n\n```{support-sla}\n```\n",
    "processes": "# Processes\n\n```{support-process} triage\n```\n",
    "templates": "# Templates\n\n```{support-template} triage\n```\n",
    "roles": "# Roles\n\n```{support-roles}\n```\n",
    "glossary": (
        "# Glossary\n\n"
        "Terms the team defined itself:\n\n"
        "```{glossary}\nSupport Budget\n  Our own wording of it.\n\n"
        "Incident\n  Our own wording of it.\n```\n\n"
        "Terms from the policy:\n\n"
        "```{support-glossary}\n:exclude: support-budget request-type:incident\n```\n"
    ),
    "links": (
        "# Links\n\n"
        "- MyST: [](support-sla-triage), [](support-process-triage), "
        "[](support-template-triage)\n"
        "- ref: {ref}`support-sla-triage`, {ref}`support-process-triage`\n"
        "- any: {any}`support-template-triage`, {any}`support-process-triage`\n"
        "- typed: {support:sla}`triage`, {support:process}`triage`, {support:template}`triage`\n"
        "- terms: {term}`Support Budget`, {term}`Incident`, {term}`Support Stewards`\n"
    ),
}


def test_a_real_handbook_builds_clean_with_colliding_ids(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = site(tmp_path / "src", HANDBOOK_PAGES)
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""  # -W clean: no ambiguity, no duplicate term, nothing unresolved
    out = Path(app.outdir)
    links = (out / "links.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', links)
    # MyST [](…), {ref}, {any} and the typed role each reach their own kind of `triage`.
    assert hrefs.count("sla.html#support-sla-triage") == 3
    assert hrefs.count("processes.html#support-process-triage") == 4
    assert hrefs.count("templates.html#support-template-triage") == 3
    # Each typed link shows its own object's name: nothing was confused with another kind.
    assert ">Read and understand<" in links
    assert ">Triage process<" in links
    assert ">Triage acknowledgement<" in links
    # The site's own glossary keeps its terms; the policy's glossary leaves them out.
    assert hrefs.count("glossary.html#term-Support-Budget") == 1
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    assert glossary.count('id="term-Support-Budget"') == 1
    assert 'id="term-Support-Stewards"' in glossary
    assert "Our own wording of it." in glossary
    # Intersphinx: each kind is its own inventory entry and its own std label.
    inventory = _inventory(out / "objects.inv")
    assert "triage support:sla 1 sla.html#support-sla-$ Read and understand" in inventory
    assert "triage support:process 1 processes.html#support-process-$ Triage process" in inventory
    assert "support-sla-triage std:label -1 sla.html#$ Read and understand" in inventory
    assert "support-process-triage std:label -1 processes.html#$ Triage process" in inventory


def test_another_site_links_each_kind_through_intersphinx(
    make_app: MakeApp, tmp_path: Path
) -> None:
    first, _ = build(make_app, site(tmp_path / "first", HANDBOOK_PAGES), "html")
    inventory = Path(first.outdir) / "objects.inv"
    conf = (
        'extensions.append("sphinx.ext.intersphinx")\n'
        f'intersphinx_mapping = {{"hb": ("https://handbook.example.org/", {str(inventory)!r})}}\n'
    )
    pages = {
        "elsewhere": (
            "# Elsewhere\n\n"
            "[](inv:hb:std:label#support-sla-triage), "
            "{external+hb:ref}`support-process-triage`, "
            "{support:template}`hb:triage`\n"
        )
    }
    app, warnings = build(make_app, site(tmp_path / "second", pages, conf=conf), "html")
    assert warnings == ""
    page = (Path(app.outdir) / "elsewhere.html").read_text(encoding="utf-8")
    for href in [
        "https://handbook.example.org/sla.html#support-sla-triage",
        "https://handbook.example.org/processes.html#support-process-triage",
        "https://handbook.example.org/templates.html#support-template-triage",
    ]:
        assert f'href="{href}"' in page


def test_a_bare_colliding_id_is_still_called_ambiguous(make_app: MakeApp, tmp_path: Path) -> None:
    """`[](triage)` could mean three things: the warning names the typed targets' kinds."""
    pages = {**HANDBOOK_PAGES, "links": "# Links\n\n[](triage)\n"}
    _app, warnings = build(make_app, site(tmp_path / "src", pages), "html")
    assert "more than one target found" in warnings
    assert ":support:sla:" in warnings
    assert ":support:process:" in warnings


def test_step_owners_are_shown_in_every_builder(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = site(
        tmp_path / "src",
        {"processes": HANDBOOK_PAGES["processes"], "roles": HANDBOOK_PAGES["roles"]},
    )
    for buildername in ["html", "text", "latex"]:
        app, warnings = build(make_app, srcdir, buildername, builddir=tmp_path / buildername)
        assert warnings == ""
        out = Path(app.outdir)
        if buildername == "html":
            page = (out / "processes.html").read_text(encoding="utf-8")
            assert re.search(
                r"Who:</strong> <a [^>]*href=\"roles.html#support-role-hub-administrator\"", page
            )
        elif buildername == "text":
            text = (out / "processes.txt").read_text(encoding="utf-8")
            assert "**Who:** *Project Manager*" in text
            assert "**Who:** *Hub Administrator*" in text
            assert text.count("**Who:**") == 2  # only the steps that name their own owner
        else:
            tex = (out / "handbook.tex").read_text(encoding="utf-8")
            assert "Who:" in tex
            assert "Hub Administrator" in tex


def test_a_mixed_duty_calendar_validates(tmp_path: Path) -> None:
    """The calendar beside this handbook: other duties and dashes, and `validate` passes."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(handbook_policy(), encoding="utf-8")
    loaded = load_policy_text(handbook_policy(), "policy.yaml")
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    text = rotation_ics(loaded, date(2026, 1, 6), 12).decode()
    text = text.replace("SUMMARY:Support Steward: ", "SUMMARY:Support Steward - ")
    facilitator = (
        "BEGIN:VEVENT\r\nUID:facilitator@tests\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20260112\r\nDTEND;VALUE=DATE:20260113\r\n"
        "SUMMARY:Meeting Facilitator: Person B\r\n"
        "ATTENDEE:mailto:person-b@example.org\r\nEND:VEVENT\r\n"
    )
    calendar = tmp_path / "roles.ics"
    calendar.write_text(text.replace("END:VCALENDAR", facilitator + "END:VCALENDAR"), "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "support_policy.validator",
            "validate",
            str(policy),
            "--calendar",
            str(calendar),
            "--strict",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SP416 note: skipped 1 event of other duties (`Meeting Facilitator` ×1)" in result.stdout


# --- every warning is ours to silence ---------------------------------------------------

EVERY_WARNING = {
    "problems": (
        "# Problems\n\n"
        "```{support-priorities}\n```\n\n"  # SP502: the policy has no priorities
        "```{support-process} no-such-process\n```\n\n"  # SP201
        "```{support-sla}\n```\n\n```{support-sla}\n```\n\n"  # SP504
        "```{support-roles}\n```\n\n"  # SP503 with the roles page
        "```{support-rotation}\n:from: 2025-01-07\n```\n\n"  # SP506
        "```{support-rotation}\n:no-index:\n:weeks: 99999\n```\n\n"  # SP920
        "```{support-sla-report} missing.json\n```\n\n"  # SP620
        "```{support-glossary}\n:no-index:\n:exclude: support-stewrad\n```\n\n"  # SP508
        "{support:value}`sla.no-such-target` and {support:role}`no-such-role`\n"  # SP213, SP507
    ),
    "roles": "# Roles\n\n```{support-roles}\n```\n",
    "own": "# The site's own\n\nSee {ref}`a-label-the-site-never-defined`.\n",
}
OUR_CODES = [
    "SP201",
    "SP213",
    "SP502",
    "SP503",
    "SP504",
    "SP506",
    "SP507",
    "SP508",
    "SP620",
    "SP920",
]
SITE_OWN = "undefined label: 'a-label-the-site-never-defined'"


def without_priorities(text: str) -> str:
    start, end = text.index("\npriorities:"), text.index("\nbudget:")
    return text[:start] + text[end:]


@pytest.mark.parametrize("suppress", [False, True])
def test_suppress_warnings_silences_ours_and_only_ours(
    make_app: MakeApp, tmp_path: Path, suppress: bool
) -> None:
    conf = 'suppress_warnings = ["support-policy.*"]\n' if suppress else ""
    policy = without_priorities(handbook_policy())
    srcdir = site(tmp_path / "src", EVERY_WARNING, policy=policy, conf=conf)
    warnings = plain(build(make_app, srcdir, "html")[1])
    assert SITE_OWN in warnings
    lines = [line for line in warnings.splitlines() if "WARNING" in line]
    if suppress:
        assert len(lines) == 1, warnings
        return
    for code in OUR_CODES:
        assert any(code in line for line in lines), (code, warnings)
    ours = [line for line in lines if SITE_OWN not in line]
    assert all(re.search(r"\[support-policy\.[a-z-]+\]$", line) for line in ours), warnings
    assert "unknown support role: no-such-role [support-policy.xref]" in warnings
    assert "[ref." not in "".join(ours)


@pytest.mark.parametrize("suppress", [False, True])
def test_a_policy_that_cannot_load_is_silenced_too(
    make_app: MakeApp, tmp_path: Path, suppress: bool
) -> None:
    conf = 'suppress_warnings = ["support-policy.*"]\n' if suppress else ""
    policy = replaced(handbook_policy(), ("\nbudget:\n", "\nbudgett:\n"))  # SP101
    srcdir = site(tmp_path / "src", EVERY_WARNING, policy=policy, conf=conf)
    warnings = plain(build(make_app, srcdir, "html")[1])
    lines = [line for line in warnings.splitlines() if "WARNING" in line]
    if suppress:
        assert len(lines) == 1, warnings
        assert SITE_OWN in lines[0]
    else:
        assert any("SP101" in line and line.endswith("[support-policy.schema]") for line in lines)


def test_glossary_selection_tokens(make_app: MakeApp, tmp_path: Path) -> None:
    pages = {
        "only-terms": (
            "# A\n\n```{support-glossary}\n:include: kind:term\n:exclude: term:support-team\n```\n"
        ),
        "only-roles": (
            "# B\n\n```{support-glossary}\n:no-index:\n:include: kind:role, incident\n```\n"
        ),
        "typo": "# C\n\n```{support-glossary}\n:no-index:\n:include: kind:roles\n```\n",
    }
    app, warnings = build(make_app, site(tmp_path / "src", pages), "text")
    assert warnings.count("WARNING") == 1, warnings
    assert (
        "SP508 `:include: kind:roles` selects no glossary entry (did you mean `kind:role`?)"
        in warnings
    )
    out = Path(app.outdir)
    terms = (out / "only-terms.txt").read_text(encoding="utf-8")
    assert "Support Budget" in terms
    assert "Support Team" not in terms
    assert "Support Steward" not in terms
    roles = (out / "only-roles.txt").read_text(encoding="utf-8")
    assert "Support Steward" in roles
    assert "Incident\n" in roles
    assert "Support Budget" not in roles
    assert "Change Request" not in roles


def plain(log: str) -> str:
    """The warnings without their colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", log)


def _inventory(path: Path) -> str:
    import zlib

    raw = path.read_bytes()
    body = raw.split(b"\n", 4)[4]
    return zlib.decompress(body).decode("utf-8")
