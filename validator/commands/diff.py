"""``support-policy diff``: what a change to the policy means, for a pull-request review.

Two forms::

    support-policy diff OLD NEW
    support-policy diff --rev GIT-REV [POLICY]   # OLD is POLICY as of GIT-REV

With ``--rev`` and no POLICY, the policy is the one every command finds (``--policy``,
``[tool.support-policy]`` in ``pyproject.toml``, ``./policy.yaml``).

Exit status: 0 nothing flagged, 1 something flagged (an edit that rewrites past or
current rotation tenures, or a new version that does not validate), 2 cannot compare
(unreadable file, git failure, bad usage).

A new version with validation errors is what a reviewer most needs to hear about: its
errors are flagged findings in every format, and the rest of the comparison is made as far
as the two versions allow. An old version's errors are listed as notes (a pull request
that fixes them is welcome).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO

from support_policy.policy import clock
from support_policy.policy.bounds import MAX_WEEKS, check_date, parse_weeks
from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.loader import (
    LoadedPolicy,
    PolicyUnreadable,
    inside_policy_folder,
    load_policy,
    load_policy_text,
)
from support_policy.policy.safe_text import (
    code_span,
    for_terminal,
    json_text,
    mark_code,
    markdown_of_marked,
)
from support_policy.policy.yamlsource import MAX_FILE_BYTES, decode

from ..policy_path import NoPolicy, add_policy_options, choose_policy
from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, EXIT_VIOLATIONS, date_hint, fail

if TYPE_CHECKING:  # imported when the command runs (fast start)
    import subprocess

    from support_policy.policy.diff import PolicyDiff

FORMATS = ("markdown", "json", "text")


class CannotCompare(Exception):
    """Something stops the comparison; carries the diagnostics to print."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__("; ".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "diff",
        help="summarise the changes between two versions of a policy (exit 1 when flagged)",
        description=(
            "Compare two versions of a policy section by section. `diff OLD NEW` compares "
            "two files; `diff --rev REV [POLICY]` compares POLICY (or --policy PATH, or the "
            "policy found in the current folder) with its version at git revision REV. "
            "Exit 1 when a change rewrites past or current rotation tenures."
        ),
    )
    parser.add_argument(
        "policies",
        nargs="*",
        type=Path,
        metavar="POLICY",
        help="two files, OLD then NEW; with --rev, at most one: the policy to compare",
    )
    add_policy_options(parser, example=False)
    parser.add_argument("--rev", metavar="REV", help="compare POLICY with its version at REV")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="output format")
    parser.add_argument(
        "--today",
        metavar="DATE",
        help="the reference date (default: today, or SOURCE_DATE_EPOCH when set)",
    )
    parser.add_argument(
        "--weeks",
        type=_weeks,
        default=12,
        metavar="N",
        help=f"schedule window in weeks (0–{MAX_WEEKS})",
    )
    parser.set_defaults(run=run)


def _weeks(text: str) -> int:
    # 0 is allowed: no upcoming window, only the past is guarded.
    try:
        return parse_weeks(text, "--weeks", minimum=0)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        today = _today(args.today)
        old, new = _load_both(args)
    except CannotCompare as problem:
        for diagnostic in problem.diagnostics:
            fail(diagnostic)
        return EXIT_CANNOT_RUN
    result = _compare(old, new, today, args.weeks)
    RENDERERS[args.format](result, old.display, new.display, out)
    return EXIT_VIOLATIONS if result.flagged else EXIT_OK


VALIDATION = "validation"
"""The section of the findings that are validation errors (listed first)."""


def _compare(old: LoadedPolicy, new: LoadedPolicy, today: date, weeks: int) -> PolicyDiff:
    """The semantic diff, preceded by the versions' validation errors as findings."""
    from support_policy.policy.diff import PolicyDiff, diff_policies
    from support_policy.policy.diff_words import DiffEntry

    entries = [
        DiffEntry(VALIDATION, _finding("new version", d), flag=True)
        for d in new.diagnostics
        if d.severity == "error"
    ]
    entries += [
        DiffEntry(VALIDATION, _finding("old version", d))
        for d in old.diagnostics
        if d.severity == "error"
    ]
    if old.policy is None or new.policy is None:
        return PolicyDiff(entries, today, weeks)
    try:
        compared = diff_policies(
            old.policy,
            new.policy,
            today=today,
            weeks=weeks,
            old_texts=old.template_texts,
            new_texts=new.template_texts,
        )
    except Exception:
        if not entries:
            raise  # two valid versions: a failure is a bug, reported as SP902
        # The comparison assumes what validation guarantees (every reference resolves);
        # with errors the findings above are the report.
        note = "the rest of the comparison needs a new version without errors"
        return PolicyDiff([*entries, DiffEntry(VALIDATION, note)], today, weeks)
    return PolicyDiff([*entries, *compared.entries], today, weeks)


def _finding(version: str, diagnostic: Diagnostic) -> str:
    where = mark_code(diagnostic.location)
    message = mark_code(diagnostic.message)[1:-1]  # prose: without the code marks it may hold
    return f"the {version} does not validate: {where} {diagnostic.code} {message}"


def _usage(message: str) -> Diagnostic:
    return Diagnostic.make(Code.USAGE, message, "support-policy diff")


def _today(given: str | None) -> date:
    if given is not None:
        try:
            day = date.fromisoformat(given)
        except ValueError:
            raise CannotCompare(
                _usage(f"--today: `{given}` is not a date{date_hint(given)}")
            ) from None
        return check_date(day, "--today")
    return clock.today()  # SP922 for a bad SOURCE_DATE_EPOCH, as in every command


def _load_both(args: argparse.Namespace) -> tuple[LoadedPolicy, LoadedPolicy]:
    paths: list[Path] = args.policies
    if args.rev is not None:
        if len(paths) > 1 or (paths and args.policy is not None):
            raise CannotCompare(_usage("with --rev, give at most one POLICY"))
        try:
            path = paths[0] if paths else choose_policy(args).path
        except NoPolicy as missing:
            raise CannotCompare(missing.diagnostic) from None
        assert path is not None  # diff has no --example
        new = _load_file(path)
        old = _load_revision(args.rev, path)
    else:
        if len(paths) != 2 or args.policy is not None:
            raise CannotCompare(
                _usage("give OLD and NEW policy files, or --rev REV [--policy PATH]")
            )
        old, new = _load_file(paths[0]), _load_file(paths[1])
    return old, new


def _load_file(path: Path) -> LoadedPolicy:
    try:
        return load_policy(path)
    except PolicyUnreadable as unreadable:
        raise CannotCompare(unreadable.diagnostic) from None


def _git(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    import subprocess

    try:
        return subprocess.run(
            ["git", *arguments], cwd=cwd, capture_output=True, check=False, timeout=60
        )
    except FileNotFoundError:
        raise CannotCompare(_usage("--rev needs git, which is not installed")) from None
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CannotCompare(_usage(f"running git failed: {error}")) from None


def _first_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "no message"


def _load_revision(rev: str, path: Path) -> LoadedPolicy:
    """``path`` as of git revision ``rev``, read with ``git show REV:<repo-relative path>``."""
    if rev.startswith("-"):
        raise CannotCompare(_usage(f"`{rev}` is not a git revision"))
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise CannotCompare(Diagnostic.make(Code.FILE_NOT_FOUND, "no such folder", str(path)))
    top = _git("rev-parse", "--show-toplevel", cwd=folder)
    if top.returncode != 0:
        raise CannotCompare(_usage(f"{path} is not in a git repository: {_first_line(top.stderr)}"))
    root = Path(top.stdout.decode("utf-8", "replace").strip()).resolve()
    try:
        relative = (folder / path.name).relative_to(root).as_posix()
    except ValueError:
        raise CannotCompare(_usage(f"{path} is outside the repository at {root}")) from None
    commit = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root)
    if commit.returncode != 0:
        raise CannotCompare(_usage(f"`{rev}` names no commit in {root}"))
    display = f"{rev}:{relative}"
    size = _blob_size(rev, relative, root)
    if size is not None and size > MAX_FILE_BYTES:
        message = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (1 MiB)"
        raise CannotCompare(Diagnostic.make(Code.FILE_TOO_LARGE, message, display, 1, 1))
    shown = _git("show", f"{rev}:{relative}", cwd=root)
    if shown.returncode != 0:
        raise CannotCompare(
            Diagnostic.make(Code.FILE_NOT_FOUND, f"not in revision `{rev}`", display)
        )
    try:
        text = shown.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise CannotCompare(
            Diagnostic.make(Code.NOT_UTF8, "the file is not UTF-8 text", display)
        ) from None
    loaded = load_policy_text(text, display)  # base_dir=None: no file read from disk
    if loaded.policy is not None:
        folder_in_repo = PurePosixPath(relative).parent
        for key, template in loaded.policy.templates.items():
            if template.file is not None:
                found = _template_at_revision(rev, root, folder_in_repo, template.file)
                if found is not None:
                    loaded.template_texts[key] = found
    return loaded


def _blob_size(rev: str, path: str, root: Path) -> int | None:
    """The size of ``path`` as of ``rev``, asked before ``git show`` holds it in memory."""
    answer = _git("cat-file", "-s", f"{rev}:{path}", cwd=root)
    text = answer.stdout.decode("ascii", "replace").strip()
    return int(text) if answer.returncode == 0 and text.isdigit() else None


def _template_at_revision(rev: str, root: Path, folder: PurePosixPath, file: str) -> str | None:
    """A ``file:`` template's text as of ``rev``; ``None`` when it is not there as text."""
    relative = PurePosixPath(file)
    if not inside_policy_folder(relative):
        return None  # the old version's own validation reports such paths
    blob = (folder / relative).as_posix()
    size = _blob_size(rev, blob, root)
    if size is None or size > MAX_FILE_BYTES:
        return None  # not there, or refused as the loader refuses the current file
    shown = _git("show", f"{rev}:{blob}", cwd=root)
    if shown.returncode != 0:
        return None
    text, _ = decode(shown.stdout, file)  # as the loader reads the current file
    return text


# --- rendering --------------------------------------------------------------------------


# Every format quotes the policies' text, which comes from the pull request: the text
# and JSON forms show it in display form (one line, no control sequence, no workflow
# command), and the Markdown form, posted as a pull-request comment, escapes it so that
# it cannot add HTML, links, images, mentions, references or blocks to the comment.


def render_markdown(result: PolicyDiff, old: str, new: str, out: TextIO) -> None:
    lines = ["## Support policy changes", ""]
    lines.append(
        f"Comparing {code_span(old)} with {code_span(new)}; rotation schedule from "
        f"{result.today.isoformat()} for {result.weeks} weeks."
    )
    lines.append("")
    invalid = [entry for entry in result.flagged if entry.section == VALIDATION]
    flagged = [entry for entry in result.flagged if entry.section != VALIDATION]
    if invalid:
        lines += [
            "> [!CAUTION]",
            f"> The new version does not validate: {len(invalid)} error(s), listed below.",
            "",
        ]
    if flagged:
        lines += [
            "> [!CAUTION]",
            f"> {len(flagged)} change(s) rewrite rotation hand-offs that already happened or "
            "tenures running today. Editing the roster must not reshuffle the past: keep the "
            "roster as it was and record deviations as `rotation.changes`.",
            "",
        ]
    if result.empty:
        lines.append("No changes in meaning.")
    for section, entries in result.by_section().items():
        lines += [f"### {section_title(section)}", ""]
        for entry in entries:
            marker = "- ⛔ **FLAGGED:** " if entry.flag else "- "
            lines.append(marker + markdown_of_marked(entry.marked))
        lines.append("")
    out.write("\n".join(lines).rstrip("\n") + "\n")


def render_text(result: PolicyDiff, old: str, new: str, out: TextIO) -> None:
    shown = f"{for_terminal(old)} → {for_terminal(new)}"
    out.write(f"{shown} (schedule from {result.today.isoformat()}, {result.weeks} weeks)\n")
    if result.empty:
        out.write("no changes in meaning\n")
    for entry in result.entries:
        prefix = "FLAGGED " if entry.flag else ""
        # Most entries name their section already ("Rotation: ..."); say it only once.
        title = section_title(entry.section)
        text = entry.text if entry.text.startswith(title) else f"{title}: {entry.text}"
        out.write(f"{prefix}{for_terminal(text)}\n")
    if result.flagged:
        out.write(f"{len(result.flagged)} flagged change(s)\n")


def render_json(result: PolicyDiff, old: str, new: str, out: TextIO) -> None:
    document = {"old": old, "new": new, **result.as_dict()}
    out.write(json_text(document))


RENDERERS = {"markdown": render_markdown, "json": render_json, "text": render_text}


def section_title(section: str) -> str:
    from support_policy.policy.diff import SECTIONS

    if section == VALIDATION:
        return "Validation"
    return SECTIONS.get(section, section)
