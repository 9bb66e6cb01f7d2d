"""Shared fixtures for the policy-core tests: the bundled policy and a loader helper."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support_policy.policy.loader import LoadedPolicy, bundled_policy_path, load_policy_text

DISPLAY = "policy.yaml"


@pytest.fixture(scope="session")
def bundled_text() -> str:
    """The bundled example policy, as text."""
    return bundled_policy_path().read_text(encoding="utf-8")


@pytest.fixture
def load() -> Callable[[str], LoadedPolicy]:
    """``load(text)``: load policy text as if it were a file named ``policy.yaml``."""

    def _load(text: str) -> LoadedPolicy:
        return load_policy_text(text, DISPLAY)

    return _load


@pytest.fixture
def variant(bundled_text: str) -> Callable[..., str]:
    """``variant((old, new), ...)``: the bundled policy with exact, unique replacements."""

    def _variant(*replacements: tuple[str, str]) -> str:
        text = bundled_text
        for old, new in replacements:
            assert text.count(old) == 1, f"{old!r} must occur exactly once in the bundled policy"
            text = text.replace(old, new)
        return text

    return _variant


@pytest.fixture(scope="session")
def recorded_swap_text(bundled_text: str) -> str:
    """The bundled policy with the leave as two recorded `changes` instead of `away`."""
    from example_variants import with_recorded_swap

    return with_recorded_swap(bundled_text)
