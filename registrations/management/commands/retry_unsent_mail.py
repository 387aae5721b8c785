"""Send again every confirmation that did not go out (for cron, e.g. every 15 minutes)."""

from django.core.management.base import BaseCommand

from registrations.emails import retry_unsent_confirmations


class Command(BaseCommand):
    help = "Retry confirmation e-mails that failed or were never sent."

    def handle(self, *args, **options) -> None:
        sent, failing = retry_unsent_confirmations()
        self.stdout.write(f"Confirmations sent: {sent}, still failing: {failing}.")
