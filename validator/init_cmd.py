"""``support-policy init [DIR] [--force]``: scaffold a new team's support handbook.

Writes a commented, valid ``policy.yaml``, a Sphinx project (``conf.py``, ``index.md``,
``support.md`` using every directive), a pre-commit configuration and a GitHub workflow.
All or nothing: when any file exists already, nothing is written (exit 2) unless
``--force``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal

from .cli import EXIT_CANNOT_RUN, EXIT_OK, fail

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
}

NEXT_STEPS = """\
Next steps:
  1. Edit policy.yaml: your organisation, team members, rotation start, targets.
  2. Check it:             support-policy validate {policy}
  3. Build the handbook:   python -m sphinx -W -b html {folder} {folder_build}
  4. Commit, and enable the hook: pre-commit install
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "init",
        help="scaffold a support handbook: policy.yaml, Sphinx pages, pre-commit, CI",
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
    parser.set_defaults(run=run)


def scaffold_texts() -> dict[str, str]:
    """Target path (relative, POSIX) → content, in writing order."""
    from importlib import resources

    root = resources.files(SCAFFOLD_PACKAGE) / SCAFFOLD_FOLDER
    return {target: (root / name).read_text(encoding="utf-8") for name, target in FILES.items()}


def run(args: argparse.Namespace, out: TextIO) -> int:
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        fail(Diagnostic.make(Code.USAGE, "exists and is not a folder", str(folder)))
        return EXIT_CANNOT_RUN
    texts = scaffold_texts()
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
            written.append(path)
    except OSError as error:
        where = error.filename or str(folder)
        fail(Diagnostic.make(Code.USAGE, f"cannot write: {error.strerror or error}", str(where)))
        return EXIT_CANNOT_RUN
    for path in written:
        out.write(f"wrote {for_terminal(str(path))}\n")
    out.write("\n")
    out.write(
        NEXT_STEPS.format(
            policy=for_terminal(str(targets["policy.yaml"])),
            folder=for_terminal(str(folder)),
            folder_build=for_terminal(str(folder / "_build" / "html")),
        )
    )
    return EXIT_OK
