"""Diagnostics: positioned, coded problems shared by the CLI and the Sphinx extension.

Every problem a user can cause is a :class:`Diagnostic`. Its code is stable (documented
in the handbook and safe to match on in CI) and maps to a Sphinx warning subtype, so the
same problem reads the same in ``support-policy validate`` and in a ``-W`` docs build.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

from .safe_text import for_terminal

Severity = Literal["error", "warning", "note"]
"""A note informs (e.g. how many calendar events were skipped); it never fails a run."""


class Code(Enum):
    """Stable diagnostic codes. The value is ``(code, subtype, summary)``."""

    # Reading the file (SP0xx).
    FILE_NOT_FOUND = ("SP001", "file", "file not found or not readable")
    NOT_UTF8 = ("SP002", "file", "file is not UTF-8 text")
    FILE_TOO_LARGE = ("SP003", "file", "file exceeds the size limit")
    NOT_A_FILE = ("SP004", "file", "not a regular file or pipe (a device or socket)")
    PIPE_TIMEOUT = ("SP005", "file", "a pipe did not deliver its content in time")
    NAMED_OUTSIDE_TREE = ("SP006", "file", "a link leads a relative path out of the current folder")
    YAML_SYNTAX = ("SP010", "yaml", "YAML syntax error")
    DUPLICATE_KEY = ("SP011", "yaml", "duplicate mapping key")
    YAML11_TRAP = ("SP012", "yaml", "plain scalar that YAML 1.1 tools read differently")
    YAML_TAG = ("SP013", "yaml", "explicit tags and merge keys are not allowed")
    ALIAS_BUDGET = ("SP014", "yaml", "aliases expand beyond the node budget")
    TOO_DEEP = ("SP015", "yaml", "nesting deeper than the limit")
    EMPTY_DOCUMENT = ("SP016", "yaml", "the file holds no policy")
    MULTIPLE_DOCUMENTS = ("SP017", "yaml", "more than one YAML document")
    NOT_A_MAPPING = ("SP018", "yaml", "the policy must be a mapping")
    NON_STRING_KEY = ("SP019", "yaml", "mapping keys must be strings")
    POLICY_SETTING = ("SP020", "file", "the policy setting in pyproject.toml cannot be used")

    # The schema (SP1xx).
    UNKNOWN_KEY = ("SP101", "schema", "unknown key")
    MISSING_KEY = ("SP102", "schema", "required key missing")
    INVALID_VALUE = ("SP103", "schema", "value of the wrong type or out of range")
    INVALID_DURATION = ("SP104", "schema", "not a duration")
    INVALID_ID = ("SP105", "schema", "not a valid identifier")
    INVALID_TIMEZONE = ("SP106", "schema", "unknown IANA time zone")
    UNSUPPORTED_VERSION = ("SP107", "schema", "unsupported format version")
    NUMBER_TOO_LONG = ("SP110", "schema", "number literal longer than the limit")

    # Invariants across sections (SP2xx).
    UNRESOLVED_REFERENCE = ("SP201", "reference", "reference to an id that does not exist")
    TENURE_NOT_MULTIPLE = ("SP202", "rotation", "tenure is not a whole multiple of handover_every")
    ON_DUTY_MISMATCH = ("SP203", "rotation", "on_duty differs from tenure / handover_every")
    POOL_TOO_SMALL = ("SP204", "rotation", "rotation pool not larger than on_duty")
    START_NOT_ON_HANDOVER_DAY = ("SP205", "rotation", "start is not on handover_day")
    CHANGE_NOT_ON_HANDOFF = ("SP206", "rotation", "recorded change is not on a hand-off date")
    CHANGE_OVERLAP = ("SP207", "rotation", "recorded change overlaps a person's tenures")
    CHANGE_BACK_TO_BACK = ("SP208", "rotation", "recorded change makes tenures back to back")
    DUPLICATE_CHANGE = ("SP209", "rotation", "two recorded changes on one hand-off")
    BUDGET_MISMATCH = ("SP210", "budget", "stated_hours differs from the formula")
    UNDECLARED_VARIABLE = ("SP211", "template", "template variable not declared")
    UNUSED_VARIABLE = ("SP212", "template", "declared template variable never used")
    UNKNOWN_VALUE_PATH = ("SP213", "reference", "unknown policy value reference")
    VARIABLE_OUTSIDE_TEMPLATE = ("SP214", "reference", "template variable outside a template")
    DUPLICATE_NAME = ("SP215", "reference", "two entries share a display name")
    UNCLOSED_PLACEHOLDER = ("SP216", "reference", "`{{` without a closing `}}`")
    UNKNOWN_OBJECT_LINK = ("SP217", "reference", "link in policy text to no policy object")

    # The team and its rotations over time (SP23x).
    MEMBER_DATES = ("SP230", "team", "a member's `joined` is not before `left`")
    SPAN_REVERSED = ("SP231", "team", "a period ends before it starts")
    AWAY_OVERLAP = ("SP232", "team", "one person's away periods overlap")
    ROTATION_TWICE = ("SP233", "rotation", "both `rotation` and `rotations`")
    EXCLUSIVE_NOT_EARLIER = ("SP234", "rotation", "exclusive_with names no earlier rotation")
    ROLE_IN_TWO_ROTATIONS = ("SP235", "rotation", "two rotations serve one role")
    NOBODY_CAN_JOIN = ("SP236", "rotation", "nobody can join at a hand-off")
    DEALT_BACK_TO_BACK = ("SP237", "rotation", "someone serves back to back: nobody else can")
    COVER_NOT_ON_DUTY = ("SP238", "rotation", "a cover's `covers` is not on duty then")
    COVER_UNAVAILABLE = ("SP239", "rotation", "a cover's `member` is off the team, away or on duty")
    COVER_OVERLAP = ("SP240", "rotation", "covers of one person overlap")
    ROTATION_TOO_FAR = ("SP241", "rotation", "the rotation cannot be dealt that far")

    # Template files (SP3xx).
    UNKNOWN_TEMPLATE_FILE = ("SP301", "template", "template file names no template")
    TEMPLATE_DRIFT = ("SP302", "template", "template file differs from the policy")
    MIXED_PLACEHOLDERS = ("SP303", "template", "placeholder in another syntax")
    TEMPLATE_FILE_MISSING = ("SP304", "template", "declared template file is missing")
    FILE_OUTSIDE_TREE = ("SP305", "template", "template file path leads outside its folder")
    NOT_REGULAR_FILE = ("SP306", "template", "template file is not a regular file")
    SYMLINK_LOOP = ("SP307", "template", "template file path has a symbolic link loop")

    # Rotation calendars (SP4xx).
    CALENDAR_UNREADABLE = ("SP401", "calendar", "calendar cannot be parsed")
    EVENT_NO_MEMBER = ("SP402", "calendar", "event maps to no member")
    EVENT_AMBIGUOUS = ("SP403", "calendar", "event maps to more than one member")
    COVERAGE_GAP = ("SP404", "calendar", "fewer people on duty than on_duty")
    COVERAGE_OVERLAP = ("SP405", "calendar", "more people on duty than on_duty")
    TENURE_LENGTH = ("SP406", "calendar", "event length differs from tenure")
    HANDOFF_MISPLACED = ("SP407", "calendar", "hand-off on the wrong day or interval")
    ORDER_DIVERGES = ("SP408", "calendar", "join differs from the computed order")
    PERSON_BACK_TO_BACK = ("SP409", "calendar", "a person's tenures overlap or touch")
    DUPLICATE_EVENT = ("SP410", "calendar", "duplicate event")
    TIMED_EVENT_OFFSET = ("SP411", "calendar", "timed event not at the hand-off instant")
    IDENTITY_CONFLICT = ("SP412", "calendar", "SUMMARY and ATTENDEE name different people")
    EVENT_ROTATION_UNKNOWN = ("SP413", "calendar", "attendee-only event fits no single rotation")
    COVER_EVENT_UNLISTED = ("SP414", "calendar", "cover event with no `rotation.cover` entry")
    COVER_EVENT_MISSING = ("SP415", "calendar", "`rotation.cover` entry with no cover event")
    EVENTS_SKIPPED = ("SP416", "calendar", "events of other duties skipped (a note)")

    # Rendering the handbook (SP5xx): what only a Sphinx build can find.
    NOT_RENDERED = ("SP501", "file", "the policy could not be loaded; nothing rendered")
    MISSING_SECTION = ("SP502", "missing", "the policy has no such section; nothing rendered")
    DUPLICATE_TARGET = ("SP503", "duplicate", "an entry is rendered with its target on two pages")
    DUPLICATE_ON_PAGE = ("SP504", "duplicate", "an entry appears twice on one page")
    ROTATION_WINDOW = ("SP505", "rotation", "the rotation schedule cannot be shown for the window")
    SCHEDULE_BEFORE_START = ("SP506", "rotation", "`:from:` is before the rotation starts")
    UNKNOWN_TARGET = ("SP507", "xref", "a `support:` cross-reference names nothing rendered")
    GLOSSARY_SELECTION = ("SP508", "glossary", "`:include:`/`:exclude:` names no glossary entry")
    UNKNOWN_OPTION = ("SP509", "directive", "a directive option that does not exist")
    FLAG_WITH_VALUE = ("SP510", "directive", "a flag option given a value")
    MISSING_ARGUMENT = ("SP511", "directive", "a directive without the argument it needs")
    EXTRA_ARGUMENT = ("SP512", "directive", "an argument or content the directive does not take")
    ROTATION_OPTION = ("SP517", "rotation", "`support-rotation` `:from:`/`:weeks:` unreadable")
    FEED_NOT_PUBLISHED = (
        "SP518",
        "rotation",
        "the rotation feed cannot be published with the site",
    )
    UNKNOWN_VALUE_FORM = ("SP521", "reference", "a `support:value` form that does not exist")
    VALUE_NOT_A_COUNT = ("SP522", "reference", "a number form on a value that is not a count")
    TEAM_DATE = ("SP523", "team", "`support-team :on:` is not a date; the build date is used")

    # Links in policy text (SP513-SP516).
    UNKNOWN_PAGE = ("SP513", "link", "a `doc:` link in policy text names no handbook page")

    # The mystmd plugin (SP53x): `support-policy myst`, run by a mystmd build.
    MYST_INPUT = ("SP530", "myst", "the plugin's input is not the JSON mystmd sends")
    MYST_UNKNOWN = ("SP531", "myst", "mystmd asked the plugin for a directive or role it lacks")
    MYST_CONFIG = ("SP532", "myst", "myst.yml's `support_policy` option cannot be used")

    # SLA reports (SP6xx): the `reports` section and the ticket exports it reads.
    EXPORT_UNREADABLE = ("SP601", "report", "a ticket export cannot be read in its format")
    EXPORT_COLUMN_MISSING = ("SP602", "report", "a column the mapping needs is not in the export")
    ROW_BAD_TIME = ("SP603", "report", "a row's timestamp cannot be read")
    ROW_MALFORMED = ("SP604", "report", "a row is malformed (fields missing, too large, not JSON)")
    ROW_NOT_UTF8 = ("SP605", "report", "a row is not UTF-8 text (another encoding)")
    TARGET_BELOW_THRESHOLD = ("SP606", "report", "an SLA target is met less often than target_met")
    DUPLICATE_TICKET = ("SP607", "report", "a ticket id occurs twice in one export")
    EVIDENCE_NOT_A_DEADLINE = ("SP610", "report", "`answers` names a target that is no deadline")
    EXPORT_FIELD_MISPLACED = ("SP611", "report", "an export key that its format does not use")
    TICKET_URL = ("SP612", "report", "a ticket link template is not an http(s) URL with `{id}`")
    REPORT_FILE = ("SP620", "report", "an SLA report file cannot be rendered")

    # Announcements and fairness (SP7xx).
    ANNOUNCEMENT_VARIABLE = ("SP701", "template", "the announcement names an unknown variable")
    NOTHING_TO_ANNOUNCE = ("SP702", "rotation", "no rotation to announce or report on")
    HOLIDAYS_TWICE = ("SP710", "fairness", "one person on duty over two holiday periods in a row")
    NOT_DEALT = ("SP711", "fairness", "someone not dealt for more than two full cycles")
    NO_DAYTIME = ("SP712", "fairness", "working hours with nobody on duty in local daytime")
    FAIRNESS_WINDOW = ("SP713", "fairness", "the fairness report cannot be computed for the window")

    # Running the tool (SP9xx).
    USAGE = ("SP901", "usage", "bad command-line usage")
    INTERNAL = ("SP902", "internal", "internal error")
    NO_POLICY = ("SP910", "usage", "no policy file named or found")
    OUT_OF_RANGE = ("SP920", "range", "date or window outside the supported range")
    BEYOND_CALENDAR = ("SP921", "range", "result lies beyond the supported dates")
    BAD_EPOCH = ("SP922", "usage", "SOURCE_DATE_EPOCH is not a whole number of seconds")
    CANNOT_WRITE = ("SP930", "output", "the output file cannot be written")
    NO_ROTATION = ("SP931", "usage", "the command needs a rotation and the policy has none")
    POLICY_HAS_ERRORS = ("SP932", "usage", "the command needs a policy without errors")

    @property
    def code(self) -> str:
        return self.value[0]

    @classmethod
    def of(cls, code: str) -> Code:
        """The catalogue entry of a code such as ``"SP203"`` (``KeyError`` if none)."""
        return _BY_CODE[code]

    @property
    def subtype(self) -> str:
        return self.value[1]

    @property
    def summary(self) -> str:
        return self.value[2]


_BY_CODE: dict[str, Code] = {entry.code: entry for entry in Code}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, positioned in a file. Sorting orders by file, then position."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    code: str
    message: str
    severity: Severity = "error"
    subtype: str = "policy"

    @classmethod
    def make(
        cls,
        code: Code,
        message: str,
        file: str,
        line: int = 0,
        column: int = 0,
        severity: Severity = "error",
    ) -> Diagnostic:
        return cls(file, line, column, code.code, message, severity, code.subtype)

    @property
    def kind(self) -> Code:
        """Its entry in the catalogue: every diagnostic is made from one (:meth:`make`)."""
        return Code.of(self.code)

    @property
    def location(self) -> str:
        """``path:line:col`` as shown to a person (the path in display form)."""
        shown = for_terminal(self.file)
        if self.line <= 0:
            return shown
        if self.column <= 0:
            return f"{shown}:{self.line}"
        return f"{shown}:{self.line}:{self.column}"

    def format(self) -> str:
        """The one-line form: ``path:line:col: CODE message``, safe for a terminal or log.

        The file name and the message are in display form (:func:`for_terminal`): they
        quote input, and one line must stay one line with no control sequence in it.
        """
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {self.code} {prefix}{for_terminal(self.message)}"


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)
