"""The policy for this build: loaded once in ``env-before-read-docs``, cached on the env.

The cache lives on the build environment (pickled with it), keyed by a hash of the policy
file and of the template files it reads, so an unchanged policy is not parsed again and
nothing is kept in module-level state.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment

from support_policy.policy.diagnostics import Diagnostic
from support_policy.policy.files import FileRefused, read_inside, read_named
from support_policy.policy.loader import LoadedPolicy, PolicyUnreadable, load_policy
from support_policy.policy.yamlsource import MAX_FILE_BYTES

from .config import policy_path
from .warnings import warn_diagnostic

_ATTRIBUTE = "support_policy_data"


@dataclass
class PolicyData:
    """What the directives and roles of one build see."""

    path: Path
    key: str
    loaded: LoadedPolicy | None
    """``None`` when the file could not be read at all."""
    problem: Diagnostic | None = None
    """Why the file could not be read, when it could not."""

    @property
    def dependencies(self) -> list[Path]:
        """The policy file and every template file it reads."""
        files = [self.path]
        if self.loaded is not None and self.loaded.policy is not None:
            for template in self.loaded.policy.templates.values():
                if template.file is not None:
                    files.append(self.path.parent / template.file)
        return files


def get_data(env: BuildEnvironment) -> PolicyData | None:
    data = getattr(env, _ATTRIBUTE, None)
    return data if isinstance(data, PolicyData) else None


def _digest(files: list[Path]) -> str:
    """A hash of the files, each read as the loader reads it (bounded, inside the tree)."""
    digest = hashlib.sha256()
    policy = files[0]
    for file in files:
        digest.update(str(file).encode())
        try:
            if file == policy:
                digest.update(read_named(file, MAX_FILE_BYTES))
            else:
                relative = file.relative_to(policy.parent).as_posix()
                digest.update(read_inside(policy.parent, relative, MAX_FILE_BYTES))
        except FileRefused as refused:
            digest.update(f"\0refused {refused.code.code} {refused.kind}".encode())
        except (OSError, ValueError):
            digest.update(b"\0missing")
    return digest.hexdigest()


def refresh(app: Sphinx, env: BuildEnvironment) -> PolicyData:
    """The policy of this build: the cached one while its files are unchanged, else loaded.

    Called first in ``env-get-outdated`` (which pages changed depends on the new policy),
    then in ``env-before-read-docs``, which finds it cached.
    """
    path = policy_path(app.config, Path(app.confdir))
    cached = get_data(env)
    if cached is not None and cached.path == path and cached.key == _digest(cached.dependencies):
        return cached
    data = _load(path)
    setattr(env, _ATTRIBUTE, data)
    return data


def load_for_build(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: (re)load the policy when its files changed; report problems."""
    report(refresh(app, env))


def _load(path: Path) -> PolicyData:
    try:
        loaded = load_policy(path, display=str(path))
    except PolicyUnreadable as error:
        return PolicyData(path, _digest([path]), None, error.diagnostic)
    # The source map is only needed to position diagnostics, which are made by now;
    # dropping it keeps the pickled environment small.
    loaded = dataclasses.replace(loaded, source=None)
    data = PolicyData(path, "", loaded)
    data.key = _digest(data.dependencies)
    return data


def report(data: PolicyData) -> None:
    """Every diagnostic becomes one warning: ``path:line: SPxxx message [support-policy.x]``."""
    diagnostics = [data.problem] if data.problem is not None else []
    if data.loaded is not None:
        diagnostics += data.loaded.diagnostics
    for diagnostic in diagnostics:
        warn_diagnostic(diagnostic)


def quiet_after_failed_load(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """``warn-missing-reference``: no dangling-reference warnings from a failed policy.

    When the policy could not be loaded, nothing it defines exists, so every reference to
    a role, target or glossary term from it would warn. The load failure was reported
    once; those copies would only bury it.
    """
    data = get_data(app.env)
    failed = data is not None and (data.loaded is None or data.loaded.policy is None)
    if failed and (domain.name == "support" or node.get("reftype") == "term"):
        return True
    return None
