"""Section (h) of the benchmarks: the mystmd plugin, per directive and per build.

mystmd starts the plugin once per directive and role, so its cost per call is what a
page pays: each call is timed against a trivial executable plugin (a Python process that
reads the JSON and answers an empty list), then a whole ``myst build --site`` of the
benchmark handbook against the same pages typed by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCAFFOLD = ROOT / "validator" / "scaffold"
TEMPLATE = ROOT / "docs-myst" / "site-template"
TRIVIAL_PLUGIN = """#!{python}
import json, sys
json.load(sys.stdin)
print("[]")
"""


def find_myst() -> str | None:
    """mystmd's ``myst``: ``$SUPPORT_POLICY_MYST``, the one nox installs, or PATH's."""
    for candidate in (
        os.environ.get("SUPPORT_POLICY_MYST"),
        str(ROOT / ".nox" / "mystmd" / "node_modules" / ".bin" / "myst"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("myst")


def _directive_input(name: str, argument: str | None) -> str:
    position = {"start": {"line": 1, "column": 1}, "end": {"line": 2, "column": 1}}
    data: dict[str, Any] = {"name": name, "options": {}, "node": {"position": position}}
    if argument:
        data["arg"] = argument
    return json.dumps(data)


def _project(root: Path, policy: Path, pages: list[str], plugin: bool) -> Path:
    root.mkdir(parents=True)
    shutil.copy(policy, root / "policy.yaml")
    for index, text in enumerate(pages):
        (root / f"page{index:03d}.md").write_text(text, encoding="utf-8")
    config = ["version: 1", "project:", "  title: bench"]
    if plugin:
        for name in ("support-policy-myst", "support-policy-warnings.mjs"):
            shutil.copy(SCAFFOLD / name, root / name)
        (root / "support-policy-myst").chmod(0o755)
        config += [
            "  options:",
            "    support_policy:",
            "      policy: policy.yaml",
            "  plugins:",
            "    - type: executable",
            "      path: support-policy-myst",
            "    - support-policy-warnings.mjs",
        ]
    config += ["site:", f"  template: {TEMPLATE}"]
    (root / "myst.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    return root


def bench_myst(
    policy: Path,
    work: Path,
    runs: int,
    directive_pages: Sequence[tuple[str, str | None]],
    handbook: tuple[list[str], list[str]],
    tools: dict[str, Callable[..., Any]],
) -> list[str]:
    """The report lines of section (h).

    ``handbook`` holds the directive pages and their hand-written twins (bench.py makes
    both); ``tools`` its ``run``, ``alternate``, ``median`` and ``ms``.
    """
    run, alternate, median, ms = (tools[k] for k in ("run", "alternate", "median", "ms"))
    lines = ["## (h) mystmd: the plugin per directive, and a build against its twin", ""]
    launcher = shutil.which("support-policy")
    if launcher is None:
        return [*lines, "unavailable: `support-policy` is not on PATH", ""]
    from support_policy.handbook.directives import SPECS

    missing = sorted({name for name, _ in directive_pages} - set(SPECS))
    if missing:
        return [*lines, f"unavailable: directives not in the table yet: {', '.join(missing)}", ""]
    site = work / "myst-calls"
    site.mkdir()
    shutil.copy(policy, site / "policy.yaml")
    trivial = site / "trivial-plugin"
    trivial.write_text(TRIVIAL_PLUGIN.format(python=sys.executable), encoding="utf-8")
    trivial.chmod(0o755)
    lines += [
        f"One process per call, as mystmd runs it, {runs} alternating runs after a warm-up; "
        "the baseline is a trivial executable plugin on the same Python (start, read the "
        "JSON, answer `[]`).",
        "",
        "| directive | plugin | trivial plugin | plugin cost |",
        "|---|---:|---:|---:|",
    ]
    for name, argument in directive_pages:
        data = _directive_input(name, argument)
        stdin = site / f"{name}-{argument or ''}.json"
        stdin.write_text(data, encoding="utf-8")
        shell = f"< {stdin.name} "
        results = alternate(
            {
                "plugin": lambda s=shell, n=name: run(
                    ["sh", "-c", f"{launcher} myst --directive {n} {s}"], cwd=site
                ),
                "trivial": lambda s=shell, n=name: run(
                    ["sh", "-c", f"./trivial-plugin --directive {n} {s}"], cwd=site
                ),
            },
            runs,
        )
        if any(t.status for timings in results.values() for t in timings):
            return [*lines, "", f"unavailable: `{name}` failed in the plugin", ""]
        plugin, baseline = median(results["plugin"]), median(results["trivial"])
        label = f"{name} {argument}" if argument else name
        lines.append(f"| {label} | {ms(plugin)} | {ms(baseline)} | {ms(plugin - baseline)} |")
    lines.append("")
    return lines + _bench_build(policy, work, max(runs // 2, 3), handbook, tools)


def _bench_build(
    policy: Path,
    work: Path,
    runs: int,
    handbook: tuple[list[str], list[str]],
    tools: dict[str, Callable[..., Any]],
) -> list[str]:
    run, alternate, median, ms = (tools[k] for k in ("run", "alternate", "median", "ms"))
    myst = find_myst()
    if myst is None:
        return ["mystmd build: unavailable (no `myst`; `nox -s docs-myst` installs it)", ""]
    directive_pages, twin_pages = handbook
    plugin = _project(work / "myst-plugin", policy, directive_pages, plugin=True)
    twin = _project(work / "myst-twin", policy, twin_pages, plugin=False)

    def build(project: Path) -> Any:
        shutil.rmtree(project / "_build", ignore_errors=True)
        return run([myst, "build", "--site"], cwd=project)

    results = alternate({"plugin": lambda: build(plugin), "twin": lambda: build(twin)}, runs)
    if any(t.status for timings in results.values() for t in timings):
        return ["mystmd build: unavailable (a build failed)", ""]
    ratio = median(results["plugin"]) / median(results["twin"])
    return [
        f"`myst build --site` of {len(directive_pages)} pages, fresh `_build` each time, "
        f"{runs} alternating runs: with the plugin {ms(median(results['plugin']))}, "
        f"hand-written twin {ms(median(results['twin']))}; **ratio {ratio:.2f}**.",
        "",
    ]
