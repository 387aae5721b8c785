"""Group pricing, as pure functions: no database, no request, only tiers and counts.

An event's price tiers map a group size to an amount (default 1 → € 50, 2 → € 85, 3 → € 100).
What an organisation owes for an event is the price of all its attending board members
together, however many sign-ups they used. A group larger than the largest tier pays the
cheapest combination of tiers that seats everyone.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """Round an amount to whole cents, halves away from zero."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def group_price(*, tiers: Mapping[int, Decimal], size: int) -> Decimal:
    """Return the price for a group of `size` people: the cheapest way to seat them all.

    A tier may seat more people than are left over, so the price never falls as the group
    grows. With sensible tiers (each the cheapest way to seat its own size, as the defaults
    are) a group that matches a tier pays exactly that tier.
    """
    if size < 0:
        raise ValueError("A group cannot have a negative size.")
    if size == 0 or not tiers:
        return ZERO
    # cheapest[n]: the least it costs to seat n people; one pass, tiers are few.
    cheapest = [ZERO] + [None] * size
    for n in range(1, size + 1):
        cheapest[n] = min(
            amount + cheapest[max(n - group_size, 0)] for group_size, amount in tiers.items()
        )
    return money(cheapest[size])


def organisation_amount_due(
    *, tiers: Mapping[int, Decimal], attending_per_signup: Iterable[int]
) -> Decimal:
    """Return what an organisation owes for an event: one group of all its sign-ups' attendees."""
    return group_price(tiers=tiers, size=sum(attending_per_signup))
