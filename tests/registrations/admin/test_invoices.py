"""The invoice admin: what each organisation owes per lab, and recording payments."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.models import Invoice
from tests.admin_posts import run_action
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db


def test_changelist_as_adviser_shows_the_organisation(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_invoice_changelist"))

    # Assert
    assertContains(response, "Huurdersvereniging De Linde")


def test_changelist_as_adviser_shows_the_group_price(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_invoice_changelist"))

    # Assert
    assertContains(response, "€ 85,00")


def test_mark_paid_action_records_the_payment(adviser_client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 3))

    # Act
    response = run_action(
        adviser_client, "registrations/invoice", "mark_paid", [registration.invoice]
    )

    # Assert
    assert response.status_code == 302
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    assert (invoice.amount_due, invoice.amount_paid) == (Decimal("100.00"), Decimal("100.00"))
    assert invoice.paid_at is not None
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Betaling van het open bedrag vastgelegd voor 1 organisatie(s)."
    ]
