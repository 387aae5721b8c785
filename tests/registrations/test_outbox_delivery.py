"""Mail over real SMTP: requests never wait on a mail server that hangs, the worker retries
until it answers, and two worker processes share one queue without sending a mail twice."""

from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains

from registrations import outbox
from registrations.models import MailKind, MailStatus, OutboxMail, Registration, Status
from tests.mail_servers import SilentSMTPServer, SMTPSink, make_due_now
from tests.signup_posts import signup_data, signup_url
from tests.subprocesses import start_python

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def silent_smtp():
    """A local mail server that accepts connections and never answers."""
    server = SilentSMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_sink():
    """A local SMTP server (aiosmtpd) that keeps what it receives."""
    sink = SMTPSink().start()
    yield sink
    sink.stop()


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 0.1  # each try against the silent server waits this long


def sign_up_by_post(client, event, name: str, members: list[str]):
    """Post the public sign-up form for `name`'s organisation; its contact is the first member.

    Should the lab be full, the group chose to wait as a whole.
    """
    session = event.sessions.first()
    return client.post(
        signup_url(event),
        signup_data(
            [(member.title(), f"{member}@example.org", session) for member in members],
            organisation_name=f"Huurders {name}",
            contact_name=members[0].title(),
            contact_email=f"{members[0]}@example.org",
            wait_as_group="on",
        ),
        follow=True,
    )


@pytest.mark.django_db
def test_requests_never_wait_on_a_silent_mail_server_and_mails_go_out_once_it_answers(
    client, event, settings, silent_smtp, smtp_sink, send_queued_mail
):
    # Arrange: a lab with three places and a waiting list; the mail server never answers.
    event.capacity = 3
    event.has_waiting_list = True
    event.save()
    use_smtp(settings, silent_smtp.port)

    # Act 1: a sign-up, an added colleague (full now), three groups that wait, and a
    # cancellation that moves the three waiting groups in, each through the public pages.
    signed_up = sign_up_by_post(client, event, "Linde", ["karin", "piet"])
    karin = Registration.objects.get(contact_email="karin@example.org")
    added = client.post(
        reverse("registrations:add_colleague", args=[karin.token]),
        {
            "new-name": "Anna",
            "new-email": "anna@example.org",
            "new-session": event.sessions.first().pk,
        },
        follow=True,
    )
    waiting = [sign_up_by_post(client, event, name, [name]) for name in ["joop", "els", "wim"]]
    cancelled = client.post(
        reverse("registrations:cancel_all", args=[karin.token]), {"confirm": "on"}, follow=True
    )

    # Assert 1: normal pages, no connection to the mail server, every mail in the outbox.
    assertContains(signed_up, "U ontvangt binnen enkele minuten een bevestiging per e-mail.")
    assertContains(added, "Anna is toegevoegd.")
    for page in waiting:
        assertContains(page, "U staat op de wachtlijst")
    assertContains(cancelled, "Uw aanmelding is afgemeld.")
    assert silent_smtp.connections == []
    assert set(Registration.objects.values_list("status", flat=True)) == {
        Status.CANCELLED,
        Status.CONFIRMED,
    }
    kinds = Counter(OutboxMail.objects.values_list("kind", flat=True))
    assert kinds == {
        MailKind.CONFIRMATION: 2 + 3,  # Karin and Piet; the three waiting groups
        MailKind.STAFF_NEW: 4,
        MailKind.CHANGE: 3 + 1,  # Anna added (to all three); everyone cancelled (to Karin)
        MailKind.STAFF_CHANGE: 2,
        MailKind.PROMOTED: 3,
    }
    total = kinds.total()

    # Act 2: the worker tries each mail once against the silent server.
    send_queued_mail()

    # Assert 2: each try timed out and waits for its next try; Karin's and Piet's confirmations
    # are dropped, as their sign-up was cancelled before they went out.
    outgoing = OutboxMail.objects.exclude(status=MailStatus.DROPPED)
    dropped = OutboxMail.objects.filter(status=MailStatus.DROPPED)
    assert sorted(dropped.values_list("kind", "recipient")) == [
        (MailKind.CONFIRMATION, "karin@example.org"),
        (MailKind.CONFIRMATION, "piet@example.org"),
    ]
    assert len(silent_smtp.connections) == outgoing.count() == total - 2
    assert set(outgoing.values_list("status", "attempts")) == {(MailStatus.QUEUED, 1)}
    assert all("timed out" in error for error in outgoing.values_list("last_error", flat=True))

    # Act 3: the mail server answers now; the next tries are due.
    use_smtp(settings, smtp_sink.port)
    make_due_now()
    send_queued_mail()

    # Assert 3: every mail arrived once, staff notices included.
    assert set(outgoing.values_list("status", "attempts")) == {(MailStatus.SENT, 2)}
    assert Counter(address for m in smtp_sink.messages for address in m.rcpt_tos) == Counter(
        outgoing.values_list("recipient", flat=True)
    )
    assert len(smtp_sink.messages) == total - 2
    assert smtp_sink.recipients().count("atrive@example.org") == 6
    assert len(silent_smtp.connections) == total - 2


def worker_database_url() -> str:
    """Return the address of the test database, for worker processes."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_200_mails_each_exactly_once(event, sign_up, smtp_sink):
    # Arrange: 200 mails in the queue, committed, and nothing else.
    registration = sign_up(event, [("Karin", "karin@example.org", event.sessions.first())])
    OutboxMail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    addresses = [f"lid{n:03}@example.org" for n in range(200)]
    for start in range(0, 200, 10):  # as twenty writes of ten mails each: twenty tasks
        outbox.queue(
            outbox.new_mails(
                addresses[start : start + 10],
                kind=MailKind.CONFIRMATION,
                registration=registration,
                language="nl",
            )
        )
    environment = {
        "DEBUG": "0",
        "SECRET_KEY": "tests-only-not-a-secret",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": worker_database_url(),
        "CONN_MAX_AGE": "600",
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "LOG_LEVEL": "WARNING",
    }

    # Act
    workers = [
        start_python(
            [
                "manage.py",
                "db_worker",
                "--batch",
                "--no-startup-delay",
                "--interval",
                "0",
                "--queue-name",
                "*",
                "--worker-id",
                f"worker-{n}",
            ],
            **environment,
        )
        for n in range(2)
    ]
    results = [(worker.communicate(timeout=180), worker.returncode) for worker in workers]

    # Assert
    for (_stdout, stderr), returncode in results:
        assert returncode == 0, stderr[-2000:]
    assert smtp_sink.recipients() == addresses
    assert set(OutboxMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}
    # Each task was claimed by one worker (SKIP LOCKED); how they shared the work varies.
    runs = Counter(tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
    assert set(runs) <= {("worker-0",), ("worker-1",)}
    assert runs.total() == 20


def test_worker_sends_the_mails_of_a_signup_over_one_connection(
    client, event, settings, smtp_sink, send_queued_mail
):
    # Arrange: three members with their own addresses, the contact person and the staff.
    use_smtp(settings, smtp_sink.port)
    settings.EMAIL_TIMEOUT = 5
    sign_up_by_post(client, event, "Linde", ["anna", "bert", "carla"])

    # Act
    send_queued_mail()

    # Assert
    assert smtp_sink.recipients() == [
        "anna@example.org",
        "atrive@example.org",
        "bert@example.org",
        "carla@example.org",
    ]
    assert len(smtp_sink.sessions) == 1
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
