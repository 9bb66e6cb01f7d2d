"""The layers stay apart: data flows YAML → ``policy`` → ``sphinxext`` | ``validator``.

Read from the source files themselves (every ``import``, at any depth, lazy ones included),
so a shortcut taken inside a function body fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "support_policy"

#: package folder → the top-level modules and sibling packages it must never import
FORBIDDEN = {
    "handbook": (
        "sphinx",
        "docutils",
        "myst_parser",
        f"{PACKAGE}.validator",
        f"{PACKAGE}.sphinxext",
    ),
    "policy": (
        "sphinx",
        "docutils",
        "myst_parser",
        f"{PACKAGE}.validator",
        f"{PACKAGE}.sphinxext",
        f"{PACKAGE}.handbook",
    ),
    "sphinxext": (f"{PACKAGE}.validator",),
    "validator": (f"{PACKAGE}.sphinxext", "sphinx", "docutils"),
}


def imported_modules(path: Path, package: str, inside: tuple[str, ...] = ()) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved).

    ``inside`` is the sub-package folder of ``path`` below ``package``, if any.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = [PACKAGE, package, *inside]  # the package that holds ``path``
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
                # `from . import x` imports the submodule x
                names.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                module = node.module or ""
            names.add(module)
    return names


def _violations(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        inside = path.relative_to(ROOT / package).parts[:-1]
        for module in imported_modules(path, package, inside):
            for banned in FORBIDDEN[package]:
                if module == banned or module.startswith(f"{banned}."):
                    found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_what_is_below_it(package: str) -> None:
    assert _violations(package) == []


def test_the_check_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "def later():\n    import sphinx.util\n    from ..validator import cli\n"
        "    from ...sphinxext.domain import x\n",
        "utf-8",
    )
    found = imported_modules(source, "policy", ("example",))
    assert {"sphinx.util", f"{PACKAGE}.policy.validator.cli"} <= found
    assert f"{PACKAGE}.sphinxext.domain" in found

    assert f"{PACKAGE}.validator.cli" in imported_modules(source, "policy")


#: the packages whose modules stay small enough to read in one sitting
SMALL_MODULE_PACKAGES = ("policy", "validator", "sphinxext", "handbook")
MAX_MODULE_LINES = 400


def long_modules(root: Path, packages: tuple[str, ...], limit: int) -> list[str]:
    """``path: N lines`` for every ``.py`` file under ``packages`` longer than ``limit``."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            count = len(path.read_text(encoding="utf-8").splitlines())
            if count > limit:
                found.append(f"{path.relative_to(root)}: {count} lines")
    return found


def test_no_module_is_longer_than_400_lines() -> None:
    """Split a long module along a seam (and re-export its names) rather than grow it."""
    assert long_modules(ROOT, SMALL_MODULE_PACKAGES, MAX_MODULE_LINES) == []


def test_the_length_check_sees_a_long_module_in_a_sub_package(tmp_path: Path) -> None:
    (tmp_path / "policy" / "example").mkdir(parents=True)
    (tmp_path / "policy" / "short.py").write_text("x = 1\n" * 400, "utf-8")
    (tmp_path / "policy" / "example" / "long.py").write_text("x = 1\n" * 401, "utf-8")

    assert long_modules(tmp_path, ("policy",), 400) == ["policy/example/long.py: 401 lines"]
