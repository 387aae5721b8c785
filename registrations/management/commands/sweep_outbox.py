"""Queue again the mails a dead worker left behind (for cron, e.g. every 5 minutes)."""

from django.core.management.base import BaseCommand

from registrations.outbox import oldest_unsent_age, sweep_outbox


class Command(BaseCommand):
    help = (
        "Queue again outbox mails left 'sending' by a worker that died, and queued mails whose "
        "task is gone (both after MAIL_STALE_AFTER_SECONDS)."
    )

    def handle(self, *args, **options) -> None:
        requeued = sweep_outbox()
        age = oldest_unsent_age()
        waiting = "none" if age is None else f"{int(age.total_seconds())} s"
        self.stdout.write(f"Mails queued again: {requeued}. Oldest unsent mail: {waiting}.")
