"""E-mails about a registration: confirmation, changes, waiting list, reminders, staff notices.

Services queue mail with `transaction.on_commit`, so nothing is sent for a change that did
not happen, and a failing mail server never undoes a sign-up: a failure is written on the
registration (`mail_error`, no `confirmation_sent_at`), shown in the admin and retried by
`manage.py retry_unsent_mail`.
"""

import datetime
import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from registrations.models import Attendee, Registration, Status
from sessions.calendar import calendar_file

logger = logging.getLogger(__name__)


class Notice(enum.Enum):
    NEW = "new"
    CHANGE = "change"


@dataclass(frozen=True)
class Summary:
    """One line saying what changed, translated only when a mail is written.

    The person's mail is in their language and the staff notice in Dutch, whoever made the
    change and in whatever language they used the site.
    """

    text: Promise  # a gettext_lazy message with %(name)s-style placeholders
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.text) % self.params if self.params else str(self.text)


def queue_new_signup(registration: Registration) -> None:
    """Confirm a new sign-up to the person and tell staff, reading it from the database once."""
    transaction.on_commit(partial(send_new_signup, registration.pk))


def send_new_signup(registration_id: int) -> None:
    registration = load(registration_id)
    send_confirmation(registration)
    send_staff_notice(registration, Notice.NEW)


def queue_promoted(registration: Registration) -> None:
    transaction.on_commit(partial(send_promoted, registration.pk))


def queue_change_summary(registration: Registration, summary: Summary) -> None:
    """Mail the contact person what changed, and tell staff."""
    transaction.on_commit(partial(send_change_summary, registration.pk, summary))
    queue_staff_notice(registration, Notice.CHANGE, summary)


def queue_staff_notice(
    registration: Registration, kind: Notice, summary: Summary | None = None
) -> None:
    transaction.on_commit(partial(send_staff_notice, registration.pk, kind, summary))


def load(registration_id: "int | Registration") -> Registration:
    """Fetch a registration with everything an e-mail about it shows, in a few queries.

    A registration that `load` already fetched is passed through as it is.
    """
    if isinstance(registration_id, Registration):
        return registration_id
    return (
        Registration.objects.select_related("event", "organisation", "invoice")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("session")),
            "event__programme",
            "event__contacts",
        )
        .get(pk=registration_id)
    )


def send_confirmation(registration_id: "int | Registration") -> bool:
    """Send the confirmation (or waiting-list notice) with the calendar entry; record the result.

    A cancelled sign-up gets nothing: there is nothing to confirm.
    """
    registration = load(registration_id)
    if registration.status == Status.CANCELLED:
        return False
    with translation.override(registration.language):
        if registration.status == Status.WAITING:
            subject = _("Wachtlijst: %(title)s op %(date)s")
            intro = [
                _(
                    "Dank u wel voor uw aanmelding. De bijeenkomst is op dit moment vol: uw "
                    "groep staat op de wachtlijst. Komt er plaats, dan schuift u door en krijgt "
                    "u bericht. U betaalt nu nog niets."
                )
            ]
        else:
            subject = _("Aanmelding bevestigd: %(title)s op %(date)s")
            intro = [_("Dank u wel voor uw aanmelding. Hieronder staan alle gegevens.")]
        message = build_message(registration, subject, intro)
        if registration.status == Status.CONFIRMED:
            message.attach("participatielab.ics", calendar_for(registration), "text/calendar")
    return deliver(registration, message, confirms=True)


def send_promoted(registration_id: int) -> bool:
    """Tell a group that it moved from the waiting list into the event."""
    registration = load(registration_id)
    with translation.override(registration.language):
        message = build_message(
            registration,
            _("Er is plaats: u bent aangemeld voor %(title)s op %(date)s"),
            [_("Goed nieuws: er is plaats vrijgekomen. Uw groep is nu aangemeld.")],
        )
        message.attach("participatielab.ics", calendar_for(registration), "text/calendar")
    return deliver(registration, message, confirms=True)


def send_change_summary(registration_id: int, summary: Summary) -> bool:
    registration = load(registration_id)
    with translation.override(registration.language):
        message = build_message(
            registration,
            _("Wijziging in uw aanmelding voor %(title)s"),
            [str(summary), _("Hieronder staat uw aanmelding zoals die nu is.")],
        )
    return deliver(registration, message)


def send_reminder(registration: Registration) -> None:
    """Send the reminder a few days before the event; raises when sending fails."""
    with translation.override(registration.language):
        message = build_message(
            registration,
            _("Herinnering: %(title)s op %(date)s"),
            [_("Binnenkort is het zover. Wij zien u graag op deze bijeenkomst.")],
        )
        message.attach("participatielab.ics", calendar_for(registration), "text/calendar")
    message.send()


def send_staff_notice(
    registration_id: "int | Registration", kind: Notice, summary: Summary | None = None
) -> bool:
    """Tell Atrivé about a new sign-up or a change, at the event's address or the default."""
    registration = load(registration_id)
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        people = [a for a in registration.attendees.all() if a.status != Status.CANCELLED]
        if kind is Notice.NEW:
            subject = _("Nieuwe aanmelding: %(organisation)s (%(count)d)") % {
                "organisation": registration.organisation,
                "count": len(people),
            }
        else:
            subject = _("Wijziging: %(organisation)s") % {"organisation": registration.organisation}
        body = render_to_string(
            "emails/staff_notice.txt",
            {
                "registration": registration,
                "event": event,
                "people": people,
                "summary": str(summary) if summary else "",
                "is_new": kind is Notice.NEW,
                "admin_url": settings.SITE_URL
                + reverse("admin:registrations_registration_change", args=[registration.pk]),
            },
        )
    message = EmailMultiAlternatives(
        subject=f"[Participatielab] {subject}",
        body=body,
        to=[event.notification_email or settings.STAFF_NOTIFICATION_EMAIL],
        reply_to=[registration.contact_email],
    )
    try:
        message.send()
    except Exception:
        logger.exception("Staff notice for registration %s was not sent", registration.pk)
        return False
    return True


def build_message(
    registration: Registration, subject: str, intro: list[str]
) -> EmailMultiAlternatives:
    """Return a plain-text and HTML mail about the registration as it stands now."""
    event = registration.event
    attendees = [a for a in registration.attendees.all() if a.status != Status.CANCELLED]
    context = {
        "registration": registration,
        "event": event,
        "attendees": attendees,
        "invoice": registration.invoice,
        "intro": intro,
        "manage_url": settings.SITE_URL + registration.get_absolute_url(),
    }
    subject = subject % {"title": event.title, "date": date_format(event.date, "l j F")}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/registration.txt", context),
        to=[registration.contact_email],
        cc=sorted(
            {a.email for a in attendees if a.email.lower() != registration.contact_email.lower()}
        ),
        reply_to=[event.notification_email or settings.STAFF_NOTIFICATION_EMAIL],
    )
    message.attach_alternative(render_to_string("emails/registration.html", context), "text/html")
    return message


def deliver(
    registration: Registration, message: EmailMultiAlternatives, *, confirms: bool = False
) -> bool:
    """Send; on failure, log it and write it on the registration instead of raising.

    `confirms`: this mail tells how the sign-up stands now, so once it is out the
    registration no longer counts as unconfirmed.
    """
    try:
        message.send()
    except Exception as error:
        logger.exception("Mail for registration %s was not sent", registration.pk)
        Registration.objects.filter(pk=registration.pk).update(
            mail_error=f"{timezone.now():%Y-%m-%d %H:%M}: {error}"[:2000]
        )
        return False
    if confirms:
        Registration.objects.filter(pk=registration.pk).update(
            confirmation_sent_at=timezone.now(), mail_error=""
        )
    return True


def calendar_for(registration: Registration) -> bytes:
    """Return the event's calendar entry, with a UID that stays the same per sign-up."""
    manage_url = settings.SITE_URL + registration.get_absolute_url()
    return calendar_file(
        registration.event,
        uid=f"registration-{registration.pk}@participatielab",
        description=_("Uw aanmelding bekijken of wijzigen: %(url)s") % {"url": manage_url},
    )


def send_due_reminders(*, days: int, today: datetime.date | None = None) -> tuple[int, int]:
    """Mail a reminder to each confirmed sign-up of events within `days` days, once.

    Returns how many were sent and how many failed; a failed one is tried again next run.
    """
    today = today or timezone.localdate()
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__date__gte=today,
        event__date__lte=today + datetime.timedelta(days=days),
    ).values_list("pk", flat=True)
    sent = failed = 0
    for registration_id in list(due):
        try:
            sent += send_reminder_once(registration_id)
        except Exception:  # one bad address must not stop the others
            logger.exception("Reminder for registration %s was not sent", registration_id)
            failed += 1
    return sent, failed


def send_reminder_once(registration_id: int) -> int:
    """Send one reminder unless another run already did; return how many were sent (0 or 1).

    The row is locked and marked in the same transaction as the send, so two overlapping
    runs never both send it, and a failed send leaves it unmarked.
    """
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(skip_locked=True)
            .filter(pk=registration_id, reminder_sent_at__isnull=True, status=Status.CONFIRMED)
            .first()
        )
        if registration is None:
            return 0
        send_reminder(load(registration.pk))
        registration.reminder_sent_at = timezone.now()
        registration.save(update_fields=["reminder_sent_at"])
    return 1


def retry_unsent_confirmations() -> tuple[int, int]:
    """Send again every confirmation that did not go out; return (sent, still failing).

    The last minute's changes are left alone (their mails are probably on their way), and so
    are past events (a confirmation after the event helps nobody) and anonymised sign-ups.
    """
    cutoff = timezone.now() - datetime.timedelta(minutes=1)
    unsent = Registration.objects.filter(
        confirmation_sent_at__isnull=True,
        updated_at__lt=cutoff,
        anonymised_at__isnull=True,
        event__date__gte=timezone.localdate(),
    ).exclude(status=Status.CANCELLED)
    results = [send_confirmation(pk) for pk in unsent.values_list("pk", flat=True)]
    return results.count(True), results.count(False)
