"""Support-budget figures, computed with exact decimal arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .models import Budget

_ROUNDING_MODES = {"down": ROUND_FLOOR, "up": ROUND_CEILING, "nearest": ROUND_HALF_UP}
ROUNDING_WORDS = {"down": "rounded down", "up": "rounded up", "nearest": "rounded to nearest"}


@dataclass(frozen=True)
class BudgetFigures:
    """The derivation shown in the handbook: exact product, rounded hours, per community."""

    exact_hours: Decimal
    hours: Decimal
    per_community_min: Decimal | None
    per_community_max: Decimal | None


def support_hours(budget: Budget) -> tuple[Decimal, Decimal]:
    """(exact, rounded) support hours per engineer per month."""
    exact = budget.hours_per_month * budget.support_share
    mode = _ROUNDING_MODES.get(budget.rounding)
    rounded = exact if mode is None else exact.quantize(Decimal(1), rounding=mode)
    return _plain(exact), _plain(rounded)


def figures(budget: Budget) -> BudgetFigures:
    exact, hours = support_hours(budget)
    low = high = None
    if budget.communities_per_engineer is not None:
        fewest, most = budget.communities_per_engineer
        low, high = _plain(hours / most), _plain(hours / fewest)
    return BudgetFigures(exact, hours, low, high)


def format_hours(value: Decimal, places: int = 2) -> str:
    """``Decimal('34.60')`` → ``34.6``, with at most ``places`` decimals."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{_plain(rounded):f}"


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (34.0 → 34, 1E+1 → 10)."""
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


def derivation(budget: Budget) -> tuple[str, str | None]:
    """The budget in words, as the handbook shows it: per engineer, per community.

    ``173 h × 20% = 34.6 h → 34 h per engineer per month (rounded down)`` and
    ``1.7–4.25 h per community per month (34 h ÷ 20 … 34 h ÷ 8 communities)``.
    """
    from .types import format_share

    numbers = figures(budget)
    hours = format_hours(numbers.hours)
    per_engineer = (
        f"{format_hours(budget.hours_per_month)} h × {format_share(budget.support_share)}"
        f" = {format_hours(numbers.exact_hours)} h"
    )
    if budget.rounding != "none":
        per_engineer += f" → {hours} h per engineer per month ({ROUNDING_WORDS[budget.rounding]})"
    else:
        per_engineer += " per engineer per month"
    low, high = numbers.per_community_min, numbers.per_community_max
    if budget.communities_per_engineer is None or low is None or high is None:
        return per_engineer, None
    fewest, most = budget.communities_per_engineer
    per_community = (
        f"{format_hours(low)}–{format_hours(high)} h per community per month "
        f"({hours} h ÷ {most} … {hours} h ÷ {fewest} communities)"
    )
    return per_engineer, per_community
