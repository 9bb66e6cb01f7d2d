"""Output formats of `support-policy validate`: text, json, github, sarif."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.validator.cli import main
from support_policy.validator.reporters import (
    REPORTERS,
    Report,
    escape_data,
    escape_property,
    github_annotation,
)

DATA = Path(__file__).parent / "data"
POLICY = DATA / "templates" / "policy.yaml"
BAD = DATA / "templates" / "bad"
SARIF_SCHEMA = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
# The official schema, verbatim (oasis-tcs/sarif-spec, Schemata/sarif-schema-2.1.0.json).
# It declares draft 2020-12, so validate with that draft. It does not pass
# ``check_schema`` itself, because of two upstream defects that do not touch what
# support-policy writes: `region`'s `anyOf` sits inside `properties`
# (oasis-tcs/sarif-spec#578) and the `language` pattern uses `(?i)`, which is not a
# valid regular expression (oasis-tcs/sarif-spec#576).
SarifValidator = jsonschema.validators.validator_for(SARIF_SCHEMA)


@pytest.fixture(autouse=True)
def _no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def output(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["validate", *args])
    return status, capsys.readouterr().out


def test_json_report_fields(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = output(capsys, str(POLICY), "--templates", str(BAD), "--format", "json")
    assert status == 1
    document = json.loads(out)
    assert list(document) == ["version", "policy", "ok", "errors", "warnings", "diagnostics"]
    assert document["version"] == 1
    assert document["policy"] == str(POLICY)
    assert document["ok"] is False
    assert (document["errors"], document["warnings"]) == (10, 0)
    first = document["diagnostics"][0]
    assert list(first) == ["file", "line", "column", "code", "severity", "subtype", "message"]
    assert first["file"] == str(BAD / "closing.txt")
    assert (first["line"], first["column"], first["code"]) == (1, 1, "SP302")
    assert first["severity"] == "error"
    assert first["subtype"] == "template"
    unknown = next(d for d in document["diagnostics"] if d["code"] == "SP301")
    assert (unknown["line"], unknown["column"]) == (0, 0)


def test_json_report_of_a_clean_policy(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = output(capsys, "--example", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["ok"] is True
    assert document["diagnostics"] == []


def test_github_annotation_escaping() -> None:
    diagnostic = Diagnostic.make(
        Code.ON_DUTY_MISMATCH,
        "100% wrong:\r\non_duty, tenure",
        "dir,with:colon/policy%.yaml",
        3,
        5,
    )
    # Message: only % is escaped (line breaks are in display form already, as in the text
    # report); property values: also ":" and ",".
    assert github_annotation(diagnostic) == (
        "::error file=dir%2Cwith%3Acolon/policy%25.yaml,line=3,col=5,title=SP203"
        "::100%25 wrong:\\r\\non_duty, tenure"
    )
    # The runner's own escapes, for any text that still carries a line break.
    assert escape_data("a%\r\nb") == "a%25%0D%0Ab"
    assert escape_property("a%:,\nb") == "a%25%3A%2C%0Ab"


def test_github_annotation_without_position_and_warning() -> None:
    diagnostic = Diagnostic.make(Code.UNKNOWN_TEMPLATE_FILE, "names no template", "t/x.md")
    assert github_annotation(diagnostic) == "::error file=t/x.md,title=SP301::names no template"
    warning = Diagnostic.make(Code.CHANGE_BACK_TO_BACK, "touch", "p.yaml", 4, 0, "warning")
    assert github_annotation(warning) == "::warning file=p.yaml,line=4,title=SP208::touch"


def test_github_format_prints_annotations_then_plain_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = output(capsys, str(POLICY), "--templates", str(BAD), "--format", "github")
    assert status == 1
    lines = out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 10
    assert annotations[0].startswith(
        f"::error file={BAD / 'closing.txt'},line=1,col=1,title=SP302::"
    )
    assert lines[10].startswith(f"{BAD / 'closing.txt'}:1:1: SP302 ")
    assert lines[-1] == "10 errors, 0 warnings"


def test_sarif_is_valid_and_complete(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = output(capsys, str(POLICY), "--templates", str(BAD), "--format", "sarif")
    assert status == 1
    log = json.loads(out)
    SarifValidator(SARIF_SCHEMA, format_checker=SarifValidator.FORMAT_CHECKER).validate(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "support-policy"
    assert driver["informationUri"].startswith("https://")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert sorted(rules) == ["SP211", "SP212", "SP213", "SP301", "SP302", "SP303"]
    assert rules["SP302"]["shortDescription"]["text"] == Code.TEMPLATE_DRIFT.summary
    results = run["results"]
    assert len(results) == 10
    first = results[0]
    assert first["ruleId"] == "SP302"
    assert driver["rules"][first["ruleIndex"]]["id"] == "SP302"
    assert first["level"] == "error"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == str(BAD / "closing.txt")
    assert location["region"] == {"startLine": 1, "startColumn": 1}
    # A whole-file problem (line 0, column 0) has no region at all.
    unknown = next(r for r in results if r["ruleId"] == "SP301")
    assert "region" not in unknown["locations"][0]["physicalLocation"]


def test_sarif_levels_and_partial_regions() -> None:
    diagnostics = [
        Diagnostic.make(Code.CHANGE_BACK_TO_BACK, "touch", "policy.yaml", 7, 0, "warning"),
        Diagnostic.make(Code.COVERAGE_GAP, "gap", "rota calendar.ics", 12, 3),
    ]
    out = io.StringIO()
    REPORTERS["sarif"](Report(diagnostics, "policy.yaml"), out)
    log = json.loads(out.getvalue())
    SarifValidator(SARIF_SCHEMA, format_checker=SarifValidator.FORMAT_CHECKER).validate(log)
    results = log["runs"][0]["results"]
    assert [r["level"] for r in results] == ["warning", "error"]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 7}
    assert results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "rota%20calendar.ics"
    )


def test_sarif_of_a_clean_policy_has_no_results(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = output(capsys, "--example", "--format", "sarif")
    assert status == 0
    log = json.loads(out)
    SarifValidator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"] == []


def test_schema_rejects_a_broken_log() -> None:
    # The schema is not vacuous: a result without a message, or a column of 0, fails.
    broken = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "x"}},
                "results": [{"ruleId": "SP1", "locations": []}],
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        SarifValidator(SARIF_SCHEMA).validate(broken)
    broken["runs"][0]["results"] = [  # type: ignore[index]
        {
            "message": {"text": "m"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "a"},
                        "region": {"startLine": 1, "startColumn": 0},
                    }
                }
            ],
        }
    ]
    with pytest.raises(jsonschema.ValidationError):
        SarifValidator(SARIF_SCHEMA).validate(broken)


def test_reports_are_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in REPORTERS:
        first = output(capsys, str(POLICY), "--templates", str(BAD), "--format", fmt)
        second = output(capsys, str(POLICY), "--templates", str(BAD), "--format", fmt)
        assert first == second
