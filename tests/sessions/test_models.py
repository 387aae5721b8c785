"""Database constraints on what is on offer: they hold without any form in front."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sessions.models import PriceTier
from tests.factories import EventFactory, PriceTierFactory

pytestmark = pytest.mark.django_db


def test_price_tier_same_group_size_twice_for_one_event_raises_integrity_error():
    # Arrange
    event = EventFactory(tiers={})
    PriceTierFactory(event=event, group_size=2, amount=Decimal("85.00"))

    # Act / Assert
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceTierFactory(event=event, group_size=2, amount=Decimal("90.00"))
    assert PriceTier.objects.filter(event=event).count() == 1


def test_price_tier_same_group_size_at_other_event_allowed():
    # Arrange
    PriceTierFactory(event=EventFactory(tiers={}), group_size=2)

    # Act
    PriceTierFactory(event=EventFactory(tiers={}), group_size=2)

    # Assert
    assert PriceTier.objects.filter(group_size=2).count() == 2


def test_price_tier_negative_amount_raises_integrity_error():
    # Arrange
    event = EventFactory(tiers={})

    # Act / Assert
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceTierFactory(event=event, group_size=1, amount=Decimal("-0.01"))
    assert PriceTier.objects.filter(event=event).count() == 0


def test_price_tier_zero_amount_allowed():
    # Arrange
    event = EventFactory(tiers={})

    # Act
    PriceTierFactory(event=event, group_size=1, amount=Decimal("0.00"))

    # Assert
    assert PriceTier.objects.get(event=event).amount == Decimal("0.00")
