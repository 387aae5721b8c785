"""Queue the evaluation of every lab whose evaluation is due (for cron, daily)."""

from django.core.management.base import BaseCommand

from registrations.evaluation import queue_due_evaluations


class Command(BaseCommand):
    help = (
        "Queue the evaluation e-mails of labs held a few days ago (per lab: the day after, "
        "unless set otherwise); each board member gets one link, however often this runs."
    )

    def handle(self, *args, **options) -> None:
        queued = queue_due_evaluations()
        self.stdout.write(f"Evaluation mails queued: {queued}.")
