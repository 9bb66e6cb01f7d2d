"""The work: request types, time targets, priorities, the budget, channels, canned
responses, processes and extra glossary terms."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .models_base import AllOrIds, CountRange, HoursPerMonth, IdList, Model, _no_repeats
from .types import DurationField, Email, Identifier, ShareField, Text, VariableName


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
                "`[min, max]` has min above max: write `[{hi}, {lo}]` (got [{lo}, {hi}])",
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
