"""``{{ policy.PATH }}`` values: every path family of the contract, and nothing more."""

from __future__ import annotations

import pytest

from support_policy.policy.loader import load_policy
from support_policy.policy.models import Policy
from support_policy.policy.references import (
    UnknownValuePath,
    placeholders,
    render_text,
    resolve_value,
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    result = load_policy()
    assert result.policy is not None
    return result.policy


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("sla.triage", "1 working day"),
        ("sla.first-response", "24 working hours"),
        ("sla.timebox", "30 minutes"),
        ("sla.close-without-reply", "48 working hours"),
        ("roles.support-steward", "Support Steward"),
        ("request_types.change-request", "Change Request"),
        ("channels.support-freshdesk", "#support-freshdesk"),
        ("templates.non-incident-status", "Non-incident status update"),
        ("processes.triage", "Triage process"),
        ("members.person-c", "Person C"),
        ("rotation.tenure", "4 weeks"),
        ("rotation.handover_every", "2 weeks"),
        ("rotation.handover_day", "Tuesday"),
        ("rotation.on_duty", "2"),
        ("rotation.handover_event", "sprint meeting"),
        ("budget.hours", "34"),
        ("budget.hours_per_month", "173"),
        ("budget.support_share", "20%"),
        ("budget.per_community_min", "1.7"),
        ("budget.per_community_max", "4.25"),
        ("working_time.timezone", "UTC"),
        ("organization.name", "Example Org"),
        ("organization.support_email", "support@example.org"),
    ],
)
def test_every_value_path_family_resolves(policy: Policy, path: str, text: str) -> None:
    assert resolve_value(policy, path) == text


def test_working_time_definition_resolves(policy: Policy) -> None:
    assert resolve_value(policy, "working_time.definition").startswith(
        "A working day is any continuous 24-hour period from Monday to Friday."
    )


@pytest.mark.parametrize(
    "path",
    [
        "sla.nope",
        "sla",
        "roles",
        "roles.nope",
        "members.person-z",
        "rotation.start",
        "budget.nope",
        "organization.url",
        "nothing.at.all",
        "",
        "__class__",
        "team.__dict__",
        "roles.__class__",
        "roles.support-steward.__class__",
        "sla.triage.__class__",
        "__init__.__globals__",
    ],
)
def test_unknown_paths_raise(policy: Policy, path: str) -> None:
    with pytest.raises(UnknownValuePath):
        resolve_value(policy, path)


def test_render_text_fills_values(policy: Policy) -> None:
    text = (
        "Reply within {{ policy.sla.triage }}; "
        "{{policy.budget.hours}} hours ({{ policy.budget.support_share }})."
    )

    assert render_text(policy, text) == "Reply within 1 working day; 34 hours (20%)."


def test_render_text_fills_given_variables_only(policy: Policy) -> None:
    text = "Hello {{ NAME }}, from {{ TEAM }}."

    assert render_text(policy, text, {"NAME": "Ada"}) == "Hello Ada, from {{ TEAM }}."


def test_escaped_braces_render_as_literal_braces(policy: Policy) -> None:
    text = r"Write \{{ policy.sla.triage }} to get {{ policy.sla.triage }}."

    assert render_text(policy, text) == "Write {{ policy.sla.triage }} to get 1 working day."


def test_escaped_braces_are_not_placeholders() -> None:
    assert [p.expression for p in placeholders(r"\{{ A }} {{ B }}")] == ["B"]


@pytest.mark.parametrize(
    "text",
    [
        "{{ policy.__class__ }}",
        "{{ policy.team.__dict__ }}",
        "{{ policy.roles.__class__.__mro__ }}",
    ],
)
def test_placeholders_cannot_reach_python_attributes(policy: Policy, text: str) -> None:
    assert render_text(policy, text) == text


@pytest.mark.parametrize(
    ("placeholder", "column"),
    [("{{ policy.__class__ }}", 14), ("{{ policy.team.__dict__ }}", 14)],
)
def test_the_loader_reports_attribute_paths_as_unknown(
    variant, load, placeholder: str, column: int
) -> None:
    result = load(variant(("    name: Support Steward\n", f"    name: Support {placeholder}\n")))

    assert [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics] == [
        f"SP213 40:{column + 5}"
    ]
    assert "names no policy value" in result.diagnostics[0].message
