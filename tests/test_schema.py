"""The published JSON Schema agrees with the loader on the shape of a policy file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from support_policy.policy.loader import bundled_policy_path, load_policy
from support_policy.policy.schema import policy_schema, schema_text

FIXTURES = Path(__file__).parent / "fixtures"


def kind_of(path: Path) -> str:
    match = re.search(r"^# kind: (\w+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} needs a `# kind:` line"
    return match.group(1)


INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
SHAPE = [p for p in INVALID if kind_of(p) == "shape"]
BEYOND_SCHEMA = [p for p in INVALID if kind_of(p) in ("rule", "invariant", "yaml")]
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def as_json(data: Any) -> Any:
    """What a YAML→JSON tool hands a JSON Schema validator: dates become ISO strings."""
    if isinstance(data, dict):
        return {str(key): as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json(value) for value in data]
    if isinstance(data, datetime | date):
        return data.isoformat()
    return data


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        policy_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def schema_errors(validator: jsonschema.Draft202012Validator, path: Path) -> list[str]:
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [error.message for error in validator.iter_errors(data)]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = policy_schema()

    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"version", "organization", "team", "roles"}


def test_bundled_policy_validates_against_the_schema(validator) -> None:
    assert schema_errors(validator, bundled_policy_path()) == []


def test_fixture_sets_cover_every_kind() -> None:
    assert len(SHAPE) >= 20
    assert {kind_of(p) for p in BEYOND_SCHEMA} == {"rule", "invariant", "yaml"}


@pytest.mark.parametrize("path", SHAPE, ids=lambda p: p.stem)
def test_shape_problems_are_rejected_by_both(validator, path: Path) -> None:
    result = load_policy(path)

    assert result.policy is None
    assert result.diagnostics
    assert all(d.code.startswith("SP1") for d in result.diagnostics)
    assert schema_errors(validator, path) != []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixtures_are_accepted_by_both(validator, path: Path) -> None:
    assert load_policy(path).diagnostics == []
    assert schema_errors(validator, path) == []


@pytest.mark.parametrize("path", BEYOND_SCHEMA, ids=lambda p: p.stem)
def test_what_json_schema_cannot_express_only_the_loader_rejects(validator, path: Path) -> None:
    """Documented difference: invariants across sections (references, rotation and budget
    arithmetic, template variables), model rules such as "exactly one SLA measure", a real
    IANA zone, start < end, min <= max, and the YAML 1.1 readings and duplicate keys that a
    YAML parser resolves before any schema sees the data. The schema accepts these files;
    ``support-policy validate`` rejects them."""
    assert schema_errors(validator, path) == []
    assert not load_policy(path).ok


@pytest.mark.parametrize(
    ("hours", "valid"),
    [("09:00-17:00", True), ("00:00-24:00", True), ("9-17", False), ("24:00-09:00", False)],
)
def test_working_hours_pattern_is_in_the_schema(validator, hours: str, valid: bool) -> None:
    data = {
        "version": 1,
        "organization": {"name": "Org"},
        "team": {"name": "Team", "members": {"ann": {"name": "Ann"}}},
        "roles": {"steward": {"name": "Steward"}},
        "working_time": {"hours": hours},
    }

    assert validator.is_valid(data) is valid


def test_schema_text_is_stable_json() -> None:
    text = schema_text()

    assert text == schema_text()
    assert json.loads(text) == policy_schema()
    assert text.endswith("}\n")


def test_cli_schema_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "support_policy.validator", "schema"]

    first = subprocess.run(command, capture_output=True, check=True)
    second = subprocess.run(command, capture_output=True, check=True)

    assert first.stdout == second.stdout
    assert first.stdout.decode("utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(first.stdout))


def test_cli_schema_to_a_file_matches_stdout(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    command = [sys.executable, "-m", "support_policy.validator", "schema", "-o", str(target)]

    subprocess.run(command, capture_output=True, check=True)

    assert target.read_bytes() == schema_text().encode("utf-8")


def test_the_schema_is_not_written_through_a_planted_symlink(tmp_path: Path) -> None:
    from support_policy.validator.cli import main

    secret = tmp_path / "outside.txt"
    secret.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "schema.json"
    link.symlink_to(secret)
    assert main(["schema", "--output", str(link)]) == 2
    assert secret.read_text(encoding="utf-8") == "keep me\n"
    assert main(["schema", "--output", str(tmp_path / "real.json")]) == 0
    assert json.loads((tmp_path / "real.json").read_text(encoding="utf-8"))["$schema"]
