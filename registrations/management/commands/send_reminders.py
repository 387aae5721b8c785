"""Mail a reminder to every confirmed sign-up of events that are a few days away (for cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from registrations.emails import send_due_reminders


class Command(BaseCommand):
    help = "Send reminder e-mails for events within --days days (default REMINDER_DAYS_BEFORE)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=settings.REMINDER_DAYS_BEFORE)

    def handle(self, *args, days: int, **options) -> None:
        sent, failed = send_due_reminders(days=days)
        self.stdout.write(f"Reminders sent: {sent}, failed: {failed}.")
