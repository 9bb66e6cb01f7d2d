"""The people: the organisation, the team and its members, working time and roles."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from .models_base import DatedSpan, Model, PolicyDate
from .types import Email, Identifier, Text, TimeZoneName, Weekday

HOURS_PATTERN = r"^([01][0-9]|2[0-3]):([0-5][0-9])-(([01][0-9]|2[0-3]):([0-5][0-9])|24:00)$"


class Organization(Model):
    """Who offers the support."""

    name: Text
    """The organisation's name, as readers know it."""
    support_email: Email | None = None
    """The address communities write to for support."""
    url: str | None = None
    """The organisation's home page."""


_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_SLACK_MEMBER = re.compile(r"^[UW][A-Z0-9]{2,20}$")


def _github_login(value: str) -> str:
    # GitHub's own rules: letters, digits and single inner hyphens, at most 39 characters.
    if len(value) > 39 or _GITHUB_LOGIN.match(value) is None:
        raise PydanticCustomError(
            "github_login",
            "not a GitHub login: letters, digits and single hyphens inside, at most 39 "
            "characters, without `@` (e.g. `octocat`)",
        )
    return value


def _slack_member(value: str) -> str:
    if _SLACK_MEMBER.match(value) is None:
        raise PydanticCustomError(
            "slack_member",
            "not a Slack member ID: `U` or `W` and upper-case letters and digits "
            '(e.g. `U024BE7LH`; the profile\'s "Copy member ID")',
        )
    return value


GitHubHandle = Annotated[
    str,
    AfterValidator(_github_login),
    WithJsonSchema(
        {"type": "string", "pattern": _GITHUB_LOGIN.pattern, "minLength": 1, "maxLength": 39}
    ),
]
SlackMemberId = Annotated[
    str,
    AfterValidator(_slack_member),
    WithJsonSchema({"type": "string", "pattern": _SLACK_MEMBER.pattern}),
]


class AwayPeriod(DatedSpan):
    """Days a member is not available: leave, a conference, illness."""


class Member(Model):
    """A person on the team."""

    name: Text
    """Display name; the rotation's alphabetical order sorts by it."""
    email: Email | None = None
    """Used as the ATTENDEE of rotation calendar events."""
    timezone: TimeZoneName | None = None
    """IANA time zone the person works in, e.g. `Europe/Madrid`."""
    joined: PolicyDate | None = None
    """First day on the team; without it the member has always been on the team."""
    left: PolicyDate | None = None
    """First day no longer on the team. Keep the entry: past tenures keep the name."""
    away: list[AwayPeriod] = []
    """Periods the member is not available (inclusive dates); the rotation deals around them."""
    github: GitHubHandle | None = None
    """GitHub login (without `@`): `diff --format markdown` and `handoff --format markdown`
    mention the person with it. Nobody is ever mentioned without one."""
    chat: SlackMemberId | None = None
    """Slack member ID (`U…` or `W…`, from the profile's "Copy member ID"):
    `handoff --format slack` mentions the person with it."""

    def on_team(self, first: date, end: date) -> bool:
        """On the team on every day of ``[first, end)``."""
        return (self.joined is None or self.joined <= first) and (
            self.left is None or end <= self.left
        )


class Team(Model):
    """The team that provides support; its members form the rotation pool."""

    name: Text
    """The team's name."""
    description: str | None = None
    """What the team is and where it sits in the organisation."""
    members: dict[Identifier, Member] = Field(min_length=1)
    """Member id → person. The default rotation pool."""


_LOOSE_WINDOW = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*-\s*(\d{1,2})(?:[:.](\d{2}))?\s*$")


def _window_example(value: str) -> str:
    """`09:00-17:00` for `9-17`, `9:00 - 17:00` and the like; otherwise an example."""
    match = _LOOSE_WINDOW.match(value)
    if match is not None:
        start_hour, start_minute, end_hour, end_minute = match.groups()
        start = f"{int(start_hour):02d}:{start_minute or '00'}"
        end = f"{int(end_hour):02d}:{end_minute or '00'}"
        written = f"{start}-{end}"
        if re.match(HOURS_PATTERN, written) and (end == "24:00" or start < end):
            return f"`{written}`"
    return "e.g. `09:00-17:00`"


class WorkingTime(Model):
    """When the clock runs for `working` durations."""

    timezone: TimeZoneName = "UTC"
    """IANA time zone in which days start and end; also the zone of rotation hand-offs."""
    days: list[Weekday] = Field(
        default=["monday", "tuesday", "wednesday", "thursday", "friday"],
        min_length=1,
        json_schema_extra={"uniqueItems": True},
    )
    """The working weekdays."""
    hours: str = Field(default="00:00-24:00", json_schema_extra={"pattern": HOURS_PATTERN})
    """The daily window `HH:MM-HH:MM` (start before end; `24:00` allowed as the end)."""
    holidays: list[PolicyDate] = []
    """Dates that are not working days."""
    definition: str | None = None
    """What the team calls a working day, in words, for the handbook."""

    @field_validator("hours")
    @classmethod
    def _window(cls, value: str) -> str:
        match = re.match(HOURS_PATTERN, value)
        if match is None:
            raise PydanticCustomError(
                "hours",
                "`{value}` is not a daily window; write {example}",
                {"value": value, "example": _window_example(value)},
            )
        start, end = value.split("-")
        if end != "24:00" and end <= start:
            raise PydanticCustomError(
                "hours_order",
                "the window must start before it ends (overnight windows are not supported)",
            )
        return value

    @field_validator("days")
    @classmethod
    def _unique_days(cls, value: list[str]) -> list[str]:
        repeated = sorted({day for day in value if value.count(day) > 1})
        if repeated:
            raise PydanticCustomError(
                "days_repeated", "{days} listed more than once", {"days": ", ".join(repeated)}
            )
        return value

    @property
    def window(self) -> tuple[time, time | None]:
        """Start and end of the daily window; ``None`` as the end means 24:00."""
        start, end = self.hours.split("-")
        return time.fromisoformat(start), None if end == "24:00" else time.fromisoformat(end)


class Role(Model):
    """A role people hold in the support process."""

    name: Text
    """Singular name, e.g. `Support Steward`; also a glossary term."""
    plural: str | None = None
    """Plural name, e.g. `Support Stewards`; a glossary term too."""
    aliases: list[Text] = []
    """Other names people use for the role."""
    description: str | None = None
    """What the role does."""
    responsibilities: list[Text] = []
    """The role's responsibilities, one sentence each."""
