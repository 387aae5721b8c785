"""Payments: recorded in parts, summed into what an account has paid, shown with €, and the
staff page that records one."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.errors import RegistrationError
from registrations.invoices import invoice_status, mark_invoices_paid, record_payment
from registrations.models import Invoice, Payment
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 6, 15)


def test_partial_payments_sum_to_what_is_paid(event, sign_up):
    # Arrange: three members owe € 100,00.
    invoice = sign_up(event, members_of(event, 3)).invoice

    # Act
    record_payment(invoice=invoice, amount=Decimal("40.00"), paid_on=PAID_ON, note="eerste deel")
    middle = invoice_status(Invoice.objects.get(pk=invoice.pk))
    record_payment(invoice=invoice, amount=Decimal("60.00"), paid_on=PAID_ON)

    # Assert
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")
    assert invoice.amount_paid == sum(invoice.payments.values_list("amount", flat=True))
    assert (middle, invoice_status(invoice)) == ("deels betaald", "betaald")


def test_payment_beyond_what_is_owed_shows_as_overpaid(event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 1)).invoice

    # Act
    record_payment(invoice=invoice, amount=Decimal("85.00"), paid_on=PAID_ON)

    # Assert
    invoice.refresh_from_db()
    assert (invoice_status(invoice), invoice.balance) == ("te veel betaald", Decimal("-35.00"))


def test_payment_of_nothing_is_refused(event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 1)).invoice

    # Act / Assert
    with pytest.raises(RegistrationError):
        record_payment(invoice=invoice, amount=Decimal("0.00"), paid_on=PAID_ON)
    assert Payment.objects.count() == 0


def test_mark_paid_records_a_payment_of_the_open_amount(event, sign_up):
    # Arrange: € 85,00 owed, € 30,00 paid.
    invoice = sign_up(event, members_of(event, 2)).invoice
    record_payment(invoice=invoice, amount=Decimal("30.00"), paid_on=PAID_ON)

    # Act
    changed = mark_invoices_paid(invoices=[invoice], today=PAID_ON)

    # Assert
    assert changed == 1
    assert list(invoice.payments.values_list("amount", flat=True)) == [
        Decimal("30.00"),
        Decimal("55.00"),
    ]


def test_payment_page_records_a_part_and_the_account_shows_it_in_euros(
    adviser_client, event, sign_up
):
    # Arrange
    invoice = sign_up(event, members_of(event, 2)).invoice
    url = reverse("admin:registrations_invoice_payment", args=[invoice.pk])

    # Act
    page = adviser_client.get(url)
    response = adviser_client.post(
        url, {"paid_on": "15-06-2026", "amount": "40,50", "note": "deel"}, follow=True
    )

    # Assert
    assert page.status_code == 200
    assert Payment.objects.get().amount == Decimal("40.50")
    assertContains(response, "Betaling vastgelegd.")
    assertContains(response, "€ 40,50")
    assertContains(response, "€ 44,50")  # still open
    assertContains(response, "deels betaald")


def test_payment_page_with_a_bad_amount_says_so_and_records_nothing(adviser_client, event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 2)).invoice

    # Act
    response = adviser_client.post(
        reverse("admin:registrations_invoice_payment", args=[invoice.pk]),
        {"paid_on": "15-06-2026", "amount": "-5"},
    )

    # Assert
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("open", ["Open"]), ("partly", ["Deels"]), ("paid", ["Betaald"]), ("overpaid", ["Te veel"])],
    ids=["open", "partly", "paid", "overpaid"],
)
def test_payment_filter_finds_accounts_and_sign_ups_by_how_they_stand(
    admin_client, event, sign_up, choice, expected
):
    # Arrange: four organisations of one member (€ 50,00 each), paid 0, 20, 50 and 70.
    for name, amount in [("Open", 0), ("Deels", 20), ("Betaald", 50), ("Te veel", 70)]:
        invoice = sign_up(
            event, members_of(event, 1), organisation_name=name, contact_email="x@example.org"
        ).invoice
        if amount:
            record_payment(invoice=invoice, amount=Decimal(amount), paid_on=PAID_ON)

    # Act
    accounts = admin_client.get(
        reverse("admin:registrations_invoice_changelist"), {"betaling": choice}
    )
    signups = admin_client.get(
        reverse("admin:registrations_registration_changelist"), {"betaling": choice}
    )

    # Assert
    assert [i.organisation.name for i in accounts.context["cl"].result_list] == expected
    assert [r.organisation.name for r in signups.context["cl"].result_list] == expected


def test_mark_paid_action_says_where_nothing_was_open(adviser_client, event, sign_up):
    # Arrange: one organisation paid in full, one open.
    done = sign_up(event, members_of(event, 1), organisation_name="Alfa").invoice
    record_payment(invoice=done, amount=Decimal("50.00"), paid_on=PAID_ON)
    open_one = sign_up(
        event, members_of(event, 1), organisation_name="Bravo", contact_email="b@example.org"
    ).invoice

    # Act
    response = adviser_client.post(
        reverse("admin:registrations_invoice_changelist"),
        {"action": "mark_paid", "_selected_action": [done.pk, open_one.pk]},
        follow=True,
    )

    # Assert
    assert [str(m) for m in response.context["messages"]] == [
        "Betaling van het open bedrag vastgelegd voor 1 organisatie(s).",
        "Niets open bij 1 organisatie(s): daar is niets vastgelegd.",
    ]
    assert Payment.objects.count() == 2
