"""Database constraints on who comes: they hold without any form or service in front."""

import pytest
from django.db import IntegrityError, transaction

from registrations.models import Attendee, Status
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db


def test_attendee_same_email_other_case_at_one_event_raises_integrity_error(event):
    # Arrange
    AttendeeFactory(registration__event=event, email="Lid@Example.org")

    # Act / Assert
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendeeFactory(registration__event=event, email="lid@example.ORG")
    assert Attendee.objects.filter(event=event).count() == 1


def test_attendee_cancelled_email_does_not_block_new_attendee(event):
    # Arrange
    AttendeeFactory(
        registration__event=event,
        registration__status=Status.CANCELLED,
        email="Lid@Example.org",
    )

    # Act
    AttendeeFactory(registration__event=event, email="lid@example.org")

    # Assert
    assert sorted(Attendee.objects.filter(event=event).values_list("status", flat=True)) == [
        Status.CANCELLED,
        Status.CONFIRMED,
    ]


def test_attendee_same_email_at_other_event_allowed(event):
    # Arrange
    AttendeeFactory(email="lid@example.org")

    # Act
    AttendeeFactory(registration__event=event, email="lid@example.org")

    # Assert
    assert Attendee.objects.filter(email="lid@example.org").count() == 2
