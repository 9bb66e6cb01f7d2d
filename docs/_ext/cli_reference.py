"""Docs-local Sphinx extension: the ``support-policy`` command's options, from argparse.

``cli-options COMMAND`` renders the usage line and a table of the command's arguments,
read from the parser the command itself builds, so the reference cannot drift from
the tool. Without an argument it lists the commands. Standard docutils nodes only.
"""

from __future__ import annotations

import argparse
import re
import typing
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)


def _commands(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    found: dict[str, tuple[argparse.ArgumentParser, str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                found[name] = (sub, helps.get(name, ""))
    return found


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    for child in children:
        para += child
    entry += para
    return entry


def _table(headers: list[str], rows: list[list[nodes.entry]], widths: list[int]) -> nodes.table:
    table = nodes.table(classes=["support-policy-cli"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    for header in headers:
        head_row += _cell(nodes.Text(header))
    head += head_row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += cell
        body += row
    return table


def _usage(parser: argparse.ArgumentParser) -> nodes.literal_block:
    text = " ".join(parser.format_usage().split())
    text = text.removeprefix("usage: ")
    block = nodes.literal_block(text, text)
    block["language"] = "text"
    return block


# `code` and --options in help texts: shown as code, and kept from smart quotes
# (which would turn `--policy` into an en dash and "policy").
_CODE = re.compile(r"`([^`]+)`|(?<![\w-])(--[a-z][a-z-]*)")


def _help_nodes(text: str) -> list[nodes.Node]:
    found: list[nodes.Node] = []
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            found.append(nodes.Text(text[position : match.start()]))
        code = match.group(1) or match.group(2)
        found.append(nodes.literal(code, code))
        position = match.end()
    if position < len(text):
        found.append(nodes.Text(text[position:]))
    return found


def _argument_rows(parser: argparse.ArgumentParser) -> list[list[nodes.entry]]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            names = ", ".join(action.option_strings)
            if action.nargs != 0:
                metavar = action.metavar or (
                    "{" + ",".join(map(str, action.choices)) + "}"
                    if action.choices
                    else action.dest.upper()
                )
                names += f" {metavar}"
        else:
            names = str(action.metavar or action.dest)
        notes: list[nodes.Node] = _help_nodes((action.help or "").strip())
        if action.choices and action.option_strings:
            notes.append(nodes.Text("; one of " if notes else "One of "))
            for index, choice in enumerate(action.choices):
                if index:
                    notes.append(nodes.Text(", "))
                notes.append(nodes.literal(str(choice), str(choice)))
        default = action.default
        if action.nargs != 0 and default not in (None, argparse.SUPPRESS, False, [], ()):
            notes.append(nodes.Text("; default " if notes else "Default "))
            notes.append(nodes.literal(str(default), str(default)))
        rows.append([_cell(nodes.literal(names, names)), _cell(*notes)])
    return rows


class CliOptions(SphinxDirective):
    """``cli-options [COMMAND]``: usage and arguments of one sub-command, or the command list."""

    optional_arguments = 1
    final_argument_whitespace = True  # `cli-options report sla`: a command's sub-command
    has_content = False
    option_spec: typing.ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        from support_policy.validator import cli

        if cli.__file__:
            self.env.note_dependency(cli.__file__)
        parser = cli.build_parser()
        commands = _commands(parser)
        if not self.arguments:
            rows = [
                [_cell(nodes.literal(name, name)), _cell(nodes.Text(help_text))]
                for name, (_, help_text) in commands.items()
            ]
            return [_usage(parser), _table(["Command", "Purpose"], rows, [20, 80])]
        name, *subcommands = self.arguments[0].split()
        if name not in commands:
            logger.warning(
                "cli-options: `support-policy %s` does not exist (commands: %s)",
                name,
                ", ".join(commands) or "none",
                location=self.get_location(),
            )
            return []
        sub = commands[name][0]
        for word in subcommands:
            found = _commands(sub).get(word)
            if found is None:
                logger.warning(
                    "cli-options: `support-policy %s` has no sub-command `%s`",
                    name,
                    word,
                    location=self.get_location(),
                )
                return []
            sub = found[0]
        return [_usage(sub), _table(["Argument", "Meaning"], _argument_rows(sub), [30, 70])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("cli-options", CliOptions)
    return {
        "version": "1",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
