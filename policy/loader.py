"""Load a policy file: read, parse, validate, check — every problem positioned.

``load_policy`` never raises for bad *content*: it returns a :class:`LoadedPolicy` whose
diagnostics say what is wrong and where. It raises :class:`PolicyUnreadable` only when
there is nothing to check at all (a missing or unreadable file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath

from pydantic import ValidationError

from .checks import check_policy
from .diagnostics import Code, Diagnostic, has_errors
from .files import FileRefused, read_inside, read_named
from .findings import Finding, finding_diagnostic
from .models import Policy
from .schema_errors import schema_diagnostics
from .template_texts import body_diagnostics, file_text_diagnostics
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
