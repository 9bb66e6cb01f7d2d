"""``support-policy init [DIR] [--force]``: scaffold a new team's support handbook.

Writes a commented, valid ``policy.yaml``, a handbook project (``--engine sphinx``, the
default: ``conf.py``; ``--engine mystmd``: ``myst.yml``, the plugin's launcher and its
warnings transform), the pages ``index.md`` and ``support.md`` (every directive but the
SLA report), a pre-commit configuration, a GitHub workflow that checks the policy and builds the
handbook, and one that posts the hand-off announcement (``handoff``).
All or nothing: when any file exists already, nothing is written (exit 2) unless
``--force``.

The package is not on the package index, so the workflow installs it from a git
repository (``--tool-repo``, at ``--tool-rev``) and the pre-commit hook comes from the
same place; ``init`` prints the install command it wrote.
"""

from __future__ import annotations

import argparse
import re
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal

from ..mystmd_facts import MYSTMD_PACKAGE, PROBLEM_MARKERS
from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, fail

SCAFFOLD_PACKAGE = "support_policy.validator"
SCAFFOLD_FOLDER = "scaffold"

# Packaged name → where it goes. Package data keeps plain names (no dot files, no
# sub-folders, no importable ``conf.py``) so that one ``scaffold/*`` glob ships them all.
FILES: dict[str, str] = {
    "policy.yaml": "policy.yaml",
    "conf.py.txt": "conf.py",
    "index.md": "index.md",
    "support.md": "support.md",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "workflow.yml": ".github/workflows/support-policy.yml",
    # Posts the hand-off announcement; the webhook secret stays in the CI settings.
    "handoff-workflow.yml": ".github/workflows/support-handoff.yml",
}

# The same handbook for mystmd (Jupyter Book 2): the pages are the same MyST; the
# project, its index page and the build workflow differ.
_SPHINX_ONLY = {"conf.py.txt", "index.md", "workflow.yml"}
MYSTMD_FILES: dict[str, str] = {
    "myst.yml": "myst.yml",
    "myst-index.md": "index.md",
    "support-policy-myst": "support-policy-myst",
    "support-policy-warnings.mjs": "support-policy-warnings.mjs",
    "myst-workflow.yml": FILES["workflow.yml"],
    **{name: target for name, target in FILES.items() if name not in _SPHINX_ONLY},
}
ENGINES: dict[str, dict[str, str]] = {"sphinx": FILES, "mystmd": MYSTMD_FILES}
#: mystmd runs its plugin as an executable file of the project
EXECUTABLES = frozenset({"support-policy-myst"})

# Where the tool itself is installed from (it is not on the package index yet).
DEFAULT_TOOL_REPO = "https://github.com/support-policy/support-policy"
TOOL_REPO_MARK = "__TOOL_REPO__"
TOOL_REV_MARK = "__TOOL_REV__"
TOOL_REQUIREMENT_MARK = "__TOOL_REQUIREMENT__"
MYSTMD_PACKAGE_MARK = "__MYSTMD_PACKAGE__"
MYSTMD_PROBLEMS_MARK = "__MYSTMD_PROBLEMS__"
# Written into YAML files unquoted or in double quotes: no quotes, spaces or newlines.
_SAFE_URL = re.compile(r"^[A-Za-z0-9/.~][A-Za-z0-9+.:/@_~%=-]*$")
_SAFE_REV = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")
HANDBOOK_MODULES = ("sphinx", "myst_parser", "sphinx_book_theme")

INSTALL_NOTE = """\
The workflow and the pre-commit hook install support-policy from its git repository
(it is not on the package index), with:
  python -m pip install "{requirement}"
Another source (a fork, a mirror): `init --tool-repo URL --tool-rev REV --force`, or
edit .github/workflows/support-policy.yml and .pre-commit-config.yaml.
"""

NEXT_STEPS = """\
Next steps:
  1. Edit policy.yaml: your organisation, team members, rotation start, targets.
  2. Check it:             support-policy validate --policy {policy}
  3. Build the handbook:   {build}
{sphinx_note}\
  4. Commit, and enable the hook: pre-commit install
"""

SPHINX_BUILD = "python -m sphinx -W -b html {folder} {folder_build}"
MYSTMD_BUILD = (
    "cd {folder} && myst build --html   (mystmd: npm install -g " + MYSTMD_PACKAGE + ")\n"
    "     The first build downloads mystmd's site theme (it needs the network); if it\n"
    "     fails, see the mystmd guide's Troubleshooting. `support-policy` must be on\n"
    "     PATH where mystmd runs (the launcher says so if it is not)."
)

SPHINX_MISSING = """\
     (Sphinx, MyST or the book theme is not installed here; install the `docs` extra:
      python -m pip install "{requirement}")
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "init",
        help="scaffold a support handbook: policy.yaml, Sphinx or mystmd pages, pre-commit, CI",
        description="Write a starter policy and handbook into DIR (default: the current folder).",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the folder to write into (created if missing)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files")
    parser.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        default="sphinx",
        help="the handbook's build engine: a Sphinx project or a mystmd one (default: sphinx)",
    )
    parser.add_argument(
        "--tool-repo",
        default=DEFAULT_TOOL_REPO,
        metavar="URL",
        help=(
            "the git repository of support-policy that CI and pre-commit install it from "
            "(a URL, or a local path)"
        ),
    )
    parser.add_argument(
        "--tool-rev",
        default=None,
        metavar="REV",
        help="the tag or commit of --tool-repo to install (default: v<installed version>)",
    )
    parser.set_defaults(run=run)


def default_rev() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"v{version('support-policy')}"
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "main"


def pip_requirement(repo: str, rev: str, engine: str = "sphinx") -> str:
    """The requirement that installs the tool from ``repo``, with the Sphinx handbook's
    extra for a Sphinx site (a mystmd site needs only the command)."""
    # pip's requirement parser wants a host in the URL: file://localhost/… for a path.
    url = repo if "://" in repo else "file://localhost" + Path(repo).resolve().as_posix()
    extra = "[docs]" if engine == "sphinx" else ""
    return f"support-policy{extra} @ git+{url}@{rev}"


def hook_repo(repo: str) -> str:
    """``repo:`` of the pre-commit config: a URL as given, a local path made absolute."""
    return repo if "://" in repo else str(Path(repo).resolve())


def scaffold_texts(
    repo: str = DEFAULT_TOOL_REPO, rev: str = "main", engine: str = "sphinx"
) -> dict[str, str]:
    """Target path (relative, POSIX) → content, in writing order."""
    from importlib import resources

    root = resources.files(SCAFFOLD_PACKAGE) / SCAFFOLD_FOLDER
    files = ENGINES[engine]
    texts = {target: (root / name).read_text(encoding="utf-8") for name, target in files.items()}
    marks = {
        TOOL_REQUIREMENT_MARK: pip_requirement(repo, rev, engine),
        TOOL_REPO_MARK: hook_repo(repo),
        TOOL_REV_MARK: rev,
        MYSTMD_PACKAGE_MARK: MYSTMD_PACKAGE,
        MYSTMD_PROBLEMS_MARK: PROBLEM_MARKERS,
    }
    for target, text in texts.items():
        for mark, value in marks.items():
            text = text.replace(mark, value)
        texts[target] = text
    return texts


def run(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        fail(Diagnostic.make(Code.USAGE, "exists and is not a folder", str(folder)))
        return EXIT_CANNOT_RUN
    rev = args.tool_rev or default_rev()
    for option, value, pattern in (
        ("--tool-repo", args.tool_repo, _SAFE_URL),
        ("--tool-rev", rev, _SAFE_REV),
    ):
        if not pattern.match(value):
            message = f"{option} `{value}` is not a plain URL, path or revision"
            fail(Diagnostic.make(Code.USAGE, message, "support-policy init"))
            return EXIT_CANNOT_RUN
    engine: str = args.engine
    texts = scaffold_texts(args.tool_repo, rev, engine)
    targets = {relative: folder / relative for relative in texts}
    if not args.force:
        conflicts = [path for path in targets.values() if path.exists() or path.is_symlink()]
        if conflicts:
            for path in conflicts:
                fail(Diagnostic.make(Code.USAGE, "exists; use --force to overwrite", str(path)))
            return EXIT_CANNOT_RUN
    blocked = [path for path in targets.values() if path.is_dir()]
    for path in blocked:
        fail(Diagnostic.make(Code.USAGE, "is a folder; cannot write a file there", str(path)))
    if blocked:
        return EXIT_CANNOT_RUN
    written: list[Path] = []
    try:
        for relative, path in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(texts[relative], encoding="utf-8")
            if relative in EXECUTABLES:
                path.chmod(0o755)
            written.append(path)
    except OSError as error:
        where = error.filename or str(folder)
        fail(Diagnostic.make(Code.USAGE, f"cannot write: {error.strerror or error}", str(where)))
        return EXIT_CANNOT_RUN
    for path in written:
        out.write(f"wrote {for_terminal(str(path))}\n")
    requirement = pip_requirement(args.tool_repo, rev, engine)
    out.write("\n")
    out.write(INSTALL_NOTE.format(requirement=requirement))
    out.write("\n")
    missing = engine == "sphinx" and any(find_spec(name) is None for name in HANDBOOK_MODULES)
    build = SPHINX_BUILD if engine == "sphinx" else MYSTMD_BUILD
    out.write(
        NEXT_STEPS.format(
            policy=for_terminal(str(targets["policy.yaml"])),
            build=build.format(
                folder=for_terminal(str(folder)),
                folder_build=for_terminal(str(folder / "_build" / "html")),
            ),
            sphinx_note=SPHINX_MISSING.format(requirement=requirement) if missing else "",
        )
    )
    return EXIT_OK
