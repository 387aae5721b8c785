"""The outbox: every mail is a row written in the transaction that causes it, sent by a worker.

A domain function calls one of the `queue_*` functions inside its transaction: that writes
one `OutboxMail` row per address (compared without case) and enqueues the `send_mails` task
for the rows, in that same transaction, so a sign-up and its mails commit together or not at
all, and a request never waits on SMTP. A worker (`manage.py db_worker`) runs the task,
which sends the rows written together over one SMTP connection; per row:

1. claim the row (queued → sending, one more attempt) with a conditional update, so two
   workers never both take it;
2. write the mail as the sign-up stands now (`registrations.emails.compose`) and hand it to
   SMTP;
3. mark it sent at once; on a failure record the error and queue it again after a wait that
   doubles each time (`run_after`), until `MAIL_MAX_ATTEMPTS`, when it shows as failed in the
   admin, where staff can resend it.

`sweep_outbox` (cron) queues again the rows a dead worker left "sending" and queued rows
whose task is gone. Delivery is at least once: a worker that dies after SMTP took the mail but
before the row was marked sent leaves it "sending", and the sweeper sends it again.
"""

import datetime
import logging
from collections import Counter
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from registrations import campaign_mails, emails
from registrations.audience import person_addresses
from registrations.emails import Summary
from registrations.models import (
    CAMPAIGN_KINDS,
    Attendee,
    MailKind,
    MailStatus,
    OutboxMail,
    Registration,
)

logger = logging.getLogger(__name__)

# Mails that say how the sign-up stands; once the contact person has one, it counts as confirmed.
CONFIRMING = {MailKind.CONFIRMATION, MailKind.PROMOTED}
# Rows one task sends over one connection: a sign-up's mails in one, a mailing in a few.
MAILS_PER_TASK = 100


# Queueing: called by the domain functions, inside their transaction --------------------------


def queue_new_signup(
    registration: Registration, members: Sequence[Attendee] | None = None
) -> list[OutboxMail]:
    """Queue the confirmation (or waiting-list notice) for everyone, and the staff notice.

    `members`: the sign-up's board members as just written, so they are not read again.
    """
    return queue(
        new_mails(
            person_addresses(registration, members=members),
            kind=MailKind.CONFIRMATION,
            registration=registration,
            language=registration.language,
        )
        + staff_mails(MailKind.STAFF_NEW, registration)
    )


def queue_confirmation(registration: Registration) -> list[OutboxMail]:
    """Queue the confirmation again, e.g. when staff resend it."""
    return queue(person_mails(MailKind.CONFIRMATION, registration))


def queue_promoted(registration: Registration, names: list[str]) -> list[OutboxMail]:
    """Queue the "there is a place" mail for members who moved in from the waiting list."""
    return queue(person_mails(MailKind.PROMOTED, registration, params={"names": names}))


def queue_change_summary(registration: Registration, summary: Summary) -> list[OutboxMail]:
    """Queue what changed for everyone in the sign-up, and the staff notice."""
    details = {"message": summary.text, "params": dict(summary.params)}
    return queue(
        person_mails(MailKind.CHANGE, registration, **details)
        + staff_mails(MailKind.STAFF_CHANGE, registration, **details)
    )


def person_mails(kind: MailKind, registration: Registration, **details) -> list[OutboxMail]:
    """Return new rows to the people of a sign-up, in their language."""
    return new_mails(
        person_addresses(registration),
        kind=kind,
        registration=registration,
        language=registration.language,
        **details,
    )


def staff_mails(kind: MailKind, registration: Registration, **details) -> list[OutboxMail]:
    """Return the new row to Atrivé about a sign-up, in Dutch."""
    return new_mails(
        [emails.staff_address(registration)],
        kind=kind,
        registration=registration,
        language=settings.LANGUAGE_CODE,
        **details,
    )


def new_mails(addresses: Iterable[str], **fields) -> list[OutboxMail]:
    """Return unsaved outbox rows with `fields`, one per distinct address."""
    now = timezone.now()
    return [
        OutboxMail(recipient=address, next_try_at=now, **fields)
        for address in distinct_addresses(addresses)
    ]


def queue(mails: list[OutboxMail]) -> list[OutboxMail]:
    """Write the rows and enqueue tasks that send them, in the caller's transaction: one task
    per `MAILS_PER_TASK` rows, which sends them over one connection."""
    # Inside a domain function's transaction this adds no savepoint: a failure here fails
    # the whole write, which is what "commit together or not at all" asks.
    with transaction.atomic(savepoint=False):
        mails = OutboxMail.objects.bulk_create(mails)
        ids = [mail.pk for mail in mails]
        for start in range(0, len(ids), MAILS_PER_TASK):
            send_mails.enqueue(ids[start : start + MAILS_PER_TASK])
    return mails


def distinct_addresses(addresses: Iterable[str]) -> list[str]:
    """Return each address once, compared without case, in the order given; skip empty ones."""
    seen: dict[str, str] = {}
    for address in addresses:
        address = address.strip()
        if address:
            seen.setdefault(address.lower(), address)
    return list(seen.values())


# Sending: the task a worker runs --------------------------------------------------------------


@task()
def send_mails(mail_ids: list[int]) -> dict[str, int]:
    """Send outbox rows over one SMTP connection; the arguments are ids only, the rows hold
    the rest. Returns how many were sent, dropped, retried and so on."""
    outcomes: Counter[str] = Counter()
    connection = get_connection()
    loaded: dict[int, Registration] = {}  # a sign-up's mails read it once
    try:
        for mail_id in mail_ids:
            outcomes[deliver(mail_id, connection=connection, loaded=loaded)] += 1
    finally:
        connection.close()
    return dict(outcomes)


@task()
def send_mail(mail_id: int) -> str:
    """Send one outbox row: the task of earlier versions, which queued one per row."""
    return deliver(mail_id)


def deliver(
    mail_id: int,
    *,
    connection: BaseEmailBackend | None = None,
    loaded: dict[int, Registration] | None = None,
) -> str:
    """Claim, write and send one mail, and record the outcome; return what happened.

    `connection`: an open or openable mail connection to send over, kept open for the next.
    `loaded`: sign-ups read for earlier mails of the same task, by id.
    """
    # Only a queued row can be claimed, so however many tasks name it, it is sent once. The
    # next try is not checked here: the task's run_after holds it back, and comparing clocks
    # of two machines could leave a fresh mail behind.
    claimed = OutboxMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED).update(
        status=MailStatus.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
    )
    if not claimed:  # sent already, or another worker has it
        return "not queued"
    mail = OutboxMail.objects.get(pk=mail_id)
    registration = None
    try:
        if mail.kind in CAMPAIGN_KINDS:
            message = campaign_mails.compose(mail)
        else:
            loaded = {} if loaded is None else loaded
            if mail.registration_id not in loaded:
                loaded[mail.registration_id] = emails.load(mail.registration_id)
            registration = loaded[mail.registration_id]
            message = emails.compose(mail, registration)
        if message is None:
            OutboxMail.objects.filter(pk=mail.pk).update(status=MailStatus.DROPPED)
            return "dropped"
        if connection is not None:
            connection.open()  # again, after a failure closed it
            message.connection = connection
        message.send()
    except Exception as error:  # whatever went wrong, the mail is tried again later
        if connection is not None:
            connection.close()  # it may be broken; the next mail opens a fresh one
        return retry_later(mail, error)
    mark_sent(mail, registration)
    return "sent"


def mark_sent(mail: OutboxMail, registration: Registration | None) -> None:
    """Record that SMTP took the mail; a confirming mail to the contact confirms the sign-up."""
    now = timezone.now()
    with transaction.atomic():
        OutboxMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.SENT, sent_at=now, next_try_at=None
        )
        if (
            registration is not None
            and mail.kind in CONFIRMING
            and mail.recipient.lower() == registration.contact_email.lower()
        ):
            # Only if the sign-up still stands as the mail said (not promoted meanwhile).
            Registration.objects.filter(pk=registration.pk, status=registration.status).update(
                confirmation_sent_at=now
            )


def retry_later(mail: OutboxMail, error: Exception) -> str:
    """Record a failed try; queue the mail again after a wait, or give up after the last try."""
    now = timezone.now()
    error_text = f"{now:%Y-%m-%d %H:%M}: {type(error).__name__}: {error}"[:2000]
    mine = OutboxMail.objects.filter(
        pk=mail.pk, status=MailStatus.SENDING, claimed_at=mail.claimed_at
    )
    if mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
        logger.error("Mail %s failed for good after %s tries: %s", mail.pk, mail.attempts, error)
        mine.update(status=MailStatus.FAILED, next_try_at=None, last_error=error_text)
        return "failed"
    next_try = mail.claimed_at + retry_delay(mail.attempts)  # counted from the try's start
    logger.warning(
        "Mail %s failed (try %s), next try at %s: %s", mail.pk, mail.attempts, next_try, error
    )
    # Our own transaction, not one the failure rolled back: the row and its next task together.
    with transaction.atomic():
        if mine.update(status=MailStatus.QUEUED, next_try_at=next_try, last_error=error_text):
            send_mails.using(run_after=next_try).enqueue([mail.pk])
    return "retry"


def retry_delay(attempts: int) -> datetime.timedelta:
    """Return the wait after the given number of failed tries: 1, 2, 4 ... times the delay."""
    return datetime.timedelta(seconds=settings.MAIL_RETRY_DELAY_SECONDS * 2 ** (attempts - 1))


# Keeping the queue moving: the sweeper, resending, the age of the oldest unsent mail -----------


def sweep_outbox(*, now: datetime.datetime | None = None) -> int:
    """Queue again the mails a dead worker left "sending" and queued mails whose task is gone.

    Both must have waited longer than `MAIL_STALE_AFTER_SECONDS`. Returns how many mails were
    queued again; a mail out of tries is marked failed instead.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.MAIL_STALE_AFTER_SECONDS)
    stuck = list(OutboxMail.objects.filter(status=MailStatus.SENDING, claimed_at__lt=cutoff))
    waiting = list(OutboxMail.objects.filter(status=MailStatus.QUEUED, next_try_at__lt=cutoff))
    if waiting:
        live = mails_with_a_live_task(cutoff)
        waiting = [mail for mail in waiting if mail.pk not in live]
    requeued = 0
    for mail in stuck + waiting:
        # Unchanged since it was read: not finished, retried or taken meanwhile.
        row = OutboxMail.objects.filter(
            pk=mail.pk,
            status=mail.status,
            claimed_at=mail.claimed_at,
            next_try_at=mail.next_try_at,
        )
        with transaction.atomic():
            if mail.status == MailStatus.SENDING and mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
                row.update(
                    status=MailStatus.FAILED,
                    next_try_at=None,
                    last_error=f"{now:%Y-%m-%d %H:%M}: the worker stopped while sending",
                )
            elif row.update(status=MailStatus.QUEUED, next_try_at=now):
                send_mails.enqueue([mail.pk])
                requeued += 1
    return requeued


def mails_with_a_live_task(cutoff: datetime.datetime) -> set[int]:
    """Return the outbox ids that a waiting task, or one a worker started lately, will send."""
    tasks = DBTaskResult.objects.filter(
        task_path__in=[send_mails.module_path, send_mail.module_path]
    ).filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    live: set[int] = set()
    for args_kwargs in tasks.values_list("args_kwargs", flat=True):
        ids = args_kwargs["args"][0]
        live.update(ids if isinstance(ids, list) else [ids])
    return live


def resend_mails(*, mails: QuerySet[OutboxMail]) -> tuple[list[OutboxMail], list[OutboxMail]]:
    """Queue failed or dropped mails again with a fresh set of tries; return (queued, refused).

    Mails on their way or sent are refused (resend a confirmation from its sign-up instead),
    and so are mails whose address was erased.
    """
    now = timezone.now()
    queued, refused = [], []
    for mail in mails.order_by("pk"):
        with transaction.atomic():
            again = (
                OutboxMail.objects.filter(
                    pk=mail.pk, status__in=[MailStatus.FAILED, MailStatus.DROPPED]
                )
                .exclude(recipient="")
                .update(status=MailStatus.QUEUED, attempts=0, next_try_at=now, claimed_at=None)
            )
            if again:
                send_mails.enqueue([mail.pk])
        (queued if again else refused).append(mail)
    return queued, refused


def oldest_unsent_age(now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """Return how long the oldest mail still to be sent has waited, or None when none waits."""
    oldest = OutboxMail.objects.unsent().aggregate(oldest=Min("created_at"))["oldest"]
    return None if oldest is None else (now or timezone.now()) - oldest
