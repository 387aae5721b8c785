"""Payment reminders: after the payment term, a mail for what is still open, once per level.

`manage.py send_payment_reminders` (cron, daily) calls `queue_payment_reminders`. Level 1 is
due the day after the last invoice's payment term, level 2 `PAYMENT_REMINDER_INTERVAL_DAYS`
later, up to `PAYMENT_REMINDER_LEVELS`. The account's row is locked (after its event, the lock
order) while the reminder is queued and its level raised, so running twice, or two runs at
once, sends each level once; a run that finds a later level due sends only that one.
"""

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from registrations.invoices import open_on_invoices
from registrations.issuing import billing_contact
from registrations.locking import lock_event_then_row
from registrations.models import Invoice, MailKind
from registrations.outbox import new_mails, queue


def reminder_level_due(*, due_on: datetime.date, today: datetime.date) -> int:
    """Return the reminder level reached on `today` for a payment due on `due_on` (0: none)."""
    days_late = (today - due_on).days
    if days_late <= 0:
        return 0
    interval = max(settings.PAYMENT_REMINDER_INTERVAL_DAYS, 1)
    return min(1 + (days_late - 1) // interval, settings.PAYMENT_REMINDER_LEVELS)


def queue_payment_reminders(*, today: datetime.date | None = None) -> int:
    """Queue a reminder for every open account whose term has passed; return how many."""
    today = today or timezone.localdate()
    open_accounts = (
        Invoice.objects.filter(
            amount_due__gt=F("amount_paid"),
            reminder_level__lt=settings.PAYMENT_REMINDER_LEVELS,
            documents__amount__gt=0,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    return sum(queue_payment_reminder(pk, today=today) for pk in list(open_accounts))


def queue_payment_reminder(account_id: int, *, today: datetime.date) -> int:
    """Queue the account's reminder when a level above the last one sent is due; 1 if so."""
    account = Invoice.objects.get(pk=account_id)
    with lock_event_then_row(account, check_deadline=False) as (_event, account):
        last_invoice = account.documents.filter(amount__gt=0).order_by("-issued_on").first()
        if open_on_invoices(account) <= 0 or last_invoice is None:
            return 0
        level = reminder_level_due(due_on=last_invoice.due_on, today=today)
        registration = billing_contact(account)
        if level <= account.reminder_level or registration is None:
            return 0
        queue(
            new_mails(
                [registration.contact_email],
                kind=MailKind.PAYMENT_REMINDER,
                registration=registration,
                language=registration.language,
                params={"level": level},
            )
        )
        account.reminder_level = level
        account.save(update_fields=["reminder_level", "updated_at"])
    return 1
