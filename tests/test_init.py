"""``support-policy init``: a new team gets a valid policy and a handbook that builds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support_policy.handbook.directives import SPECS
from support_policy.policy.loader import load_policy
from support_policy.validator import cli

SCHEMA_LINE = (
    "# yaml-language-server: $schema=https://support-policy.readthedocs.io/en/latest/"
    "_static/support-policy.schema.json\n"
)
FILES = [
    "policy.yaml",
    "conf.py",
    "index.md",
    "support.md",
    ".pre-commit-config.yaml",
    ".github/workflows/support-policy.yml",
]
# Every directive but the SLA report, which needs a ticket export the starter lacks.
DIRECTIVES = sorted(set(SPECS) - {"support-sla-report"})
# sphinx-book-theme 1.4 under Sphinx 9: the one warning we tolerate in the build.
TOLERATED = re.compile(r"sphinx_book_theme|sphinx-book-theme", re.IGNORECASE)


def init(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["init", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "handbook"
    status, _, err = init(capsys, str(folder))
    assert status == 0, err
    return folder


def test_init_writes_every_file_and_says_what_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new"
    status, out, err = init(capsys, str(folder))
    assert status == 0
    assert err == ""
    for name in FILES:
        assert (folder / name).is_file(), name
        assert f"wrote {folder / name}\n" in out
    assert "Next steps:" in out
    assert "support-policy validate" in out


def test_init_defaults_to_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, _ = init(capsys)
    assert status == 0
    assert (tmp_path / "policy.yaml").is_file()


def test_the_scaffolded_policy_validates(
    scaffold: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["validate", str(scaffold / "policy.yaml")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert out.strip() == f"{scaffold / 'policy.yaml'}: ok"


def test_the_scaffolded_policy_is_small_but_complete(scaffold: Path) -> None:
    text = (scaffold / "policy.yaml").read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)
    loaded = load_policy(scaffold / "policy.yaml")
    assert loaded.ok
    policy = loaded.policy
    assert policy is not None
    assert len(policy.team.members) == 4
    assert "support-steward" in policy.roles
    assert policy.rotation is not None
    assert policy.rotation.role == "support-steward"
    assert policy.working_time is not None
    assert policy.priorities is not None
    assert policy.budget is not None
    for section in ("sla", "request_types", "channels", "processes", "glossary"):
        assert getattr(policy, section), section
    assert len(policy.templates) == 1
    assert len(policy.processes) == 1


def test_the_support_page_uses_every_directive_and_the_value_role(scaffold: Path) -> None:
    page = (scaffold / "support.md").read_text(encoding="utf-8")
    for directive in DIRECTIVES:
        assert f"```{{{directive}}}" in page, directive
    # A window around the build date, not a date that goes stale.
    assert "```{support-rotation}\n:from: today\n" in page
    assert "{support:value}`" in page


def test_conf_py_wires_the_extension_and_the_theme(scaffold: Path) -> None:
    namespace: dict[str, object] = {}
    exec((scaffold / "conf.py").read_text(encoding="utf-8"), namespace)
    assert namespace["extensions"] == ["myst_parser", "support_policy.sphinxext"]
    assert namespace["support_policy_file"] == "policy.yaml"
    assert namespace["html_theme"] == "sphinx_book_theme"


def test_pre_commit_and_workflow_run_the_tool(scaffold: Path) -> None:
    hooks = yaml.safe_load((scaffold / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = hooks["repos"]
    assert repo["repo"] == "https://github.com/support-policy/support-policy"
    assert [hook["id"] for hook in repo["hooks"]] == ["support-policy"]
    workflow = (scaffold / ".github/workflows/support-policy.yml").read_text(encoding="utf-8")
    steps = yaml.safe_load(workflow)["jobs"]["check"]["steps"]
    commands = [step.get("run", "") for step in steps]
    assert any(command.startswith("support-policy validate") for command in commands)
    assert any("sphinx -W" in command for command in commands)


@pytest.mark.sphinx
def test_the_scaffold_builds_with_sphinx_with_warnings_as_errors(
    scaffold: Path, tmp_path: Path
) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-E",
            "-q",
            "-b",
            "html",
            str(scaffold),
            str(tmp_path / "html"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    warnings = [
        line for line in build.stderr.splitlines() if line.strip() and not TOLERATED.search(line)
    ]
    assert build.returncode == 0, build.stderr
    assert warnings == [], build.stderr
    html = (tmp_path / "html" / "support.html").read_text(encoding="utf-8")
    assert "Support Steward" in html
    assert "Acknowledge a request" in html
    assert "Person A" in html


def test_init_refuses_to_overwrite_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf.py").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("# mine\n", encoding="utf-8")
    status, out, err = init(capsys, str(tmp_path))
    assert status == 2
    assert out == ""
    assert err.splitlines() == [
        f"{tmp_path / 'conf.py'}: SP901 exists; use --force to overwrite",
        f"{tmp_path / 'index.md'}: SP901 exists; use --force to overwrite",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conf.py", "index.md"]
    assert (tmp_path / "conf.py").read_text(encoding="utf-8") == "# mine\n"


def test_init_force_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "conf.py").write_text("# mine\n", encoding="utf-8")
    status, _, _ = init(capsys, str(tmp_path), "--force")
    assert status == 0
    assert "support_policy.sphinxext" in (tmp_path / "conf.py").read_text(encoding="utf-8")
    for name in FILES:
        assert (tmp_path / name).is_file()


def test_init_into_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    status, _, err = init(capsys, str(target))
    assert status == 2
    assert "not a folder" in err


def test_init_says_how_to_get_sphinx_when_it_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a base install, step 3 would fail with "No module named sphinx"."""
    from support_policy.validator.commands import init as init_cmd

    real = init_cmd.find_spec
    monkeypatch.setattr(
        init_cmd, "find_spec", lambda name: None if name == "sphinx" else real(name)
    )
    status, out, _ = init(capsys, str(tmp_path / "team"))
    assert status == 0
    step3 = out[out.index("  3. ") : out.index("  4. ")]
    assert "not installed here; install the `docs` extra" in step3
    assert 'python -m pip install "support-policy[docs] @ git+' in step3


def test_init_with_sphinx_installed_gives_step_3_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = init(capsys, str(tmp_path / "team"))
    assert status == 0
    assert "not installed here" not in out


def test_init_refuses_a_tool_repo_that_would_break_the_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = init(capsys, str(tmp_path / "team"), "--tool-repo", 'x" ; rm -rf /')
    assert status == 2
    assert out == ""
    assert "SP901 --tool-repo" in err
    assert not (tmp_path / "team").exists()


def test_init_engine_mystmd_writes_a_mystmd_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from support_policy.validator.myst_project import read_setting

    folder = tmp_path / "handbook"
    status, out, err = init(capsys, str(folder), "--engine", "mystmd")
    assert (status, err) == (0, "")
    assert not (folder / "conf.py").exists()
    config = yaml.safe_load((folder / "myst.yml").read_text(encoding="utf-8"))
    plugins = config["project"]["plugins"]
    assert {"type": "executable", "path": "support-policy-myst"} in plugins
    assert "support-policy-warnings.mjs" in plugins
    assert read_setting(folder).policy == folder / "policy.yaml"
    launcher = folder / "support-policy-myst"
    assert os.access(launcher, os.X_OK)
    assert "support-policy myst" in launcher.read_text(encoding="utf-8")
    # The same pages as the Sphinx scaffold, without Sphinx's toctree.
    assert "{toctree}" not in (folder / "index.md").read_text(encoding="utf-8")
    assert "```{support-roles}" in (folder / "support.md").read_text(encoding="utf-8")
    workflow = (folder / ".github/workflows/support-policy.yml").read_text(encoding="utf-8")
    assert "myst build --html" in workflow
    assert "myst build --html" in out
    assert "sphinx" not in out


def test_init_refuses_an_unknown_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["init", str(tmp_path), "--engine", "hugo"]) == 2
    assert "SP901 argument --engine: invalid choice: 'hugo'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _mystmd_scaffold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    folder = tmp_path / "handbook"
    status, out, err = init(capsys, str(folder), "--engine", "mystmd")
    assert (status, err) == (0, ""), err
    return folder, out


def test_the_mystmd_workflow_fails_when_the_build_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = _mystmd_scaffold(tmp_path, capsys)
    workflow = yaml.safe_load((folder / ".github/workflows/support-policy.yml").read_text("utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    build = next(step for step in steps if "myst build" in step.get("run", ""))
    # GitHub runs `shell: bash` as `bash -e`, plus pipefail only when the step asks for it.
    assert build["shell"] == "bash"
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    fake = bin_folder / "myst"
    fake.write_text("#!/bin/sh\necho 'the build broke, silently'\nexit 1\n", "utf-8")
    fake.chmod(0o755)
    done = subprocess.run(
        ["bash", "-e", "-c", build["run"]],
        cwd=folder,
        env={"PATH": f"{bin_folder}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0, done.stdout


def test_the_mystmd_workflow_pins_mystmd_and_skips_the_sphinx_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from support_policy.validator.mystmd_facts import MYSTMD_PACKAGE, PROBLEM_MARKERS

    folder, out = _mystmd_scaffold(tmp_path, capsys)
    text = (folder / ".github/workflows/support-policy.yml").read_text("utf-8")
    assert f"npm install --global {MYSTMD_PACKAGE}\n" in text
    assert f"grep -E '{PROBLEM_MARKERS}'" in text
    assert "__" not in text  # every mark replaced
    assert "support-policy @ git+" in text
    assert "[docs]" not in text + out
    assert f"npm install -g {MYSTMD_PACKAGE}" in out
    assert "Troubleshooting" in out


def test_the_mystmd_guide_names_the_pinned_version() -> None:
    from support_policy.validator.mystmd_facts import MYSTMD_VERSION

    guide = (Path(__file__).resolve().parents[1] / "docs/guides/mystmd.md").read_text("utf-8")
    versions = set(re.findall(r"mystmd@?\s?(\d+\.\d+\.\d+)", guide))
    assert versions == {MYSTMD_VERSION}


def test_the_launcher_says_in_one_line_when_the_command_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = _mystmd_scaffold(tmp_path, capsys)
    done = subprocess.run(
        [str(folder / "support-policy-myst")],
        cwd=folder,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 127
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "support-policy command is not on PATH" in done.stderr


def test_the_mystmd_files_are_the_sphinx_ones_but_the_project() -> None:
    from support_policy.validator.commands.init import FILES, MYSTMD_FILES

    shared = set(FILES.values()) & set(MYSTMD_FILES.values())
    assert {"policy.yaml", "support.md", ".pre-commit-config.yaml"} <= shared
    assert "conf.py" not in MYSTMD_FILES.values()
    assert {"myst.yml", "support-policy-myst"} <= set(MYSTMD_FILES.values())


def test_the_mystmd_guide_shows_the_myst_yml_init_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = _mystmd_scaffold(tmp_path, capsys)
    guide = (Path(__file__).resolve().parents[1] / "docs/guides/mystmd.md").read_text("utf-8")
    shown = guide.split("## Configure `myst.yml`", 1)[1].split("```yaml\n", 1)[1]
    shown = shown.split("```", 1)[0]
    written = (folder / "myst.yml").read_text("utf-8")
    assert yaml.safe_load(shown) == yaml.safe_load(written)
