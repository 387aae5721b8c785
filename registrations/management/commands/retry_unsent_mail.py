"""Send again every confirmation that did not go out (meant for cron, e.g. every 15 minutes)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations import emails
from registrations.models import Registration, Status


class Command(BaseCommand):
    help = "Retry confirmation e-mails that failed or were never sent."

    def handle(self, *args, **options) -> None:
        # Leave the last minute's changes alone: those mails are probably still on their way.
        cutoff = timezone.now() - datetime.timedelta(minutes=1)
        unsent = Registration.objects.filter(
            confirmation_sent_at__isnull=True,
            updated_at__lt=cutoff,
            anonymised_at__isnull=True,
            event__date__gte=timezone.localdate(),  # a confirmation after the event helps nobody
        ).exclude(status=Status.CANCELLED)
        results = [emails.send_confirmation(pk) for pk in unsent.values_list("pk", flat=True)]
        self.stdout.write(
            f"Confirmations sent: {results.count(True)}, still failing: {results.count(False)}."
        )
