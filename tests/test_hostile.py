"""Hostile policy files, run through the real ``support-policy validate`` process.

A user (or an attacker's pull request) can put anything into the policy file. Whatever
it is, CI must see a clean, positioned, coded message and a meaningful exit status: no
traceback, no hang, no memory blow-up, no code executed. The corpus is described in
``tests/hostile/cases.yaml``; each case runs as its own child process with a wall-clock
timeout and an address-space limit.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from support_policy.policy.loader import bundled_policy_path

HOSTILE = Path(__file__).parent / "hostile"
TIMEOUT_SECONDS = 20
MEMORY_LIMIT_BYTES = 1024**3  # 1 GiB of address space for the child

POSITIONED = re.compile(r"^.+:(\d+):(\d+): (SP\d{3}) ")
WHOLE_FILE = re.compile(r"^.+: (SP\d{3}) ")
SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?$")


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str


def run_bounded(
    argv: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Outcome:
    """``argv`` as a real child process with the time and memory bounds above; ``env`` adds
    variables."""
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})}
    environment.pop("PYTHONWARNINGS", None)
    completed = subprocess.run(
        [str(arg) for arg in argv],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
        cwd=cwd,
        env=environment,
        check=False,
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> Outcome:
    """``python -m support_policy.validator ARGS`` as a real, bounded child process."""
    return run_bounded([sys.executable, "-m", "support_policy.validator", *args], cwd, env)


# --- Generated inputs (too large to commit) -------------------------------------------


def _bundled_text() -> str:
    return bundled_policy_path().read_text(encoding="utf-8")


def _over_one_mib() -> bytes:
    """The bundled policy plus valid glossary entries, just over the 1 MiB limit."""
    text = _bundled_text()
    entries = []
    size = len(text.encode())
    index = 0
    while size <= 1024 * 1024:
        entry = f"  term-{index}:\n    term: Term {index}\n    definition: {'word ' * 40}\n"
        entries.append(entry)
        size += len(entry)
        index += 1
    return (text + "".join(entries)).encode()


GENERATORS: dict[str, Any] = {
    "brackets_100k": lambda: b"version: 1\nglossary: " + b"[" * 100_000 + b"]" * 100_000,
    "braces_100k": lambda: b"version: 1\nglossary: " + b"{a: " * 50_000 + b"}" * 50_000,
    "dashes_deep": lambda: b"version: 1\nglossary:\n" + b"- " * 50_000 + b"x\n",
    "over_one_mib": _over_one_mib,
    "over_one_mib_comments": lambda: _bundled_text().encode() + b"# padding\n" * 110_000,
}


# --- The manifest ---------------------------------------------------------------------


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "cases.yaml").read_text())
    return cases


CASES = _cases()


def _position_of(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def materialize(case: dict[str, Any], tmp_path: Path) -> tuple[Path, str | None]:
    """Write the case's input into ``tmp_path``; return it and the expected position."""
    target = tmp_path / f"{case['id']}.yaml"
    if "file" in case:
        target.write_bytes((HOSTILE / case["file"]).read_bytes())
        return target, case.get("pos")
    if "generate" in case:
        target.write_bytes(GENERATORS[case["generate"]]())
        return target, case.get("pos")
    text = _bundled_text()
    marker: int | None = None
    for number, (old, new) in enumerate(case["replace"]):
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the bundled policy"
        offset = text.index(old)
        text = text.replace(old, new)
        if number == 0 and "at" in case:
            assert case["at"] in new, "`at` must be part of the first replacement"
            marker = offset + new.index(case["at"])
        elif marker is not None and offset < marker:
            marker += len(new) - len(old)
    target.write_text(text, encoding="utf-8")
    return target, case.get("pos") if marker is None else _position_of(text, marker)


def _check_output_shape(outcome: Outcome) -> list[tuple[str, str | None]]:
    """Every stdout line is a coded diagnostic, the summary or ``: ok``; no traceback."""
    assert "Traceback" not in outcome.stdout
    assert "Traceback" not in outcome.stderr
    found: list[tuple[str, str | None]] = []
    for line in outcome.stdout.splitlines():
        if SUMMARY.match(line) or line.endswith(": ok"):
            continue
        positioned = POSITIONED.match(line)
        if positioned:
            line_no, column, code = positioned.groups()
            assert int(line_no) >= 1, line
            found.append((code, f"{line_no}:{column}"))
            continue
        whole = WHOLE_FILE.match(line)
        assert whole, f"not a `file:line:col: CODE message` line: {line!r}"
        found.append((whole.group(1), None))
    return found


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_hostile_input(case: dict[str, Any], tmp_path: Path) -> None:
    policy, expected_position = materialize(case, tmp_path)
    outcome = run_cli("validate", policy.name, cwd=tmp_path)

    assert outcome.status == case.get("exit", 1), outcome.stdout + outcome.stderr
    found = _check_output_shape(outcome)
    codes = {code for code, _ in found}
    for code in case["codes"]:
        assert code in codes, f"expected {code}, got:\n{outcome.stdout}"
    if not case["codes"]:
        assert found == [], outcome.stdout
        return
    main = case["codes"][0]
    if expected_position == "whole":
        assert (main, None) in found or (main, "1:1") in found, outcome.stdout
    elif expected_position is not None:
        assert (main, expected_position) in found, (
            f"expected {main} at {expected_position}, got:\n{outcome.stdout}"
        )
    if "message" in case:
        where = f":{expected_position}: " if expected_position not in (None, "whole") else ": "
        assert any(
            where + f"{main} " in line and case["message"] in line
            for line in outcome.stdout.splitlines()
        ), f"expected {main} saying {case['message']!r}, got:\n{outcome.stdout}"
    # Each reported line names the file as given on the command line.
    assert all(line.startswith(policy.name) for line in outcome.stdout.splitlines()[:-1])


def test_tag_never_runs_code(tmp_path: Path) -> None:
    """``!!python/object/apply:os.system`` is reported, never executed."""
    marker = tmp_path / "pwned"
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        f'version: 1\norganization:\n  name: !!python/object/apply:os.system ["touch {marker}"]\n',
        encoding="utf-8",
    )
    outcome = run_cli("validate", policy)
    assert outcome.status == 1
    assert " SP013 " in outcome.stdout
    assert not marker.exists()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)
    committed = {case["file"] for case in CASES if "file" in case}
    on_disk = {path.name for path in HOSTILE.iterdir() if path.suffix == ".yaml"}
    on_disk -= {"cases.yaml"}
    assert committed == on_disk, "every corpus file is listed in cases.yaml, and vice versa"


# --- Cannot run at all: exit status 2 ---------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    outcome = run_cli("validate", tmp_path / "no-such-policy.yaml")
    assert outcome.status == 2
    assert re.search(r"no-such-policy\.yaml: SP001 ", outcome.stdout + outcome.stderr)
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_directory_as_policy(tmp_path: Path) -> None:
    outcome = run_cli("validate", tmp_path)
    assert outcome.status == 2
    assert " SP001 " in outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_path_through_a_file(tmp_path: Path) -> None:
    """``policy.yaml/child``: not a directory, so the file cannot be read (exit 2)."""
    (tmp_path / "policy.yaml").write_text("version: 1\n", encoding="utf-8")
    outcome = run_cli("validate", tmp_path / "policy.yaml" / "child")
    assert outcome.status == 2
    assert " SP001 " in outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_unreadable_file() -> None:
    """A file that exists but fails to read (even for root): exit 2, one coded line."""
    outcome = run_cli("validate", Path("/proc/self/mem"))
    assert outcome.status == 2
    assert " SP001 " in outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "--no-such-option"),
        ("no-such-command",),
        (),
        ("validate", "--format", "xml"),
        ("validate", "a.yaml", "b.yaml"),
    ],
    ids=["unknown-option", "unknown-command", "no-command", "bad-format", "two-policies"],
)
def test_bad_usage(args: tuple[str, ...]) -> None:
    outcome = run_cli(*args)
    assert outcome.status == 2
    assert re.search(r"^support-policy: SP901 ", outcome.stderr, re.MULTILINE), outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


# --- Hostile recurring calendars ------------------------------------------------------


def _series_calendar(rule_lines: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n"
        "BEGIN:VEVENT\r\nUID:bomb@tests\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;VALUE=DATE:20260106\r\nDTEND;VALUE=DATE:20260203\r\n"
        f"{rule_lines}SUMMARY:Support Steward: Person A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def _rdate_lines(count: int) -> str:
    days = [date(2026, 1, 6) + timedelta(days=n) for n in range(count)]
    return "".join(f"RDATE;VALUE=DATE:{day:%Y%m%d}\r\n" for day in days)


RECURRENCE_BOMBS = {
    "every-second-forever": _series_calendar("RRULE:FREQ=SECONDLY\r\n"),
    "every-minute-by-the-hour": _series_calendar("RRULE:FREQ=DAILY;BYMINUTE=0,1,2,3,4,5\r\n"),
    "daily-until-2999": _series_calendar("RRULE:FREQ=DAILY;UNTIL=29991231\r\n"),
    "daily-a-billion-times": _series_calendar("RRULE:FREQ=DAILY;COUNT=1000000000\r\n"),
    "sixty-thousand-rdates": _series_calendar(_rdate_lines(60_000)),
    "interval-zero": _series_calendar("RRULE:FREQ=WEEKLY;INTERVAL=0\r\n"),
    "broken-rule": _series_calendar("RRULE:FREQ=WEEKLY;BYDAY=XX\r\n"),
}


@pytest.mark.parametrize("name", list(RECURRENCE_BOMBS))
def test_hostile_recurring_calendar(name: str, tmp_path: Path) -> None:
    """Recurrences are expanded within bounds: a positioned error, never a hang."""
    calendar = tmp_path / f"{name}.ics"
    calendar.write_bytes(RECURRENCE_BOMBS[name].encode())
    outcome = run_cli("validate", "--example", "--calendar", calendar.name, cwd=tmp_path)
    assert outcome.status == 1, outcome.stdout + outcome.stderr
    found = _check_output_shape(outcome)
    assert found, outcome.stdout
    assert all(line.startswith(calendar.name) for line in outcome.stdout.splitlines()[:-1])
    if name == "daily-a-billion-times":
        # Read for a year past the last stated date only: daily joins, off the hand-offs.
        assert f"{calendar.name}:4: SP407 " in outcome.stdout
    else:
        # Refused at the series' BEGIN:VEVENT line, before or while expanding it.
        assert f"{calendar.name}:4: SP401 " in outcome.stdout
