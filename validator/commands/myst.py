"""``support-policy myst``: the handbook's directives and role as a mystmd executable plugin.

mystmd's protocol (``project.plugins: - type: executable, path: …`` in ``myst.yml``):

- run with no argument, the plugin prints its specification: a JSON object with its
  ``name`` and the ``directives`` and ``roles`` it provides (names, argument, options);
- run with ``--directive NAME`` (or ``--role NAME``), it reads the directive's data as
  JSON on standard input (``name``, ``arg``, ``options``, ``body``, the source ``node``
  with its position) and prints the JSON list of MyST AST nodes that replace it.

mystmd starts the executable itself, with no further arguments, so ``myst.yml`` names a
small launcher (``init --engine mystmd`` writes one) that runs this command; the policy
comes from ``myst.yml`` (:mod:`..myst_project`). The protocol has no channel for
warnings: each problem travels as a ``supportPolicyProblem`` node, which the companion
transform ``support-policy-warnings.mjs`` turns into a mystmd warning at the directive's
position (and removes). Input that is not mystmd's JSON: one line, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.safe_text import for_terminal

from ..policy_path import NoPolicy, add_policy_options, choose_policy
from ..runtime import EXIT_CANNOT_RUN, EXIT_OK, fail

VALUE_ROLE = "support:value"
#: mystmd sends one directive's source; far below this even for a long page.
MAX_INPUT_BYTES = 1024 * 1024
#: nesting of the nodes a directive returns, far deeper than any handbook block
MAX_DEPTH = 200

Node = dict[str, Any]


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "myst",
        help="the mystmd plugin: render the handbook's directives in a mystmd build",
        description=(
            "Run by mystmd as an executable plugin (see the mystmd guide). Without "
            "--directive/--role: print the plugin specification."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--directive", metavar="NAME", help="render directive NAME (stdin: JSON)")
    which.add_argument("--role", metavar="NAME", help="render role NAME (stdin: JSON)")
    add_policy_options(parser)
    parser.set_defaults(run=run)


def plugin_spec() -> dict[str, Any]:
    """The specification mystmd reads when it loads the plugin."""
    from support_policy.handbook.directives import SPECS

    directives = []
    for spec in SPECS.values():
        # Every option as text, the argument and a body always accepted, never required:
        # mystmd passes them on as written, and `invoke` judges them with the Sphinx
        # build's codes (SP510 a flag with a value, SP511/SP512 argument and body).
        # An option the directive lacks is mystmd's own warning: it checks names itself.
        options = {name: {"type": "string"} for name in {*spec.options, "no-index"}}
        directives.append(
            {
                "name": spec.name,
                "doc": f"The handbook's {spec.name}.",
                "options": dict(sorted(options.items())),
                "arg": {"type": "string", "required": False},
                "body": {"type": "string", "required": False},
            }
        )
    from ..myst_render import XREF_KINDS

    body = {"type": "string", "required": True}
    roles = [{"name": VALUE_ROLE, "doc": "A policy value, as text.", "body": body}]
    roles += [
        {"name": f"support:{kind}", "doc": f"A link to a {kind} of the policy.", "body": body}
        for kind in XREF_KINDS
    ]
    return {"name": "support-policy handbook", "directives": directives, "roles": roles}


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.directive is None and args.role is None:
        out.write(json.dumps(plugin_spec()) + "\n")
        return EXIT_OK
    data = _read_input()
    if data is None:
        return EXIT_CANNOT_RUN
    from support_policy.handbook.directives import SPECS

    from ..myst_render import XREF_KINDS

    if args.directive is not None and args.directive in SPECS:
        from ..myst_render import render_directive

        nodes = _guarded(lambda: render_directive(SPECS[args.directive], data, _policy(args)))
    elif args.role == VALUE_ROLE:
        from ..myst_render import render_value

        nodes = _guarded(lambda: render_value(data, _policy(args)))
    elif args.role is not None and args.role.removeprefix("support:") in XREF_KINDS:
        from ..myst_render import render_xref

        kind: Any = args.role.removeprefix("support:")
        nodes = _guarded(lambda: render_xref(kind, data, _policy(args)))
    else:
        asked, name = next(
            (k, v) for k, v in vars(args).items() if k in ("directive", "role") and v is not None
        )
        message = f"mystmd asked for {asked} `{name}`, which this plugin does not provide"
        fail(Diagnostic.make(Code.MYST_UNKNOWN, message, "support-policy myst"))
        return EXIT_CANNOT_RUN
    _attach_position(nodes, data)
    out.write(json.dumps(nodes) + "\n")
    return EXIT_OK


def _read_input() -> dict[str, Any] | None:
    """mystmd's JSON for one directive or role; ``None`` after reporting why not."""
    stdin = sys.stdin
    raw = stdin.buffer.read(MAX_INPUT_BYTES + 1) if stdin is not None else b""
    reason = None
    if stdin is None:  # started with standard input closed (`<&-`)
        reason = "standard input is closed"
    elif len(raw) > MAX_INPUT_BYTES:
        reason = f"standard input is larger than {MAX_INPUT_BYTES:,} bytes"
    else:
        try:
            data = json.loads(raw.decode("utf-8"))
        # ValueError, not only JSONDecodeError: an integer of thousands of digits is one
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            reason = f"standard input is not JSON: {error}"
        else:
            if isinstance(data, dict):
                return data
            reason = "standard input is not a JSON object"
    fail(Diagnostic.make(Code.MYST_INPUT, for_terminal(reason), "support-policy myst"))
    return None


def _policy(args: argparse.Namespace) -> tuple[Path | None, str] | Diagnostic:
    """The policy to render (path, display), or why none can be named."""
    if args.policy is None and not args.example:
        from ..myst_project import read_setting

        setting = read_setting(Path("."))
        if setting.problem is not None:
            return setting.problem
        if setting.policy is not None:
            return setting.policy, setting.display or str(setting.policy)
    try:
        choice = choose_policy(args)
    except NoPolicy:
        from ..myst_project import CONFIG_NAME, OPTION, SETTING_KEY

        message = (
            f"no policy named in {CONFIG_NAME} and no policy.yaml beside it: set "
            f"`project.options.{OPTION}.{SETTING_KEY}: PATH` in {CONFIG_NAME}"
        )
        return Diagnostic.make(Code.NO_POLICY, message, CONFIG_NAME)
    return choice.path, choice.display


def _guarded(render: Any) -> list[Node]:
    """Render, turning an unexpected failure into one warning: a page never breaks."""
    try:
        nodes: list[Node] = render()
    except Exception as error:  # the build goes on; the warning says what broke
        from ..myst_render import diagnostic_node

        message = f"internal error: {type(error).__name__}: {error}; please report it"
        return [diagnostic_node(Diagnostic.make(Code.INTERNAL, message, "support-policy myst"))]
    return nodes


def _attach_position(nodes: list[Node], data: dict[str, Any]) -> None:
    """Problems point at the directive in the page (mystmd's position of its node), also
    those a link carries for the transform, however deep."""
    from support_policy.handbook.mdast import PROBLEM_NODE, UNRESOLVED_PROBLEM

    node = data.get("node")
    position = _position(node.get("position")) if isinstance(node, dict) else None
    if position is None:
        return
    pending = [(item, 0) for item in nodes]
    while pending:  # our own output: bounded by the depth limit as well
        item, depth = pending.pop()
        if item.get("type") == PROBLEM_NODE:
            item["position"] = position
        carried = item.get(UNRESOLVED_PROBLEM)
        if isinstance(carried, dict):
            carried["position"] = position
        if depth < MAX_DEPTH:
            pending.extend((child, depth + 1) for child in item.get("children", ()))


def _position(value: Any) -> Node | None:
    """A copy of mystmd's ``{start: {line, column}, end: …}`` with whole numbers only."""
    if not isinstance(value, dict):
        return None
    copy: Node = {}
    for end in ("start", "end"):
        point = value.get(end)
        if not isinstance(point, dict):
            return None
        numbers = {key: point.get(key) for key in ("line", "column")}
        if not all(type(n) is int and 0 <= n < 10**9 for n in numbers.values()):
            return None
        copy[end] = numbers
    return copy
