"""What the mails about no one sign-up say: the notify-me confirmation, "sign-up is open", the
invitation to a new lab and a message from staff to attendees.

`registrations.outbox` calls `compose` for these kinds (`CAMPAIGN_KINDS`); as with every mail,
it is written when it is sent, and is dropped (None) when it no longer applies.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registrations.emails import automatic_headers
from registrations.models import Invitation, MailKind, OutboxMail, Subscriber
from registrations.unsubscribe import is_suppressed, list_unsubscribe_headers, unsubscribe_url
from sessions.models import Event


def compose(mail: OutboxMail) -> EmailMessage | None:
    if not mail.recipient:
        return None
    with translation.override(mail.language):
        message = COMPOSERS[mail.kind](mail)
    if message is not None:
        message.extra_headers.update(automatic_headers(mail))
    return message


def site_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def message(mail: OutboxMail, subject: str, template: str, context: dict, *, listed: bool):
    """Return a plain-text mail; `listed`: with the unsubscribe link and its headers."""
    if listed:
        context = {**context, "unsubscribe_url": unsubscribe_url(mail.recipient)}
    result = EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[mail.recipient],
        reply_to=[settings.STAFF_NOTIFICATION_EMAIL],
    )
    if listed:
        result.extra_headers.update(list_unsubscribe_headers(mail.recipient))
    return result


def notify_confirm(mail: OutboxMail) -> EmailMessage | None:
    subscriber = (
        Subscriber.objects.select_related("announcement")
        .filter(pk=mail.params.get("subscriber"), confirmed_at__isnull=True)
        .first()
    )
    if subscriber is None:
        return None
    return message(
        mail,
        _("Bevestig uw e-mailadres: bericht over het volgende Participatielab"),
        "emails/notify_confirm.txt",
        {
            "announcement": subscriber.announcement,
            "confirm_url": site_url("registrations:notify_confirm", subscriber.token),
        },
        listed=False,
    )


def signup_open(mail: OutboxMail) -> EmailMessage | None:
    event = Event.objects.filter(pk=mail.params.get("event")).first()
    if event is None or is_suppressed(mail.recipient):
        return None
    return message(
        mail,
        _("Aanmelden kan: %(title)s op %(date)s")
        % {"title": event.title, "date": date_format(event.date, "l j F")},
        "emails/signup_open.txt",
        {"event": event, "event_url": site_url("registrations:event_detail", event.slug)},
        listed=True,
    )


def invitation(mail: OutboxMail) -> EmailMessage | None:
    invited = (
        Invitation.objects.select_related("event", "organisation")
        .filter(pk=mail.params.get("invitation"))
        .first()
    )
    if invited is None or is_suppressed(mail.recipient):
        return None
    return invitation_message(mail, invited)


def invitation_message(mail: OutboxMail, invited: Invitation) -> EmailMessage:
    """The invitation as sent, also for the preview of one real recipient."""
    event = invited.event
    return message(
        mail,
        _("Uitnodiging: %(title)s op %(date)s")
        % {"title": event.title, "date": date_format(event.date, "l j F")},
        "emails/invitation.txt",
        {
            "event": event,
            "invited": invited,
            "event_url": site_url("registrations:event_detail", event.slug),
        },
        listed=True,
    )


def mailing(mail: OutboxMail) -> EmailMessage | None:
    if mail.mailing is None:
        return None
    return mailing_message(mail, mail.mailing)


def mailing_message(mail: OutboxMail, sent) -> EmailMessage:
    """A message from staff, as sent, also for the preview."""
    event = sent.event
    result = message(
        mail,
        f"{sent.subject} – {event.title}",
        "emails/mailing.txt",
        {"mailing": sent, "event": event},
        listed=False,
    )
    result.reply_to = [event.notification_email or settings.STAFF_NOTIFICATION_EMAIL]
    return result


COMPOSERS: dict[str, Callable[[OutboxMail], EmailMessage | None]] = {
    MailKind.NOTIFY_CONFIRM: notify_confirm,
    MailKind.SIGNUP_OPEN: signup_open,
    MailKind.INVITATION: invitation,
    MailKind.MAILING: mailing,
}
