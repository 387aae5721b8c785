"""Reminders a few days before an event, queued through the outbox once per sign-up and address.

`manage.py send_reminders` (cron, daily) calls `queue_due_reminders`; running it twice, or two
runs at once, queues no second reminder: the sign-up's row is locked while its reminders are
queued, and the outbox holds at most one reminder per sign-up and address (a constraint).
"""

import datetime

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from registrations.audience import person_addresses
from registrations.models import MailKind, Registration, Status
from registrations.outbox import new_mails, queue


def queue_due_reminders(*, days: int, today: datetime.date | None = None) -> int:
    """Queue a reminder for each address of each confirmed sign-up of events within `days`
    days, at most one per sign-up and address however often it runs; return how many."""
    today = today or timezone.localdate()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        anonymised_at__isnull=True,
        event__date__gte=today,
        event__date__lte=today + datetime.timedelta(days=days),
    ).values_list("pk", flat=True)
    return sum(queue_reminder(registration_id) for registration_id in list(due))


def queue_reminder(registration_id: int) -> int:
    """Queue the reminder for the sign-up's addresses that have none yet; return how many.

    The sign-up's row is locked first, so two overlapping runs queue each reminder once.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=registration_id, status=Status.CONFIRMED)
            .first()
        )
        if registration is None:
            return 0
        reminded = set(
            registration.mails.filter(kind=MailKind.REMINDER)
            .annotate(address=Lower("recipient"))
            .values_list("address", flat=True)
        )
        addresses = [
            address
            for address in person_addresses(registration, statuses=[Status.CONFIRMED])
            if address.lower() not in reminded
        ]
        return len(
            queue(
                new_mails(
                    addresses,
                    kind=MailKind.REMINDER,
                    registration=registration,
                    language=registration.language,
                )
            )
        )
