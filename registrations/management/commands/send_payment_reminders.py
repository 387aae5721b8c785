"""Queue a payment reminder for every invoice still open after its term (for cron, daily)."""

from django.core.management.base import BaseCommand

from registrations.payment_reminders import queue_payment_reminders


class Command(BaseCommand):
    help = (
        "Queue payment reminder e-mails for accounts still open after INVOICE_PAYMENT_TERM_DAYS; "
        "each reminder level is sent once, however often this runs."
    )

    def handle(self, *args, **options) -> None:
        queued = queue_payment_reminders()
        self.stdout.write(f"Payment reminders queued: {queued}.")
