"""The outbox: mails written in the transaction that causes them, sent by the worker once,
retried with a growing wait, given up after the last try, swept up after a dead worker, shown
and resent in the admin, and reported by the health check."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains

from registrations import outbox, signup
from registrations.changes import cancel_attendee
from registrations.models import MailKind, MailStatus, OutboxMail, Registration
from registrations.signup import AttendeeData, register_group
from tests.db_checks import InjectedFailure, db_state
from tests.mail_servers import make_due_now
from tests.signup_posts import members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.mail_servers.FailingBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def task_args() -> list[list]:
    """Return the arguments of every task in the queue table."""
    return [row["args"] for row in DBTaskResult.objects.values_list("args_kwargs", flat=True)]


def only_karin(event) -> list[tuple]:
    """The contact person signs up alone: one confirmation and one staff notice."""
    return [("Karin Voorbeeld", "karin@example.org", event.sessions.first())]


def minutes_ago(minutes: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


# Queueing: in the transaction of the write ---------------------------------------------------


def test_signup_post_writes_one_row_per_address_and_one_task_for_them_and_sends_nothing(
    client, event, mailoutbox
):
    # Arrange: the contact person also attends.
    members = members_of(event, 2)
    members[0] = ("Karin Voorbeeld", "Karin@Example.org", members[0][2])

    # Act
    response = client.post(signup_url(event), signup_data(members))

    # Assert
    registration = Registration.objects.get()
    assert response.status_code == 302
    mails = list(registration.mails.order_by("pk"))
    assert [(m.kind, m.recipient, m.status, m.language) for m in mails] == [
        (MailKind.CONFIRMATION, "karin@example.org", MailStatus.QUEUED, "nl"),
        (MailKind.CONFIRMATION, "lid1@example.org", MailStatus.QUEUED, "nl"),
        (MailKind.STAFF_NEW, "atrive@example.org", MailStatus.QUEUED, "nl"),
    ]
    assert task_args() == [[[m.pk for m in mails]]]
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_signup_that_fails_after_its_mails_were_queued_leaves_no_row_and_no_task(
    event, monkeypatch
):
    # Arrange: the sign-up's transaction breaks right after its mails and tasks were written.
    real_queue = outbox.queue_new_signup
    queued = []

    def queue_then_fail(registration, members):
        queued.extend(real_queue(registration, members))
        raise InjectedFailure("the database went away")

    monkeypatch.setattr(signup.outbox, "queue_new_signup", queue_then_fail)
    before = db_state()

    # Act
    with pytest.raises(InjectedFailure):
        register_group(
            event=event,
            organisation_name="Huurdersvereniging De Linde",
            contact_name="Karin Voorbeeld",
            contact_email="karin@example.org",
            attendees=[
                AttendeeData(
                    name="Karin", email="karin@example.org", session_id=event.sessions.first().pk
                )
            ],
            privacy_version="test",
        )

    # Assert
    assert len(queued) == 2
    assert OutboxMail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert db_state() == before


def test_queued_mails_go_to_each_address_once_without_case(event, sign_up):
    # Arrange
    registration = sign_up(event, only_karin(event))
    OutboxMail.objects.all().delete()
    DBTaskResult.objects.all().delete()

    # Act
    mails = outbox.queue(
        outbox.new_mails(
            ["Anna@example.org", "anna@EXAMPLE.org", " ", "bert@example.org"],
            kind=MailKind.CONFIRMATION,
            registration=registration,
            language="nl",
        )
    )

    # Assert
    assert [m.recipient for m in mails] == ["Anna@example.org", "bert@example.org"]
    assert task_args() == [[[m.pk for m in mails]]]


# Sending: once, retried with a growing wait, failed after the last try -----------------------


def test_a_large_mailing_is_sent_by_tasks_of_at_most_a_hundred_mails(event, sign_up):
    # Arrange
    registration = sign_up(event, only_karin(event))
    OutboxMail.objects.all().delete()
    DBTaskResult.objects.all().delete()
    addresses = [f"lid{n:03}@example.org" for n in range(250)]

    # Act
    mails = outbox.queue(
        outbox.new_mails(
            addresses, kind=MailKind.CONFIRMATION, registration=registration, language="nl"
        )
    )

    # Assert
    ids = [mail.pk for mail in mails]
    assert sorted(task_args()) == [[ids[:100]], [ids[100:200]], [ids[200:]]]


def test_a_refused_mail_waits_while_the_others_of_its_task_go_out(
    client, event, settings, mailoutbox, send_queued_mail
):
    # Arrange: the server refuses the first member's mail once.
    settings.EMAIL_BACKEND = "tests.mail_servers.RefusingOnceBackend"
    settings.REFUSE_ONCE = ["lid0@example.org"]
    client.post(signup_url(event), signup_data(members_of(event, 2)))
    refused = OutboxMail.objects.get(recipient="lid0@example.org")

    # Act
    send_queued_mail()
    refused.refresh_from_db()
    sent_at_first = sorted(address for message in mailoutbox for address in message.to)
    make_due_now()
    send_queued_mail()

    # Assert
    assert sent_at_first == ["atrive@example.org", "karin@example.org", "lid1@example.org"]
    assert (refused.status, refused.attempts) == (MailStatus.QUEUED, 1)
    assert "Mailbox lid0@example.org is busy" in refused.last_error
    assert OutboxMail.objects.get(pk=refused.pk).status == MailStatus.SENT
    assert len(mailoutbox) == 4


def test_worker_sends_each_mail_once_even_with_two_tasks_for_it(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: a second task for the contact person's confirmation.
    registration = sign_up(event, only_karin(event))
    confirmation = registration.mails.get(kind=MailKind.CONFIRMATION)
    outbox.send_mail.enqueue(confirmation.pk)

    # Act
    send_queued_mail()
    send_queued_mail()

    # Assert
    assert [m.to for m in mailoutbox if not m.subject.startswith("[")] == [["karin@example.org"]]
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == (MailStatus.SENT, 1)
    assert confirmation.sent_at is not None


def test_failed_mail_is_tried_again_after_a_wait_that_doubles(
    event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.MAIL_RETRY_DELAY_SECONDS = 60
    registration = sign_up(event, only_karin(event))
    mail = registration.mails.get(kind=MailKind.CONFIRMATION)

    # Act
    send_queued_mail()
    mail.refresh_from_db()
    first_wait = mail.next_try_at - mail.claimed_at
    send_queued_mail()  # nothing is due yet
    attempts_while_waiting = OutboxMail.objects.get(pk=mail.pk).attempts
    make_due_now()
    send_queued_mail()
    mail.refresh_from_db()

    # Assert
    assert first_wait == datetime.timedelta(seconds=60)
    assert attempts_while_waiting == 1
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 2)
    assert mail.next_try_at - mail.claimed_at == datetime.timedelta(seconds=120)
    assert "OSError: Connection refused" in mail.last_error
    (waiting_task,) = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, args_kwargs__args=[[mail.pk]]
    )
    assert waiting_task.run_after == mail.next_try_at
    assert mailoutbox == []


def test_mail_shows_as_failed_after_the_last_try(
    event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    settings.MAIL_MAX_ATTEMPTS = 2
    sign_up(event, only_karin(event))

    # Act
    send_queued_mail()
    make_due_now()
    send_queued_mail()

    # Assert
    assert set(OutboxMail.objects.values_list("status", "attempts", "next_try_at")) == {
        (MailStatus.FAILED, 2, None)
    }
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 0
    assert mailoutbox == []


def test_failed_promotion_mail_is_retried_and_then_confirms_the_sign_up(
    event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange: a group waits; the "there is a place" mail fails the first time.
    event.has_waiting_list = True
    event.capacity = 1
    event.save()
    session = event.sessions.first()
    first = sign_up(event, [("Karin", "karin@example.org", session)])
    waiting = sign_up(
        event,
        [("Joop", "joop@example.org", session)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
        wait_as_group=True,
    )
    send_queued_mail()
    mailoutbox.clear()
    settings.EMAIL_BACKEND = FAILING_BACKEND

    # Act
    cancel_attendee(attendee=first.attendees.get(), by_staff=True)
    send_queued_mail()
    unconfirmed = Registration.objects.get(pk=waiting.pk).confirmation_sent_at
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
    make_due_now()
    send_queued_mail()

    # Assert
    waiting.refresh_from_db()
    assert unconfirmed is None
    assert waiting.confirmation_sent_at is not None
    assert [m.subject.split(":")[0] for m in mailoutbox if m.to == ["joop@example.org"]] == [
        "Er is plaats"
    ]


# The sweeper: mails a dead worker left behind -------------------------------------------------


def leave_sending(mail: OutboxMail, *, minutes: int) -> None:
    """Do what a worker that died while sending leaves behind: the row claimed, its task running."""
    claimed = minutes_ago(minutes)
    OutboxMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENDING, attempts=1, claimed_at=claimed
    )
    DBTaskResult.objects.filter(args_kwargs__args=[mail.pk]).update(
        status=TaskResultStatus.RUNNING, started_at=claimed, worker_ids=["died"]
    )


def test_sweeper_queues_again_a_mail_left_sending_by_a_dead_worker(
    event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange
    settings.MAIL_STALE_AFTER_SECONDS = 600
    registration = sign_up(event, only_karin(event))
    mail = registration.mails.get(kind=MailKind.CONFIRMATION)
    leave_sending(mail, minutes=11)
    send_queued_mail()  # the other mails; this one is stuck
    stuck_before = OutboxMail.objects.get(pk=mail.pk).status
    mailoutbox.clear()
    output = StringIO()

    # Act
    call_command("sweep_outbox", stdout=output)
    send_queued_mail()

    # Assert
    assert stuck_before == MailStatus.SENDING
    assert output.getvalue().startswith("Mails queued again: 1.")
    assert [m.to for m in mailoutbox] == [["karin@example.org"]]
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)


def test_sweeper_leaves_a_mail_that_is_being_sent_now_alone(event, sign_up, settings):
    # Arrange
    settings.MAIL_STALE_AFTER_SECONDS = 600
    registration = sign_up(event, only_karin(event))
    mail = registration.mails.get(kind=MailKind.CONFIRMATION)
    leave_sending(mail, minutes=2)
    tasks_before = DBTaskResult.objects.count()

    # Act
    requeued = outbox.sweep_outbox()

    # Assert
    assert requeued == 0
    assert OutboxMail.objects.get(pk=mail.pk).status == MailStatus.SENDING
    assert DBTaskResult.objects.count() == tasks_before


def test_sweeper_fails_a_stuck_mail_that_is_out_of_tries(event, sign_up, settings):
    # Arrange
    settings.MAIL_MAX_ATTEMPTS = 1
    registration = sign_up(event, only_karin(event))
    mail = registration.mails.get(kind=MailKind.CONFIRMATION)
    leave_sending(mail, minutes=30)

    # Act
    requeued = outbox.sweep_outbox()

    # Assert
    mail.refresh_from_db()
    assert requeued == 0
    assert mail.status == MailStatus.FAILED
    assert "the worker stopped while sending" in mail.last_error


def test_sweeper_queues_again_a_queued_mail_whose_task_is_gone(
    event, sign_up, mailoutbox, send_queued_mail
):
    # Arrange: the tasks of a sign-up vanished (e.g. the queue table was emptied by hand).
    sign_up(event, only_karin(event))
    OutboxMail.objects.update(next_try_at=minutes_ago(30))
    DBTaskResult.objects.all().delete()

    # Act
    requeued = outbox.sweep_outbox()
    send_queued_mail()

    # Assert
    assert requeued == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["atrive@example.org", "karin@example.org"]


def test_sweeper_leaves_a_queued_mail_with_a_waiting_task_alone(event, sign_up):
    # Arrange: the worker is behind; every mail still has its task.
    sign_up(event, only_karin(event))
    OutboxMail.objects.update(next_try_at=minutes_ago(30))
    tasks_before = DBTaskResult.objects.count()

    # Act
    requeued = outbox.sweep_outbox()

    # Assert
    assert requeued == 0
    assert DBTaskResult.objects.count() == tasks_before


# The back office: the outbox list, the sign-up's mails, resending ----------------------------


def test_outbox_list_shows_each_mail_and_the_age_of_the_oldest_unsent(admin_client, event, sign_up):
    # Arrange
    sign_up(event, only_karin(event))
    OutboxMail.objects.filter(kind=MailKind.STAFF_NEW).update(
        status=MailStatus.FAILED, attempts=10, last_error="2026-11-29 10:00: OSError: nope"
    )
    OutboxMail.objects.filter(kind=MailKind.CONFIRMATION).update(created_at=minutes_ago(20))

    # Act
    response = admin_client.get(reverse("admin:registrations_outboxmail_changelist"))

    # Assert
    assertContains(response, "De oudste e-mail die nog niet is verstuurd, wacht al 20")
    assertContains(response, "1 e-mail is mislukt")
    assertContains(response, "karin@example.org")
    assertContains(response, "OSError: nope")
    assertContains(response, "in de wachtrij")


def test_registration_page_lists_its_mails_with_their_errors(
    admin_client, event, sign_up, settings, send_queued_mail
):
    # Arrange
    settings.EMAIL_BACKEND = FAILING_BACKEND
    registration = sign_up(event, only_karin(event))
    send_queued_mail()

    # Act
    response = admin_client.get(
        reverse("admin:registrations_registration_change", args=[registration.pk])
    )

    # Assert
    assertContains(response, "OSError: Connection refused", count=2)
    assertContains(response, "karin@example.org")


def test_resend_action_queues_failed_mails_again_and_refuses_sent_ones(
    admin_client, event, sign_up, settings, mailoutbox, send_queued_mail
):
    # Arrange: the staff notice went out; the confirmation failed for good.
    settings.MAIL_MAX_ATTEMPTS = 1
    registration = sign_up(event, only_karin(event))
    confirmation = registration.mails.get(kind=MailKind.CONFIRMATION)
    notice = registration.mails.get(kind=MailKind.STAFF_NEW)
    settings.EMAIL_BACKEND = "tests.mail_servers.RefusingOnceBackend"
    settings.REFUSE_ONCE = ["karin@example.org"]
    send_queued_mail()
    mailoutbox.clear()

    # Act
    response = admin_client.post(
        reverse("admin:registrations_outboxmail_changelist"),
        {"action": "resend", "_selected_action": [confirmation.pk, notice.pk]},
        follow=True,
    )
    send_queued_mail()

    # Assert
    assert [str(m) for m in response.context["messages"]] == [
        "1 e-mail(s) opnieuw in de wachtrij gezet.",
        f"{notice}: niet opnieuw verstuurd, want de status is ‘verstuurd’.",
    ]
    assert [m.to for m in mailoutbox] == [["karin@example.org"]]
    confirmation.refresh_from_db()
    assert (confirmation.status, confirmation.attempts) == (MailStatus.SENT, 1)


def test_adviser_sees_the_outbox_but_cannot_change_a_mail(adviser_client, event, sign_up):
    # Arrange
    registration = sign_up(event, only_karin(event))
    mail = registration.mails.first()

    # Act
    listing = adviser_client.get(reverse("admin:registrations_outboxmail_changelist"))
    page = adviser_client.get(reverse("admin:registrations_outboxmail_change", args=[mail.pk]))
    edit = adviser_client.post(
        reverse("admin:registrations_outboxmail_change", args=[mail.pk]),
        {"recipient": "elders@example.org"},
    )

    # Assert
    assert (listing.status_code, page.status_code, edit.status_code) == (200, 200, 403)
    assert OutboxMail.objects.get(pk=mail.pk).recipient == mail.recipient


# What the site says about the queue -----------------------------------------------------------


def test_health_check_gives_the_age_of_the_oldest_unsent_mail(client, event, sign_up):
    # Arrange
    sign_up(event, only_karin(event))
    OutboxMail.objects.filter(kind=MailKind.CONFIRMATION).update(created_at=minutes_ago(5))
    OutboxMail.objects.filter(kind=MailKind.STAFF_NEW).update(
        status=MailStatus.FAILED, created_at=minutes_ago(60)
    )

    # Act
    response = client.get("/healthz")

    # Assert
    assert response.status_code == 200
    waited = response.json()["mail"]["oldest_unsent_seconds"]
    assert 300 <= waited < 360
    assert response["X-Oldest-Unsent-Mail"] == str(waited)


def test_health_check_reports_no_wait_when_every_mail_is_out(client, db):
    # Act
    response = client.get("/healthz")

    # Assert
    assert (response.status_code, response["X-Oldest-Unsent-Mail"]) == (200, "0")


def test_manage_page_says_when_the_confirmation_went_out(client, event, sign_up, send_queued_mail):
    # Arrange
    registration = sign_up(event, only_karin(event))

    # Act
    before = client.get(registration.get_absolute_url())
    send_queued_mail()
    after = client.get(registration.get_absolute_url())

    # Assert
    assertContains(before, "U ontvangt binnen enkele minuten een bevestiging per e-mail.", count=1)
    registration.refresh_from_db()
    sent_at = timezone.localtime(registration.confirmation_sent_at)
    assertContains(
        after,
        f"De bevestiging is op {sent_at.day} ",
        count=1,
    )
    assertContains(after, "per e-mail verstuurd naar karin@example.org.", count=1)
