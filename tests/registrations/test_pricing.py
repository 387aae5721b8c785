"""Group pricing as pure functions: a table of known answers, then properties for any tiers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registrations.pricing import group_price, money, organisation_amount_due

DEFAULT_TIERS = {1: Decimal("50.00"), 2: Decimal("85.00"), 3: Decimal("100.00")}


@pytest.mark.parametrize(
    ("tiers", "size", "expected"),
    [
        (DEFAULT_TIERS, 0, Decimal("0.00")),
        (DEFAULT_TIERS, 1, Decimal("50.00")),
        (DEFAULT_TIERS, 2, Decimal("85.00")),
        (DEFAULT_TIERS, 3, Decimal("100.00")),
        (DEFAULT_TIERS, 4, Decimal("150.00")),
        (DEFAULT_TIERS, 5, Decimal("185.00")),
        (DEFAULT_TIERS, 6, Decimal("200.00")),
        (DEFAULT_TIERS, 7, Decimal("250.00")),
        ({}, 0, Decimal("0.00")),
        ({}, 3, Decimal("0.00")),
        ({2: Decimal("60.00")}, 1, Decimal("60.00")),
        ({3: Decimal("90.00")}, 4, Decimal("180.00")),
        ({1: Decimal("50.00"), 2: Decimal("120.00")}, 2, Decimal("100.00")),
        ({1: Decimal("10.00"), 3: Decimal("20.00")}, 2, Decimal("20.00")),
        ({1: Decimal("0.00")}, 5, Decimal("0.00")),
        ({1: Decimal("33.335")}, 1, Decimal("33.34")),
    ],
    ids=[
        "default-0-free",
        "default-1-single",
        "default-2-pair",
        "default-3-trio",
        "default-4-trio-plus-single",
        "default-5-trio-plus-pair",
        "default-6-two-trios",
        "default-7-two-trios-plus-single",
        "no-tiers-0",
        "no-tiers-3",
        "only-pair-tier-seats-one",
        "only-trio-tier-seats-four",
        "expensive-pair-tier-two-singles-cheaper",
        "trio-tier-cheaper-than-two-singles",
        "free-tier",
        "sub-cent-amount-rounds-half-up",
    ],
)
def test_group_price_table(tiers, size, expected):
    # Arrange: the table row. Act
    price = group_price(tiers=tiers, size=size)

    # Assert
    assert price == expected


def test_group_price_negative_size_raises_value_error():
    with pytest.raises(ValueError, match=r"^A group cannot have a negative size\.$"):
        group_price(tiers=DEFAULT_TIERS, size=-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("85"), Decimal("85.00")),
        (3, Decimal("3.00")),
        ("2.005", Decimal("2.01")),
        (Decimal("2.004"), Decimal("2.00")),
        (Decimal("-2.005"), Decimal("-2.01")),
    ],
    ids=["decimal-whole", "int", "str-half-up", "below-half-down", "negative-half-away"],
)
def test_money_rounds_to_cents_half_away_from_zero(value, expected):
    result = money(value)

    assert result == expected
    assert result.as_tuple().exponent == -2


def test_organisation_amount_due_two_signups_of_one_price_as_one_group():
    # Arrange: one board member in each of two sign-ups of the same organisation.
    attending_per_signup = [1, 1]

    # Act
    amount = organisation_amount_due(tiers=DEFAULT_TIERS, attending_per_signup=attending_per_signup)

    # Assert: the pair price, not twice the single price.
    assert amount == Decimal("85.00")


def test_organisation_amount_due_no_attendees_is_zero():
    amount = organisation_amount_due(tiers=DEFAULT_TIERS, attending_per_signup=[])

    assert amount == Decimal("0.00")


# Properties -------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
tiers_strategy = st.dictionaries(st.integers(min_value=1, max_value=6), amounts, max_size=4)
tiers_with_single = st.builds(
    lambda single, others: {**others, 1: single},
    amounts,
    st.dictionaries(st.integers(min_value=2, max_value=6), amounts, max_size=3),
)
sizes = st.integers(min_value=0, max_value=25)


@given(tiers=tiers_strategy, size=sizes)
def test_group_price_never_decreases_as_group_grows(tiers, size):
    smaller = group_price(tiers=tiers, size=size)

    larger = group_price(tiers=tiers, size=size + 1)

    assert larger >= smaller


@given(tiers=tiers_with_single, size=sizes)
def test_group_price_never_more_than_single_price_per_person(tiers, size):
    price = group_price(tiers=tiers, size=size)

    assert price <= size * tiers[1]


@given(size=st.sampled_from(sorted(DEFAULT_TIERS)))
def test_group_price_default_tiers_equals_matching_tier(size):
    price = group_price(tiers=DEFAULT_TIERS, size=size)

    assert price == DEFAULT_TIERS[size]


@given(tiers=tiers_strategy, size=sizes)
def test_group_price_is_decimal_with_two_places(tiers, size):
    price = group_price(tiers=tiers, size=size)

    assert type(price) is Decimal
    assert price.as_tuple().exponent == -2
