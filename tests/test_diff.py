"""The semantic diff of two policies, as a reviewer reads it in a pull request."""

from __future__ import annotations

from datetime import date

import pytest
from example_variants import with_recorded_swap

from support_policy.policy.diff import PolicyDiff, diff_policies
from support_policy.policy.loader import bundled_policy_path, load_policy_text
from support_policy.policy.models import Policy

# The example with Person E's leave as two recorded changes: these tests edit `changes`.
BUNDLED = with_recorded_swap(bundled_policy_path().read_text(encoding="utf-8"))
TODAY = date(2026, 4, 20)  # a Monday; hand-offs were on 2026-03-31 and 2026-04-14

PERSON_F = "    person-f: {name: Person F, email: person-f@example.org, timezone: Africa/Nairobi}\n"
ADD_PERSON_G = (PERSON_F, PERSON_F + "    person-g: {name: Person G}\n")


def variant(*replacements: tuple[str, str]) -> str:
    text = BUNDLED
    for before, after in replacements:
        assert before in text, f"replacement target not in the bundled policy: {before!r}"
        text = text.replace(before, after, 1)
    return text


def policy(text: str) -> Policy:
    loaded = load_policy_text(text, "policy.yaml")
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    assert loaded.policy is not None
    return loaded.policy


def diff(*replacements: tuple[str, str], today: date = TODAY, weeks: int = 12) -> PolicyDiff:
    return diff_policies(policy(BUNDLED), policy(variant(*replacements)), today=today, weeks=weeks)


def texts(result: PolicyDiff, section: str | None = None) -> list[str]:
    return [e.text for e in result.entries if section is None or e.section == section]


def test_identical_policies_have_no_differences() -> None:
    result = diff()
    assert result.empty
    assert not result.flagged


def test_formatting_only_edits_are_not_changes() -> None:
    result = diff(("  name: Example Org\n", "  name: 'Example Org'   # quoted\n"))
    assert result.empty


@pytest.mark.parametrize(
    ("replacements", "section", "expected"),
    [
        pytest.param(
            [("  name: Example Org\n", "  name: Example Foundation\n")],
            "organization",
            "Organization: name “Example Org” → “Example Foundation”",
            id="organization",
        ),
        pytest.param(
            [("{name: Person B, email", "{name: Person Bea, email")],
            "team",
            "Team: Person B renamed to Person Bea (`person-b`)",
            id="member-renamed",
        ),
        pytest.param(
            [ADD_PERSON_G],
            "team",
            "Team: Person G joins the team (`person-g`)",
            id="member-joined",
        ),
        pytest.param(
            [("    person-c: {name: Person C, timezone: America/Los_Angeles}\n", "")],
            "team",
            "Team: Person C is removed from the team (`person-c`)",
            id="member-left",
        ),
        pytest.param(
            [("holidays: [2026-12-25, 2027-01-01]", "holidays: [2026-12-25, 2026-12-24]")],
            "working_time",
            "Working time: holiday added: 2026-12-24",
            id="holiday-added",
        ),
        pytest.param(
            [('  hours: "00:00-24:00"', '  hours: "09:00-17:00"')],
            "working_time",
            "Working time: hours “00:00-24:00” → “09:00-17:00”",
            id="working-hours",
        ),
        pytest.param(
            [("    name: Hub Administrator\n", "    name: Hub Admin\n")],
            "roles",
            "Role renamed: Hub Administrator → Hub Admin (`hub-administrator`)",
            id="role-renamed",
        ),
        pytest.param(
            [("roles:\n", "roles:\n  scribe:\n    name: Scribe\n")],
            "roles",
            "Role added: Scribe (`scribe`)",
            id="role-added",
        ),
        pytest.param(
            [("      - Open backlog issues when they are needed.\n", "")],
            "roles",
            "Role Support Steward: responsibility removed: “Open backlog issues when they are "
            "needed.”",
            id="responsibility-removed",
        ),
        pytest.param(
            [("  handover_event: sprint meeting", "  handover_event: team call")],
            "rotation",
            "Rotation: handover event “sprint meeting” → “team call”",
            id="rotation-event",
        ),
        pytest.param(
            [("      - Several users cannot start their servers.\n", "")],
            "request_types",
            "Request type Incident: example removed: “Several users cannot start their servers.”",
            id="request-type-example",
        ),
        pytest.param(
            [
                (
                    "    uses_budget: false             # incident",
                    "    uses_budget: true  # incident",
                )
            ],
            "request_types",
            "Request type Incident: uses budget no → yes",
            id="request-type-budget",
        ),
        pytest.param(
            [("within: 24 working hours", "within: 8 working hours")],
            "sla",
            "First response: 24 working hours → 8 working hours",
            id="sla-target",
        ),
        pytest.param(
            [("effort: 30 minutes", "effort: 1 hour")],
            "sla",
            "Initial resolution attempt: 30 minutes (effort) → 1 hour (effort)",
            id="sla-effort",
        ),
        pytest.param(
            [
                ("    - Requests that fit goals we already have.\n", ""),
                (
                    "  order:\n    - Requests that come",
                    "  order:\n    - Requests that fit goals we already have.\n"
                    "    - Requests that come",
                ),
            ],
            "priorities",
            "Priority order: item 3 moved to 1: “Requests that fit goals we already have.”",
            id="priority-moved",
        ),
        pytest.param(
            [("    - Our other work items.\n", "    - Our other work items.\n    - Fun.\n")],
            "priorities",
            "Priority order: item added: “Fun.”",
            id="priority-added",
        ),
        pytest.param(
            [
                ('support_share: "20%"', 'support_share: "20.5%"'),
                ("stated_hours: 34", "stated_hours: 35"),
            ],
            "budget",
            "Budget: 34 → 35 h per engineer per month",
            id="budget-hours",
        ),
        pytest.param(
            [("communities_per_engineer: [8, 20]", "communities_per_engineer: [10, 20]")],
            "budget",
            "Budget per community: 1.7–4.25 → 1.7–3.4 h per month",
            id="budget-range",
        ),
        pytest.param(
            [
                ("  rounding: down", "  rounding: none"),
                ("  stated_hours: 34 ", "  stated_hours: 34.6 "),
            ],
            "budget",
            "Budget: rounding down → none",
            id="budget-rounding",
        ),
        pytest.param(
            [
                (
                    "    visibility: public\n    label: support",
                    "    visibility: private\n    label: support",
                )
            ],
            "channels",
            "Channel GitHub issues: visibility “public” → “private”",
            id="channel-visibility",
        ),
        pytest.param(
            [
                (
                    "channels:\n",
                    "channels:\n  forum:\n    name: Forum\n    kind: other\n"
                    "    audience: external\n    visibility: public\n",
                )
            ],
            "channels",
            "Channel added: Forum (`forum`)",
            id="channel-added",
        ),
        pytest.param(
            [("related to an outage", "related to an outage or an incident")],
            "templates",
            "Template Non-incident status update: body changed (2 lines differ)",
            id="template-body",
        ),
        pytest.param(
            [
                ("    variables: [NAME]\n", "    variables: [NAME, HUB]\n"),
                ("Hello {{ NAME }}", "Hello {{ NAME }} of {{ HUB }}"),
            ],
            "templates",
            "Template Non-incident status update: variable added: “HUB”",
            id="template-variable",
        ),
        pytest.param(
            [
                (
                    "      - name: Categorise the ticket\n"
                    "        description: Set the ticket's category in FreshDesk.\n",
                    "",
                )
            ],
            "processes",
            "Process Triage process: step removed: “Categorise the ticket”",
            id="step-removed",
        ),
        pytest.param(
            [("      - name: Find an engineer\n", "      - name: Find an engineer quickly\n")],
            "processes",
            "Process Lifecycle of a support request: step added: “Find an engineer quickly”",
            id="step-renamed",
        ),
        pytest.param(
            [
                (
                    "      - name: Decide whether there is an incident\n"
                    "        description: Check whether the request meets the definition of an "
                    "incident.\n",
                    "",
                ),
                (
                    "      - name: Monitor our support channels\n",
                    "      - name: Decide whether there is an incident\n"
                    "        description: Check whether the request meets the definition of an "
                    "incident.\n"
                    "      - name: Monitor our support channels\n",
                ),
            ],
            "processes",
            "Process Triage process: step 3 moved to 1: “Decide whether there is an incident”",
            id="step-moved",
        ),
        pytest.param(
            [
                (
                    "    definition: The person designated to orchestrate our response to an "
                    "incident.",
                    "    definition: Whoever leads our response to an incident.",
                )
            ],
            "glossary",
            "Term Incident Commander: definition “The person designated to orchestrate our "
            "response to an incident.” → “Whoever leads our response to an incident.”",
            id="glossary-definition",
        ),
        pytest.param(
            [("glossary:\n", "glossary:\n  hub:\n    term: Hub\n    definition: A JupyterHub.\n")],
            "glossary",
            "Term added: Hub (`hub`)",
            id="glossary-added",
        ),
    ],
)
def test_every_section_is_described_in_words(
    replacements: list[tuple[str, str]], section: str, expected: str
) -> None:
    result = diff(*replacements)
    assert expected in texts(result, section), texts(result)


def test_entries_come_in_the_order_of_the_policy_file() -> None:
    result = diff(("within: 24 working hours", "within: 8 working hours"), ADD_PERSON_G)
    sections = [entry.section for entry in result.entries]
    assert sections.index("team") < sections.index("rotation") < sections.index("sla")


def test_json_form_of_a_diff_is_plain_data() -> None:
    result = diff(("within: 24 working hours", "within: 8 working hours"))
    data = result.as_dict()
    assert data["today"] == "2026-04-20"
    assert data["flagged"] == 0
    assert {
        "section": "sla",
        "text": "First response: 24 working hours → 8 working hours",
        "flag": False,
    } in data["entries"]


# --- the rotation: upcoming schedule and the past-hand-off guard -----------------------


REORDERED_POOL = (
    "  members: all\n  order: alphabetical ",
    "  members: [person-b, person-a, person-c, person-d, person-e, person-f]\n  order: listed ",
)


def test_reordering_the_pool_is_flagged() -> None:
    result = diff(REORDERED_POOL)
    assert result.flagged
    assert all(entry.section == "rotation" for entry in result.flagged)
    assert (
        "Rotation: the pool's order changes to Person B, Person A, Person C, Person D, "
        "Person E, Person F" in texts(result)
    )


def test_adding_a_member_that_reshuffles_the_past_is_flagged_naming_a_past_hand_off() -> None:
    result = diff(ADD_PERSON_G)
    assert "Rotation: Person G joins the pool" in texts(result, "rotation")
    [past, current] = result.flagged
    # Hand-off 6 (2026-03-31) was Person A's; with seven people it would be Person G's.
    assert "the hand-off on 2026-03-31 would have Person G joining instead of Person A" in past.text
    # Recorded changes cannot restore a re-dealt history: the fix is a dated `joined`.
    assert "to keep the past: add `joined: 2026-04-28` to `person-g` (the next hand-off)" in (
        past.text
    )
    assert "joins: person-a" not in past.text
    assert "on duty today (2026-04-20)" in current.text


def test_the_upcoming_schedule_says_who_serves_differently_and_when() -> None:
    result = diff(ADD_PERSON_G)
    upcoming = [t for t in texts(result, "rotation") if "instead of" in t and "past" not in t]
    assert upcoming[0] == (
        "Rotation: from 2026-04-28 the schedule changes: Person B joins instead of Person C"
    )
    assert "Rotation: 2026-07-07: Person G joins instead of Person B" in upcoming


def test_a_recorded_change_in_the_future_is_not_flagged() -> None:
    change = (
        "  changes:                         # a swap is two changes\n",
        "  changes:                         # a swap is two changes\n"
        "    - date: 2026-05-12\n      joins: person-a\n      reason: Cover for Person D\n",
    )
    result = diff(change)
    assert not result.flagged
    assert texts(result, "rotation") == [
        "Rotation: recorded change added: on 2026-05-12 Person A joins (Cover for Person D)",
        "Rotation: from 2026-05-12 the schedule changes: Person A joins instead of Person D",
        "Rotation: Person A's upcoming tenures move: no tenure → 2026-05-12",
        "Rotation: Person D's upcoming tenures move: 2026-05-12 → no tenure",
    ]


def test_removing_a_past_recorded_change_is_flagged() -> None:
    result = diff(
        ("  changes:                         # a swap", "  changes: []  # a swap"),
        (
            "    - date: 2026-03-17             # Person F was due to join\n"
            "      joins: person-e\n      reason: Swap with Person F\n",
            "",
        ),
        (
            "    - date: 2026-03-03             # Person E was due to join\n"
            "      joins: person-f\n      reason: Person E on leave; swapped with Person F\n",
            "",
        ),
    )
    [flagged] = result.flagged
    assert "the hand-off on 2026-03-03 would have Person E joining instead of Person F" in (
        flagged.text
    )


def test_changing_the_tenure_is_flagged_because_today_s_tenures_change() -> None:
    result = diff(("  tenure: 4 weeks", "  tenure: 6 weeks"), ("  on_duty: 2 ", "  on_duty: 3 "))
    assert "Rotation: tenure 4 weeks → 6 weeks" in texts(result)
    assert any("on duty today" in entry.text for entry in result.flagged)


def test_nothing_is_guarded_before_the_rotation_starts() -> None:
    result = diff(REORDERED_POOL, today=date(2025, 12, 1))
    assert not result.flagged
    assert any("the schedule changes" in text for text in texts(result, "rotation"))


def test_the_window_limits_the_upcoming_schedule() -> None:
    short = diff(ADD_PERSON_G, weeks=1)
    assert not any("schedule changes" in text for text in texts(short))
