"""Payment reminders: after the payment term, once per level, through the outbox, and only
for what is still open."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from registrations.invoices import record_payment
from registrations.issuing import issue_invoices
from registrations.models import MailKind, OutboxMail
from registrations.payment_reminders import queue_payment_reminders, reminder_level_due
from registrations.signup import AttendeeData, add_attendee
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2026, 6, 1)  # due 1 July with the default term of 30 days


def reminders() -> list[tuple[str, int]]:
    return list(
        OutboxMail.objects.filter(kind=MailKind.PAYMENT_REMINDER)
        .order_by("pk")
        .values_list("recipient", "params__level")
    )


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (datetime.date(2026, 7, 1), 0),
        (datetime.date(2026, 7, 2), 1),
        (datetime.date(2026, 7, 15), 1),
        (datetime.date(2026, 7, 16), 2),
        (datetime.date(2027, 1, 1), 2),
    ],
    ids=["on-the-due-date", "day-after", "end-of-first", "second", "never-beyond-the-last"],
)
def test_reminder_level_due_table(today, level):
    assert reminder_level_due(due_on=datetime.date(2026, 7, 1), today=today) == level


def test_reminder_run_twice_sends_once(event, sign_up, send_queued_mail, mailoutbox):
    # Arrange
    sign_up(event, members_of(event, 2))
    issue_invoices(event=event, today=ISSUED)
    send_queued_mail()
    mailoutbox.clear()
    late = datetime.date(2026, 7, 5)

    # Act
    first = queue_payment_reminders(today=late)
    second = queue_payment_reminders(today=late)
    send_queued_mail()

    # Assert
    assert (first, second) == (1, 0)
    assert reminders() == [("karin@example.org", 1)]
    [mail] = mailoutbox
    assert "€ 85,00" in mail.body


def test_second_level_is_sent_once_after_the_interval(event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 1))
    issue_invoices(event=event, today=ISSUED)
    queue_payment_reminders(today=datetime.date(2026, 7, 2))

    # Act
    for day in (16, 17, 30):
        queue_payment_reminders(today=datetime.date(2026, 7, day))

    # Assert
    assert reminders() == [("karin@example.org", 1), ("karin@example.org", 2)]


def test_no_reminder_before_the_term_or_when_paid(event, sign_up):
    # Arrange
    paid = sign_up(event, members_of(event, 1)).invoice
    sign_up(event, members_of(event, 1), organisation_name="Ander", contact_email="a@example.org")
    issue_invoices(event=event, today=ISSUED)
    record_payment(invoice=paid, amount=Decimal("50.00"), paid_on=ISSUED)

    # Act
    early = queue_payment_reminders(today=datetime.date(2026, 7, 1))
    late = queue_payment_reminders(today=datetime.date(2026, 7, 2))

    # Assert
    assert (early, late) == (0, 1)
    assert reminders() == [("a@example.org", 1)]


def test_send_payment_reminders_command_reports_what_it_queued(event, sign_up, capsys):
    # Arrange: issued long ago, so the term has passed whatever today is.
    sign_up(event, members_of(event, 1))
    issue_invoices(event=event, today=datetime.date(2020, 1, 1))

    # Act
    call_command("send_payment_reminders")
    call_command("send_payment_reminders")

    # Assert
    assert capsys.readouterr().out.splitlines() == [
        "Payment reminders queued: 1.",
        "Payment reminders queued: 0.",
    ]


def test_reminder_asks_only_for_what_was_invoiced(event, sign_up, send_queued_mail, mailoutbox):
    # Arrange: invoiced € 50,00; a colleague added later (€ 85,00 now) is not invoiced yet.
    registration = sign_up(event, members_of(event, 1))
    issue_invoices(event=event, today=ISSUED)
    add_attendee(
        registration=registration,
        attendee=AttendeeData(name="Later Lid", email="", session_id=event.sessions.first().pk),
        by_staff=True,
    )
    send_queued_mail()
    mailoutbox.clear()

    # Act
    queue_payment_reminders(today=datetime.date(2026, 7, 2))
    send_queued_mail()

    # Assert
    [mail] = mailoutbox
    assert "Nog te betalen: € 50,00" in mail.body
