"""Queue a reminder for every confirmed sign-up of events a few days away (for cron, daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from registrations.reminders import queue_due_reminders


class Command(BaseCommand):
    help = (
        "Queue reminder e-mails for events within --days days (default REMINDER_DAYS_BEFORE); "
        "each sign-up and address gets one, however often this runs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=settings.REMINDER_DAYS_BEFORE)

    def handle(self, *args, days: int, **options) -> None:
        queued = queue_due_reminders(days=days)
        self.stdout.write(f"Reminders queued: {queued}.")
