"""A new team's first hour, end to end: ``init``, then pre-commit and the CI workflow.

The team's folder is made with ``init``, pointed at a git copy of *this* source tree
(``--tool-repo``), exactly as a team points it at the project's repository. Then the
hook is installed by pre-commit and the workflow's ``run:`` commands are run as written,
in a fresh virtual environment. A tab in the team's policy must fail both, naming the
team's file; nothing may check the bundled example instead.

These tests install packages from the package index (pre-commit's hook environment,
the workflow's ``pip install``), as a team's machine and CI do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml

SOURCE = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 900
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
# Left out of the copy: build output, caches and environments, never part of a release.
IGNORED = shutil.ignore_patterns(
    ".git", ".nox", ".venv", "venv", "_build", "build", "dist", "*.egg-info", "__pycache__",
    ".pytest_cache", ".mypy_cache", ".ruff_cache",
)  # fmt: skip
TAB_MESSAGE = "a tab character indents this line"


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **extra}


def _run(
    command: list[str] | str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=env or _environment(),
        shell=isinstance(command, str),
        executable="/bin/bash" if isinstance(command, str) else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def tool_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this source tree as it is now, and its commit."""
    repo = tmp_path_factory.mktemp("tool") / "support-policy"
    shutil.copytree(SOURCE, repo, ignore=IGNORED)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        done = _run([*GIT, *command], repo)
        assert done.returncode == 0, done.stderr
    head = _run(["git", "rev-parse", "HEAD"], repo).stdout.strip()
    return repo, head


def _init_team(folder: Path, tool: tuple[Path, str]) -> str:
    repo, rev = tool
    done = _run(
        [
            sys.executable,
            "-m",
            "support_policy.validator",
            "init",
            str(folder),
            "--tool-repo",
            str(repo),
            "--tool-rev",
            rev,
        ],
        folder.parent,
    )
    assert done.returncode == 0, done.stderr
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "handbook"]):
        assert _run([*GIT, *command], folder).returncode == 0
    return done.stdout


def _break_with_a_tab(policy: Path) -> int:
    """Indent the organisation's name with a tab; return that line's number."""
    text = policy.read_text(encoding="utf-8")
    broken = text.replace("\n  name: Example Org", "\n\tname: Example Org", 1)
    assert broken != text
    policy.write_text(broken, encoding="utf-8")
    return broken[: broken.index("\tname: Example Org")].count("\n") + 1


def test_init_says_which_install_command_it_assumed(
    tmp_path: Path, tool_repo: tuple[Path, str]
) -> None:
    repo, rev = tool_repo
    out = _init_team(tmp_path / "team", tool_repo)
    requirement = f"support-policy[docs] @ git+file://localhost{repo.as_posix()}@{rev}"
    assert f'python -m pip install "{requirement}"' in out
    workflow = (tmp_path / "team" / ".github/workflows/support-policy.yml").read_text()
    assert f'python -m pip install "{requirement}"' in workflow
    hooks = yaml.safe_load((tmp_path / "team" / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["repo"] == str(repo)
    assert hooks["repos"][0]["rev"] == rev
    assert hooks["repos"][0]["hooks"][0]["args"] == ["--policy", "policy.yaml"]


def test_pre_commit_checks_the_teams_policy(tmp_path: Path, tool_repo: tuple[Path, str]) -> None:
    team = tmp_path / "team"
    _init_team(team, tool_repo)
    env = _environment(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"))
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"]

    clean = _run(pre_commit, team, env, timeout=INSTALL_TIMEOUT)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "policy.yaml: ok" in clean.stdout
    assert "<bundled>" not in clean.stdout

    line = _break_with_a_tab(team / "policy.yaml")
    broken = _run(pre_commit, team, env, timeout=INSTALL_TIMEOUT)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert f"policy.yaml:{line}:1: SP010 {TAB_MESSAGE}" in broken.stdout
    assert "indent with spaces, not a tab" in broken.stdout
    assert "<bundled>" not in broken.stdout


def test_the_workflow_commands_run_as_written(tmp_path: Path, tool_repo: tuple[Path, str]) -> None:
    team = tmp_path / "team"
    _init_team(team, tool_repo)
    workflow = yaml.safe_load((team / ".github/workflows/support-policy.yml").read_text())
    steps = [step for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    assert [step["name"] for step in steps] == [
        "Install support-policy",
        "Validate the policy",
        "Build the handbook (warnings are errors)",
    ]
    install, validate, build = (step["run"] for step in steps)

    # A clean machine: a new virtual environment first on PATH, as setup-python gives.
    environment = tmp_path / "ci-venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    env = _environment(PATH=f"{environment / 'bin'}{os.pathsep}{os.environ['PATH']}")

    installed = _run(install, team, env, timeout=INSTALL_TIMEOUT)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    checked = _run(validate, team, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == "policy.yaml: ok\n"
    built = _run(build, team, env, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]

    line = _break_with_a_tab(team / "policy.yaml")
    checked = _run(validate, team, env)
    assert checked.returncode == 1
    assert f"::error file=policy.yaml,line={line},col=1" in checked.stdout, checked.stdout
    assert TAB_MESSAGE in checked.stdout
    built = _run(build, team, env, timeout=600)
    assert built.returncode != 0
    warnings = [line for line in built.stderr.splitlines() if "WARNING" in line]
    assert len(warnings) == 1, built.stderr
    assert re.search(rf"policy\.yaml:{line}: WARNING: SP010 {TAB_MESSAGE}", warnings[0])
