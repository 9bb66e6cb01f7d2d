"""The CLI reference tables (``docs/_ext/cli_reference.py``) read as sentences."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from types import ModuleType

from docutils import nodes

from support_policy.validator import cli

EXTENSION = Path(__file__).resolve().parents[1] / "docs" / "_ext" / "cli_reference.py"


def _extension() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cli_reference", EXTENSION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(module: ModuleType, parser: argparse.ArgumentParser) -> dict[str, str]:
    return {row[0].astext(): row[1].astext() for row in module._argument_rows(parser)}


def test_an_option_without_help_does_not_start_with_a_semicolon() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["text", "json"], default="text")
    rows = _rows(_extension(), parser)
    assert rows["--format {text,json}"] == "One of text, json; default text"


def test_every_command_option_reads_as_a_sentence() -> None:
    module = _extension()
    for name, (sub, _) in module._commands(cli.build_parser()).items():
        for argument, meaning in _rows(module, sub).items():
            assert meaning, (name, argument)
            assert not meaning.startswith(";"), (name, argument)


def test_the_diff_policy_argument_says_what_it_is() -> None:
    module = _extension()
    diff = module._commands(cli.build_parser())["diff"][0]
    meaning = _rows(module, diff)["POLICY"]
    assert meaning != "OLD NEW"
    assert "OLD then NEW" in meaning
    assert "--rev" in meaning


def test_options_and_code_in_help_texts_are_shown_as_code() -> None:
    module = _extension()
    on_duty = module._commands(cli.build_parser())["on-duty"][0]
    [row] = [r for r in module._argument_rows(on_duty) if r[0].astext() == "--policy PATH"]
    codes = [node.astext() for node in row[1].findall(nodes.literal)]
    assert codes == ["policy"]
    validate = module._commands(cli.build_parser())["validate"][0]
    [row] = [r for r in module._argument_rows(validate) if r[0].astext() == "POLICY"]
    assert [node.astext() for node in row[1].findall(nodes.literal)] == ["--policy"]
