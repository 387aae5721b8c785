"""An organisation's account at one event, through the domain functions the forms, pages and
commands call: invoice details, payments, "mark paid", the amount after a cancellation and
the event's totals."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from registrations.changes import cancel_attendee
from registrations.errors import RegistrationError
from registrations.invoices import (
    amount_without,
    mark_invoices_paid,
    money_totals,
    open_on_invoices,
    payment_status,
    record_payment,
    set_invoice_details,
)
from registrations.issuing import issue_invoices
from registrations.models import Invoice, Payment
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 5, 20)


def test_invoice_details_keep_what_a_later_empty_field_leaves_out(event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 1)).invoice

    # Act: the first sign-up gives all three; a later one only a new reference, on two lines.
    set_invoice_details(
        invoice,
        attention=" Penningmeester\n",
        address="  Dorpsstraat 1\n1234 AB Ergens \n",
        customer_reference="REF-1",
    )
    set_invoice_details(invoice, customer_reference="PO\n2027-7")

    # Assert: stored as one line where one line is meant, the address with its lines.
    invoice.refresh_from_db()
    assert (invoice.attention, invoice.address, invoice.customer_reference) == (
        "Penningmeester",
        "Dorpsstraat 1\n1234 AB Ergens",
        "PO 2027-7",
    )


def test_invoice_details_left_empty_write_nothing(event, sign_up, django_assert_num_queries):
    invoice = sign_up(event, members_of(event, 1)).invoice

    with django_assert_num_queries(0):
        set_invoice_details(invoice, attention="  ", address="", customer_reference="")


def test_amount_without_says_what_is_owed_after_people_leave(event, sign_up):
    invoice = sign_up(event, members_of(event, 3)).invoice  # three owe € 100,00

    assert [amount_without(invoice, leaving=n) for n in (0, 1, 2, 3, 4)] == [
        Decimal("100.00"),
        Decimal("85.00"),
        Decimal("50.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_a_payment_is_stored_rounded_with_its_note_on_one_line_and_who_recorded_it(event, sign_up):
    # Arrange
    invoice = sign_up(event, members_of(event, 2)).invoice
    clerk = get_user_model().objects.create_user("penning", password="x")

    # Act
    payment = record_payment(
        invoice=invoice,
        amount=Decimal("30.004"),
        paid_on=PAID_ON,
        note="bank\nafschrift 12",
        recorded_by=clerk,
    )

    # Assert
    stored = Payment.objects.get(pk=payment.pk)
    assert (stored.amount, stored.paid_on, stored.note, stored.recorded_by) == (
        Decimal("30.00"),
        PAID_ON,
        "bank afschrift 12",
        clerk,
    )
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.paid_at) == (Decimal("30.00"), stored.created_at)


@pytest.mark.parametrize("amount", [Decimal("0.00"), Decimal("-5.00")])
def test_a_payment_of_nothing_or_less_is_refused_at_the_amount(event, sign_up, amount):
    invoice = sign_up(event, members_of(event, 1)).invoice

    with pytest.raises(RegistrationError) as caught:
        record_payment(invoice=invoice, amount=amount, paid_on=PAID_ON)

    assert (caught.value.code, caught.value.field, caught.value.message) == (
        "amount",
        "amount",
        "Een betaling is een bedrag groter dan nul.",
    )
    assert not Payment.objects.exists()


def test_mark_paid_pays_what_is_open_and_counts_only_accounts_it_changed(event, sign_up):
    # Arrange: one account owes € 85,00 of which € 30,00 is paid; one paid all already.
    part = sign_up(event, members_of(event, 2)).invoice
    record_payment(invoice=part, amount=Decimal("30.00"), paid_on=PAID_ON)
    full = sign_up(
        event,
        members_of(event, 1),
        organisation_name="Bewonersraad Oost",
        contact_email="o@example.org",
    ).invoice
    record_payment(invoice=full, amount=Decimal("50.00"), paid_on=PAID_ON)

    # Act
    changed = mark_invoices_paid(invoices=[part, full], today=PAID_ON)

    # Assert
    assert changed == 1
    last = Payment.objects.filter(account=part).latest("pk")
    assert (last.amount, last.paid_on, last.note) == (
        Decimal("55.00"),
        PAID_ON,
        "als betaald gemarkeerd",
    )
    assert [Invoice.objects.get(pk=pk).balance for pk in (part.pk, full.pk)] == [0, 0]
    assert Payment.objects.filter(account=full).count() == 1


def test_open_on_invoices_counts_only_what_was_invoiced(event, sign_up):
    # Arrange: two members invoiced (€ 85,00), € 20,00 paid, then a third member added
    # (owed € 100,00, not invoiced yet).
    registration = sign_up(event, members_of(event, 2))
    issue_invoices(event=event, today=PAID_ON)
    record_payment(invoice=registration.invoice, amount=Decimal("20.00"), paid_on=PAID_ON)
    sign_up(event, [("Derde Lid", "derde@example.org", event.sessions.first())])

    # Act
    account = Invoice.objects.get(pk=registration.invoice_id)

    # Assert
    assert account.balance == Decimal("80.00")
    assert open_on_invoices(account) == Decimal("65.00")


def test_money_totals_sum_this_events_accounts_and_documents(event, sign_up):
    # Arrange: two paying organisations, one that cancelled everyone, another lab's money.
    two = sign_up(event, members_of(event, 2)).invoice
    sign_up(
        event,
        members_of(event, 1),
        organisation_name="Bewonersraad Oost",
        contact_email="o@example.org",
    )
    gone = sign_up(
        event,
        members_of(event, 1),
        organisation_name="Huurders West",
        contact_email="w@example.org",
    )
    cancel_attendee(attendee=gone.attendees.get(), by_staff=True)
    issue_invoices(event=event, today=PAID_ON)
    record_payment(invoice=two, amount=Decimal("35.00"), paid_on=PAID_ON)
    other = EventFactory()
    sign_up(other, [("Ander Lid", "ander@example.org", ThemeSessionFactory(event=other))])

    # Act
    totals = money_totals(event)

    # Assert
    assert totals == {
        "organisations": 2,
        "due": Decimal("135.00"),
        "paid": Decimal("35.00"),
        "open": Decimal("100.00"),
        "invoiced": Decimal("135.00"),
    }


@pytest.mark.parametrize(
    ("due", "paid", "words"),
    [
        ("0.00", "0.00", "niets te betalen"),
        ("85.00", "0.00", "open"),
        ("85.00", "85.00", "betaald"),
        ("85.00", "50.00", "deels betaald"),
        ("50.00", "85.00", "te veel betaald"),
        ("0.00", "50.00", "te veel betaald"),
    ],
)
def test_payment_status_in_staff_words(due, paid, words):
    assert payment_status(amount_due=Decimal(due), amount_paid=Decimal(paid)) == words
