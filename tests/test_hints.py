"""Every hint that says what to write can be followed: doing so gives a valid policy.

Each case breaks the bundled policy one way, takes the suggestion out of the message the
tool gives, applies it as a person would, and validates again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from support_policy.policy.loader import LoadedPolicy, load_policy_text

BODY = "      Hello {{ NAME }}, thank you for your request."


def load(text: str) -> LoadedPolicy:
    return load_policy_text(text, "policy.yaml")


def broken(bundled: str, old: str, new: str) -> str:
    assert bundled.count(old) == 1, old
    return bundled.replace(old, new)


def suggestion(message: str, pattern: str) -> str:
    found = re.search(pattern, message)
    assert found is not None, message
    return found.group(1)


DID_YOU_MEAN = r"did you mean `([^`]+)`"
WRITE_VALUE = r"(?:write|lower-case:) `([^`<]+)`"


def write_placeholder(text: str, message: str, wrong: str) -> str:
    """`write `{{ X }}` and add `X` to `variables``: both."""
    placeholder = suggestion(message, r"write `(\{\{ [^`]+ \}\})`")
    text = text.replace(wrong, placeholder, 1)
    declared = re.search(r"add `([^`]+)` to `variables`", message)
    if declared is not None:
        text = text.replace("variables: [NAME]", f"variables: [NAME, {declared.group(1)}]", 1)
    return text


def add_to_variables(text: str, message: str, wrong: str) -> str:
    assert "(add it to `variables`)" in message
    name = wrong.strip("{} ")
    return text.replace("variables: [NAME]", f"variables: [NAME, {name}]", 1)


def escape_literal(text: str, message: str, wrong: str) -> str:
    assert "write `\\{{`" in message
    return text.replace(wrong, wrong.replace("{{", "\\{{"), 1)


def replace_with(pattern: str, template: str) -> Apply:
    """Replace the wrong text by ``template`` filled with what the hint names."""

    def apply(text: str, message: str, wrong: str) -> str:
        assert text.count(wrong) == 1, wrong
        return text.replace(wrong, template.format(suggestion(message, pattern)))

    return apply


Apply = Callable[[str, str, str], str]
VARIABLES = "variables"

# (case, the exact text in the bundled policy, what replaces it, the code, the text the user
# edits, how to follow the hint)
CASES: list[tuple[str, str, str, str, str, Apply]] = [
    (
        "variable with spaces",
        BODY,
        BODY + " {{ next billing month }}",
        "SP211",
        "{{ next billing month }}",
        write_placeholder,
    ),
    (
        "variable with a dot",
        BODY,
        BODY + " {{ next.month }}",
        "SP211",
        "{{ next.month }}",
        write_placeholder,
    ),
    ("empty placeholder", BODY, BODY + " {{ }}", "SP211", "{{ }}", write_placeholder),
    (
        "undeclared variable",
        BODY,
        BODY + " {{ CLUSTER }}",
        "SP211",
        "{{ CLUSTER }}",
        add_to_variables,
    ),
    (
        "variable typo",
        BODY,
        BODY.replace("{{ NAME }}", "{{ NAEM }}"),
        "SP211",
        "{{ NAEM }}",
        replace_with(DID_YOU_MEAN, "{{{{ {} }}}}"),
    ),
    (
        "unknown role",
        "    owner: support-steward\n    description: >-\n      The Support Stewards run",
        "    owner: support-stewart\n    description: >-\n      The Support Stewards run",
        "SP201",
        "support-stewart",
        replace_with(DID_YOU_MEAN, "{}"),
    ),
    (
        "unknown key",
        "  hours_per_month:",
        "  hours_per_mont:",
        "SP101",
        "  hours_per_mont:",
        replace_with(DID_YOU_MEAN, "  {}:"),
    ),
    (
        "value path",
        "{{ policy.sla.timebox }}, try to",
        "{{ policy.sla.timebx }}, try to",
        "SP213",
        "policy.sla.timebx",
        replace_with(DID_YOU_MEAN, "policy.{}"),
    ),
    (
        "duration number",
        "  tenure: 4 weeks",
        "  tenure: 4",
        "SP104",
        "  tenure: 4\n",
        replace_with(WRITE_VALUE, "  tenure: {}\n"),
    ),
    (
        "duration case",
        "  tenure: 4 weeks",
        "  tenure: 4 Weeks",
        "SP104",
        "  tenure: 4 Weeks",
        replace_with(WRITE_VALUE, "  tenure: {}"),
    ),
    ("unclosed", BODY, BODY + " {{ not closed", "SP216", "{{ not closed", escape_literal),
    (
        "no space after colon",
        "  tenure: 4 weeks",
        "  tenure:4 weeks",
        "SP010",
        "  tenure:4 weeks",
        replace_with(r"write `([^`]+)`", "  {}"),
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "wrong", "apply"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_following_the_hint_gives_a_valid_policy(
    bundled_text: str, old: str, new: str, code: str, wrong: str, apply: Apply
) -> None:
    text = broken(bundled_text, old, new)
    first = load(text)
    reported = [d for d in first.diagnostics if d.code == code]
    assert reported, [d.format() for d in first.diagnostics]
    fixed = apply(text, reported[0].message, wrong)
    again = load(fixed)
    assert again.ok, (reported[0].format(), [d.format() for d in again.diagnostics])


def test_the_variable_hint_names_letters_digits_and_underscore(bundled_text: str) -> None:
    result = load(broken(bundled_text, BODY, BODY + " {{ next billing month }}"))
    (diagnostic,) = result.diagnostics
    assert "variable names are letters, digits and `_`" in diagnostic.message
    assert "write `{{ next_billing_month }}` and add `next_billing_month` to `variables`" in (
        diagnostic.message
    )
    assert "add it to `variables`" not in diagnostic.message
