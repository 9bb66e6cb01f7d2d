"""Which policy a mystmd build renders: ``project.options.support_policy`` in ``myst.yml``.

mystmd runs a plugin in the folder it builds (where ``myst.yml`` is) and passes it only
the directive at hand, so the plugin reads the project's ``myst.yml`` itself. The
setting lives under ``project.options``, the one place mystmd leaves to extensions
without an "extra key ignored" warning::

    project:
      options:
        support_policy:
          policy: policy.yaml   # relative to myst.yml, inside the project

Without the setting, the CLI's own rule applies (``pyproject.toml``, then
``./policy.yaml``; see :mod:`.policy_path`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from support_policy.policy.diagnostics import Code, Diagnostic
from support_policy.policy.files import FileRefused, read_inside

CONFIG_NAME = "myst.yml"
MAX_CONFIG_BYTES = 256 * 1024
OPTION = "support_policy"
SETTING_KEY = "policy"


@dataclass(frozen=True)
class MystSetting:
    """The policy ``myst.yml`` names (``None``: it names none), or why it cannot be used."""

    policy: Path | None = None
    display: str | None = None
    problem: Diagnostic | None = None


def read_setting(folder: Path) -> MystSetting:
    """The ``support_policy`` option of ``folder/myst.yml`` (no file, no setting)."""
    config = folder / CONFIG_NAME
    if not config.is_file():
        return MystSetting()
    from support_policy.policy.yamlsource import decode, parse

    try:
        raw = read_inside(folder, CONFIG_NAME, MAX_CONFIG_BYTES, where="the project folder")
    except FileRefused as refused:
        return MystSetting(problem=refused.diagnostic(CONFIG_NAME))
    except OSError as error:
        return MystSetting(problem=_problem(f"cannot be read: {error.strerror or error}"))
    text, problems = decode(raw, CONFIG_NAME)
    if text is None:
        return MystSetting(problem=problems[0] if problems else _problem("is not UTF-8 text"))
    parsed = parse(text, CONFIG_NAME)
    if parsed.diagnostics:
        return MystSetting(problem=parsed.diagnostics[0])
    loc: tuple[str, ...] = ("project", "options", OPTION)
    option = _lookup(parsed.data, loc)
    if option is None:
        return MystSetting()
    line, column = parsed.source.position(parsed.source.deepest(loc))
    if not isinstance(option, dict) or set(option) != {SETTING_KEY}:
        message = f"`project.options.{OPTION}` must be a mapping with one key, `{SETTING_KEY}`"
        return MystSetting(problem=_problem(message, line, column))
    value = option[SETTING_KEY]
    line, column = parsed.source.position((*loc, SETTING_KEY))
    if not isinstance(value, str) or not value.strip():
        return MystSetting(
            problem=_problem(f"`{SETTING_KEY}` must be a path, as text", line, column)
        )
    relative = PurePosixPath(value.strip())
    if relative.is_absolute() or ".." in relative.parts:
        message = f"`{SETTING_KEY}` must be a path inside the project, not {value!r}"
        return MystSetting(problem=_problem(message, line, column))
    return MystSetting(folder / relative, str(relative))


def _lookup(data: Any, loc: tuple[str, ...]) -> Any:
    for key in loc:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _problem(message: str, line: int = 0, column: int = 0) -> Diagnostic:
    return Diagnostic.make(Code.MYST_CONFIG, message, CONFIG_NAME, line, column)
