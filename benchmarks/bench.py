"""Benchmarks of support-policy as users run it: whole processes, timed from outside.

Usage::

    python benchmarks/bench.py --output benchmarks/results.md [--runs 7] [--pages 12]

Every measurement starts a real process (the ``support-policy`` CLI, ``check-jsonschema``,
``python -m sphinx``) and times it with :func:`time.perf_counter`. Each comparison measures
its baseline in the same run, alternating the two commands so that machine noise hits both
alike, and reports medians and their ratio. Targets are reported, never asserted.

See benchmarks/README.md for what each section measures.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from support_policy.policy.loader import LoadedPolicy
    from support_policy.policy.models import Step

PYTHON = sys.executable
BIN = Path(sys.executable).parent


def _script(name: str) -> list[str] | None:
    """A console script from the running interpreter's environment, else from PATH."""
    candidate = BIN / name
    if candidate.exists():
        return [str(candidate)]
    found = shutil.which(name)
    return [found] if found else None


SUPPORT_POLICY = _script("support-policy") or [PYTHON, "-m", "support_policy.validator"]


@dataclass
class Timed:
    seconds: float
    status: int
    stdout: str
    stderr: str


def run(command: Sequence[str], cwd: Path | None = None) -> Timed:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    started = time.perf_counter()
    completed = subprocess.run(
        list(command), cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    seconds = time.perf_counter() - started
    return Timed(seconds, completed.returncode, completed.stdout, completed.stderr)


def alternate(
    commands: dict[str, Callable[[], Timed]], runs: int, warmup: int = 1
) -> dict[str, list[Timed]]:
    """Run each command ``runs`` times, interleaved (A B A B ...), after ``warmup`` rounds."""
    for _ in range(warmup):
        for command in commands.values():
            command()
    results: dict[str, list[Timed]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(command())
    return results


def median(timings: list[Timed]) -> float:
    return statistics.median(t.seconds for t in timings)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def verdict(ratio: float, target: float) -> str:
    return f"{'meets' if ratio <= target else 'misses'} target ≤ {target:g}"


# --- (a) validate vs check-jsonschema ----------------------------------------------


def bench_validate(policy: Path, work: Path, runs: int) -> list[str]:
    lines = ["## (a) `support-policy validate` vs `check-jsonschema`", ""]
    schema = work / "support-policy.schema.json"
    calendar = work / "one-year.ics"
    made = run([*SUPPORT_POLICY, "schema", "--output", str(schema)])
    exported = run(
        [
            *SUPPORT_POLICY,
            "calendar",
            str(policy),
            "--from",
            "2026-01-06",
            "--weeks",
            "52",
            "--output",
            str(calendar),
        ]
    )
    checker = _script("check-jsonschema")
    if made.status != 0 or exported.status != 0 or checker is None:
        why = (
            "check-jsonschema not installed"
            if checker is None
            else (made.stderr + exported.stderr).strip()
        )
        return [*lines, f"unavailable: {why}", ""]
    results = alternate(
        {
            "validate + one-year calendar": lambda: run(
                [*SUPPORT_POLICY, "validate", str(policy), "--calendar", str(calendar)]
            ),
            "validate": lambda: run([*SUPPORT_POLICY, "validate", str(policy)]),
            "check-jsonschema": lambda: run([*checker, "--schemafile", str(schema), str(policy)]),
        },
        runs,
    )
    theirs = median(results["check-jsonschema"])
    with_calendar = median(results["validate + one-year calendar"]) / theirs
    policy_only = median(results["validate"]) / theirs
    statuses = {name: sorted({t.status for t in timings}) for name, timings in results.items()}
    lines += [
        f"Bundled policy (and a one-year rotation calendar exported by `support-policy "
        f"calendar`), {runs} alternating runs each after one warm-up round.",
        "",
        "| command | median | min | max | exit status |",
        "|---|---:|---:|---:|---|",
    ]
    for name, timings in results.items():
        seconds = [t.seconds for t in timings]
        lines.append(
            f"| `{name}` | {ms(median(timings))} | {ms(min(seconds))} | {ms(max(seconds))} "
            f"| {statuses[name]} |"
        )
    lines += [
        "",
        f"**Ratio validate + one-year calendar / check-jsonschema: {with_calendar:.2f}** "
        f"({verdict(with_calendar, 0.7)}); the policy alone: {policy_only:.2f}",
        "",
    ]
    if statuses["check-jsonschema"] != [0]:
        first = next(t for t in results["check-jsonschema"] if t.status != 0)
        lines += [
            "check-jsonschema did not pass the policy (it is timed all the same):",
            "",
            "```",
            *(first.stdout + first.stderr).strip().splitlines()[:6],
            "```",
            "",
        ]
    return lines


# --- (b) and (c) Sphinx: extension vs hand-written twin ------------------------------

DIRECTIVE_PAGES: list[tuple[str, str | None]] = [
    ("support-roles", None),
    ("support-request-types", None),
    ("support-sla", None),
    ("support-priorities", None),
    ("support-budget", None),
    ("support-channels", None),
    ("support-template", "non-incident-status"),
    ("support-process", "triage"),
    ("support-process", "non-incident-response"),
    ("support-glossary", None),
]


def _theme() -> str:
    try:
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        return "alabaster"
    return "sphinx_book_theme"


def _conf(extension: bool) -> str:
    extensions = ["myst_parser", "support_policy.sphinxext"] if extension else ["myst_parser"]
    lines = [
        "project = 'bench'",
        f"extensions = {extensions!r}",
        "myst_enable_extensions = ['deflist', 'colon_fence']",
        f"html_theme = {_theme()!r}",
        "exclude_patterns = ['_build']",
    ]
    if extension:
        lines.append("support_policy_file = 'policy.yaml'")
    return "\n".join(lines) + "\n"


def _index(pages: int) -> str:
    toctree = "\n".join(f"page{index:03d}" for index in range(pages))
    return f"# Handbook\n\n```{{toctree}}\n:maxdepth: 1\n\n{toctree}\n```\n"


def _directive_page(index: int) -> str:
    """Page ``index``: two sections, each one directive (targets only on the first copy)."""
    parts = [f"# Page {index}\n"]
    for offset in range(2):
        number = (index * 2 + offset) % len(DIRECTIVE_PAGES)
        name, argument = DIRECTIVE_PAGES[number]
        first_copy = index * 2 + offset < len(DIRECTIVE_PAGES)
        option = "" if first_copy else ":no-index:\n"
        parts.append(f"## Section {offset}\n\n```{{{name}}} {argument or ''}\n{option}```\n")
    return "\n".join(parts)


# The hand-written twin: the same content as each directive, typed the way a person writes
# a handbook page in MyST (headings, labelled paragraphs, lists, tables, a glossary, a code
# block, `{ref}` links to labels), with every value filled in from the policy. Labels stand
# where the directive puts a target (first copies only, like `:no-index:` on repeats).

SLA_KINDS = {"within": "deadline", "effort": "effort", "after": "no-reply close"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
REF = re.compile(r"\{ref\}`([^`<]*) <([^`>]+)>`")
LABEL = re.compile(r"^\(([^)\s]+)\)=$", re.MULTILINE)
MARKUP = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    """Policy text as one line of MyST that reads back as exactly that text."""
    line = MARKUP.sub(r"\\\1", " ".join(text.split()))
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", re.sub(r"^([#+=>-])", r"\\\1", line))


def _labelled(label: str, value: str = "") -> str:
    return f"**{label}:** {value}".rstrip() + "\n"


def _list(items: Sequence[str], numbered: bool = False) -> str:
    """A loose list; each item is MyST blocks, indented under its marker."""
    out = []
    for number, item in enumerate(items, 1):
        marker = f"{number}. " if numbered else "- "
        pad = " " * len(marker)
        lines = item.rstrip("\n").split("\n")
        out.append(marker + "\n".join([lines[0], *(pad + x if x else x for x in lines[1:])]))
    return "\n\n".join(out) + "\n"


def _blocks(*blocks: str) -> str:
    return "\n".join(block for block in blocks if block)


class Twin:
    """Writes the MyST of one directive from the loaded policy."""

    def __init__(self, loaded: LoadedPolicy) -> None:
        from support_policy.policy.references import render_text

        assert loaded.policy is not None
        self.loaded = loaded
        self.policy = loaded.policy
        self.render_text = render_text

    def fill(self, text: str) -> str:
        return _md(self.render_text(self.policy, text))

    @staticmethod
    def label(objtype: str, key: str, indexed: bool) -> str:
        return f"(support-{objtype}-{key})=\n" if indexed else ""

    @staticmethod
    def ref(objtype: str, key: str, title: str) -> str:
        """A link by hand; :func:`_resolve_refs` makes it text when nothing defines it."""
        target = "support-sla" if objtype == "sla" else f"support-{objtype}-{key}"
        return f"{{ref}}`{title.replace('`', '')} <{target}>`"

    def section(self, name: str, argument: str | None, indexed: bool) -> str:
        method: Callable[[str | None, bool], str] = getattr(
            self, name.removeprefix("support-").replace("-", "_")
        )
        return method(argument, indexed)

    def roles(self, _argument: str | None, indexed: bool) -> str:
        out = []
        for key, role in self.policy.roles.items():
            out.append(
                _blocks(
                    self.label("role", key, indexed) + f"### {_md(role.name)}\n",
                    _labelled("Also called", _md(", ".join(role.aliases))) if role.aliases else "",
                    self.fill(role.description) + "\n" if role.description else "",
                    _labelled("Responsibilities") if role.responsibilities else "",
                    _list([self.fill(item) for item in role.responsibilities])
                    if role.responsibilities
                    else "",
                )
            )
        return "\n".join(out)

    def request_types(self, _argument: str | None, indexed: bool) -> str:
        out = []
        for key, kind in self.policy.request_types.items():
            out.append(
                _blocks(
                    self.label("request-type", key, indexed) + f"### {_md(kind.name)}\n",
                    _labelled("Definition", self.fill(kind.definition)),
                    self.fill(kind.description) + "\n" if kind.description else "",
                    _labelled("Examples") if kind.examples else "",
                    _list([self.fill(item) for item in kind.examples]) if kind.examples else "",
                    _labelled(
                        "Support budget", "applies" if kind.uses_budget else "does not apply"
                    ),
                )
            )
        return "\n".join(out)

    def sla(self, _argument: str | None, indexed: bool) -> str:
        if not self.policy.sla:
            return ""
        types = self.policy.request_types
        rows = ["| Target | Applies to | How long | Kind |", "|---|---|---|---|"]
        for sla in self.policy.sla.values():
            applies = (
                "All requests"
                if sla.applies_to == "all"
                else ", ".join(types[k].name if k in types else k for k in sla.applies_to)
            )
            cells = [sla.name, applies, str(sla.duration), SLA_KINDS[sla.kind]]
            rows.append("| " + " | ".join(_md(cell) for cell in cells) + " |")
        return ("(support-sla)=\n" if indexed else "") + "\n".join(rows) + "\n"

    def priorities(self, _argument: str | None, _indexed: bool) -> str:
        priorities = self.policy.priorities
        if priorities is None:
            return ""  # the directive warns and renders nothing
        types, roles = self.policy.request_types, self.policy.roles
        applies = ""
        if priorities.applies_to != "all":
            names = [
                types[k].plural or types[k].name if k in types else k for k in priorities.applies_to
            ]
            applies = _labelled("Applies to", _md(", ".join(names)))
        consult = [
            self.ref("role", key, roles[key].name) if key in roles else _md(key)
            for key in priorities.consult
        ]
        return _blocks(
            self.fill(priorities.description) + "\n" if priorities.description else "",
            applies,
            _list([self.fill(item) for item in priorities.order], numbered=True),
            _labelled("Consult", ", ".join(consult)) if consult else "",
            _labelled("Guidelines") if priorities.guidelines else "",
            _list([self.fill(item) for item in priorities.guidelines])
            if priorities.guidelines
            else "",
        )

    def budget(self, _argument: str | None, _indexed: bool) -> str:
        from support_policy.policy.budget import derivation

        budget = self.policy.budget
        if budget is None:
            return ""
        per_engineer, per_community = derivation(budget)
        community = "" if per_community is None else _labelled("Per community", per_community)
        return _blocks(
            _labelled("Per engineer", _md(per_engineer)),
            community,
            self.fill(budget.description) + "\n" if budget.description else "",
        )

    def channels(self, _argument: str | None, _indexed: bool) -> str:
        out = []
        for channel in self.policy.channels.values():
            url = ""
            if channel.url:
                safe = channel.url.lower().startswith(LINK_SCHEMES)
                url = _labelled("URL", f"<{channel.url}>" if safe else f"`{channel.url}`")
            out.append(
                _blocks(
                    f"### {_md(channel.name)}\n",
                    _labelled("Kind", channel.kind),
                    _labelled("Audience", channel.audience),
                    _labelled("Visibility", channel.visibility),
                    self.fill(channel.purpose) + "\n" if channel.purpose else "",
                    url,
                    _labelled("Address", f"<{channel.address}>") if channel.address else "",
                    _labelled("Label", f"`{channel.label}`") if channel.label else "",
                )
            )
        return "\n".join(out)

    def template(self, argument: str | None, indexed: bool) -> str:
        templates = self.policy.templates
        out = []
        keys = [argument] if argument else list(templates)
        if any(key not in templates for key in keys):
            return ""  # the directive warns about an unknown template and renders nothing
        for key in keys:
            template = templates[key]
            channel = ""
            if template.channel:
                found = self.policy.channels.get(template.channel)
                channel = _labelled("Channel", _md(found.name if found else template.channel))
            body = self.render_text(self.policy, self.loaded.template_texts.get(key, ""))
            fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", body))])
            names = ", ".join(f"`{{{{ {name} }}}}`" for name in template.variables)
            out.append(
                _blocks(
                    self.label("template", key, indexed) + f"### {_md(template.name)}\n",
                    self.fill(template.description) + "\n" if template.description else "",
                    channel,
                    f"{fence}text\n{body.rstrip()}\n{fence}\n",
                    _labelled("Variables", names) if names else "",
                )
            )
        return "\n".join(out)

    def process(self, argument: str | None, indexed: bool) -> str:
        process = self.policy.processes.get(argument or "")
        if argument is None or process is None:
            return ""
        owner = ""
        if process.owner:
            role = self.policy.roles.get(process.owner)
            title = role.name if role else process.owner
            owner = _labelled("Owner", self.ref("role", process.owner, title))
        return _blocks(
            self.label("process", argument, indexed) + f"### {_md(process.name)}\n",
            owner,
            self.fill(process.description) + "\n" if process.description else "",
            self.steps(process.steps),
        )

    def steps(self, steps: list[Step]) -> str:
        return _list([self.step(step) for step in steps], numbered=True)

    def step(self, step: Step) -> str:
        policy = self.policy
        sla = policy.sla.get(step.sla) if step.sla else None
        template = policy.templates.get(step.template) if step.template else None
        process = policy.processes.get(step.process) if step.process else None
        return _blocks(
            f"**{self.fill(step.name)}**\n",
            self.fill(step.description) + "\n" if step.description else "",
            _labelled(
                "Time target", f"{sla.duration} ({self.ref('sla', step.sla or '', sla.name)})"
            )
            if sla is not None
            else "",
            _labelled(
                "Response template",
                self.ref("template", step.template, template.name if template else step.template),
            )
            if step.template
            else "",
            _labelled(
                "Continue with",
                self.ref("process", step.process, process.name if process else step.process),
            )
            if step.process
            else "",
            self.steps(step.steps) if step.steps else "",
        )

    def glossary(self, _argument: str | None, indexed: bool) -> str:
        """Sphinx's glossary on the first copy (terms to link to); a definition list after."""
        policy = self.policy
        entries: list[tuple[list[str], str]] = []
        for role in policy.roles.values():
            names = [role.name, *([role.plural] if role.plural else []), *role.aliases]
            entries.append((names, role.description or ""))
        for kind in policy.request_types.values():
            entries.append(([kind.name, *([kind.plural] if kind.plural else [])], kind.definition))
        for entry in policy.glossary.values():
            names = [entry.term, *([entry.plural] if entry.plural else []), *entry.aliases]
            entries.append((names, entry.definition))
        seen: set[str] = set()
        out = []
        for names, definition in entries:
            fresh = [name for name in names if name.casefold() not in seen]
            seen.update(name.casefold() for name in fresh)
            if not fresh:
                continue
            if indexed:
                out.append(
                    "\n".join(_md(name) for name in fresh) + f"\n  {self.fill(definition)}\n"
                )
            else:
                out.append(_md(", ".join(fresh)) + f"\n: {self.fill(definition)}\n")
        if indexed:
            return "```{glossary}\n" + "\n".join(out) + "```\n"
        return "\n".join(out)


def _twin_page(index: int, twin: Twin) -> str:
    parts = [f"# Page {index}\n"]
    for offset in range(2):
        number = index * 2 + offset
        name, argument = DIRECTIVE_PAGES[number % len(DIRECTIVE_PAGES)]
        section = twin.section(name, argument, indexed=number < len(DIRECTIVE_PAGES))
        parts.append(f"## Section {offset}\n\n{section}")
    return "\n".join(parts)


def _resolve_refs(pages: list[str]) -> list[str]:
    """Links to labels no page defines (too few pages) are plain text, as in the extension."""
    defined = {label for text in pages for label in LABEL.findall(text)}

    def keep(match: re.Match[str]) -> str:
        return match.group(0) if match.group(2) in defined else _md(match.group(1))

    return [REF.sub(keep, text) for text in pages]


def make_project(root: Path, policy: Path, pages: int, extension: bool) -> Path:
    root.mkdir(parents=True)
    (root / "conf.py").write_text(_conf(extension), encoding="utf-8")
    (root / "index.md").write_text(_index(pages), encoding="utf-8")
    if extension:
        shutil.copy(policy, root / "policy.yaml")
        texts = [_directive_page(index) for index in range(pages)]
    else:
        from support_policy.policy.loader import load_policy

        loaded = load_policy(policy)
        if loaded.policy is None:
            raise ValueError(f"{policy} does not load; cannot write the hand-written twin")
        twin = Twin(loaded)
        texts = _resolve_refs([_twin_page(index, twin) for index in range(pages)])
    for index, text in enumerate(texts):
        (root / f"page{index:03d}.md").write_text(text, encoding="utf-8")
    return root


def sphinx(project: Path, *extra: str) -> Timed:
    return run([PYTHON, "-m", "sphinx", "-b", "html", *extra, ".", "_build/html"], cwd=project)


def full_build(project: Path) -> Timed:
    shutil.rmtree(project / "_build", ignore_errors=True)
    return sphinx(project, "-q")


READ = re.compile(r"reading sources\.\.\. \[\s*\d+%\] (\S+)")


def pages_read(output: str) -> list[str]:
    return READ.findall(output)


def extension_available() -> str | None:
    """Why the extension cannot be benchmarked, or ``None`` when it can."""
    try:
        from support_policy.sphinxext.directives import DIRECTIVES
    except Exception as error:
        return f"the extension does not import ({type(error).__name__}: {error})"
    missing = sorted({name for name, _ in DIRECTIVE_PAGES} - set(DIRECTIVES))
    return f"directives not available yet: {', '.join(missing)}" if missing else None


def bench_sphinx(policy: Path, work: Path, runs: int, pages: int) -> list[str]:
    lines = [f"## (b) Full handbook build: extension vs hand-written twin ({pages} pages)", ""]
    why = extension_available()
    if why is not None:
        return [
            *lines,
            f"unavailable: {why}",
            "",
        ]
    ext = make_project(work / "ext", policy, pages, extension=True)
    twin = make_project(work / "twin", policy, pages, extension=False)
    probe = full_build(ext)
    if probe.status != 0:
        tail = (probe.stdout + probe.stderr).strip().splitlines()[-8:]
        return [*lines, "unavailable: the extension build fails:", "", "```", *tail, "```", ""]
    warnings = len([line for line in probe.stderr.splitlines() if "WARNING" in line])
    results = alternate(
        {"extension": lambda: full_build(ext), "twin": lambda: full_build(twin)}, runs
    )
    failed = [name for name, timings in results.items() if any(t.status for t in timings)]
    if failed:
        return [*lines, f"unavailable: the {', '.join(failed)} build failed", ""]
    ratio = median(results["extension"]) / median(results["twin"])
    lines += [
        f"`python -m sphinx -b html -q`, fresh output folder each time, {runs} alternating "
        f"runs after one warm-up round; theme `{_theme()}`. Each page holds two sections "
        "(one directive each on the extension side; the same content typed as MyST headings, "
        "labelled paragraphs, lists, a table, a glossary and `{ref}` links on the twin side).",
        "",
        "| project | median | min | max |",
        "|---|---:|---:|---:|",
    ]
    for name, timings in results.items():
        seconds = [t.seconds for t in timings]
        lines.append(
            f"| {name} | {ms(median(timings))} | {ms(min(seconds))} | {ms(max(seconds))} |"
        )
    lines += [
        "",
        f"**Ratio extension / twin: {ratio:.2f}** ({verdict(ratio, 1.10)}); "
        f"warnings in the extension build: {warnings}",
        "",
    ]
    return lines


# --- (c) incremental rebuilds: which pages an edit re-reads --------------------------

REBUILD_PAGES = {
    "budget": "# Budget\n\n```{support-budget}\n```\n",
    "rotation": "# Rotation\n\n```{support-rotation}\n:from: 2026-01-06\n:weeks: 8\n```\n",
    "roles": "# Roles\n\n```{support-roles}\n```\n",
    "glossary": "# Glossary\n\n```{support-glossary}\n```\n",
    "value": "# Tenure\n\nA steward serves {support:value}`rotation.tenure`.\n",
    "plain": "# Plain\n\nNo policy on this page.\n",
}

#: (what the row says, the text replaced in the bundled policy, its replacement, pages
#: that must be re-read). The budget edit keeps the stated hours right (174 × 20% = 34.8).
REBUILD_EDITS: list[tuple[str, str, str, set[str]]] = [
    ("nothing changed", "", "", set()),
    ("a YAML comment", "# working hours per engineer per month", "# per engineer", set()),
    (
        "budget: `hours_per_month` 173 → 174",
        "hours_per_month: 173",
        "hours_per_month: 174",
        {"budget"},
    ),
    ("a member renamed (rotation)", "{name: Person B,", "{name: Person Bee,", {"rotation"}),
    (
        "a role description",
        "triage every external support request",
        "triage each support request",
        {"roles", "glossary"},
    ),
]


def rebuild_project(root: Path, policy: Path) -> Path:
    root.mkdir(parents=True)
    (root / "conf.py").write_text(_conf(extension=True), encoding="utf-8")
    shutil.copyfile(policy, root / "policy.yaml")
    toctree = "\n".join(REBUILD_PAGES)
    (root / "index.md").write_text(f"# Handbook\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name, text in REBUILD_PAGES.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def bench_rebuilds(policy: Path, work: Path) -> list[str]:
    """Section (c): after a full build, each edit alone; pages re-read against expected."""
    lines = ["## (c) Incremental rebuilds: pages re-read per kind of edit", ""]
    why = extension_available()
    if why is not None:
        return [*lines, f"unavailable: {why}", ""]
    project = rebuild_project(work / "rebuilds", policy)
    if full_build(project).status != 0:
        return [*lines, "unavailable: the full build fails", ""]
    original = (project / "policy.yaml").read_text(encoding="utf-8")
    lines += [
        f"A {len(REBUILD_PAGES) + 1}-page project (index, {', '.join(REBUILD_PAGES)}) on the "
        "bundled policy, built once; then each edit alone, rebuilt with `python -m sphinx "
        "-b html`, and the edit undone with another rebuild. Pages are counted from Sphinx's "
        "`reading sources...` lines.",
        "",
        "| edit | time | pages re-read | expected | |",
        "|---|---:|---|---|---|",
    ]
    for label, old, new, expected in REBUILD_EDITS:
        if old and original.count(old) != 1:
            lines.append(f"| {label} | | | | not measured: the policy has no `{old}` |")
            continue
        if old:
            _write_policy(project, original.replace(old, new))
        timed = sphinx(project)
        read = set(pages_read(timed.stdout))
        verdict_text = "as expected" if read == expected and timed.status == 0 else "**differs**"
        lines.append(
            f"| {label} | {ms(timed.seconds)} | {', '.join(sorted(read)) or '—'} "
            f"| {', '.join(sorted(expected)) or '—'} | {verdict_text} |"
        )
        if old:
            _write_policy(project, original)
            sphinx(project)
    lines.append("")
    return lines


def _write_policy(project: Path, text: str) -> None:
    """Write the policy with a later modification time, however coarse the file system's."""
    path = project / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    later = path.stat().st_mtime + 2
    os.utime(path, (later, later))


# --- (d) calendar check growth -----------------------------------------------------


def calendar_ics(policy: Path, years: int) -> tuple[str, int]:
    """A correct rotation calendar of ``years`` years, as ``support-policy calendar`` writes
    it (tenures and covers): a team keeps what the tool exported."""
    from support_policy.policy.derive import schedule_of
    from support_policy.policy.loader import load_policy
    from support_policy.validator.ics_export import rotation_ics

    loaded = load_policy(policy)
    assert loaded.policy is not None
    schedule = schedule_of(loaded.policy)
    assert schedule is not None
    text = rotation_ics(loaded, schedule.start, 52 * years).decode("utf-8")
    return text, text.count("BEGIN:VEVENT")


def bench_calendar(policy: Path, work: Path, runs: int) -> list[str]:
    lines = ["## (d) Calendar check growth: `support-policy validate POLICY --calendar FILE`", ""]
    help_text = run([*SUPPORT_POLICY, "validate", "--help"]).stdout
    if "--calendar" not in help_text:
        return [*lines, "unavailable: `validate --calendar` does not exist yet", ""]
    files: dict[int, tuple[Path, int]] = {}
    for years in (1, 10, 100):
        text, events = calendar_ics(policy, years)
        path = work / f"rotation-{years}y.ics"
        path.write_text(text, encoding="utf-8", newline="")
        files[years] = (path, events)
    commands: dict[str, Callable[[], Timed]] = {
        "none": lambda: run([*SUPPORT_POLICY, "validate", str(policy)])
    }
    for years, (path, _) in files.items():
        commands[f"{years}y"] = lambda path=path: run(
            [*SUPPORT_POLICY, "validate", str(policy), "--calendar", str(path)]
        )
    results = alternate(commands, runs)
    base = median(results["none"])
    lines += [
        f"{runs} alternating runs each after a warm-up round. *Marginal* is the median minus "
        f"the median of `validate` without a calendar ({ms(base)}): the cost of the calendar "
        "itself.",
        "",
        "| calendar | events | median | marginal | marginal per event | exit status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    marginal: dict[int, float] = {}
    for years, (_path, events) in files.items():
        timings = results[f"{years}y"]
        marginal[years] = median(timings) - base
        per_event = marginal[years] / events * 1e6
        statuses = sorted({t.status for t in timings})
        lines.append(
            f"| {years}× a year | {events} | {ms(median(timings))} | {ms(marginal[years])} "
            f"| {per_event:.0f} µs | {statuses} |"
        )
    total_ratio = median(results["10y"]) / median(results["1y"])
    marginal_ratio = marginal[10] / marginal[1] if marginal[1] > 0 else float("nan")
    lines += [
        "",
        f"**10×/1× ratio: {total_ratio:.2f} of total time ({verdict(total_ratio, 12)}); "
        f"{marginal_ratio:.1f} of marginal time** (marginal at 1× is small and noisy); "
        f"100×/10× marginal: {marginal[100] / marginal[10]:.1f}",
        "",
    ]
    bad = [t for timings in results.values() for t in timings if t.status != 0]
    if bad:
        lines += [
            "Some runs reported problems:",
            "",
            "```",
            *bad[0].stdout.splitlines()[:5],
            "```",
            "",
        ]
    return lines


# --- (e) member-count scaling ---------------------------------------------------------

# 15,000 stays inside the bound of 20,000 hand-offs a rotation is dealt (SP241): with
# every member in the pool, one new member joins per hand-off.
MEMBER_COUNTS = (1_500, 15_000)


def members_policy(policy: Path, count: int) -> str:
    """``policy`` with ``count`` more team members (``mN: {name: MN}``), all in the rotation.

    The generated entries are short so that 30,000 of them stay under the 1 MiB file limit.
    """
    text = policy.read_text(encoding="utf-8")
    marker = "\n  members:"
    start = text.index(marker, text.index("\nteam:"))
    line_end = text.index("\n", start + len(marker))
    extra = "".join(f"\n    m{index}: {{name: M{index}}}" for index in range(count))
    text = text[:line_end] + extra + text[line_end:]
    # The example's cover names who is on duty on its days; with thousands more members
    # in the pool somebody else is, and the cover would (rightly) be an error.
    cover = text.index("\n  cover:")
    return text[:cover] + text[text.index("\n\n", cover) :]


def bench_members(policy: Path, work: Path, runs: int) -> list[str]:
    lines = ["## (e) Member-count scaling: `support-policy validate` with a large team", ""]
    files: dict[int, Path] = {}
    for count in MEMBER_COUNTS:
        path = work / f"members-{count}.yaml"
        path.write_text(members_policy(policy, count), encoding="utf-8")
        files[count] = path
    commands: dict[str, Callable[[], Timed]] = {
        f"{count:,} members": lambda path=path: run([*SUPPORT_POLICY, "validate", str(path)])
        for count, path in files.items()
    }
    results = alternate(commands, runs)
    small, large = (median(results[f"{count:,} members"]) for count in MEMBER_COUNTS)
    factor = MEMBER_COUNTS[1] // MEMBER_COUNTS[0]
    ratio = large / (factor * small)
    lines += [
        f"The bundled policy with {MEMBER_COUNTS[0]:,} and with {MEMBER_COUNTS[1]:,} extra "
        f"members (all in the rotation; {files[MEMBER_COUNTS[1]].stat().st_size:,} bytes), "
        f"{runs} alternating runs each after one warm-up round.",
        "",
        "| policy | bytes | median | min | max | exit status |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for count, path in files.items():
        timings = results[f"{count:,} members"]
        seconds = [t.seconds for t in timings]
        lines.append(
            f"| {count:,} members | {path.stat().st_size:,} | {ms(median(timings))} "
            f"| {ms(min(seconds))} | {ms(max(seconds))} | {sorted({t.status for t in timings})} |"
        )
    lines += [
        "",
        f"**{MEMBER_COUNTS[1]:,} members / ({factor} × {MEMBER_COUNTS[0]:,} members): "
        f"{ratio:.2f}** ({verdict(ratio, 2)}); plain ratio {large / small:.1f} "
        "(start-up included, so well under 10 when the cost is linear)",
        "",
    ]
    bad = [t for timings in results.values() for t in timings if t.status != 0]
    if bad:
        lines += ["Some runs reported problems:", "", "```", *bad[0].stdout.splitlines()[:5]]
        lines += ["```", ""]
    return lines


# --- (f) SLA report: rows per second and peak memory ---------------------------------

_SLA_POLICY = """version: 1
organization: {name: Bench}
team: {name: Team, members: {person-a: {name: Person A}}}
working_time: {timezone: Europe/Berlin, hours: "09:00-17:00", holidays: [2026-04-03]}
roles: {steward: {name: Steward}}
request_types:
  incident: {name: Incident, definition: Broken.}
  change-request: {name: Change Request, definition: A change.}
  guidance-request: {name: Guidance Request, definition: A question.}
sla:
  triage: {name: Read and understand, within: 1 working day}
  first-response:
    name: First response
    applies_to: [change-request, guidance-request]
    within: 8 working hours
"""
_SLA_TYPES = ("Incident", "Feature Request", "Question", "Question", "Feature Request")


def sla_export(path: Path, rows: int) -> None:
    """A FreshDesk-style CSV export: arrivals spread over a year, answers within 0-40 hours."""
    start = datetime(2026, 1, 5, 7, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Ticket ID,Subject,Type,Created time,Initial response time,Resolved time\n")
        for number in range(rows):
            created = start + timedelta(minutes=(number * 5237) % (60 * 24 * 360))
            answered = created + timedelta(minutes=(number * 7919) % (60 * 40))
            shown = "" if number % 17 == 0 else answered.strftime("%Y-%m-%d %H:%M:%S")
            out.write(
                f"{number},Ticket {number} about the hub,{_SLA_TYPES[number % 5]},"
                f"{created.strftime('%Y-%m-%d %H:%M:%S')},{shown},\n"
            )


_MEASURED = (
    "import resource, subprocess, sys; status = subprocess.run(sys.argv[1:]).returncode; "
    "sys.stderr.write(f'\\nmaxrss={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n'); "
    "sys.exit(status)"
)


def _peak_kib(command: Sequence[str]) -> tuple[Timed, int]:
    """Run ``command`` under a small wrapper that reports its peak resident set (KiB, Linux)."""
    timed = run([PYTHON, "-c", _MEASURED, *command])
    found = re.findall(r"maxrss=(\d+)", timed.stderr)
    return timed, int(found[-1]) if found else 0


def bench_sla(work: Path, runs: int) -> list[str]:
    lines = ["## (f) SLA report: `support-policy report sla` over 10k and 100k rows", ""]
    help_text = run([*SUPPORT_POLICY, "report", "sla", "--help"]).stdout
    if "--as-of" not in help_text:
        return [*lines, "unavailable: `report sla` does not exist yet", ""]
    policy = work / "sla-policy.yaml"
    policy.write_text(_SLA_POLICY, encoding="utf-8")
    sizes = (10_000, 100_000)
    files = {}
    for rows in sizes:
        files[rows] = work / f"tickets-{rows}.csv"
        sla_export(files[rows], rows)
    base = [*SUPPORT_POLICY, "report", "sla", "--policy", str(policy), "--as-of", "2027-01-31"]
    # The smallest first: a child's peak memory is only visible when it is a new maximum.
    results: dict[int, list[Timed]] = {rows: [] for rows in sizes}
    peaks: dict[int, int] = {}
    for rows in sizes:
        for index in range(runs):
            timed, peak = _peak_kib([*base, str(files[rows]), "--format", "json"])
            results[rows].append(timed)
            if index == 0:
                peaks[rows] = peak
    lines += [
        f"A generated FreshDesk-style export (one ticket per row, two targets, a 09:00-17:00 "
        f"Berlin working day with a holiday, arrivals over a year), {runs} runs each; "
        "whole processes, start-up included. Peak memory is the child's maximum resident "
        "set size.",
        "",
        "| rows | file | median | rows per second | peak memory | exit status |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for rows in sizes:
        timings = results[rows]
        size = files[rows].stat().st_size / 1024 / 1024
        lines.append(
            f"| {rows:,} | {size:.1f} MiB | {ms(median(timings))} "
            f"| {rows / median(timings):,.0f} | {peaks[rows] / 1024:.0f} MiB "
            f"| {sorted({t.status for t in timings})} |"
        )
    ratio = median(results[100_000]) / median(results[10_000])
    memory = peaks[100_000] / peaks[10_000]
    lines += [
        "",
        f"**100k/10k: {ratio:.1f}× the time ({verdict(ratio, 12)}, i.e. linear), "
        f"{memory:.2f}× the peak memory** (the rows are streamed; what grows is a few bytes "
        "per ticket: its id, to find duplicates, and one number per target).",
        "",
    ]
    return lines


# --- (g) on-duty far in the future ----------------------------------------------------

ON_DUTY_POOL = 30
ON_DUTY_AWAY = 100
ON_DUTY_YEARS = 50


def on_duty_policy(pool: int = ON_DUTY_POOL, away: int = ON_DUTY_AWAY) -> str:
    """A team of ``pool`` people in one rotation with ``away`` periods spread over two years,
    a joiner and a leaver: every fact the dealing walks past before it can repeat."""
    start = datetime(2026, 1, 6, tzinfo=UTC).date()
    periods: dict[int, list[str]] = {}
    for index in range(away):
        first = start + timedelta(days=(index * 7919) % 700)
        periods.setdefault(index % pool, []).append(
            f"{{from: {first.isoformat()}, to: {(first + timedelta(days=9)).isoformat()}, "
            "reason: Leave}"
        )
    members = []
    for person in range(pool):
        fields = [f"name: Person {person:02d}"]
        # A person's periods must not overlap: keep those at least 10 days apart.
        kept: list[str] = []
        for period in sorted(periods.get(person, [])):
            if not kept or period[7:17] > _plus_days(kept[-1][7:17], 10):
                kept.append(period)
        if kept:
            fields.append(f"away: [{', '.join(kept)}]")
        if person == pool - 1:
            fields.append("joined: 2026-06-01")
        if person == pool - 2:
            fields.append("left: 2027-03-01")
        members.append(f"    p{person:02d}: {{{', '.join(fields)}}}")
    return "\n".join(
        [
            "version: 1",
            "organization: {name: Bench}",
            "team:",
            "  name: Team",
            "  members:",
            *members,
            "roles:",
            "  steward: {name: Steward}",
            "rotation:",
            "  role: steward",
            "  tenure: 2 weeks",
            "  handover_every: 1 week",
            "  handover_day: tuesday",
            f"  start: {start.isoformat()}",
            "",
        ]
    )


def _plus_days(day: str, days: int) -> str:
    from datetime import date

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def bench_on_duty(work: Path, runs: int) -> list[str]:
    lines = [f"## (g) `support-policy on-duty` {ON_DUTY_YEARS} years after `start`", ""]
    path = work / "on-duty.yaml"
    path.write_text(on_duty_policy(), encoding="utf-8")
    check = run([*SUPPORT_POLICY, "validate", str(path)])
    if check.status != 0:
        return [
            *lines,
            "unavailable: the generated policy does not validate:",
            "",
            "```",
            *check.stdout.splitlines()[:5],
            "```",
            "",
        ]
    away = on_duty_policy().count("reason: Leave")
    near, far = "2026-01-13", f"{2026 + ON_DUTY_YEARS}-01-13"
    commands: dict[str, Callable[[], Timed]] = {
        when: lambda when=when: run([*SUPPORT_POLICY, "on-duty", when, "--policy", str(path)])
        for when in (near, far)
    }
    results = alternate(commands, runs)
    ratio = median(results[far]) / median(results[near])
    lines += [
        f"A rotation of {ON_DUTY_POOL} people with {away} away periods (over two years), a "
        f"joiner and a leaver; `on-duty {far}` against `on-duty {near}` (the week after "
        f"`start`), {runs} alternating runs each after one warm-up round.",
        "",
        "| when | median | min | max | exit status |",
        "|---|---:|---:|---:|---|",
    ]
    for when, timings in results.items():
        seconds = [t.seconds for t in timings]
        lines.append(
            f"| {when} | {ms(median(timings))} | {ms(min(seconds))} | {ms(max(seconds))} "
            f"| {sorted({t.status for t in timings})} |"
        )
    lines += ["", f"**far / near: {ratio:.2f}** ({verdict(ratio, 1.2)})", ""]
    bad = [t for timings in results.values() for t in timings if t.status != 0]
    if bad:
        lines += ["Some runs reported problems:", "", "```", *bad[0].stderr.splitlines()[:5]]
        lines += ["```", ""]
    return lines


# --- main ------------------------------------------------------------------------------


def bench_mystmd(policy: Path, work: Path, runs: int, pages: int) -> list[str]:
    """Section (h), in ``bench_myst.py``: the same pages as (b), built by mystmd."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_myst import bench_myst

    from support_policy.policy.loader import load_policy

    loaded = load_policy(policy)
    if loaded.policy is None:
        return ["## (h) mystmd", "", f"unavailable: {policy} does not load", ""]
    directive_texts = [_directive_page(index) for index in range(pages)]
    twin_texts = _resolve_refs([_twin_page(index, Twin(loaded)) for index in range(pages)])
    tools = {"run": run, "alternate": alternate, "median": median, "ms": ms}
    return bench_myst(policy, work, runs, DIRECTIVE_PAGES, (directive_texts, twin_texts), tools)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="write the Markdown report here")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (>= 5)")
    # Whole Sphinx builds vary by ±10 % on a shared machine: enough runs for a steady median.
    parser.add_argument("--sphinx-runs", type=int, default=11, help="timed runs per build")
    parser.add_argument("--pages", type=int, default=12, help="pages per handbook project")
    parser.add_argument("--policy", type=Path, help="policy file (default: the bundled one)")
    parser.add_argument(
        "--only",
        choices=["a", "b", "c", "d", "e", "f", "g", "h"],
        action="append",
        help="run only these sections",
    )
    args = parser.parse_args(argv)
    if args.policy is None:
        from support_policy.policy.loader import bundled_policy_path

        args.policy = bundled_policy_path()
    policy = args.policy.resolve()
    sections = set(args.only or ["a", "b", "c", "d", "e", "f", "g", "h"])
    started = time.perf_counter()
    report = [
        "# support-policy benchmarks",
        "",
        f"Generated by `python benchmarks/bench.py` on {platform.platform()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs. "
        "Times are wall-clock for whole processes (start-up included).",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="support-policy-bench-") as temp:
        work = Path(temp)
        if "a" in sections:
            report += bench_validate(policy, work, max(args.runs, 5))
        if "b" in sections:
            report += bench_sphinx(policy, work, max(args.sphinx_runs, 1), args.pages)
        if "c" in sections:
            report += bench_rebuilds(policy, work)
        if "d" in sections:
            report += bench_calendar(policy, work, max(args.runs, 5))
        if "e" in sections:
            report += bench_members(policy, work, max(args.runs, 5))
        if "f" in sections:
            report += bench_sla(work, max(args.runs // 2, 3))
        if "g" in sections:
            report += bench_on_duty(work, max(args.runs, 5))
        if "h" in sections:
            report += bench_mystmd(policy, work, max(args.runs, 5), args.pages)
    elapsed = timedelta(seconds=round(time.perf_counter() - started))
    report += [f"Total benchmark time: {elapsed}.", ""]
    text = "\n".join(report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
