"""Whole builds: builders, incremental and parallel reads, injection, determinism, warnings."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path

import pytest
from sphinx_fixtures import (
    BOOK_THEME_DEPRECATION,
    MakeApp,
    build,
    copy_root,
    example_policy,
    rootdir,
)

from support_policy.policy.loader import bundled_policy_path, load_policy

pytest_plugins = ("sphinx.testing.fixtures",)
__all__ = ["rootdir"]

pytestmark = pytest.mark.sphinx


# --- builders -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("buildername", "expected"),
    [
        ("html", "roles.html"),
        ("dirhtml", "roles/index.html"),
        ("singlehtml", "index.html"),
        ("latex", "snippets.tex"),
        ("text", "roles.txt"),
    ],
)
def test_builders_succeed_without_warnings(
    make_app: MakeApp, tmp_path: Path, buildername: str, expected: str
) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    app, warnings = build(make_app, srcdir, buildername)
    assert warnings == ""
    assert (Path(app.outdir) / expected).is_file()


@pytest.mark.filterwarnings(BOOK_THEME_DEPRECATION)
def test_book_theme_html_ships_the_timeline_css(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-md", tmp_path / "src")
    app, warnings = build(
        make_app, srcdir, "html", confoverrides={"html_theme": "sphinx_book_theme"}
    )
    assert warnings == ""
    outdir = Path(app.outdir)
    assert (outdir / "_static" / "support-policy.css").is_file()
    page = (outdir / "rotation.html").read_text(encoding="utf-8")
    assert "_static/support-policy.css" in page
    assert "_static/support-policy-timeline.css" in page
    assert (outdir / "_static" / "support-policy-timeline.css").is_file()
    assert re.search(r'<div class="support-figure support-rotation-figure[^"]*">\s*<svg ', page)


# --- cross-references and glossary ----------------------------------------------------


def test_xrefs_and_plural_glossary_terms_resolve(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    app, warnings = build(make_app, srcdir, "html")
    assert "term not in glossary" not in warnings
    assert "undefined label" not in warnings
    assert warnings == ""
    page = (Path(app.outdir) / "xrefs.html").read_text(encoding="utf-8")
    for href in [
        "roles.html#support-role-support-steward",
        "request-types.html#support-request-type-incident",
        "sla.html#support-sla-triage",
        "process-triage.html#support-process-triage",
        "template.html#support-template-non-incident-status",
        "glossary.html#term-Support-Stewards",
        "glossary.html#term-Incidents",
        "glossary.html#term-Customer-Liaison",
    ]:
        assert f'href="{href}"' in page
    # No explicit title: the display name from the policy; explicit title: as written.
    assert ">Support Steward<" in page
    assert ">the stewards<" in page
    inventory = _inventory(Path(app.outdir) / "objects.inv")
    assert "support-steward support:role 1 roles.html#support-role-$ Support Steward" in inventory
    assert "non-incident-status support:template" in inventory
    genindex = (Path(app.outdir) / "genindex.html").read_text(encoding="utf-8")
    assert 'href="roles.html#support-role-support-steward">(support role)' in genindex


def test_unknown_xref_warns(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    (srcdir / "xrefs.rst").write_text(
        "Xrefs\n=====\n\nSee :support:role:`support-stewart`.\n", encoding="utf-8"
    )
    _app, warnings = build(make_app, srcdir, "html")
    expected = "xrefs.rst:4: WARNING: SP507 unknown support role: support-stewart"
    assert f"{expected} [support-policy.xref]" in warnings


def test_no_index_creates_no_duplicates(make_app: MakeApp, tmp_path: Path) -> None:
    """The same sections on a second page with :no-index: give no duplicate warnings."""
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    (srcdir / "again.rst").write_text(
        ":orphan:\n\nAgain\n=====\n\n"
        + "".join(
            f".. {name}::\n   :no-index:\n\n"
            for name in ["support-roles", "support-sla", "support-glossary", "support-template"]
        ),
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    page = (Path(app.outdir) / "again.html").read_text(encoding="utf-8")
    assert 'id="support-role-support-steward"' not in page
    assert 'id="term-' not in page


# --- incremental and parallel -------------------------------------------------------


def test_incremental_rebuild_rereads_exactly_the_policy_pages(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    first: list[str] = []
    _app, warnings = build(make_app, srcdir, "html", on_read=first)
    assert warnings == ""
    assert set(first) == {
        *("index", "uses-roles", "uses-budget", "uses-glossary"),
        *("uses-value", "uses-xref", "plain-a", "plain-b"),
    }

    untouched: list[str] = []
    build(make_app, srcdir, "html", on_read=untouched)
    assert untouched == []

    policy = srcdir / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "name: Support Steward\n", "name: Support Guardian\n"
        ),
        encoding="utf-8",
    )
    later = policy.stat().st_mtime + 10
    os.utime(policy, (later, later))
    edited: list[str] = []
    app, warnings = build(make_app, srcdir, "html", on_read=edited)
    assert warnings == ""
    # The roles and glossary pages show the new name; the link to it is re-written, not
    # re-read; the value on uses-value did not change (tests/test_incremental.py has more).
    assert sorted(edited) == ["uses-glossary", "uses-roles"]
    page = (Path(app.outdir) / "uses-xref.html").read_text(encoding="utf-8")
    assert "Support Guardian" in page


def test_parallel_build_has_no_warnings(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-md", tmp_path / "src")
    assert len(list(srcdir.glob("*.md"))) >= 8
    app, warnings = build(make_app, srcdir, "html", parallel=2)
    assert warnings == ""
    page = (Path(app.outdir) / "xrefs.html").read_text(encoding="utf-8")
    assert 'href="roles.html#support-role-support-steward"' in page
    assert 'href="glossary.html#term-Incidents"' in page


# --- policy text is plain text ------------------------------------------------------

EVIL = "<script>alert(1)</script> .. raw:: html ```{include} /etc/passwd``` |sub|"

INJECTION_POLICY = f"""\
version: 1
organization:
  name: "Evil <script>alert(1)</script> Org"
team:
  name: Team
  members:
    person-a: {{name: Person A}}
roles:
  support-steward:
    name: Support Steward
    plural: Support Stewards
    description: "{EVIL}"
    responsibilities:
      - ".. raw:: html\\n\\n   <script>alert(2)</script>"
      - "```{{include}} /etc/passwd```"
channels:
  mail:
    name: "<b>Mail</b>"
    kind: other
    audience: external
    visibility: public
    url: "javascript:alert(3)"
    purpose: "|sub| and :support:value:`sla.x` and {{{{ policy.organization.name }}}}"
templates:
  evil:
    name: "Evil template"
    variables: [NAME]
    body: "Hi {{{{ NAME }}}} <script>alert(4)</script>\\n.. raw:: html\\n"
glossary:
  evil:
    term: "Evil <i>term</i>"
    definition: "{EVIL}"
"""


def test_policy_strings_render_literally(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("injection", tmp_path / "src", policy=INJECTION_POLICY)
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    for name in ("rst-page", "md-page"):
        page = (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; Org" in page  # via support:value
        assert "&lt;b&gt;Mail&lt;/b&gt;" in page
        assert 'href="javascript:' not in page
        assert "|sub|" in page
        # Backticks make code, never a role: the path is shown, not resolved.
        assert re.search(
            r":support:value:<code[^>]*><span class=\"pre\">sla\.x</span></code>", page
        )
        assert "/etc/passwd" in page
    rst_page = (Path(app.outdir) / "rst-page.html").read_text(encoding="utf-8")
    assert ".. raw:: html" in rst_page
    assert re.search(r"<code[^>]*>.*\{include\}.*/etc/passwd.*</code>", rst_page)
    assert "Hi {{ NAME }} &lt;script&gt;alert(4)&lt;/script&gt;" in rst_page
    assert "Evil &lt;i&gt;term&lt;/i&gt;" in rst_page


# --- determinism --------------------------------------------------------------------


def test_two_builds_give_identical_html(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    outputs = []
    for name in ("one", "two"):
        app, warnings = build(make_app, srcdir, "html", builddir=tmp_path / name, freshenv=True)
        assert warnings == ""
        outputs.append(Path(app.outdir))
    pages = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert (outputs[0] / page).read_bytes() == (outputs[1] / page).read_bytes(), page


def test_rotation_today_honours_source_date_epoch(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772582400")  # 2026-03-04
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    (srcdir / "rotation.rst").write_text(
        "Rotation\n========\n\n.. support-rotation::\n   :from: today\n   :weeks: 2\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir, "text")
    assert warnings == ""
    text = (Path(app.outdir) / "rotation.txt").read_text(encoding="utf-8")
    assert "2026-03-04 to 2026-03-17 (2 weeks)" in " ".join(text.split())


def _rotation_page(srcdir: Path, option: str) -> None:
    (srcdir / "rotation.rst").write_text(
        f"Rotation\n========\n\n.. support-rotation::\n   {option}\n   :weeks: 2\n",
        encoding="utf-8",
    )


def test_rotation_from_before_its_start_warns_and_starts_at_start(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """The example rotation starts 2026-01-06; a page asking for 2025 shows no made-up past."""
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    _rotation_page(srcdir, ":from: 2025-12-01")
    app, warnings = build(make_app, srcdir, "text")
    assert re.search(
        r"rotation\.rst:\d+: WARNING: SP506 `:from: 2025-12-01` is before the start of the "
        r"`support-steward` rotation \(2026-01-06\); the schedule is shown from its start "
        r".*\[support-policy\.rotation\]",
        warnings,
    ), warnings
    text = " ".join((Path(app.outdir) / "rotation.txt").read_text(encoding="utf-8").split())
    assert "2026-01-06 to 2026-01-19 (2 weeks)" in text


def test_rotation_from_today_before_its_start_shows_the_start_quietly(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rotation that begins next month: the scaffold's `:from: today` must not warn."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765843200")  # 2025-12-16
    srcdir = copy_root("snippets-rst", tmp_path / "src")
    _rotation_page(srcdir, ":from: today")
    app, warnings = build(make_app, srcdir, "text")
    assert warnings == ""
    text = " ".join((Path(app.outdir) / "rotation.txt").read_text(encoding="utf-8").split())
    assert "2026-01-06 to 2026-01-19 (2 weeks)" in text


# --- policy problems become Sphinx warnings -----------------------------------------


def _bad_policy() -> str:
    return example_policy().replace("on_duty: 2 ", "on_duty: 3 ")


def test_policy_diagnostics_are_positioned_warnings(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("bad-policy", tmp_path / "src", policy=_bad_policy())
    _app, warnings = build(make_app, srcdir, "html")
    policy = (srcdir / "policy.yaml").resolve()
    line = next(
        number
        for number, text in enumerate(policy.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith("on_duty: 3")
    )
    assert re.search(
        rf"{re.escape(str(policy))}:{line}: WARNING: SP203 on_duty is 3, .*"
        r"\[support-policy\.rotation\]",
        warnings,
    ), warnings
    assert re.search(
        r"value\.rst:4: WARNING: SP213 unknown policy value `sla.frist-response` "
        r"\(did you mean `sla.first-response`\?\) \[support-policy\.reference\]",
        warnings,
    ), warnings


def test_suppress_warnings_silences_policy_diagnostics(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("bad-policy", tmp_path / "src", policy=_bad_policy())
    (srcdir / "value.rst").write_text("Value\n=====\n\nNothing.\n", encoding="utf-8")
    _app, warnings = build(
        make_app, srcdir, "html", confoverrides={"suppress_warnings": ["support-policy.rotation"]}
    )
    assert warnings == ""


def _plain(warnings: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", warnings)


def test_unreadable_policy_warns_once_and_renders_nothing(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = copy_root("bad-policy", tmp_path / "src")  # no policy.yaml written
    app, warnings = build(make_app, srcdir, "html")
    assert [line for line in _plain(warnings).splitlines() if "WARNING" in line] == [
        f"WARNING: {(srcdir / 'policy.yaml').resolve()}: SP001 no such file [support-policy.file]"
    ]
    assert "support-rotation" not in (Path(app.outdir) / "rotation.html").read_text(
        encoding="utf-8"
    )


def test_a_yaml_mistake_is_one_warning_however_many_directives(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Every snippet page uses the policy; the broken file is still reported only once."""
    broken = example_policy().replace("\n  name: Example Org\n", "\n\tname: Example Org\n", 1)
    assert broken != example_policy()
    srcdir = copy_root("snippets-md", tmp_path / "src", policy=broken)
    overrides = {"support_policy_file": "policy.yaml", "support_policy_example": False}
    app, warnings = build(make_app, srcdir, "html", confoverrides=overrides)
    lines = [line for line in _plain(warnings).splitlines() if "WARNING" in line]
    assert len(lines) == 1, warnings
    assert "SP010 a tab character indents this line" in lines[0]
    assert "indent with spaces, not a tab" in lines[0]
    assert lines[0].endswith("[support-policy.yaml]")
    assert "Person A" not in (Path(app.outdir) / "rotation.html").read_text(encoding="utf-8")


def _inventory(path: Path) -> str:
    raw = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = raw.index(b"\n", header_end) + 1
    return zlib.decompress(raw[header_end:]).decode()


def test_extension_declares_parallel_safety(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    app, _warnings = build(make_app, srcdir, "dummy")
    extension = app.extensions["support_policy.sphinxext"]
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert extension.metadata["env_version"] >= 1


def _duplicate_root(tmp_path: Path) -> Path:
    """Eight pages, three of which render the roles with targets (enough for -j to split)."""
    srcdir = copy_root("incremental", tmp_path / "src", policy=example_policy())
    for name in ["dup-b", "dup-m", "dup-z", "filler-1", "filler-2", "filler-3"]:
        body = ".. support-roles::\n" if name.startswith("dup") else "Nothing here.\n"
        underline = "=" * len(name)
        (srcdir / f"{name}.rst").write_text(f":orphan:\n\n{name}\n{underline}\n\n{body}", "utf-8")
    return srcdir


def _normalised(warnings: str, srcdir: Path) -> list[str]:
    # Sphinx colours and orders parallel output differently; the set of lines is the fact.
    lines = (re.sub(r"\x1b\[[0-9;]*m", "", line) for line in warnings.splitlines())
    return sorted(line.replace(str(srcdir), "SRC") for line in lines if line.strip())


def test_duplicate_targets_warn_the_same_with_and_without_parallel_reads(
    make_app: MakeApp, tmp_path: Path
) -> None:
    serial_src = _duplicate_root(tmp_path / "serial")
    parallel_src = _duplicate_root(tmp_path / "parallel")

    _app, serial = build(make_app, serial_src, "html")
    _app, parallel = build(make_app, parallel_src, "html", parallel=4)

    serial_lines = _normalised(serial, serial_src)
    # Every page after the first (by name) that defines a role is warned, once per role.
    policy = load_policy(bundled_policy_path()).policy
    assert policy is not None
    role_count = len(policy.roles)
    duplicates = [line for line in serial_lines if "SP503" in line]
    assert len(duplicates) == 3 * role_count
    assert all("also in dup-b" in line for line in duplicates if "dup-m" in line or "dup-z" in line)
    assert "[support-policy.duplicate]" in duplicates[0]
    assert _normalised(parallel, parallel_src) == serial_lines


def test_a_duplicate_is_still_warned_when_only_one_page_is_reread(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = _duplicate_root(tmp_path)
    _app, first = build(make_app, srcdir, "html")
    (srcdir / "filler-1.rst").write_text(":orphan:\n\nfiller-1\n========\n\nEdited.\n", "utf-8")
    reread: list[str] = []
    _app, second = build(make_app, srcdir, "html", freshenv=False, on_read=reread)
    assert reread == ["filler-1"]
    assert [line for line in _normalised(first, srcdir) if "SP503" in line]
    assert _normalised(second, srcdir) == _normalised(first, srcdir)


def test_without_settings_the_build_renders_the_policy_beside_conf_py(
    make_app: MakeApp, tmp_path: Path
) -> None:
    # A forgotten setting must never publish the bundled example's people.
    srcdir = tmp_path / "site"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["support_policy.sphinxext"]\n', "utf-8")
    (srcdir / "index.rst").write_text("Team\n====\n\n.. support-roles::\n", "utf-8")
    policy = example_policy().replace("name: Support Steward\n", "name: Duty Lead\n", 1)
    (srcdir / "policy.yaml").write_text(policy, encoding="utf-8")
    app, warnings = build(make_app, srcdir, "html")
    assert warnings == ""
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "Duty Lead" in page

    (srcdir / "policy.yaml").unlink()
    _app, warnings = build(make_app, srcdir, "html", freshenv=True)
    assert "SP001" in warnings
    assert "site/policy.yaml: SP001 no such file" in _plain(warnings)
