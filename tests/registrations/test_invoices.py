"""What an organisation owes and has paid: how an invoice stands (a pure function, tested as
a table), repricing, and marking invoices paid."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from registrations.changes import cancel_attendee
from registrations.invoices import (
    invoice_for,
    invoice_status,
    mark_invoices_paid,
    payment_status,
    recompute_invoice,
)
from registrations.models import Invoice, Registration
from registrations.signup import AttendeeData, add_attendee
from tests.factories import EventFactory, OrganisationFactory, ThemeSessionFactory

PAID_ON = datetime.date(2030, 5, 1)


@pytest.mark.parametrize(
    ("amount_due", "amount_paid", "expected"),
    [
        ("0.00", "0.00", "niets te betalen"),
        ("85.00", "0.00", "open"),
        ("85.00", "85.00", "betaald"),
        ("100.00", "85.00", "deels betaald"),
        ("85.00", "100.00", "te veel betaald"),
        ("0.00", "50.00", "te veel betaald"),
    ],
    ids=[
        "nothing-due",
        "open",
        "paid-in-full",
        "paid-too-little",
        "paid-too-much",
        "all-cancelled-after-payment",
    ],
)
def test_payment_status_table(amount_due, amount_paid, expected):
    # Act
    status = payment_status(amount_due=Decimal(amount_due), amount_paid=Decimal(amount_paid))

    # Assert
    assert status == expected


# Marking paid, and what an organisation owes ------------------------------------------------


def paid(invoice) -> tuple[Decimal, Decimal, list[Decimal]]:
    """Return what the account owes, what it has paid, and its payments."""
    invoice.refresh_from_db()
    return (
        invoice.amount_due,
        invoice.amount_paid,
        list(invoice.payments.values_list("amount", flat=True)),
    )


@pytest.mark.django_db
def test_mark_paid_again_after_the_price_rose_records_the_new_amount(event, sign_up):
    # Arrange: paid for one member; a colleague joined afterwards.
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "anna@example.org", session)])
    invoice = registration.invoice
    assert mark_invoices_paid(invoices=[invoice], today=PAID_ON) == 1
    add_attendee(
        registration=registration,
        attendee=AttendeeData(name="Bert", email="bert@example.org", session_id=session.pk),
    )
    later = PAID_ON + datetime.timedelta(days=7)

    # Act
    changed = mark_invoices_paid(invoices=[invoice], today=later)

    # Assert
    assert changed == 1
    assert paid(invoice) == (
        Decimal("85.00"),
        Decimal("85.00"),
        [Decimal("50.00"), Decimal("35.00")],
    )


@pytest.mark.django_db
def test_mark_paid_again_when_nothing_changed_leaves_the_payment_alone(event, sign_up):
    # Arrange
    registration = sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    invoice = registration.invoice
    mark_invoices_paid(invoices=[invoice], today=PAID_ON)

    # Act
    changed = mark_invoices_paid(invoices=[invoice], today=PAID_ON + datetime.timedelta(days=7))

    # Assert
    assert changed == 0
    assert paid(invoice) == (Decimal("50.00"), Decimal("50.00"), [Decimal("50.00")])


@pytest.mark.django_db
def test_mark_paid_of_several_invoices_counts_only_those_that_changed(event, sign_up):
    # Arrange
    session = event.sessions.first()
    done = sign_up(event, [("Anna", "anna@example.org", session)]).invoice
    mark_invoices_paid(invoices=[done], today=PAID_ON)
    open_one = sign_up(
        event, [("Piet", "piet@example.org", session)], organisation_name="Huurdersraad Anders"
    ).invoice

    # Act
    changed = mark_invoices_paid(invoices=[done, open_one])

    # Assert
    assert changed == 1
    assert paid(done) == (Decimal("50.00"), Decimal("50.00"), [Decimal("50.00")])
    assert paid(open_one)[:2] == (Decimal("50.00"), Decimal("50.00"))


@pytest.mark.django_db
def test_mark_paid_action_after_a_price_change_reports_and_records_it(
    adviser_client, event, sign_up
):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "anna@example.org", session)])
    mark_invoices_paid(invoices=[registration.invoice], today=PAID_ON)
    add_attendee(
        registration=registration,
        attendee=AttendeeData(name="Bert", email="bert@example.org", session_id=session.pk),
    )

    # Act
    response = adviser_client.post(
        reverse("admin:registrations_invoice_changelist"),
        {"action": "mark_paid", "_selected_action": [registration.invoice_id]},
        follow=True,
    )

    # Assert
    assert [m.message for m in response.context["messages"]] == [
        "Betaling van het open bedrag vastgelegd voor 1 organisatie(s)."
    ]
    assert paid(registration.invoice)[:2] == (Decimal("85.00"), Decimal("85.00"))


@pytest.mark.django_db
def test_recompute_invoice_counts_only_confirmed_members(event, sign_up):
    # Arrange: the organisation has a confirmed pair, a cancelled member and a waiting one.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    sessions = list(event.sessions.all())
    full = ThemeSessionFactory(event=event, capacity=1)
    sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste Kring")
    pair = sign_up(
        event,
        [
            ("Anna", "anna@example.org", sessions[0]),
            ("Bert", "bert@example.org", sessions[1]),
            ("Cor", "cor@example.org", sessions[2]),
        ],
    )
    cancel_attendee(attendee=pair.attendees.get(name="Cor"), by_staff=True)
    sign_up(event, [("Wim", "wim@example.org", full)], contact_email="wim@example.org", wait=True)

    # Act
    invoice = recompute_invoice(Invoice.objects.get(pk=pair.invoice_id))

    # Assert
    assert (invoice.attendee_count, invoice.amount_due) == (2, Decimal("85.00"))
    assert Registration.objects.filter(invoice=invoice).count() == 2


@pytest.mark.django_db
def test_invoice_for_returns_the_organisations_one_invoice_per_event(event):
    # Arrange
    organisation = OrganisationFactory()
    first = invoice_for(event=event, organisation=organisation)

    # Act
    again = invoice_for(event=event, organisation=organisation)
    other_event = invoice_for(event=EventFactory(), organisation=organisation)

    # Assert
    assert again == first
    assert other_event != first
    assert Invoice.objects.count() == 2


@pytest.mark.django_db
def test_mark_paid_goes_on_past_an_invoice_that_was_already_paid(event, sign_up):
    # Arrange: "Alfa" (first by name) has paid; "Bravo" and "Charlie" have not.
    session = event.sessions.first()
    invoices = [
        sign_up(
            event, [(name, f"{name.lower()}@example.org", session)], organisation_name=name
        ).invoice
        for name in ["Alfa", "Bravo", "Charlie"]
    ]
    mark_invoices_paid(invoices=invoices[:1], today=PAID_ON)

    # Act
    changed = mark_invoices_paid(invoices=invoices)

    # Assert
    assert changed == 2
    assert [paid(invoice)[1] for invoice in invoices] == [Decimal("50.00")] * 3


@pytest.mark.django_db
def test_recompute_invoice_keeps_a_payment_recorded_meanwhile(event, sign_up):
    # Arrange: a writer holds the invoice as it was read before staff marked it paid.
    registration = sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    read_before = Invoice.objects.select_related("event").get(pk=registration.invoice_id)
    mark_invoices_paid(invoices=[read_before], today=PAID_ON)

    # Act
    recompute_invoice(read_before)

    # Assert
    assert paid(Invoice.objects.get(pk=registration.invoice_id)) == (
        Decimal("50.00"),
        Decimal("50.00"),
        [Decimal("50.00")],
    )


@pytest.mark.django_db
def test_invoice_status_reads_the_payment(event, sign_up):
    # Arrange
    registration = sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    invoice = registration.invoice
    before = invoice_status(invoice)
    mark_invoices_paid(invoices=[invoice], today=PAID_ON)

    # Act
    invoice.refresh_from_db()
    after = invoice_status(invoice)

    # Assert
    assert (before, after) == ("open", "betaald")
