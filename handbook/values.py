"""``support:value`` references: a value path, and how its number reads in prose.

``rotation.on_duty`` renders the value as the policy states it (``2``);
``rotation.on_duty|words`` spells a small whole number (``two``), and ``|Words`` does the
same with a capital for the start of a sentence (``Two``). Only numbers from zero to
twenty are spelled, the way style guides have it; larger ones stay digits. A value that
begins with a whole number and goes on with a unit (``4 weeks``, ``1 working day``) has
that number spelled (``four weeks``). The paths themselves are those of
:mod:`support_policy.policy.references`, their one home.

Framework-free, so the Sphinx role and the mystmd plugin give the same text and the
same problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from support_policy.policy.diagnostics import Code
from support_policy.policy.models import Policy
from support_policy.policy.references import UnknownValuePath, resolve_value, value_paths

from .model import Problem

#: form name → whether the spelled number starts with a capital
FORMS: dict[str, bool] = {"words": False, "Words": True}

# fmt: off
_SMALL = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)
# fmt: on

#: a whole number alone, or followed by a space and the rest (a unit: ``4 weeks``)
_LEADING_COUNT = re.compile(r"(\d+)(?= |$)")


@dataclass(frozen=True)
class ValueReference:
    """What a page wrote: ``policy.`` dropped, the form after ``|`` (``None`` without one)."""

    path: str
    form: str | None = None

    @classmethod
    def parse(cls, text: str) -> ValueReference:
        path, bar, form = text.strip().partition("|")
        path = path.strip()
        if path.startswith("policy."):
            path = path[len("policy.") :]
        return cls(path, form.strip() if bar else None)


@dataclass(frozen=True)
class ValueText:
    """The text to show, or ``None`` when the reference names nothing (show it as written).

    ``problem`` is set whenever the page should be warned, text or not.
    """

    text: str | None
    problem: Problem | None = None


def value_text(policy: Policy, reference: ValueReference) -> ValueText:
    """The text of ``reference`` in ``policy``, in its form."""
    if reference.form is not None and reference.form not in FORMS:
        known = ", ".join(f"`{name}`" for name in FORMS)
        message = f"unknown form `{reference.form[:40]}` of a policy value; known forms: {known}"
        return ValueText(None, Problem(Code.UNKNOWN_VALUE_FORM, message))
    try:
        value = resolve_value(policy, reference.path)
    except UnknownValuePath as error:
        from support_policy.policy.checks import suggest  # only when something is wrong

        hint = error.hint or suggest(reference.path, value_paths(policy))
        message = f"unknown policy value `{reference.path}`{hint}"
        return ValueText(None, Problem(Code.UNKNOWN_VALUE_PATH, message))
    if reference.form is None:
        return ValueText(value)
    spelled = spell_leading_number(value, capital=FORMS[reference.form])
    if spelled is None:
        message = (
            f"`{reference.path}` is `{value[:40]}`, which does not start with a whole number; "
            f"the form `{reference.form}` leaves it as it is"
        )
        return ValueText(value, Problem(Code.VALUE_NOT_A_COUNT, message))
    return ValueText(spelled)


def spell_leading_number(value: str, *, capital: bool = False) -> str | None:
    """``4 weeks`` → ``four weeks``; ``173`` stays ``173``; ``None`` without a leading count."""
    match = _LEADING_COUNT.match(value)
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) > 2 or (len(digits) > 1 and digits.startswith("0")):
        return value  # large (or zero-padded): digits, and no int() of a huge string
    return number_words(int(digits), capital=capital) + value[match.end() :]


def number_words(number: int, *, capital: bool = False) -> str:
    """Zero to twenty in words, anything else in digits."""
    if not 0 <= number < len(_SMALL):
        return str(number)
    word = _SMALL[number]
    return word.capitalize() if capital else word
