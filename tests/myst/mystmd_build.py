"""Build a small mystmd project with the plugin, as a team's would be."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support_policy.validator.mystmd_facts import PROBLEM_MARKERS

ROOT = Path(__file__).resolve().parents[2]
SCAFFOLD = ROOT / "validator" / "scaffold"
#: how a mystmd log line starts when it reports a warning or an error
PROBLEM_LINE = re.compile(rf"^({PROBLEM_MARKERS})\s+")


@dataclass(frozen=True)
class MystBuild:
    folder: Path
    status: int
    log: str

    @property
    def problems(self) -> list[str]:
        """The warnings and errors mystmd reported, one line each, markers removed."""
        return [
            PROBLEM_LINE.sub("", line) for line in self.log.splitlines() if PROBLEM_LINE.match(line)
        ]

    def html(self, slug: str | None = None) -> str:
        page = self.folder / "_build" / "html" / (f"{slug}/index.html" if slug else "index.html")
        return page.read_text(encoding="utf-8")

    def content(self, slug: str) -> str:
        """The page's MyST AST as mystmd stores it for the site (JSON text)."""
        return (self.folder / "_build" / "site" / "content" / f"{slug}.json").read_text("utf-8")


def myst_build(
    folder: Path, pages: dict[str, str], policy: str, *, extra_config: str = ""
) -> MystBuild:
    """Write ``pages`` (name → MyST) and ``policy`` into ``folder``; ``myst build --html``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy.yaml").write_text(policy, encoding="utf-8")
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name in ("support-policy-myst", "support-policy-warnings.mjs"):
        shutil.copy(SCAFFOLD / name, folder / name)
    (folder / "support-policy-myst").chmod(0o755)
    template = Path(os.environ["SUPPORT_POLICY_MYST_SITE"]) / "site-template"
    toc = "".join(f"    - file: {name}\n" for name in pages)
    (folder / "myst.yml").write_text(
        "version: 1\nproject:\n  title: Test\n  options:\n    support_policy:\n"
        "      policy: policy.yaml\n  plugins:\n    - type: executable\n"
        "      path: support-policy-myst\n    - support-policy-warnings.mjs\n"
        f"{extra_config}  toc:\n{toc}site:\n  template: {template}\n",
        encoding="utf-8",
    )
    return run_myst(folder)


def run_myst(folder: Path) -> MystBuild:
    """``myst build --html`` in ``folder``, the plugin's command being this interpreter's."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        [os.environ["SUPPORT_POLICY_MYST"], "build", "--html"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return MystBuild(folder, done.returncode, done.stdout + done.stderr)
