"""Automation: ``nox -s tests``, ``nox -s docs``, ``nox -s lint`` (and ``bench`` later).

Sessions install the project as a built wheel (not editable), so missing package data
fails here rather than for users.
"""

from __future__ import annotations

import os

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
