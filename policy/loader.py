"""Load a policy file: read, parse, validate, check — every problem positioned.

``load_policy`` never raises for bad *content*: it returns a :class:`LoadedPolicy` whose
diagnostics say what is wrong and where. It raises :class:`PolicyUnreadable` only when
there is nothing to check at all (a missing or unreadable file).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError

from .checks import check_policy, suggest
from .diagnostics import Code, Diagnostic, has_errors
from .files import FileRefused, read_inside, read_named
from .findings import Finding, finding_diagnostic
from .models import Policy, yaml_fields
from .template_texts import body_diagnostics, file_text_diagnostics
from .types import ID_PATTERN
from .yamlsource import MAX_FILE_BYTES, Loc, SourceMap, decode, parse

BUNDLED_POLICY = "policy.yaml"


def bundled_policy_path() -> Path:
    """The example policy shipped with the package (the default everywhere)."""
    # Package data sits beside the code (installs are never zipped); a plain path keeps
    # importlib.resources, and what it imports, off the start-up path.
    return Path(__file__).parent / "example" / BUNDLED_POLICY


class PolicyUnreadable(Exception):
    """The policy file cannot be read at all (exit status 2)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class LoadedPolicy:
    path: Path | None
    display: str
    policy: Policy | None
    diagnostics: list[Diagnostic]
    source: SourceMap | None = None
    template_texts: dict[str, str] = field(default_factory=dict)
    """Template id → its text, from ``body`` or from its ``file``."""

    @property
    def ok(self) -> bool:
        return self.policy is not None and not has_errors(self.diagnostics)

    def position(self, loc: Loc) -> tuple[int, int]:
        return (1, 1) if self.source is None else self.source.position(loc)


def read_bytes(
    path: Path,
    display: str,
    limit: int = MAX_FILE_BYTES,
    too_large: Code = Code.FILE_TOO_LARGE,
) -> bytes:
    """Read a file named by the user, at most ``limit`` bytes.

    Raises :class:`PolicyUnreadable` (exit status 2) when it cannot be opened, and
    :class:`~.files.FileRefused` (a violation) for a device, a stalled pipe or content
    over the limit.
    """
    try:
        return read_named(path, limit, too_large=too_large)
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "is a directory, not a file"
    except PermissionError:
        reason = "permission denied"
    except OSError as error:
        reason = error.strerror or "cannot be read"
    raise PolicyUnreadable(Diagnostic.make(Code.FILE_NOT_FOUND, reason, display))


def load_policy(path: Path | str | None = None, *, display: str | None = None) -> LoadedPolicy:
    """Load, validate and check the policy at ``path`` (the bundled example if ``None``)."""
    file = Path(path) if path is not None else bundled_policy_path()
    shown = display or (str(path) if path is not None else "<bundled>/policy.yaml")
    try:
        raw = read_bytes(file, shown)
    except FileRefused as refused:
        return LoadedPolicy(file, shown, None, [refused.diagnostic(shown)])
    return load_policy_bytes(raw, shown, base_dir=file.parent, path=file)


def load_policy_bytes(
    raw: bytes, display: str, *, base_dir: Path | None = None, path: Path | None = None
) -> LoadedPolicy:
    text, problems = decode(raw, display)
    if text is None:
        return LoadedPolicy(path, display, None, problems)
    return load_policy_text(text, display, base_dir=base_dir, path=path)


def load_policy_text(
    text: str, display: str, *, base_dir: Path | None = None, path: Path | None = None
) -> LoadedPolicy:
    parsed = parse(text, display)
    diagnostics = list(parsed.diagnostics)
    result = LoadedPolicy(path, display, None, diagnostics, parsed.source)
    data = parsed.data
    if data is None and not diagnostics:
        diagnostics.append(
            Diagnostic.make(Code.EMPTY_DOCUMENT, "the file holds no policy", display, 1, 1)
        )
    if data is None or has_errors(diagnostics):
        result.diagnostics = sorted(diagnostics)
        return result
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic.make(
                Code.NOT_A_MAPPING,
                "the policy must be a mapping of sections, starting with `version: 1`",
                display,
                *parsed.source.position(()),
            )
        )
        result.diagnostics = sorted(diagnostics)
        return result
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        diagnostics += schema_diagnostics(error, parsed.source)
        result.diagnostics = sorted(set(diagnostics))
        return result
    findings = check_policy(policy, data)
    texts, file_findings, file_diagnostics = _template_texts(
        policy, base_dir, display, parsed.source
    )
    file_diagnostics += body_diagnostics(policy, parsed.source)
    diagnostics += [finding_diagnostic(f, parsed.source) for f in [*findings, *file_findings]]
    diagnostics += file_diagnostics
    result.policy = policy
    result.template_texts = texts
    result.diagnostics = sorted(set(diagnostics))
    return result


def inside_policy_folder(relative: PurePath) -> bool:
    """Whether a ``file:`` path stays inside the policy's folder (no absolute path, no ``..``)."""
    return not relative.is_absolute() and ".." not in relative.parts


def _template_texts(
    policy: Policy, base_dir: Path | None, display: str, source: SourceMap
) -> tuple[dict[str, str], list[Finding], list[Diagnostic]]:
    """Read templates declared with ``file:`` and judge their texts in the file itself."""
    texts: dict[str, str] = {}
    findings: list[Finding] = []
    diagnostics: list[Diagnostic] = []
    for key, template in policy.templates.items():
        if template.body is not None:
            texts[key] = template.body
            continue
        assert template.file is not None
        loc: Loc = ("templates", key, "file")
        relative = Path(template.file)
        if base_dir is None:
            continue
        if not inside_policy_folder(relative):
            findings.append(
                Finding(
                    loc,
                    Code.FILE_OUTSIDE_TREE,
                    f"`{template.file}` must be a path inside the policy's folder",
                )
            )
            continue
        try:
            # Never out of the policy's folder, never a FIFO or device, never unbounded.
            raw = read_inside(base_dir, template.file, MAX_FILE_BYTES, where="the policy's folder")
        except FileRefused as refused:
            message = refused.message
            if refused.code is Code.TEMPLATE_FILE_MISSING:
                message = f"template file `{template.file}` not found"
            elif refused.code is Code.FILE_TOO_LARGE:
                message = f"template file `{template.file}`: {message}"
            findings.append(Finding(loc, refused.code, message))
            continue
        except OSError as error:
            reason = error.strerror or "cannot be read"
            message = f"template file `{template.file}` cannot be read: {reason}"
            findings.append(Finding(loc, Code.TEMPLATE_FILE_MISSING, message))
            continue
        shown = str(Path(display).parent / relative) if display else str(base_dir / relative)
        text, problems = decode(raw, shown)
        if text is None:
            diagnostics += problems
            continue
        texts[key] = text
        diagnostics += file_text_diagnostics(policy, source, key, template, text, shown)
    return texts, findings, diagnostics


# --- Mapping pydantic's errors back to the document ---------------------------------

_TYPE_WORDS = {
    "string_type": "text",
    "list_type": "a list",
    "tuple_type": "a list `[min, max]`",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_type": "a whole number",
    "decimal_type": "a number",
    "bool_type": "true or false",
    "date_type": "a date such as 2026-01-06",
    "date_from_datetime_inexact": "a date such as 2026-01-06",
}


def schema_diagnostics(error: ValidationError, source: SourceMap) -> list[Diagnostic]:
    """One diagnostic per problem; alternatives of a union are merged into one message."""
    grouped: dict[tuple[Loc, bool], list[dict[str, Any]]] = {}
    for detail in error.errors():
        loc = tuple(detail["loc"])
        if detail["type"] == "repeated":
            loc = (*loc, detail["ctx"]["index"])
        at_key = detail["type"] == "extra_forbidden" or (bool(loc) and loc[-1] == "[key]")
        grouped.setdefault(
            (source.deepest(loc) if not at_key else _key_loc(loc, source), at_key), []
        ).append(dict(detail))
    diagnostics = []
    generic = {"literal_error", *_TYPE_WORDS}
    for (known, at_key), details in grouped.items():
        # A union alternative that failed on type ("expected 'all'") says nothing when
        # another alternative got further and reported something inside this value.
        deeper = any(
            other[: len(known)] == known and len(other) > len(known) for other, _ in grouped
        )
        if deeper and all(d["type"] in generic for d in details):
            continue
        code, message = _describe(details, known, source)
        line, column = source.position(known, at_key=at_key)
        diagnostics.append(Diagnostic.make(code, message, source.file, line, column))
    return diagnostics


def _key_loc(loc: Loc, source: SourceMap) -> Loc:
    trimmed = loc[:-1] if loc and loc[-1] == "[key]" else loc
    return trimmed if trimmed in source.keys else source.deepest(trimmed)


def _dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc) or "the top level"


def _describe(details: list[dict[str, Any]], known: Loc, source: SourceMap) -> tuple[Code, str]:
    first = details[0]
    kind = first["type"]
    loc = tuple(first["loc"])
    where = _dotted(known)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = known[:-1]
        allowed = _allowed_keys(parent)
        return Code.UNKNOWN_KEY, f"unknown key `{key}` in {_dotted(parent)}{suggest(key, allowed)}"
    if kind == "missing" and isinstance(loc[-1], int):
        # A fixed-length list such as `[min, max]` that is too short: not a missing key.
        return Code.INVALID_VALUE, f"{where}: too few items (item {loc[-1] + 1} is missing)"
    if kind == "missing":
        return Code.MISSING_KEY, f"missing required key `{loc[-1]}` in {_dotted(known)}"
    if known == ("version",):
        return Code.UNSUPPORTED_VERSION, "`version` must be 1 (the only format version so far)"
    if kind == "string_pattern_mismatch" and first.get("ctx", {}).get("pattern") == ID_PATTERN:
        what = "key" if loc and loc[-1] == "[key]" else "id"
        value = first.get("input")
        return Code.INVALID_ID, (
            f"`{value}` is not a valid {what}: use lower-case letters and digits in words "
            "joined by single hyphens, starting with a letter (e.g. `person-a`)"
        )
    if kind.endswith("_digits"):  # a number inside text, refused by its length
        return Code.NUMBER_TOO_LONG, f"{where}: {first['msg']}"
    if kind.startswith("duration"):
        return Code.INVALID_DURATION, f"{where}: {first['msg']}"
    if kind == "timezone":
        return Code.INVALID_TIMEZONE, f"{where}: {first['msg']}"
    expected = []
    for detail in details:
        word = _TYPE_WORDS.get(detail["type"])
        if detail["type"] == "literal_error":
            word = detail.get("ctx", {}).get("expected")
        if _is_decimal_check(detail):
            word = "a finite number"
        if word and word not in expected:
            expected.append(word)
    if expected and all(
        d["type"] in _TYPE_WORDS or d["type"] == "literal_error" or _is_decimal_check(d)
        for d in details
    ):
        message = f"{where}: expected {' or '.join(expected)}"
        if any(d["type"] in _TEXT_TYPES for d in details):
            message += _quote_hint(known, source, first.get("input"))
        return Code.INVALID_VALUE, message
    # Of a union's alternatives, the ones that got past the type check say the most.
    specific = [d for d in details if d["type"] not in _TYPE_WORDS and d["type"] != "literal_error"]
    messages = []
    for detail in specific or details:
        bound = _BOUND_WORDS.get(detail["type"])
        text = bound.format(**detail.get("ctx", {})) if bound else str(detail["msg"])
        if text.startswith("Value error, "):
            text = text[len("Value error, ") :]
        if text not in messages:
            messages.append(text)
    return Code.INVALID_VALUE, f"{where}: {'; '.join(messages)}"


_BOUND_WORDS = {
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
}

# Only where text was expected does "quote it" help (not for `.inf` as hours, say).
_TEXT_TYPES = {"string_type", "literal_error"}


def _is_decimal_check(detail: dict[str, Any]) -> bool:
    # Strict Decimal fields reject floats (`.inf`) and text as `is_instance_of`.
    context: dict[str, object] = detail.get("ctx", {})
    return bool(detail["type"] == "is_instance_of" and context.get("class") == "Decimal")


def _quote_hint(known: Loc, source: SourceMap, value: object) -> str:
    if known in source.from_plain_scalar and not isinstance(value, str) and value is not None:
        return f" (YAML reads `{_plain_text(known, source)}` as a {_kind_name(value)}; quote it)"
    return ""


def _plain_text(known: Loc, source: SourceMap) -> str:
    node = source.values.get(known)
    return str(getattr(node, "value", ""))


def _kind_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return "number"
    return "date" if type(value).__name__ == "date" else type(value).__name__


def _allowed_keys(loc: Loc) -> list[str]:
    """The field names of the model that sits at ``loc`` (for "did you mean")."""
    current: Any = Policy
    for part in loc:
        current = _step_into(current, part)
        if current is None:
            return []
    model = _as_model(current)
    return list(yaml_fields(model)) if model is not None else []


def _step_into(annotation: Any, part: str | int) -> Any:
    model = _as_model(annotation)
    if model is not None:
        field_info = yaml_fields(model).get(str(part))
        return None if field_info is None else field_info.annotation
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if origin is dict:
            return typing.get_args(option)[1]
        if origin is list and isinstance(part, int):
            return typing.get_args(option)[0]
    return None


def _options(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [option for arg in typing.get_args(annotation) for option in _options(arg)]
    if typing.get_origin(annotation) is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    return [annotation]


def _as_model(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None
