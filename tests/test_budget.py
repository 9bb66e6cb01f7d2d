"""The support budget: exact decimal arithmetic, declared rounding, per-community range."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from support_policy.policy.budget import figures, format_hours, support_hours
from support_policy.policy.models import Budget


def make(hours: object = 173, share: object = "20%", rounding: str = "down", **extra) -> Budget:
    return Budget.model_validate(
        {
            "hours_per_month": Decimal(str(hours)),
            "support_share": share,
            "rounding": rounding,
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("rounding", "hours"),
    [
        ("down", Decimal(34)),
        ("up", Decimal(35)),
        ("nearest", Decimal(35)),
        ("none", Decimal("34.6")),
    ],
)
def test_bundled_formula_under_each_rounding(rounding: str, hours: Decimal) -> None:
    exact, rounded = support_hours(make(rounding=rounding))

    assert exact == Decimal("34.6")
    assert rounded == hours
    assert str(rounded) == str(hours)  # no trailing zeros, no exponent


def test_one_hundred_times_29_percent_is_exactly_29() -> None:
    exact, rounded = support_hours(make(100, "29%", "down"))

    assert exact == 29
    assert rounded == 29  # binary floats give 28.999999999999996, floored to 28
    assert str(rounded) == "29"


def test_share_as_a_fraction_equals_the_percentage() -> None:
    assert support_hours(make(share=Decimal("0.2"))) == support_hours(make(share="20%"))


@pytest.mark.parametrize(
    ("rounding", "hours"),
    [("down", "21"), ("up", "22"), ("nearest", "22"), ("none", "21.625")],
)
def test_twelve_and_a_half_percent(rounding: str, hours: str) -> None:
    assert support_hours(make(173, "12.5%", rounding))[1] == Decimal(hours)


@pytest.mark.parametrize(("hours", "nearest"), [(173, "87"), (171, "86")])
def test_nearest_rounds_half_up(hours: int, nearest: str) -> None:
    # 173 × 50% = 86.5 → 87; 171 × 50% = 85.5 → 86 (half up, not to even)
    assert support_hours(make(hours, "50%", "nearest"))[1] == Decimal(nearest)


def test_per_community_range_for_the_bundled_budget() -> None:
    result = figures(make(communities_per_engineer=[8, 20]))

    assert result.hours == 34
    assert result.per_community_min == Decimal("1.7")  # 34 / 20
    assert result.per_community_max == Decimal("4.25")  # 34 / 8


def test_per_community_range_is_absent_without_communities() -> None:
    result = figures(make())

    assert result.per_community_min is None
    assert result.per_community_max is None


def test_per_community_uses_the_rounded_hours() -> None:
    result = figures(make(rounding="none", communities_per_engineer=[8, 20]))

    assert result.per_community_min == Decimal("1.73")  # 34.6 / 20
    assert result.per_community_max == Decimal("4.325")  # 34.6 / 8


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("34.60"), "34.6"),
        (Decimal("34"), "34"),
        (Decimal("34.0"), "34"),
        (Decimal("4.25"), "4.25"),
        (Decimal("4.325"), "4.33"),
        (Decimal("1E+1"), "10"),
        (Decimal("173"), "173"),
        (Decimal("0.005"), "0.01"),
    ],
)
def test_format_hours(value: Decimal, text: str) -> None:
    assert format_hours(value) == text


def test_format_hours_with_fewer_places() -> None:
    assert format_hours(Decimal("4.25"), places=1) == "4.3"
    assert format_hours(Decimal("4.25"), places=0) == "4"


@pytest.mark.parametrize("share", ["0%", "0", "101%", "1.5", "-20%", "twenty"])
def test_share_must_be_above_zero_and_at_most_one(share: str) -> None:
    value: object = share if share.endswith("%") or share == "twenty" else Decimal(share)
    with pytest.raises(ValidationError, match="support_share"):
        make(share=value)


def test_a_share_of_one_hundred_percent_is_allowed() -> None:
    assert support_hours(make(share="100%"))[0] == 173
