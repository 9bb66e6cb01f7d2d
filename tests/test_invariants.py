"""Invariants across sections: references resolve, rotation and budget add up, text is sound."""

from __future__ import annotations

import pytest

from support_policy.policy.loader import LoadedPolicy

# The bundled rotation's overlays (lines 112-118): a note on Person E's leave and a cover.
# Tests of `changes` put their own block there, and take the leave back out (LEAVE) so
# the dealing is the plain order and their findings read as before.
CHANGES = (
    ("  # Person E's leave is `away` in team.members: Person F swaps in, E takes the owed turn.\n")
    + """  cover:                           # day-level stand-ins inside a tenure that has begun
    - member: person-a             # stands in for Person C during a two-day conference
      covers: person-c
      from: 2026-02-11
      to: 2026-02-12
      reason: Conference
"""
)
LEAVE = (
    "    person-e: {name: Person E, timezone: America/Sao_Paulo, "
    "away: [{from: 2026-03-03, to: 2026-03-16, reason: Leave}]}\n",
    "    person-e: {name: Person E}\n",
)


def spots(result: LoadedPolicy) -> list[str]:
    return [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics]


def only(result: LoadedPolicy) -> str:
    assert len(result.diagnostics) == 1, [d.format() for d in result.diagnostics]
    return result.diagnostics[0].message


def changes(*entries: tuple[str, str]) -> str:
    """A replacement `changes:` block for the bundled rotation (lines 112 onwards)."""
    lines = ["  changes:"]
    for day, person in entries:
        lines += [f"    - date: {day}", f"      joins: {person}"]
    return "\n".join(lines) + "\n"


# --- references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  role: support-steward",
            "  role: support-stewart",
            "SP201 103:9",
            "unknown role `support-stewart` (did you mean `support-steward`?)",
        ),
        (
            "  members: all\n",
            "  members: [person-a, person-b, person-c, persn-d]\n",
            "SP201 104:43",
            "unknown team member `persn-d` (did you mean `person-d`?)",
        ),
        (
            "    - member: person-a ",
            "    - member: person-x ",
            "SP201 114:15",
            "unknown team member `person-x`",
        ),
        (
            "    applies_to: all\n",
            "    applies_to: [incidnt]\n",
            "SP201 165:18",
            "unknown request type `incidnt` (did you mean `incident`?)",
        ),
        (
            "  applies_to: [change-request, guidance-request]\n  order",
            "  applies_to: [change-request, guidance]\n  order",
            "SP201 193:32",
            "unknown request type `guidance` (did you mean `guidance-request`?)",
        ),
        (
            "consult: [project-manager,",
            "consult: [project-managr,",
            "SP201 203:13",
            "unknown role `project-managr` (did you mean `project-manager`?)",
        ),
        (
            "    channel: freshdesk",
            "    channel: freshdsk",
            "SP201 297:14",
            "unknown channel `freshdsk` (did you mean `freshdesk`?)",
        ),
        (
            "  triage:\n    name: Triage process\n    owner: support-steward",
            "  triage:\n    name: Triage process\n    owner: steward",
            "SP201 357:12",
            "unknown role `steward` (did you mean `support-steward`?)",
        ),
        (
            "        sla: triage\n",
            "        sla: triag\n",
            "SP201 368:14",
            "unknown SLA target `triag` (did you mean `triage`?)",
        ),
        (
            "        template: non-incident-status",
            "        template: non-incident",
            "SP201 408:19",
            "unknown template `non-incident` (did you mean `non-incident-status`?)",
        ),
        (
            "        process: triage\n",
            "        process: triag\n",
            "SP201 317:18",
            "unknown process `triag` (did you mean `triage`?)",
        ),
        (
            "          - name: If it will take longer\n",
            "          - name: If it will take longer\n            sla: nope\n",
            "SP201 399:18",
            "unknown SLA target `nope`; known: triage, first-response, timebox, "
            "close-without-reply",
        ),
    ],
    ids=[
        "rotation-role",
        "rotation-members",
        "cover-member",
        "sla-applies-to",
        "priorities-applies-to",
        "priorities-consult",
        "template-channel",
        "process-owner",
        "step-sla",
        "step-template",
        "step-process",
        "nested-step-sla",
    ],
)
def test_unresolved_references(variant, load, old: str, new: str, where: str, message: str) -> None:
    result = load(variant((old, new)))

    assert where in spots(result)
    messages = [d.message for d in result.diagnostics if f"{d.code} {d.line}:{d.column}" == where]
    assert len(messages) == 1
    assert messages[0].startswith(message)
    assert not result.ok


def test_references_that_resolve_are_silent(load, bundled_text: str) -> None:
    assert load(bundled_text).diagnostics == []


def test_a_stand_in_from_outside_the_pool_may_join(variant, load) -> None:
    # The pool is A–E; Person F is on the team but not in the pool and covers two days.
    result = load(
        variant(
            ("  members: all\n", "  members: [person-a, person-b, person-c, person-d, person-e]\n"),
            ("    - member: person-a ", "    - member: person-f "),
        )
    )

    assert result.diagnostics == []
    assert result.ok


def test_a_stand_in_must_still_be_on_the_team(variant, load) -> None:
    result = load(
        variant(
            ("  members: all\n", "  members: [person-a, person-b, person-c, person-d, person-e]\n"),
            LEAVE,
            (CHANGES, changes(("2026-03-03", "person-z"))),
        )
    )

    assert spots(result)[0] == "SP201 114:14"


# --- the rotation -----------------------------------------------------------------------


def test_tenure_must_be_a_multiple_of_the_handover_interval(variant, load) -> None:
    result = load(variant(("tenure: 4 weeks", "tenure: 3 weeks")))

    assert spots(result) == ["SP202 106:11"]
    assert only(result) == ("tenure `3 weeks` is not a whole multiple of handover_every `2 weeks`")


@pytest.mark.parametrize(
    ("old", "new", "where", "written", "hint"),
    [
        ("tenure: 4 weeks", "tenure: 28 days", "SP202 106:11", "28 days", "write `4 weeks`"),
        ("tenure: 4 weeks", "tenure: 4.5 weeks", "SP202 106:11", "4.5 weeks", "e.g. `2 weeks`"),
        (
            "handover_every: 2 weeks",
            "handover_every: 10 working days",
            "SP202 107:19",
            "10 working days",
            "e.g. `2 weeks`",
        ),
    ],
)
def test_tenure_and_handover_are_whole_weeks(
    variant, load, old: str, new: str, where: str, written: str, hint: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert only(result) == f"`{written}` must be a whole number of weeks ({hint})"


def test_on_duty_must_match_the_ratio(variant, load) -> None:
    result = load(variant(("on_duty: 2 ", "on_duty: 3 ")))

    assert spots(result) == ["SP203 111:12"]
    assert only(result) == "on_duty is 3, but tenure ÷ handover_every = 4 ÷ 2 = 2"


def test_on_duty_may_be_left_out(variant, load) -> None:
    result = load(
        variant(("  on_duty: 2                       # checked: 4 weeks / 2 weeks\n", ""))
    )

    assert result.diagnostics == []


def test_pool_must_be_larger_than_on_duty(variant, load) -> None:
    result = load(variant(("  members: all\n", "  members: [person-a, person-e]\n")))

    assert spots(result) == ["SP204 104:12"]
    assert "the pool has 2 member(s) but 2 serve at once" in only(result)


def test_a_pool_one_larger_than_on_duty_is_enough(variant, load) -> None:
    text = variant(
        ("  members: all\n", "  members: [person-a, person-e, person-f]\n"),
        LEAVE,
        (CHANGES, ""),
    )

    assert load(text).diagnostics == []


def test_start_must_fall_on_the_handover_day(variant, load) -> None:
    result = load(variant(("start: 2026-01-06", "start: 2026-01-07")))

    assert spots(result) == ["SP205 110:10"]
    assert only(result) == "start 2026-01-07 is a Wednesday, but handover_day is tuesday"


def test_a_change_must_be_on_a_handoff_date(variant, load) -> None:
    result = load(variant(LEAVE, (CHANGES, changes(("2026-03-05", "person-f")))))

    assert spots(result) == ["SP206 113:13"]
    assert only(result) == (
        "2026-03-05 is not a hand-off date (nearest: 2026-03-03 and 2026-03-17)"
    )


def test_a_change_before_the_start_is_checked_too(variant, load) -> None:
    result = load(variant(LEAVE, (CHANGES, changes(("2025-12-24", "person-f")))))

    assert spots(result) == ["SP206 113:13"]
    assert "(nearest: 2025-12-23 and 2026-01-06)" in only(result)


def test_two_changes_on_one_handoff(variant, load) -> None:
    result = load(
        variant(LEAVE, (CHANGES, changes(("2026-03-03", "person-f"), ("2026-03-03", "person-b"))))
    )

    # The second entry is dropped; Person F then joins on 03-03 and is due again on 03-17.
    assert spots(result) == ["SP207 114:14", "SP209 115:13"]
    assert [d.message for d in result.diagnostics if d.code == "SP209"] == [
        "hand-off 2026-03-03 already has a recorded change (entry 1)"
    ]


def test_a_change_that_overlaps_a_tenure_is_an_error(variant, load) -> None:
    # Person A joins on 2026-01-06 for four weeks; joining again on 2026-01-20 overlaps.
    result = load(variant(LEAVE, (CHANGES, changes(("2026-01-20", "person-a")))))

    assert spots(result) == ["SP207 114:14"]
    assert result.diagnostics[0].severity == "error"
    assert "person-a" in only(result)
    assert "overlapping" in only(result)
    assert not result.ok


def test_a_change_that_makes_tenures_touch_is_a_warning(variant, load) -> None:
    # Person A serves 2026-01-06 to 2026-02-03; joining on 2026-02-03 is back to back.
    result = load(variant(LEAVE, (CHANGES, changes(("2026-02-03", "person-a")))))

    assert spots(result) == ["SP208 114:14"]
    assert result.diagnostics[0].severity == "warning"
    assert "person-a" in only(result)
    assert result.ok  # a warning does not fail the policy


def test_the_bundled_leave_and_cover_are_sound(load, bundled_text: str) -> None:
    assert [d.code for d in load(bundled_text).diagnostics] == []


# --- the budget -------------------------------------------------------------------------


def budget(hours: str, share: str, rounding: str, stated: str) -> str:
    return (
        f'  hours_per_month: {hours}\n  support_share: "{share}"\n  rounding: {rounding}\n'
        f"  communities_per_engineer: [8, 20]\n  stated_hours: {stated}\n"
    )


BUNDLED_BUDGET = budget("173", "20%", "down", "34").replace(
    "173\n", "173                # working hours per engineer per month\n"
)


@pytest.mark.parametrize(
    ("hours", "share", "rounding", "right", "wrong", "formula"),
    [
        ("173", "20%", "down", "34", "35", "173 × 20% = 34.6, rounded down → 34"),
        ("173", "20%", "up", "35", "34", "173 × 20% = 34.6, rounded up → 35"),
        ("173", "20%", "nearest", "35", "34", "173 × 20% = 34.6, rounded nearest → 35"),
        ("173", "20%", "none", "34.6", "34", "173 × 20% = 34.6 → 34.6"),
        ("173", "50%", "nearest", "87", "86", "173 × 50% = 86.5, rounded nearest → 87"),
        ("100", "29%", "none", "29", "28", "100 × 29% = 29 → 29"),
        ("100", "29%", "down", "29", "28", "100 × 29% = 29, rounded down → 29"),
        ("173", "12.5%", "none", "21.625", "21.62", "173 × 12.5% = 21.625 → 21.625"),
        ("173", "12.5%", "down", "21", "22", "173 × 12.5% = 21.625, rounded down → 21"),
        ("173", "12.5%", "up", "22", "21", "173 × 12.5% = 21.625, rounded up → 22"),
    ],
)
def test_stated_hours_must_equal_the_formula(
    load, bundled_text: str, hours, share, rounding, right, wrong, formula
) -> None:
    start = bundled_text.index("  hours_per_month:")
    end = bundled_text.index("  description:", start)

    good = load(bundled_text[:start] + budget(hours, share, rounding, right) + bundled_text[end:])
    bad = load(bundled_text[:start] + budget(hours, share, rounding, wrong) + bundled_text[end:])

    assert good.diagnostics == []
    assert spots(bad) == ["SP210 225:17"]
    assert only(bad) == f"stated_hours is {wrong}, but {formula}"


def test_stated_hours_is_optional(variant, load) -> None:
    result = load(
        variant(
            ("  stated_hours: 34                 # checked: 173 x 20% = 34.6, rounded down\n", "")
        )
    )

    assert result.diagnostics == []


@pytest.mark.parametrize(
    ("pair", "where", "message"),
    [
        (
            "[20, 8]",
            "SP103 224:29",
            "`[min, max]` has min above max: write `[8, 20]` (got [20, 8])",
        ),
        ("[0, 8]", "SP103 224:30", "must be more than 0"),
        ("[8, 0]", "SP103 224:33", "must be more than 0"),
        ("[8]", "SP103 224:29", "too few items (item 2 is missing)"),
        ("[-1, 8]", "SP103 224:30", "must be more than 0"),
    ],
)
def test_communities_per_engineer_is_min_max(
    variant, load, pair: str, where: str, message: str
) -> None:
    result = load(
        variant(("communities_per_engineer: [8, 20]", f"communities_per_engineer: {pair}"))
    )

    assert spots(result) == [where]
    assert message in only(result)


def test_communities_per_engineer_may_be_equal(variant, load) -> None:
    result = load(
        variant(("communities_per_engineer: [8, 20]", "communities_per_engineer: [10, 10]"))
    )

    assert result.diagnostics == []


# --- text: template variables and value references --------------------------------------


def test_undeclared_variable_is_positioned_inside_the_literal_block(variant, load) -> None:
    text = variant(("work planning. We will send", "work planning, {{ TICKET }}. We will send"))

    result = load(text)

    # Line 302 is "      work planning, {{ TICKET }}. We ..."; the `{{` is at column 22.
    assert spots(result) == ["SP211 302:22"]
    assert only(result) == "`{{ TICKET }}` is not a declared variable (add it to `variables`)"


def test_undeclared_variable_on_the_first_body_line_suggests_the_declared_one(
    variant, load
) -> None:
    result = load(variant(("Hello {{ NAME }}", "Hello {{NAMES}}")))

    assert spots(result) == ["SP212 298:17", "SP211 300:13"]
    assert "(did you mean `NAME`?)" in result.diagnostics[1].message


def test_unused_variable_is_positioned_at_its_declaration(variant, load) -> None:
    result = load(variant(("variables: [NAME]", "variables: [NAME, TICKET]")))

    assert spots(result) == ["SP212 298:23"]
    assert only(result) == "variable `TICKET` is declared but never used in the template"


def test_unknown_value_path_suggests_a_known_one(variant, load) -> None:
    result = load(
        variant(("Within {{ policy.sla.triage }}, read", "Within {{ policy.sla.triag }}, read"))
    )

    # Inside a folded (`>-`) description the placeholder itself is pointed at.
    assert spots(result) == ["SP213 370:18"]
    assert (
        only(result)
        == "`{{ policy.sla.triag }}` names no policy value (did you mean `sla.triage`?)"
    )


def test_unknown_value_path_in_a_template_body_is_exact(variant, load) -> None:
    result = load(variant(("related to an outage", "related to {{ policy.budget.hour }}")))

    assert spots(result) == ["SP213 301:18"]
    assert "(did you mean `budget.hours`?)" in only(result)


def test_variable_outside_a_template_is_refused(variant, load) -> None:
    result = load(
        variant(("    name: Support Steward\n", "    name: Support Steward {{ NAME }}\n"))
    )

    assert spots(result) == ["SP214 40:27"]
    assert only(result) == (
        "`{{ NAME }}`: only `{{ policy.… }}` values are allowed outside templates"
    )


def test_escaped_braces_are_a_literal_and_not_flagged(variant, load) -> None:
    text = variant(
        ("    name: Support Steward\n", "    name: Support Steward \\{{ NAME }}\n"),
        ("Hello {{ NAME }},", "Hello {{ NAME }}, \\{{ NOT_A_VARIABLE }} \\{{ policy.nothing }}"),
    )

    assert load(text).diagnostics == []


@pytest.mark.parametrize(
    ("old", "new", "where", "first"),
    [
        (
            "    term: Support Team\n",
            "    term: support steward\n",
            "SP215 499:5",
            "roles.support-steward",
        ),
        (
            "    term: Support Team\n",
            "    term: Incidents\n",
            "SP215 499:5",
            "request_types.incident",
        ),
        (
            "    plural: Guidance Requests\n",
            "    plural: Support Budgets\n",
            "SP215 491:5",
            "request_types.guidance-request",
        ),
        (
            "    name: Hub Administrator\n",
            "    name: Change Request\n",
            "SP215 136:5",
            "roles.hub-administrator",
        ),
        (
            "    term: Support Team\n",
            "    term: customer liaison\n",
            "SP215 499:5",
            "roles.support-steward",
        ),
    ],
    ids=[
        "glossary-vs-role",
        "glossary-vs-request-type",
        "glossary-vs-plural",
        "role-vs-request-type",
        "glossary-vs-role-alias",
    ],
)
def test_a_term_is_defined_once_across_roles_request_types_and_glossary(
    variant, load, old: str, new: str, where: str, first: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert f"is also defined by {first}; glossary terms must be unique" in only(result)


def test_a_glossary_alias_counts_as_a_term(variant, load) -> None:
    result = load(
        variant(
            (
                "    term: Incident Commander\n",
                "    term: Incident Commander\n    aliases: [Support Steward]\n",
            )
        )
    )

    assert spots(result) == ["SP215 508:5"]


# --- Ambiguity and malformed references -----------------------------------------------


def test_two_members_with_one_name_are_refused(variant, load) -> None:
    result = load(variant(("person-b: {name: Person B", "person-b: {name: person a")))

    assert spots(result) == ["SP215 22:22"]
    assert only(result) == "`person a` is also the name of person-a; member names must be unique"


def test_a_name_that_is_another_members_id_is_refused(variant, load) -> None:
    result = load(variant(("person-b: {name: Person B", "person-b: {name: Person-F")))

    assert "SP215 22:22" in spots(result)
    assert any("is the id of another member (person-f)" in d.message for d in result.diagnostics)


def test_unclosed_placeholder_is_pointed_at(variant, load) -> None:
    result = load(
        variant(("Within {{ policy.sla.triage }}, read", "Within {{ policy.sla.triage }, read"))
    )

    assert spots(result) == ["SP216 370:18"]


def test_escaped_opening_is_not_a_placeholder(variant, load) -> None:
    result = load(variant(("Within {{ policy.sla.triage }}, read", "Within \\{{ this, read")))

    assert result.ok
    assert result.diagnostics == []


def test_repeated_rotation_member_is_pointed_at(variant, load) -> None:
    result = load(variant(("  members: all", "  members: [person-a, person-b, person-a]")))

    assert spots(result) == ["SP103 104:33"]
    assert only(result) == "rotation.members.2: lists `person-a` more than once"
