"""Files stay inside the tree that names them, and every read is bounded.

A pull request controls the policy, its ``file:`` templates and the template folder,
symbolic links, FIFOs and sparse files included. Each attack runs through the installed
CLI (or ``sphinx-build``) as a real child process, with a wall-clock timeout and the
address-space limit of the other hostile tests; the outside file carries a marker that
must appear in no output.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile import TIMEOUT_SECONDS, Outcome, run_bounded, run_cli

from support_policy.policy import files
from support_policy.policy.diagnostics import Code
from support_policy.policy.files import FileRefused, read_inside, read_named
from support_policy.policy.loader import bundled_policy_path

MARKER = "OUTSIDE-MARKER-7c1e9a"
TEMPLATE_KEY = "non-incident-status"
FORMATS = ["text", "json", "sarif", "github"]
TWO_GIB = 2 * 1024**3


def _policy_text(file: str | None) -> str:
    """The bundled policy; with ``file``, its one template is read from that path."""
    text = bundled_policy_path().read_text(encoding="utf-8")
    if file is None:
        return text
    start = text.index("    body: |\n      Hello {{ NAME }}")
    end = text.index("\nprocesses:")
    return text[:start] + f"    file: {file}\n" + text[end:]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``repo/policy.yaml`` whose template is ``file: t/status.md``, and an outside file."""
    repo = tmp_path / "repo"
    (repo / "t").mkdir(parents=True)
    (repo / "policy.yaml").write_text(_policy_text("t/status.md"), encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "status.md").write_text(f"{MARKER} {{{{ NAME }}}}\n", encoding="utf-8")
    (outside / f"{TEMPLATE_KEY}.md").write_text(f"{MARKER}\n", encoding="utf-8")
    return repo


def _refused(outcome: Outcome, code: str) -> str:
    """The output of a run that refused with ``code``: exit 1, no traceback, no marker."""
    output = outcome.stdout + outcome.stderr
    assert outcome.status == 1, output
    assert f" {code} " in output or f'"{code}"' in output, output
    assert "Traceback" not in output
    assert MARKER not in output
    return output


# --- file: templates --------------------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
def test_template_symlinked_outside_is_refused_in_every_format(
    tree: Path, output_format: str
) -> None:
    (tree / "t" / "status.md").symlink_to(tree.parent / "outside" / "status.md")
    outcome = run_cli("validate", tree / "policy.yaml", "--format", output_format)
    _refused(outcome, "SP305")


def test_relative_symlink_climbing_out_is_refused(tree: Path) -> None:
    (tree / "t" / "status.md").symlink_to(Path("..", "..", "outside", "status.md"))
    output = _refused(run_cli("validate", tree / "policy.yaml"), "SP305")
    assert "`..` climbs above it" in output


def test_symlinked_folder_on_the_path_is_refused(tree: Path) -> None:
    (tree / "t").rmdir()
    (tree / "t").symlink_to(tree.parent / "outside", target_is_directory=True)
    output = _refused(run_cli("validate", tree / "policy.yaml"), "SP305")
    # Positioned at the `file:` value in the policy.
    assert output.startswith(f"{tree / 'policy.yaml'}:")
    assert ": SP305 `t/status.md` leads outside the policy's folder" in output


def test_symlink_inside_the_tree_is_followed(tree: Path) -> None:
    """Documented: a link that stays inside the policy's folder is read like the file."""
    (tree / "shared").mkdir()
    (tree / "shared" / "status.md").write_text("Hello {{ NAME }} and {{ OTHER }}\n")
    (tree / "t" / "status.md").symlink_to(Path("..", "shared", "status.md"))
    outcome = run_cli("validate", tree / "policy.yaml")
    # The linked file was read: its undeclared variable is reported.
    assert outcome.status == 1
    assert " SP211 " in outcome.stdout
    assert "OTHER" in outcome.stdout


@pytest.mark.parametrize(
    ("file", "code"),
    [
        ("../outside/status.md", "SP305"),
        ("t/../../outside/status.md", "SP305"),
        ("/etc/passwd", "SP305"),
        ("t/missing.md", "SP304"),
        ("policy.yaml/status.md", "SP304"),  # a path through a file
        ("t", "SP306"),  # a folder
    ],
)
def test_file_paths_that_leave_or_miss_are_refused(tree: Path, file: str, code: str) -> None:
    (tree / "policy.yaml").write_text(_policy_text(file), encoding="utf-8")
    _refused(run_cli("validate", tree / "policy.yaml"), code)


def test_symlink_loop_is_refused(tree: Path) -> None:
    (tree / "t" / "a.md").symlink_to("b.md")
    (tree / "t" / "b.md").symlink_to("a.md")
    (tree / "t" / "status.md").symlink_to("a.md")
    _refused(run_cli("validate", tree / "policy.yaml"), "SP307")


def test_dangling_symlink_is_missing(tree: Path) -> None:
    (tree / "t" / "status.md").symlink_to("nowhere.md")
    _refused(run_cli("validate", tree / "policy.yaml"), "SP304")


def test_fifo_template_is_refused_without_hanging(tree: Path) -> None:
    os.mkfifo(tree / "t" / "status.md")
    started = time.monotonic()
    output = _refused(run_cli("validate", tree / "policy.yaml"), "SP306")
    assert "is a FIFO (named pipe), not a regular file" in output
    assert time.monotonic() - started < TIMEOUT_SECONDS


def test_socket_template_is_refused(tree: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tree / "t" / "status.md"))
        output = _refused(run_cli("validate", tree / "policy.yaml"), "SP306")
    assert "is a socket" in output


@pytest.mark.parametrize("command", [["validate", "{}"], ["on-duty", "--policy", "{}"]])
def test_dev_zero_template_is_never_read(tree: Path, command: list[str]) -> None:
    (tree / "t" / "status.md").symlink_to("/dev/zero")
    outcome = run_cli(*(arg.format(tree / "policy.yaml") for arg in command))
    assert outcome.status == 1, outcome.stdout + outcome.stderr
    assert " SP305 " in outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_sparse_two_gib_template_is_refused_by_size(tree: Path) -> None:
    with (tree / "t" / "status.md").open("wb") as sparse:
        sparse.truncate(TWO_GIB)
    output = _refused(run_cli("validate", tree / "policy.yaml"), "SP003")
    assert "is 2,147,483,648 bytes; the limit is 1,048,576 bytes (1 MiB)" in output


# --- template folders -------------------------------------------------------------------


def _folder(tree: Path) -> Path:
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    folder = tree / "canned"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("output_format", FORMATS)
def test_symlink_in_template_folder_is_refused(tree: Path, output_format: str) -> None:
    folder = _folder(tree)
    # Without the refusal, the drift check would print the outside file's first line.
    (folder / f"{TEMPLATE_KEY}.md").symlink_to(tree.parent / "outside" / f"{TEMPLATE_KEY}.md")
    outcome = run_cli(
        "validate", tree / "policy.yaml", "--templates", folder, "--format", output_format
    )
    _refused(outcome, "SP305")


def test_symlink_from_template_folder_to_the_policy_folder_is_refused(tree: Path) -> None:
    """The template folder is the tree of its entries: a link out of it is refused."""
    folder = _folder(tree)
    (tree / "elsewhere.md").write_text(f"{MARKER}\n", encoding="utf-8")
    (folder / f"{TEMPLATE_KEY}.md").symlink_to(Path("..", "elsewhere.md"))
    _refused(run_cli("validate", tree / "policy.yaml", "--templates", folder), "SP305")


def test_fifo_in_template_folder_is_refused_without_hanging(tree: Path) -> None:
    folder = _folder(tree)
    os.mkfifo(folder / f"{TEMPLATE_KEY}.md")
    output = _refused(run_cli("validate", tree / "policy.yaml", "--templates", folder), "SP306")
    assert output.startswith(f"{folder / TEMPLATE_KEY}.md:1:1: SP306 ")


def test_linked_subfolder_in_template_folder_is_ignored(tree: Path) -> None:
    folder = _folder(tree)
    (folder / "drafts").mkdir()
    (folder / TEMPLATE_KEY).symlink_to("drafts", target_is_directory=True)
    outcome = run_cli("validate", tree / "policy.yaml", "--templates", folder)
    assert (outcome.status, outcome.stdout) == (0, f"{tree / 'policy.yaml'}: ok\n")


# --- files named on the command line ------------------------------------------------------


def test_dev_zero_as_policy_and_calendar_is_refused_unread(tree: Path) -> None:
    outcome = run_cli("validate", "/dev/zero")
    assert "/dev/zero:1:1: SP004 is a character device" in _refused(outcome, "SP004")
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    outcome = run_cli("validate", tree / "policy.yaml", "--calendar", "/dev/zero")
    assert "/dev/zero:1:1: SP004 " in _refused(outcome, "SP004")


def test_sparse_two_gib_policy_and_calendar_are_refused_by_size(tree: Path) -> None:
    big = tree / "big"
    with big.open("wb") as sparse:
        sparse.truncate(TWO_GIB)
    output = _refused(run_cli("validate", big), "SP003")
    assert "is 2,147,483,648 bytes; the limit is 1,048,576 bytes (1 MiB)" in output
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    output = _refused(run_cli("validate", tree / "policy.yaml", "--calendar", big), "SP401")
    assert "the limit is 16,777,216 bytes (16 MiB)" in output


def _calendar(tree: Path) -> Path:
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    outcome = run_cli("calendar", tree / "policy.yaml", "--from", "2026-01-06", "--weeks", "12")
    assert outcome.status == 0, outcome.stderr
    calendar = tree / "rota.ics"
    calendar.write_bytes(outcome.stdout.encode())
    return calendar


def _bash(script: str, cwd: Path) -> Outcome:
    cli = f"{sys.executable} -m support_policy.validator"
    return run_bounded(["bash", "-c", script.replace("CLI", cli)], cwd=cwd)


def test_calendar_from_a_pipe_is_read_and_checked(tree: Path) -> None:
    _calendar(tree)
    outcome = _bash("CLI validate policy.yaml --calendar <(cat rota.ics)", tree)
    assert (outcome.status, outcome.stdout) == (0, "policy.yaml: ok\n"), outcome.stderr
    # Checked, not just accepted: a calendar with an event in the middle dropped has a gap.
    events = (tree / "rota.ics").read_bytes().split(b"BEGIN:VEVENT")
    del events[3]
    (tree / "short.ics").write_bytes(b"BEGIN:VEVENT".join(events))
    outcome = _bash("CLI validate policy.yaml --calendar <(cat short.ics)", tree)
    assert outcome.status == 1
    assert "/dev/fd/" in outcome.stdout
    assert " SP404 " in outcome.stdout


def test_endless_pipe_as_calendar_is_cut_at_the_limit(tree: Path) -> None:
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    outcome = _bash("CLI validate policy.yaml --calendar <(cat /dev/zero)", tree)
    output = _refused(outcome, "SP401")
    assert "larger than the limit of 16,777,216 bytes (16 MiB)" in output


def test_policy_linked_out_of_the_working_folder_is_refused(tree: Path) -> None:
    """CI names `policy.yaml` in the checkout; a pull request can make it a link."""
    (tree.parent / "outside" / "policy.yaml").write_text(
        f"version: 1\n{MARKER}: x\n", encoding="utf-8"
    )
    (tree / "linked.yaml").symlink_to(tree.parent / "outside" / "policy.yaml")
    _refused(run_cli("validate", "linked.yaml", cwd=tree), "SP006")
    _refused(run_cli("validate", "policy.yaml", "--calendar", "linked.yaml", cwd=tree), "SP006")
    # Named by its absolute path, the file is read: the user chose it.
    outcome = run_cli("validate", tree / "linked.yaml", cwd=tree)
    assert outcome.status == 1
    assert " SP101 " in outcome.stdout


def test_template_folder_linked_out_of_the_working_folder_is_refused(tree: Path) -> None:
    (tree / "policy.yaml").write_text(_policy_text(None), encoding="utf-8")
    (tree / "canned").symlink_to(tree.parent / "outside", target_is_directory=True)
    _refused(run_cli("validate", "policy.yaml", "--templates", "canned", cwd=tree), "SP006")


# --- the Sphinx build ---------------------------------------------------------------------


def _sphinx(tree: Path) -> tuple[Outcome, Path]:
    source = tree / "docs"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["support_policy.sphinxext"]\nsupport_policy_file = "../policy.yaml"\n',
        encoding="utf-8",
    )
    (source / "index.rst").write_text(
        f"Templates\n=========\n\n.. support-template:: {TEMPLATE_KEY}\n", encoding="utf-8"
    )
    out = tree / "html"
    outcome = run_bounded(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(source), str(out)]
    )
    return outcome, out


def _html(out: Path) -> Iterator[str]:
    for page in out.rglob("*"):
        if page.is_file() and page.suffix in {".html", ".txt", ".js"}:
            yield page.read_text(encoding="utf-8", errors="replace")


def test_sphinx_does_not_publish_a_symlinked_template(tree: Path) -> None:
    (tree / "t" / "status.md").symlink_to(tree.parent / "outside" / "status.md")
    outcome, out = _sphinx(tree)
    assert outcome.status == 0, outcome.stderr
    assert "SP305" in outcome.stderr
    assert "[support-policy.template]" in outcome.stderr
    assert MARKER not in outcome.stdout + outcome.stderr
    pages = list(_html(out))
    assert any("support-template-body" in page for page in pages)  # the page is built
    assert not any(MARKER in page for page in pages)


def test_sphinx_refuses_a_fifo_template_without_hanging(tree: Path) -> None:
    os.mkfifo(tree / "t" / "status.md")
    outcome, out = _sphinx(tree)
    assert outcome.status == 0, outcome.stderr
    assert "SP306" in outcome.stderr
    assert (out / "index.html").is_file()


# --- the reader itself ----------------------------------------------------------------------


def test_pipe_without_writer_times_out(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    started = time.monotonic()
    with pytest.raises(FileRefused) as refused:
        read_named(tmp_path / "fifo", 100, pipe_seconds=0.3)
    assert refused.value.code is Code.PIPE_TIMEOUT
    assert time.monotonic() - started < 5


def test_pipe_whose_writer_comes_late_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def write_later() -> None:
        time.sleep(0.3)
        with fifo.open("wb") as writer:
            writer.write(b"late")

    thread = threading.Thread(target=write_later)
    thread.start()
    try:
        assert read_named(fifo, 100, pipe_seconds=10) == b"late"
    finally:
        thread.join()


def test_folder_swapped_for_a_link_before_its_open_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check-then-open race: ``t`` is a folder when checked, a link when opened."""
    root = tmp_path / "root"
    (root / "t").mkdir(parents=True)
    (root / "t" / "a.md").write_text("inside")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "a.md").write_text(MARKER)
    real_open = os.open
    swapped = []

    def swapping_open(path: str, flags: int, mode: int = 0o777, **kwargs: int) -> int:
        if path == "t" and not swapped:
            swapped.append(True)
            (root / "t").rename(root / "old")
            (root / "t").symlink_to(tmp_path / "outside", target_is_directory=True)
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(files.os, "open", swapping_open)
    with pytest.raises(FileRefused) as refused:
        read_inside(root, "t/a.md", 100)
    assert swapped
    assert refused.value.code is Code.FILE_OUTSIDE_TREE


def test_file_swapped_for_a_fifo_before_its_open_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text("text")
    real_open = os.open

    def swapping_open(path: str, flags: int, mode: int = 0o777, **kwargs: int) -> int:
        if path == "a.md":
            (tmp_path / "a.md").unlink()
            os.mkfifo(tmp_path / "a.md")
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(files.os, "open", swapping_open)
    with pytest.raises(FileRefused) as refused:
        read_inside(tmp_path, "a.md", 100)  # must not block waiting for a writer
    assert refused.value.code is Code.NOT_REGULAR_FILE
