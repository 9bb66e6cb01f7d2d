"""The shape of the policy file: durations, working time, keys, ids, version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from support_policy.policy.loader import LoadedPolicy
from support_policy.policy.types import Duration, parse_duration


def spots(result: LoadedPolicy) -> list[str]:
    return [f"{d.code} {d.line}:{d.column}" for d in result.diagnostics]


def only(result: LoadedPolicy) -> str:
    assert len(result.diagnostics) == 1, [d.format() for d in result.diagnostics]
    return result.diagnostics[0].message


# --- durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit", "working"),
    [
        ("30 minutes", Decimal(30), "minute", False),
        ("1 minute", Decimal(1), "minute", False),
        ("1.5 hours", Decimal("1.5"), "hour", False),
        ("24 working hours", Decimal(24), "hour", True),
        ("1 working day", Decimal(1), "day", True),
        ("3 days", Decimal(3), "day", False),
        ("4 weeks", Decimal(4), "week", False),
        ("1 week", Decimal(1), "week", False),
    ],
)
def test_valid_durations(text: str, amount: Decimal, unit: str, working: bool) -> None:
    duration = parse_duration(text)

    assert duration == Duration(amount, unit, working, text)  # type: ignore[arg-type]
    assert str(duration) == text


def test_whole_weeks_only_for_calendar_weeks() -> None:
    assert parse_duration("4 weeks").whole_weeks == 4
    assert parse_duration("1.5 weeks").whole_weeks is None
    assert parse_duration("14 days").whole_weeks is None


@pytest.mark.parametrize(
    ("written", "code", "hint"),
    [
        ("4", "SP104", "write `4 weeks`"),
        ("0 hours", "SP104", "more than zero"),
        ("0.0 days", "SP104", "more than zero"),
        ("-1 hours", "SP104", "is not a duration"),
        ("2 Weeks", "SP104", "units are lower-case: write `2 weeks`"),
        ("2 working weeks", "SP104", "`working` goes with hours or days only"),
        ("30 working minutes", "SP104", "`working` goes with hours or days only"),
        ("fortnight", "SP104", "is not a duration"),
        ("2 weeks and a day", "SP104", "is not a duration"),
    ],
)
def test_invalid_durations_are_positioned_with_a_hint(
    variant, load, written: str, code: str, hint: str
) -> None:
    result = load(variant(("effort: 30 minutes", f"effort: {written}")))

    assert spots(result) == [f"{code} 180:13"]
    assert hint in only(result)
    assert only(result).startswith("sla.timebox.effort: ")


def test_a_bare_number_duration_hints_at_weeks(variant, load) -> None:
    result = load(variant(("tenure: 4 weeks", "tenure: 4")))

    assert spots(result) == ["SP104 106:11"]
    assert only(result) == "rotation.tenure: a duration needs a unit: write `4 weeks`"


@pytest.mark.parametrize(
    "written", ["30 minutes", "1.5 hours", "24 working hours", "1 working day", "4 weeks"]
)
def test_valid_durations_load_in_a_policy(variant, load, written: str) -> None:
    result = load(variant(("within: 24 working hours", f"within: {written}")))

    assert result.diagnostics == []
    assert result.policy is not None
    assert str(result.policy.sla["first-response"].duration) == written


def test_an_sla_target_with_two_measures_is_refused(variant, load) -> None:
    result = load(
        variant(("    effort: 30 minutes\n", "    effort: 30 minutes\n    after: 1 day\n"))
    )

    assert spots(result) == ["SP103 178:5"]
    assert "exactly one of `within`, `effort` or `after` (found `effort`, `after`)" in only(result)


def test_an_sla_target_without_a_measure_is_refused(variant, load) -> None:
    result = load(variant(("    effort: 30 minutes\n", "")))

    assert spots(result) == ["SP103 178:5"]
    assert "(found none)" in only(result)


# --- working time -----------------------------------------------------------------------


@pytest.mark.parametrize("hours", ["09:00-17:00", "00:00-24:00", "08:30-24:00", "00:00-00:01"])
def test_valid_working_hours(variant, load, hours: str) -> None:
    result = load(variant(('hours: "00:00-24:00"', f'hours: "{hours}"')))

    assert result.diagnostics == []


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("18:00-09:00", "overnight windows are not supported"),
        ("09:00-09:00", "must start before it ends"),
        ("24:00-09:00", "is not a daily window"),
        ("00:00-24:30", "is not a daily window"),
        ("9-17", "is not a daily window"),
        ("09:00-17:60", "is not a daily window"),
        ("09:00 - 17:00", "is not a daily window"),
    ],
)
def test_invalid_working_hours(variant, load, hours: str, message: str) -> None:
    result = load(variant(('hours: "00:00-24:00"', f'hours: "{hours}"')))

    assert spots(result) == ["SP103 31:10"]
    assert message in only(result)


def test_repeated_working_days_are_refused(variant, load) -> None:
    result = load(
        variant(("days: [monday, tuesday, wednesday,", "days: [monday, tuesday, monday,"))
    )

    assert spots(result) == ["SP103 30:9"]
    assert "monday listed more than once" in only(result)


def test_unknown_weekday_is_positioned_at_the_item(variant, load) -> None:
    result = load(variant(("days: [monday, tuesday,", "days: [monday, tusday,")))

    assert spots(result) == ["SP103 30:18"]


def test_unknown_timezone(variant, load) -> None:
    result = load(variant(("  timezone: UTC", "  timezone: Mars/Olympus")))

    assert spots(result) == ["SP106 29:13"]
    assert "`Mars/Olympus` is not an IANA time zone" in only(result)


def test_unknown_member_timezone(variant, load) -> None:
    result = load(variant(("timezone: Asia/Kolkata", "timezone: Asia/Kolkatta")))

    assert spots(result) == ["SP106 24:71"]
    assert only(result).startswith("team.members.person-d.timezone:")


def test_member_timezone_is_kept(load, variant) -> None:
    result = load(variant(("timezone: Asia/Kolkata", "timezone: Europe/Berlin")))

    assert result.policy is not None
    assert result.policy.team.members["person-d"].timezone == "Europe/Berlin"


# --- keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  support_email: support",
            "  suport_email: support",
            "SP101 16:3",
            "unknown key `suport_email` in organization (did you mean `support_email`?)",
        ),
        (
            "    responsibilities:\n      - Be",
            "    responsibilites:\n      - Be",
            "SP101 52:5",
            "unknown key `responsibilites` in roles.support-steward "
            "(did you mean `responsibilities`?)",
        ),
        (
            "        template: non-incident-status",
            "        templte: non-incident-status",
            "SP101 408:9",
            "unknown key `templte` in processes.non-incident-response.steps.3 "
            "(did you mean `template`?)",
        ),
        (
            "  handover_event: sprint meeting",
            "  handover_evnt: sprint meeting",
            "SP101 109:3",
            "unknown key `handover_evnt` in rotation (did you mean `handover_event`?)",
        ),
        (
            "person-b: {name: Person B, email:",
            "person-b: {name: Person B, mail:",
            "SP101 22:32",
            "unknown key `mail` in team.members.person-b (did you mean `email`?)",
        ),
        (
            "\nbudget:\n",
            "\nbudgett:\n",
            "SP101 220:1",
            "unknown key `budgett` in the top level (did you mean `budget`?)",
        ),
    ],
    ids=["organization", "role", "nested-step", "rotation", "member-flow", "top-level"],
)
def test_unknown_keys_suggest_the_known_one(
    variant, load, old: str, new: str, where: str, message: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert only(result) == message


def test_unknown_key_without_a_close_match_has_no_suggestion(variant, load) -> None:
    result = load(variant(("  support_email: support", "  zzz: support")))

    assert spots(result) == ["SP101 16:3"]
    assert "did you mean" not in only(result)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "organization:\n  name: Example Org\n",
            "organization:\n",
            "SP102 15:3",
            "missing required key `name` in organization",
        ),
        ("version: 1\n", "", "SP102 13:1", "missing required key `version` in the top level"),
        (
            "    name: FreshDesk\n",
            "",
            "SP102 253:5",
            "missing required key `name` in channels.freshdesk",
        ),
        (
            "    person-e: {name: Person E,",
            "    person-e: {email: e@example.org,",
            "SP102 25:15",
            "missing required key `name` in team.members.person-e",
        ),
    ],
    ids=["organization-name", "version", "channel-name", "member-name"],
)
def test_missing_keys_are_positioned_at_the_parent_mapping(
    variant, load, old: str, new: str, where: str, message: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert only(result) == message


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        ("    person-e: {name: Person E,", "    Person-E: {name: Person E,", "SP105 25:5", "key"),
        ("  hub-support:\n", "  hub_support:\n", "SP105 272:3", "key"),
        ("  support-team:\n", "  support--team:\n", "SP105 498:3", "key"),
        ("        process: triage\n", "        process: Triage\n", "SP105 317:18", "id"),
        ("  role: support-steward", "  role: 1st-steward", "SP105 103:9", "id"),
    ],
)
def test_invalid_ids_for_keys_and_values(
    variant, load, old: str, new: str, where: str, what: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert f"is not a valid {what}" in only(result)


def test_version_2_is_unsupported(variant, load) -> None:
    result = load(variant(("version: 1\n", "version: 2\n")))

    assert spots(result) == ["SP107 12:10"]
    assert only(result) == "`version` must be 1 (the only format version so far)"


def test_version_as_text_is_unsupported(variant, load) -> None:
    result = load(variant(("version: 1\n", 'version: "1"\n')))

    assert spots(result) == ["SP107 12:10"]


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("uses_budget: false", 'uses_budget: "false"', "SP103 129:18", "expected true or false"),
        (
            "    name: FreshDesk\n",
            "    name: 12\n",
            "SP103 253:11",
            "reads `12` as a number; quote",
        ),
        ("kind: ticketing", "kind: ticket", "SP103 254:11", "expected 'email', 'ticketing'"),
        ("on_duty: 2 ", "on_duty: 2.5 ", "SP103 111:12", "expected a whole number"),
        ("on_duty: 2 ", "on_duty: 0 ", "SP103 111:12", "must be at least 1"),
    ],
)
def test_wrong_types_and_values(
    variant, load, old: str, new: str, where: str, message: str
) -> None:
    result = load(variant((old, new)))

    assert spots(result) == [where]
    assert message in only(result)


# --- bounds that keep the arithmetic honest ---------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("hours_per_month: 173", "hours_per_month: 745", "SP103 221:20", "must be at most 744"),
        ("hours_per_month: 173", "hours_per_month: 1e27", "SP103 221:20", "must be at most 744"),
        ("tenure: 4 weeks", "tenure: 600 weeks", "SP104 106:11", "longer than ten years"),
        ("start: 2026-01-06", "start: 3026-01-06", "SP103 110:10", "dates run from 1900 to 2999"),
        ("version: 1\n", "version: true\n", "SP107 12:10", "must be 1"),
        ("timezone: UTC", "timezone: localtime", "SP106 29:13", "not an IANA time zone"),
    ],
)
def test_values_beyond_sensible_bounds_are_refused(variant, load, old, new, where, message) -> None:
    result = load(variant((old, new)))

    assert where in spots(result)
    assert any(message in d.message for d in result.diagnostics)
