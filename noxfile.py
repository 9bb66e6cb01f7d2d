"""Automation: ``nox -s tests``, ``docs``, ``lint``, ``bench``, ``browser``, ``docs-myst``.

Sessions install the project as a built wheel (not editable), so missing package data
fails here rather than for users.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import nox

nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = not os.environ.get("CI")
nox.options.error_on_missing_interpreters = True
# uv makes the sessions' installs several times faster; plain virtualenv works too.
nox.options.default_venv_backend = "uv|virtualenv"

PACKAGES = [
    "support_policy.handbook",
    "support_policy.policy",
    "support_policy.validator",
    "support_policy.sphinxext",
]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite against the installed wheel."""
    session.install(".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the handbook (and the tool's docs) from the bundled example policy."""
    session.install(".[docs]")
    output = os.path.join("docs", "_build", "html")
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "html", "docs", output, *session.posargs
    )
    session.log(f"handbook: {os.path.join(output, 'index.html')}")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and mypy --strict over the installed packages."""
    session.install(".[test]", "ruff>=0.6", "mypy>=1.11", "types-PyYAML", "types-docutils")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    args = [arg for package in PACKAGES for arg in ("-p", package)]
    session.run("mypy", "--strict", *args)


@nox.session
def bench(session: nox.Session) -> None:
    """Whole-process benchmarks, reported as ratios against baselines from the same run."""
    # Byte-compile at install, as pip does for users; without it (uv's default, and
    # with PYTHONDONTWRITEBYTECODE set) every run would compile every import anew.
    session.install(".[test]", "check-jsonschema", env={"UV_COMPILE_BYTECODE": "1"})
    session.env["SUPPORT_POLICY_MYST"] = str(install_mystmd(session))  # section (h)
    session.run(
        "python", "benchmarks/bench.py", "--output", "benchmarks/results.md", *session.posargs
    )


@nox.session
def browser(session: nox.Session) -> None:
    """Open the built handbook in headless Chromium (Debian's ``chromium``) via playwright."""
    chromium = "/usr/bin/chromium"
    if not os.path.isfile(chromium):
        session.error(f"{chromium} not found: install it with `apt-get install chromium`")
    # Never let playwright fetch a browser of its own: only the registries are reachable.
    session.env["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    session.install(".[docs]", "pytest", "playwright>=1.40")
    output = os.path.join("docs", "_build", "html")
    session.run("sphinx-build", "-q", "-b", "html", "docs", output)
    session.run(
        "pytest",
        "tests/browser",
        *session.posargs,
        env={
            "SUPPORT_POLICY_BROWSER": "1",
            "SUPPORT_POLICY_HTML": os.path.abspath(output),
            "SUPPORT_POLICY_CHROMIUM": chromium,
        },
    )


def _mystmd_facts() -> Any:
    """``validator/mystmd_facts.py``, read by path: nox runs before the package is installed."""
    spec = importlib.util.spec_from_file_location(
        "mystmd_facts", Path(__file__).parent / "validator" / "mystmd_facts.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_FACTS = _mystmd_facts()
MYSTMD = _FACTS.MYSTMD_PACKAGE
#: what a mystmd build log shows before a warning or an error (or says "error" outright)
MYSTMD_PROBLEM = re.compile(_FACTS.PROBLEM_MARKERS + r"|\berror\b", re.IGNORECASE)


@nox.session(name="docs-myst")
def docs_myst(session: nox.Session) -> None:
    """Build the handbook with mystmd (Jupyter Book 2) too, and compare it with Sphinx's.

    mystmd comes from the npm registry into .nox/mystmd (never a global install). The
    site is assembled in .nox/docs-myst-site from docs-myst/ (myst.yml and a local site
    template), the pages of docs/handbook/, the bundled example policy and the plugin's
    launcher and warnings transform as `init --engine mystmd` writes them. Any mystmd
    warning fails the session; then tests/myst (collected only here) compare the pages.
    """
    session.install(".[test]")
    myst = install_mystmd(session)
    sphinx_html = os.path.join("docs", "_build", "html")
    session.run("sphinx-build", "-q", "-b", "html", "docs", sphinx_html)
    site = assemble_myst_site(Path(".nox", "docs-myst-site"))
    with session.chdir(site):  # mystmd builds, and runs its plugins, in the project folder
        log = session.run(str(myst), "build", "--html", external=True, silent=True)
    problems = [line for line in str(log).splitlines() if MYSTMD_PROBLEM.search(line)]
    if problems:
        session.error("mystmd build warnings:\n" + "\n".join(problems))
    session.log(f"mystmd handbook: {site / '_build' / 'html' / 'index.html'}")
    session.run(
        "pytest",
        "tests/myst",
        *session.posargs,
        env={
            "SUPPORT_POLICY_MYST": str(myst),
            "SUPPORT_POLICY_MYST_SITE": str(site.resolve()),
            "SUPPORT_POLICY_HTML": os.path.abspath(sphinx_html),
        },
    )


#: Sphinx's `{doc}` role: mystmd reads it too, but warns that a Markdown link is preferred
DOC_ROLE = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`<>]+))`")


def _doc_link(match: re.Match[str]) -> str:
    text, target = (match.group(1), match.group(2)) if match.group(2) else ("", match.group(3))
    return f"[{text}]({target.strip()}.md)"


def install_mystmd(session: nox.Session) -> Path:
    """mystmd from the npm registry into .nox/mystmd (never global); its ``myst``."""
    prefix = Path(".nox", "mystmd").resolve()
    npm = ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", MYSTMD]
    session.run(*npm, external=True, silent=True)
    return prefix / "node_modules" / ".bin" / "myst"


def assemble_myst_site(site: Path) -> Path:
    """The mystmd handbook's folder: fresh pages, the template's installed libraries kept."""
    template = site / "site-template"  # keeps its node_modules between builds
    if site.exists():
        for entry in site.iterdir():
            if entry != template:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(Path("docs-myst", "site-template"), template, dirs_exist_ok=True)
    shutil.copy(Path("docs-myst", "myst.yml"), site / "myst.yml")
    for page in Path("docs", "handbook").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        (site / page.name).write_text(DOC_ROLE.sub(_doc_link, text), encoding="utf-8")
    shutil.copy(Path("policy", "example", "policy.yaml"), site / "policy.yaml")
    for name in ("support-policy-myst", "support-policy-warnings.mjs"):
        shutil.copy(Path("validator", "scaffold", name), site / name)
    launcher = site / "support-policy-myst"
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return site
