"""Mail a reminder to every confirmed sign-up of events that are a few days away.

Meant for cron (e.g. daily at 09:00). Each reminder is sent once: the row is locked and marked
in the same transaction as the send, so two overlapping runs never both send it, and a failed
send leaves it unmarked for the next run.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from registrations import emails
from registrations.models import Registration, Status


class Command(BaseCommand):
    help = "Send reminder e-mails for events within --days days (default REMINDER_DAYS_BEFORE)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=settings.REMINDER_DAYS_BEFORE)

    def handle(self, *args, days: int, **options) -> None:
        today = timezone.localdate()
        due = Registration.objects.filter(
            status=Status.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__date__gte=today,
            event__date__lte=today + datetime.timedelta(days=days),
        ).values_list("pk", flat=True)
        sent = failed = 0
        for registration_id in list(due):
            try:
                sent += send_one_reminder(registration_id)
            except Exception as error:  # one bad address must not stop the others
                failed += 1
                self.stderr.write(f"Reminder for registration {registration_id} failed: {error}")
        self.stdout.write(f"Reminders sent: {sent}, failed: {failed}.")


def send_one_reminder(registration_id: int) -> int:
    """Send one reminder unless another run already did; return how many were sent (0 or 1)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(skip_locked=True)
            .filter(pk=registration_id, reminder_sent_at__isnull=True, status=Status.CONFIRMED)
            .first()
        )
        if registration is None:
            return 0
        emails.send_reminder(emails.load(registration.pk))
        registration.reminder_sent_at = timezone.now()
        registration.save(update_fields=["reminder_sent_at"])
    return 1
