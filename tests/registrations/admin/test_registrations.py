"""The sign-up admin: the list with prices, and cancelling whole sign-ups."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.models import Invoice, Registration, Status
from tests.admin_posts import run_action
from tests.signup_posts import members_of, row_counts

pytestmark = pytest.mark.django_db


def test_changelist_as_adviser_shows_the_organisation(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_registration_changelist"))

    # Assert
    assertContains(response, "Huurdersvereniging De Linde")


def test_changelist_as_adviser_shows_the_group_price(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_registration_changelist"))

    # Assert
    assertContains(response, "€ 85,00")


def test_cancel_registrations_action_keeps_the_rows_and_reprices(adviser_client, event, sign_up):
    # Arrange
    first = sign_up(event, members_of(event, 2, prefix="a"))
    second = sign_up(event, members_of(event, 1, prefix="b"))
    assert Invoice.objects.get().amount_due == Decimal("100.00")

    # Act
    response = run_action(
        adviser_client, "registrations/registration", "cancel_registrations", [second]
    )

    # Assert
    assert response.status_code == 302
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "1 aanmelding(en) afgemeld: Huurdersvereniging De Linde."
    ]
    assert row_counts() == (2, 3, 1)
    second.refresh_from_db()
    assert second.status == Status.CANCELLED
    assert list(second.attendees.values_list("status", flat=True)) == [Status.CANCELLED]
    assert Registration.objects.get(pk=first.pk).status == Status.CONFIRMED
    invoice = Invoice.objects.get()
    assert (invoice.attendee_count, invoice.amount_due) == (2, Decimal("85.00"))


def test_change_form_stores_contact_details_on_one_line(adviser_client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    url = reverse("admin:registrations_registration_change", args=[registration.pk])
    data = {
        "contact_name": "Karin\nStatus: betaald",
        "contact_email": "karin@example.org",
        "contact_phone": "030\r\n1234567",
        "remarks": "Eerste regel.\nTweede regel.",
        "attendees-TOTAL_FORMS": "1",
        "attendees-INITIAL_FORMS": "1",
        "attendees-0-id": registration.attendees.get().pk,
        "attendees-0-registration": registration.pk,
        "mails-TOTAL_FORMS": "0",
        "mails-INITIAL_FORMS": "0",
        "_save": "Opslaan",
    }

    # Act
    response = adviser_client.post(url, data)

    # Assert: remarks may have lines; names and numbers are one.
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert (registration.contact_name, registration.contact_phone, registration.remarks) == (
        "Karin Status: betaald",
        "030 1234567",
        "Eerste regel.\nTweede regel.",
    )
