"""The data migrations: board members got a name key, their organisation and an own link
(registrations 0007): every row keeps a place, and the new constraint holds afterwards; paid
amounts became payment rows (0010)."""

import datetime
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from registrations.models import Attendee, Invoice, Payment, person_key
from tests.factories import AttendeeFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

fill_attendees = import_module(
    "registrations.migrations.0007_people_without_own_address"
).fill_attendees


def test_fill_attendees_keys_names_as_the_code_does_and_leaves_a_double_unkeyed(event):
    # Arrange: rows as 0006 left them (no key; the organisation only on the sign-up). Two
    # people at one organisation had one name, which their own addresses allowed; a name
    # was stored before names were made one line; one sign-up was anonymised.
    registration = RegistrationFactory(event=event)
    other_organisation = OrganisationFactory(name="Bewonersraad De Eik")
    first = AttendeeFactory(registration=registration, name="José de Vries")
    double = AttendeeFactory(registration=registration, name="jose  DE vries", name_key="")
    typed = AttendeeFactory(registration=registration, name="Anna\nLid\u202e")
    anonymised = AttendeeFactory(
        registration=RegistrationFactory(event=event, anonymised_at=event.starts_at),
        name="Geanonimiseerd",
    )
    Attendee.objects.update(name_key="", organisation=other_organisation, manage_secret="")

    # Act
    fill_attendees(apps, None)

    # Assert
    rows = {a.pk: a for a in Attendee.objects.all()}
    assert [rows[a.pk].name_key for a in (first, double, typed, anonymised)] == [
        "jose de vries",
        "",  # nobody's double: the constraint holds, and staff still see both names
        person_key("Anna Lid"),
        "",
    ]
    assert {rows[a.pk].organisation_id for a in (first, double, typed)} == {
        registration.organisation_id
    }
    assert [bool(rows[a.pk].manage_secret) for a in (first, double, typed, anonymised)] == [
        True,
        True,
        True,
        False,  # as erasure leaves it: the link does not work
    ]
    assert len({row.manage_lookup for row in rows.values()}) == len(rows)


carry_paid_amounts = import_module(
    "registrations.migrations.0017_adviser_invoice_permissions"
).carry_paid_amounts


def test_carry_paid_amounts_makes_one_payment_per_paid_account(event):
    # Arrange: accounts as 0016 left them: a paid amount, no payment rows.
    paid = RegistrationFactory(event=event).invoice
    unpaid = RegistrationFactory(event=event).invoice
    Invoice.objects.filter(pk=paid.pk).update(
        amount_paid=Decimal("85.00"), paid_at=datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)
    )

    # Act
    carry_paid_amounts(apps, None)

    # Assert
    assert list(Payment.objects.values_list("account", "amount", "paid_on")) == [
        (paid.pk, Decimal("85.00"), datetime.date(2026, 5, 1))
    ]
    assert not Payment.objects.filter(account=unpaid).exists()
