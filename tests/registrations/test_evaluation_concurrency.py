"""Two evaluation runs at the same moment write each link and each mail once (PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from registrations.evaluation import queue_due_evaluations
from registrations.models import EvaluationResponse, MailKind, OutboxMail
from tests.factories import AttendeeFactory, EventFactory, RegistrationFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WORKERS = 4


def test_simultaneous_runs_write_each_link_and_mail_once():
    # Arrange: a lab of yesterday, five sign-ups of a member with an own address and one
    # without (whose link goes to the contact person).
    event = EventFactory(
        date=timezone.localdate() - datetime.timedelta(days=1),
        registration_deadline=timezone.now() - datetime.timedelta(days=8),
    )
    for _n in range(5):
        registration = RegistrationFactory(event=event)
        AttendeeFactory(registration=registration)
        AttendeeFactory(registration=registration, email="")
    barrier = threading.Barrier(WORKERS)
    results: list[object] = [None] * WORKERS

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=20)
            results[index] = queue_due_evaluations()
        except Exception as error:  # reported by value below
            results[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]

    # Act
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Assert: 5 contacts + 5 members = 10 mails in all, however the runs shared the work.
    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 10
    assert EvaluationResponse.objects.count() == 10
    assert OutboxMail.objects.filter(kind=MailKind.EVALUATION).count() == 10
