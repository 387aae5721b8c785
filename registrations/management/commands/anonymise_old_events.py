"""Anonymise the personal data of events older than PRIVACY_RETENTION_MONTHS (for cron)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.invitations import forget_invitations_before
from registrations.models import Registration
from registrations.privacy import anonymise_registrations


class Command(BaseCommand):
    help = "Anonymise sign-ups of events that ended more than --months months ago."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--months", type=int, default=settings.PRIVACY_RETENTION_MONTHS)

    def handle(self, *args, months: int, **options) -> None:
        # A month counted as 31 days: never earlier than the promised retention.
        cutoff = timezone.localdate() - datetime.timedelta(days=31 * months)
        count = anonymise_registrations(
            registrations=Registration.objects.filter(event__date__lt=cutoff)
        )
        self.stdout.write(f"Anonymised {count} sign-up(s) of events before {cutoff}.")
        invitations = forget_invitations_before(cutoff)
        self.stdout.write(f"Deleted {invitations} invitation(s) to events before {cutoff}.")
