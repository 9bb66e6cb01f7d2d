"""The policy file format, version 1, as pydantic models.

Field docstrings are the reference documentation: :mod:`.fielddocs` reads them into
the JSON Schema and the handbook's YAML reference page. Cross-section rules (references resolve, the
rotation adds up, the budget matches its formula) live in :mod:`.checks`, so that they
can all be reported in one run with positions.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from .bounds import POLICY_YEARS
from .types import (
    ID_PATTERN,
    DurationField,
    Email,
    Identifier,
    ShareField,
    Text,
    TimeZoneName,
    VariableName,
    Weekday,
)

HOURS_PATTERN = r"^([01][0-9]|2[0-3]):([0-5][0-9])-(([01][0-9]|2[0-3]):([0-5][0-9])|24:00)$"


def _exact_number(value: object) -> object:
    """Whole numbers become Decimals; text and booleans stay as they are to be rejected."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _pair(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


PositiveNumber = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Field(gt=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]
CountRange = Annotated[
    tuple[Annotated[int, Field(gt=0)], Annotated[int, Field(gt=0)]], BeforeValidator(_pair)
]


def _no_repeats(items: list[str]) -> list[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item in seen:
            # ``index`` lets the loader point at the repeated entry itself.
            raise PydanticCustomError(
                "repeated", "lists `{item}` more than once", {"item": item, "index": index}
            )
        seen.add(item)
    return items


def _not_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("version_type", "`version` is the number 1, not a boolean")
    return value


def _in_calendar_range(value: date) -> date:
    # Hand-off arithmetic runs thousands of intervals either side of a date.
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise PydanticCustomError(
            "date_range", "dates run from {low} to {high}", {"low": MIN_YEAR, "high": MAX_YEAR}
        )
    return value


MIN_YEAR, MAX_YEAR = POLICY_YEARS
IdList = Annotated[
    list[Identifier],
    AfterValidator(_no_repeats),
    WithJsonSchema(
        {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "uniqueItems": True}
    ),
]
AllOrIds = Literal["all"] | IdList
PolicyDate = Annotated[date, AfterValidator(_in_calendar_range)]
# A month has at most 31 × 24 = 744 hours.
HoursPerMonth = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Field(gt=0, le=744, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 744}),
]


class Model(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        hide_input_in_errors=True,
        defer_build=True,
    )


def yaml_fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """A model's fields by the key a policy file uses for them (``from``, not ``start``)."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


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


class DatedSpan(Model):
    """Inclusive dates, ``from`` … ``to`` (``from`` is a Python keyword, hence the alias)."""

    start: PolicyDate = Field(alias="from")
    """The first day."""
    to: PolicyDate
    """The last day (inclusive)."""
    reason: str | None = None
    """Why; public text, shown in the handbook's schedule."""


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
                "`{value}` is not a daily window; write e.g. `09:00-17:00`",
                {"value": value},
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


class RotationChange(Model):
    """A recorded deviation from the computed rotation order."""

    date: PolicyDate
    """A hand-off date."""
    joins: Identifier
    """The team member who joins at that hand-off instead of the person due."""
    reason: str | None = None
    """Why; shown in the schedule."""


class Cover(DatedSpan):
    """A day-level stand-in inside a tenure that has begun."""

    member: Identifier
    """Who stands in (a key of `team.members`)."""
    covers: Identifier
    """Who is on duty and stood in for on those days (a key of `team.members`)."""


class Rotation(Model):
    """Who serves in a role, and when: a round robin with overlapping tenures."""

    role: Identifier
    """The role served (a key of `roles`)."""
    members: AllOrIds = "all"
    """`all` team members, or a list of member ids: the pool."""
    order: Literal["alphabetical", "listed"] = "alphabetical"
    """`alphabetical` by name (case-insensitive, ties by id) or `listed` (pool order)."""
    tenure: DurationField
    """How long each person serves: whole weeks."""
    handover_every: DurationField
    """How often one person leaves and the next joins: whole weeks."""
    handover_day: Weekday
    """The weekday of every hand-off."""
    handover_event: str | None = None
    """Where hand-offs usually happen, for prose (e.g. `sprint meeting`)."""
    start: PolicyDate
    """The first hand-off; must fall on `handover_day`."""
    on_duty: Annotated[int, Field(ge=1)] | None = None
    """Optional assertion: how many people serve at once (tenure ÷ handover_every)."""
    changes: list[RotationChange] = []
    """Recorded deviations, one hand-off each (a swap is two changes)."""
    cover: list[Cover] = []
    """Day-level stand-ins: someone covers a person on duty on the listed days only."""
    exclusive_with: IdList = []
    """Rotations earlier in `rotations` whose people on duty cannot serve here at once."""
    announcement: str | None = None
    """The hand-off message of `support-policy handoff`: text with `{{ JOINER }}`,
    `{{ LEAVER }}`, `{{ STAYING }}`, `{{ DATE }}`, `{{ UNTIL }}`, `{{ TENURE }}`,
    `{{ REASON }}`, `{{ ROLE }}` and `{{ NEXT }}` (and `{{ policy.… }}` values); a
    sensible default when omitted."""


class RequestType(Model):
    """A category of support request."""

    name: Text
    """Singular name, e.g. `Incident`; also a glossary term."""
    plural: str | None = None
    """Plural name, a glossary term too."""
    definition: Text
    """One or two sentences defining the category."""
    description: str | None = None
    """Further notes: how such requests are handled."""
    examples: list[Text] = []
    """Typical requests of this type."""
    uses_budget: bool = True
    """Whether time spent on it draws from the support budget."""


class SlaTarget(Model):
    """A time target. Exactly one of `within`, `effort` or `after`."""

    name: Text
    """What the target is about, e.g. `First response`."""
    applies_to: AllOrIds = "all"
    """`all` request types or a list of request type ids."""
    within: DurationField | None = None
    """A deadline measured from the request's arrival."""
    effort: DurationField | None = None
    """A budget of work, not a deadline."""
    after: DurationField | None = None
    """Time after our last message with no answer."""
    description: str | None = None
    """Notes for the handbook."""

    @model_validator(mode="after")
    def _exactly_one_measure(self) -> SlaTarget:
        given = [name for name in ("within", "effort", "after") if getattr(self, name) is not None]
        if len(given) != 1:
            raise PydanticCustomError(
                "sla_measure",
                "a target has exactly one of `within`, `effort` or `after` (found {found})",
                {"found": ", ".join(f"`{n}`" for n in given) or "none"},
            )
        return self

    @property
    def kind(self) -> Literal["within", "effort", "after"]:
        if self.within is not None:
            return "within"
        return "effort" if self.effort is not None else "after"

    @property
    def duration(self) -> DurationField:
        measure = self.within or self.effort or self.after
        assert measure is not None  # guaranteed by the validator
        return measure


class Priorities(Model):
    """The order in which non-incident work is taken on."""

    applies_to: AllOrIds = "all"
    """`all` request types or a list of request type ids."""
    order: list[Text] = Field(min_length=1)
    """Highest priority first."""
    consult: IdList = []
    """Roles to ask for guidance when prioritising."""
    guidelines: list[Text] = []
    """Advice for judging how urgent a request is."""
    description: str | None = None
    """Why there is an order at all."""


class Budget(Model):
    """The support budget: how much engineering time support may take."""

    hours_per_month: HoursPerMonth
    """Working hours per engineer per month."""
    support_share: ShareField
    """The share of an engineer's time for support: `20%` or `0.2`."""
    rounding: Literal["down", "nearest", "up", "none"] = "none"
    """How the hours are rounded: `down`, `nearest` (half up), `up` or `none`."""
    communities_per_engineer: CountRange | None = None
    """`[min, max]`: how many communities one engineer can sustainably serve."""
    stated_hours: HoursPerMonth | None = None
    """Optional assertion: must equal the formula's result exactly."""
    description: str | None = None
    """The rationale, in words."""

    @field_validator("communities_per_engineer")
    @classmethod
    def _ordered_range(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and value[0] > value[1]:
            raise PydanticCustomError(
                "range_order",
                "write `[min, max]` with min <= max (got [{lo}, {hi}])",
                {"lo": value[0], "hi": value[1]},
            )
        return value


class Channel(Model):
    """A place where support conversations happen."""

    name: Text
    """Display name, e.g. `FreshDesk` or `#support-freshdesk`."""
    kind: Literal["email", "ticketing", "chat", "issue-tracker", "other"]
    """What sort of channel it is."""
    audience: Literal["external", "internal"]
    """Who talks there: `external` (communities) or `internal` (the team)."""
    visibility: Literal["public", "private"]
    """Whether outsiders can read it."""
    url: str | None = None
    """Where to find it."""
    address: Email | None = None
    """The e-mail address, for `email` channels."""
    label: str | None = None
    """The label that marks support items, for issue trackers."""
    purpose: str | None = None
    """What the channel is for."""


class Template(Model):
    """A canned response. Exactly one of `body` or `file`."""

    name: Text
    """Display name."""
    channel: Identifier | None = None
    """The channel it is sent through (a key of `channels`)."""
    description: str | None = None
    """When to use it."""
    variables: Annotated[list[VariableName], AfterValidator(_no_repeats)] = []
    """The `{{ NAME }}` variables it uses; each must be used, each use declared."""
    body: str | None = None
    """The text itself."""
    file: str | None = None
    """A file holding the text, relative to the policy file."""

    @model_validator(mode="after")
    def _body_or_file(self) -> Template:
        if (self.body is None) == (self.file is None):
            raise PydanticCustomError(
                "template_source", "a template has exactly one of `body` or `file`"
            )
        return self


class Step(Model):
    """One step of a process."""

    name: Text
    """The step in a few words."""
    owner: Identifier | None = None
    """The role that does this step (a key of `roles`); overrides the process's `owner` for
    this step and its sub-steps, and is shown as "Who: <role name>"."""
    description: str | None = None
    """What to do."""
    sla: Identifier | None = None
    """The time target that applies (a key of `sla`)."""
    template: Identifier | None = None
    """The canned response to send (a key of `templates`)."""
    process: Identifier | None = None
    """The process to continue with (a key of `processes`)."""
    steps: list[Step] = []
    """Sub-steps."""


class Process(Model):
    """An ordered procedure."""

    name: Text
    """Display name."""
    owner: Identifier | None = None
    """The role that carries it out (a key of `roles`)."""
    description: str | None = None
    """Its goal, for the handbook."""
    steps: list[Step] = Field(min_length=1)
    """The steps, in order; they are numbered when rendered."""


class GlossaryEntry(Model):
    """A term of the support process beyond roles and request types."""

    term: Text
    """The term."""
    plural: str | None = None
    """Its plural, also a glossary term."""
    aliases: list[Text] = []
    """Other words for it."""
    definition: Text
    """Its meaning."""


Evidence = Literal["first_response", "resolved", "closed"]
GitHubLogin = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")]


class ExportColumns(Model):
    """Column names of a CSV ticket export, when they differ from the format's defaults."""

    id: Text | None = None
    """The ticket number (Freshdesk `Ticket ID`, Zendesk `Id`)."""
    title: Text | None = None
    """The ticket's subject (`Subject` in both)."""
    created: Text | None = None
    """When the request arrived (Freshdesk `Created time`, Zendesk `Created at`)."""
    first_response: Text | None = None
    """When the team first answered (Freshdesk `Initial response time`)."""
    first_response_minutes: Text | None = None
    """Minutes from arrival to the first answer, when the export has no instant for it
    (Zendesk `First reply time in minutes`)."""
    resolved: Text | None = None
    """When the ticket was resolved (Freshdesk `Resolved time`, Zendesk `Solved at`)."""
    closed: Text | None = None
    """When the ticket was closed (Freshdesk `Closed time`)."""


class TicketExport(Model):
    """How to read one kind of ticket export: its format, request types and timestamps."""

    format: Literal["freshdesk", "zendesk", "github"]
    """`freshdesk` or `zendesk` (their CSV ticket exports), or `github` (the JSON of
    `gh issue list --json number,title,labels,createdAt,closedAt,comments`)."""
    channel: Identifier | None = None
    """The channel the tickets come from (a key of `channels`); its `url` gives the
    default ticket links."""
    timezone: TimeZoneName | None = None
    """IANA zone of timestamps written without an offset (help desks export in the
    account's zone); default: the working-time zone."""
    type_column: Text | None = None
    """The column holding the request type (default: `Type` for Freshdesk, `Ticket type`
    for Zendesk). GitHub issues are typed by their labels instead."""
    types: dict[Text, Identifier] = {}
    """Column value (or GitHub label) → request type id. Without it a value matches the
    request type whose id, name or plural it equals, ignoring case."""
    answers: dict[Identifier, Evidence] = {}
    """SLA target id → the timestamp that answers it: `first_response`, `resolved` or
    `closed`. Only `within` targets can be measured; default: each of them by
    `first_response`."""
    columns: ExportColumns | None = None
    """Column names for CSV formats, where they differ from the defaults."""
    ticket_url: str | None = None
    """Link to a ticket: an `http`/`https` URL with `{id}` where the ticket id goes, e.g.
    `https://example.freshdesk.com/a/tickets/{id}`."""
    handles: dict[GitHubLogin, Identifier] = {}
    """For `github`: GitHub login → team member id. A ticket's first response is the
    first comment by one of these logins."""


class SlaReport(Model):
    """What `support-policy report sla` measures, and against which threshold."""

    target_met: ShareField | None = None
    """The share of tickets each target must meet (`95%`); `report sla --strict` fails
    when a target and request type fall below it."""
    exports: dict[Identifier, TicketExport] = {}
    """Export id → how to read that export (`report sla --export ID`)."""


class Reports(Model):
    """Reports computed from the team's own records, measured against this policy."""

    sla: SlaReport | None = None
    """SLA compliance from ticket exports."""


class Policy(Model):
    """A support policy, format version 1."""

    version: Annotated[Literal[1], BeforeValidator(_not_boolean)]
    """The format version: 1."""
    organization: Organization
    team: Team
    working_time: WorkingTime | None = None
    """Working days and hours; UTC Monday–Friday, all day, when omitted."""
    roles: dict[Identifier, Role]
    """Role id → role, in render order."""
    rotation: Rotation | None = None
    """The rotation, when there is one; `rotations` holds several."""
    rotations: dict[Identifier, Rotation] = {}
    """Rotation id → rotation, dealt in file order; instead of `rotation`."""
    request_types: dict[Identifier, RequestType] = {}
    """Request type id → request type."""
    sla: dict[Identifier, SlaTarget] = {}
    """Target id → time target."""
    priorities: Priorities | None = None
    budget: Budget | None = None
    channels: dict[Identifier, Channel] = {}
    """Channel id → channel."""
    templates: dict[Identifier, Template] = {}
    """Template id → canned response."""
    processes: dict[Identifier, Process] = {}
    """Process id → process."""
    glossary: dict[Identifier, GlossaryEntry] = {}
    """Term id → extra glossary entry."""
    reports: Reports | None = None
    """How reports read the team's records (ticket exports) against this policy."""

    @property
    def all_rotations(self) -> dict[str, Rotation]:
        """Rotation id → rotation; a single `rotation` is keyed by its role."""
        if self.rotation is not None:
            return {self.rotation.role: self.rotation}
        return dict(self.rotations)

    @property
    def effective_working_time(self) -> WorkingTime:
        return self.working_time or WorkingTime()
