"""Database constraints on who comes: they hold without any form or service in front."""

import pytest
from django.db import IntegrityError, transaction

from registrations.models import Attendee, Status
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db


def test_same_person_twice_without_an_address_raises_integrity_error(event):
    # Arrange: José de Vries of one organisation comes, without an address.
    first = AttendeeFactory(registration__event=event, name="José de Vries", email="")
    twin = AttendeeFactory.build(registration=first.registration, session=first.session, email="")
    twin.set_name("  jose DE vries ")

    # Act / Assert: the database itself refuses, whatever the forms and services do.
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert Attendee.objects.filter(event=event).count() == 1


def test_same_person_once_cancelled_may_sign_up_again(event):
    # Arrange
    first = AttendeeFactory(
        registration__event=event, registration__status=Status.CANCELLED, name="José de Vries"
    )

    # Act
    AttendeeFactory(
        registration__event=event,
        registration__organisation=first.organisation,
        name="José de Vries",
    )

    # Assert
    assert sorted(Attendee.objects.filter(event=event).values_list("status", flat=True)) == [
        Status.CANCELLED,
        Status.CONFIRMED,
    ]


def test_same_name_at_another_organisation_or_event_and_shared_addresses_allowed(event):
    # Arrange
    first = AttendeeFactory(registration__event=event, name="Jan de Vries", email="s@example.org")

    # Act
    AttendeeFactory(registration__event=event, name="Jan de Vries", email="s@example.org")
    AttendeeFactory(
        registration__organisation=first.organisation, name="Jan de Vries", email="s@example.org"
    )
    AttendeeFactory(
        registration=first.registration, session=first.session, name="Piet", email="s@example.org"
    )

    # Assert
    assert Attendee.objects.filter(email="s@example.org").count() == 4


def test_erased_people_are_nobodys_double(event):
    # Arrange: two people erased at one organisation both read "Geanonimiseerd".
    first = AttendeeFactory(registration__event=event, name="Geanonimiseerd", name_key="")

    # Act
    AttendeeFactory(
        registration=first.registration, session=first.session, name="Geanonimiseerd", name_key=""
    )

    # Assert
    assert Attendee.objects.filter(event=event).count() == 2
