"""``support-policy myst``: the mystmd executable-plugin protocol, as mystmd speaks it.

mystmd runs the plugin with no argument for its specification, then with
``--directive NAME`` / ``--role NAME`` and the directive's JSON on standard input; the
plugin prints a JSON list of nodes. These tests speak the same protocol in-process.
"""

from __future__ import annotations

import io
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support_policy.handbook import model as m
from support_policy.handbook.directives import SPECS
from support_policy.handbook.mdast import PROBLEM_NODE
from support_policy.policy.diagnostics import Code
from support_policy.policy.loader import bundled_policy_path
from support_policy.validator import cli
from support_policy.validator.myst_render import split_titled

POSITION = {"start": {"line": 7, "column": 1}, "end": {"line": 9, "column": 1}}


def _team_builder(request: m.Request) -> m.Rendered:
    """A small builder of the kind the directive table holds: the team's name, anchored."""
    assert request.loaded.policy is not None
    name = request.loaded.policy.team.name
    shown = f"{name} ({request.argument})" if request.argument else name
    blocks: tuple[m.Block, ...] = (
        m.Anchor("role", "team", name),
        m.Paragraph((m.Strong((m.Text(shown),)),)),
    )
    problems = ()
    if "loud" in request.options:
        problems = (m.Problem(Code.GLOSSARY_SELECTION, "selects nothing"),)
    return m.Rendered(blocks, problems)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> str:
    spec = m.DirectiveSpec(
        "support-demo", _team_builder, argument="optional", options={"loud": "flag", "x": "text"}
    )
    monkeypatch.setitem(SPECS, spec.name, spec)
    return spec.name


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A mystmd project folder naming its policy in myst.yml; mystmd runs plugins there."""
    shutil.copy(bundled_policy_path(), tmp_path / "team-policy.yaml")
    (tmp_path / "myst.yml").write_text(
        "version: 1\nproject:\n  options:\n    support_policy:\n      policy: team-policy.yaml\n",
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def call(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *argv: str,
    stdin: bytes = b"",
) -> tuple[int, Any, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    status = cli.main(["myst", *argv])
    captured = capsys.readouterr()
    output = json.loads(captured.out) if status == 0 else captured.out
    return status, output, captured.err


def directive_input(name: str, arg: str | None = None, **options: Any) -> bytes:
    node = {"type": "mystDirective", "name": name, "position": POSITION}
    data: dict[str, Any] = {"name": name, "node": node, "options": options}
    if arg is not None:
        data["arg"] = arg
    return json.dumps(data).encode()


def test_without_arguments_it_declares_the_directives_and_the_value_role(
    demo: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, spec, _ = call(capsys, monkeypatch)
    assert status == 0
    (entry,) = [d for d in spec["directives"] if d["name"] == demo]
    assert entry["arg"] == {"type": "string", "required": False}
    # Flags too are text, so a flag given a value reaches our SP510.
    assert entry["options"] == {
        "loud": {"type": "string"},
        "x": {"type": "string"},
        "no-index": {"type": "string"},
    }
    assert entry["body"] == {"type": "string", "required": False}
    assert [r["name"] for r in spec["roles"]] == [
        "support:value",
        "support:role",
        "support:request-type",
        "support:sla",
        "support:process",
        "support:template",
        "support:member",
        "support:rotation",
    ]


def test_a_directive_renders_the_policy_that_myst_yml_names(
    demo: str,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = project / "team-policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("name: ", "name: Zeta ", 1), "utf-8")
    status, nodes, err = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert (status, err) == (0, "")
    assert nodes[0]["identifier"] == "support-role-team"
    text = json.dumps(nodes)
    assert PROBLEM_NODE not in text


def test_no_index_drops_the_target(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = directive_input(demo, "A", **{"no-index": ""})
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=data)
    assert [n["type"] for n in nodes] == ["paragraph"]
    assert nodes[0]["children"][0]["children"][0]["value"].endswith("(A)")


def test_a_flag_with_a_value_and_a_body_are_our_codes(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(directive_input(demo, **{"no-index": "yes"}))
    data["body"] = "Some text the directive ignores."
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=json.dumps(data).encode())
    problems = [(n["code"], n["message"]) for n in nodes if n["type"] == PROBLEM_NODE]
    assert problems == [
        ("SP512", "`support-demo` takes no content; it is ignored"),
        ("SP510", "`:no-index:` of `support-demo` takes no value; `yes` is ignored"),
    ]
    # The flag still counts, as in Sphinx: no target.
    assert not any(n.get("identifier") for n in nodes)


def test_a_builder_problem_is_a_problem_node_at_the_directive(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = directive_input(demo, loud="")
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=data)
    problem = nodes[-1]
    assert problem["type"] == PROBLEM_NODE
    assert (problem["code"], problem["subtype"]) == ("SP508", "glossary")
    assert problem["position"] == POSITION


def test_policy_errors_are_warned_with_code_and_yaml_position_and_once(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = project / "team-policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "\nsurprise: 1\n", "utf-8")
    line = policy.read_text("utf-8").count("\n")
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    problems = [n for n in nodes if n["type"] == PROBLEM_NODE]
    # A schema error leaves no policy to render: the error, once, then "nothing rendered".
    assert [(p["code"], p.get("once")) for p in problems] == [("SP101", True), ("SP501", True)]
    assert problems[0]["message"].startswith(f"team-policy.yaml:{line}:1: ")


@pytest.mark.parametrize("setting", ["policy: nothere.yaml", "policy: folder"])
def test_a_policy_that_cannot_be_opened_is_the_loaders_diagnostic_once(
    setting: str,
    demo: str,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / "folder").mkdir()
    config = f"version: 1\nproject:\n  options:\n    support_policy:\n      {setting}\n"
    (project / "myst.yml").write_text(config, "utf-8")
    status, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert status == 0
    assert [(n["code"], n.get("once")) for n in nodes] == [("SP001", True), ("SP501", True)]
    assert nodes[0]["message"].startswith(setting.split()[1] + ": ")
    assert "internal error" not in json.dumps(nodes)


def test_the_policy_option_naming_a_missing_file_is_not_an_internal_error(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = directive_input(demo)
    status, nodes, _ = call(
        capsys, monkeypatch, "--policy", "nothere.yaml", "--directive", demo, stdin=data
    )
    assert status == 0
    assert [n["code"] for n in nodes] == ["SP001", "SP501"]


def test_an_unreadable_policy_renders_nothing_and_says_so(
    demo: str, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "team-policy.yaml").write_text("team: [\n", "utf-8")
    status, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert status == 0
    assert all(n["type"] == PROBLEM_NODE for n in nodes)
    assert nodes[-1]["code"] == "SP501"


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("policy: ../outside.yaml", "must be a path inside the project"),
        ("policy: /etc/passwd", "must be a path inside the project"),
        ("policy: [a]", "must be a path, as text"),
        ("path: policy.yaml", "must be a mapping with one key, `policy`"),
    ],
)
def test_a_bad_myst_yml_setting_is_one_positioned_warning(
    setting: str,
    expected: str,
    demo: str,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = f"version: 1\nproject:\n  options:\n    support_policy:\n      {setting}\n"
    (project / "myst.yml").write_text(config, "utf-8")
    status, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert status == 0
    assert nodes[0]["code"] == "SP532"
    assert nodes[0]["message"].startswith("myst.yml:5:")
    assert expected in nodes[0]["message"]


def test_without_a_setting_the_cli_rule_finds_policy_yaml(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(bundled_policy_path(), tmp_path / "policy.yaml")
    monkeypatch.chdir(tmp_path)
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert nodes[0]["identifier"] == "support-role-team"


def test_the_value_role_gives_text_and_warns_on_an_unknown_path(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = json.dumps({"name": "support:value", "body": "policy.team.name"}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:value", stdin=good)
    assert [n["type"] for n in nodes] == ["text"]
    bad = json.dumps({"name": "support:value", "body": "team.nmae"}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:value", stdin=bad)
    assert nodes[0] == {"type": "inlineCode", "value": "team.nmae"}
    assert nodes[1]["code"] == "SP213"


@pytest.mark.parametrize(
    ("stdin", "reason"),
    [
        (b"{not json", "standard input is not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"\xff\xfe", "not JSON"),
        (b"[" * 100_000, "not JSON"),
        (b'{"n": 1' + b"0" * 5000 + b"}", "not JSON"),  # past Python's integer digits
        (b" " * (1024 * 1024 + 1), "larger than 1,048,576 bytes"),
        # more digits than Python turns into a number
        (b'{"arg": ' + b"9" * 5000 + b"}", "not JSON"),
    ],
)
def test_input_that_is_not_mystmds_json_is_one_line_and_exit_2(
    stdin: bytes,
    reason: str,
    demo: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status, out, err = call(capsys, monkeypatch, "--directive", demo, stdin=stdin)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "SP530" in err
    assert reason in err
    assert "Traceback" not in err


def test_an_unknown_directive_or_role_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _, err = call(capsys, monkeypatch, "--directive", "nope", stdin=b"{}")
    assert status == 2
    assert "SP531" in err
    assert "directive `nope`" in err
    status, _, err = call(capsys, monkeypatch, "--role", "support:nope", stdin=b"{}")
    assert status == 2
    assert "SP531" in err
    assert "role `support:nope`" in err


def test_a_builder_that_breaks_is_a_warning_not_a_broken_page(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request: m.Request) -> m.Rendered:
        raise ValueError("boom")

    monkeypatch.setitem(SPECS, "support-broken", m.DirectiveSpec("support-broken", broken))
    data = directive_input("support-broken")
    status, nodes, err = call(capsys, monkeypatch, "--directive", "support-broken", stdin=data)
    assert (status, err) == (0, "")
    assert nodes[0]["code"] == "SP902"
    assert "boom" in nodes[0]["message"]


def test_a_cross_reference_role_links_the_target_with_the_objects_name(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from support_policy.policy.loader import load_policy

    policy = load_policy(project / "team-policy.yaml").policy
    assert policy is not None
    key, process = next(iter(policy.processes.items()))
    data = json.dumps({"name": "support:process", "body": key}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:process", stdin=data)
    assert nodes == [
        {
            "type": "crossReference",
            "label": f"support-process-{key}",
            "identifier": f"support-process-{key}",
            "html_id": f"support-process-{key}",
            "children": [{"type": "text", "value": process.name}],
            # the transform makes it text if the site does not show the process
            "supportPolicyRef": True,
        }
    ]
    titled = json.dumps({"name": "support:process", "body": f"the steps <{key}>"}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:process", stdin=titled)
    assert nodes[0]["children"] == [{"type": "text", "value": "the steps"}]
    unknown = json.dumps({"name": "support:process", "body": "nope"}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:process", stdin=unknown)
    assert nodes[0] == {"type": "text", "value": "nope"}
    assert nodes[1]["code"] == "SP507"


def test_member_and_rotation_roles_link_with_their_names(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from support_policy.policy.loader import load_policy

    policy = load_policy(project / "team-policy.yaml").policy
    assert policy is not None
    key, member = next(iter(policy.team.members.items()))
    data = json.dumps({"name": "support:member", "body": key}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:member", stdin=data)
    assert nodes[0]["identifier"] == f"support-member-{key}"
    assert nodes[0]["children"] == [{"type": "text", "value": member.name}]
    rotation = next(iter(policy.all_rotations))
    data = json.dumps({"name": "support:rotation", "body": rotation}).encode()
    _, nodes, _ = call(capsys, monkeypatch, "--role", "support:rotation", stdin=data)
    assert nodes[0]["identifier"] == f"support-rotation-{rotation}"
    assert nodes[0]["children"][0]["value"].endswith("rotation")


def test_closed_standard_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    python = shlex.quote(sys.executable)
    command = f"{python} -m support_policy.validator myst --directive support-team <&-"
    done = subprocess.run(
        ["sh", "-c", command], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "SP530" in done.stderr
    assert "standard input is closed" in done.stderr


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Our lead <lead>", ("Our lead", "lead")),
        ("lead", (None, "lead")),
        ("<lead>", (None, "<lead>")),
        ("a <b> c", (None, "a <b> c")),
        ("Title < spaced >", ("Title", "spaced")),
    ],
)
def test_a_titled_reference_is_split_as_sphinx_does(
    written: str, expected: tuple[str | None, str]
) -> None:
    assert split_titled(written) == expected


def test_splitting_a_huge_reference_takes_one_pass(tmp_path: Path) -> None:
    # A backtracking pattern took minutes on this; a linear scan is instant: the generous
    # timeout only keeps a regression from hanging the suite.
    script = (
        "from support_policy.validator.myst_render import split_titled\n"
        "print(split_titled('a' + ' ' * 1_000_000 + 'x')[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout == "None\n", done.stderr


def test_without_any_policy_the_warning_names_the_myst_yml_setting(
    demo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "myst.yml").write_text("version: 1\nproject:\n  title: T\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    _, nodes, _ = call(capsys, monkeypatch, "--directive", demo, stdin=directive_input(demo))
    assert nodes[0]["code"] == "SP910"
    assert "`project.options.support_policy.policy: PATH` in myst.yml" in nodes[0]["message"]
    assert "--policy" not in nodes[0]["message"]
