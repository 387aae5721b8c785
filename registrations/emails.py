"""What each mail says and who gets it: confirmation, waiting list, "there is a place", change
summary, reminder, the evaluation's links, the notices to staff, and (from `invoice_mails`)
invoices with their PDF and payment reminders.

Mails are not sent from here: `registrations.outbox` queues a row per address in the
transaction that causes the mail, and its worker calls `compose` to write the mail as the
sign-up stands at that moment.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from registrations.audience import Audience, audience, evaluation_links, same
from registrations.invoice_mails import invoice_mail, payment_reminder
from registrations.models import Attendee, MailKind, OutboxMail, Registration, Status
from registrations.text import single_line
from sessions.calendar import calendar_file

ICS_NAME = "participatielab.ics"


@dataclass(frozen=True)
class Summary:
    """One line saying what changed, translated only when a mail is written.

    `text` is the untranslated message (marked with `gettext_noop`, %(name)s-style
    placeholders), so the outbox can store it: the person's mail is in their language and the
    staff notice in Dutch, whoever made the change and in whatever language they used the site.
    Each text starts with our own words ("Toegevoegd: %(name)s."), never with a name, so no
    line of a mail starts with what someone typed.
    """

    text: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return _(self.text) % self.params if self.params else _(self.text)


def staff_address(registration: Registration) -> str:
    """Return where Atrivé hears about a sign-up: the event's address or the default."""
    return registration.event.notification_email or settings.STAFF_NOTIFICATION_EMAIL


def load(registration_id: int) -> Registration:
    """Fetch a registration with everything an e-mail about it shows, in a few queries."""
    return (
        Registration.objects.select_related("event", "organisation", "invoice")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("session")),
            "event__programme",
            "event__contacts",
        )
        .get(pk=registration_id)
    )


def compose(mail: OutboxMail, registration: Registration) -> EmailMultiAlternatives | None:
    """Write the mail an outbox row stands for, as the sign-up stands now.

    Returns None when the mail no longer applies: the sign-up was anonymised, the address
    erased, or the news is out of date (a confirmation or reminder for a cancelled sign-up).
    """
    if registration.anonymised_at is not None or not mail.recipient:
        return None
    with translation.override(mail.language):
        message = COMPOSERS[mail.kind](registration, mail)
    if message is not None:
        message.extra_headers.update(automatic_headers(mail))
    return message


def automatic_headers(mail: OutboxMail) -> dict[str, str]:
    """Return the headers of every mail the site sends: its own Message-ID, and "a machine
    wrote this", so out-of-office replies and auto-responders do not answer it.

    The Date header (with Amsterdam's offset) comes from Django: settings.EMAIL_USE_LOCALTIME.
    """
    return {
        "Message-ID": make_msgid(idstring=f"outbox-{mail.pk}", domain=site_domain()),
        "Auto-Submitted": "auto-generated",  # RFC 3834
        # Microsoft Exchange and Outlook read their own header for the same.
        "X-Auto-Response-Suppress": "OOF, AutoReply",
    }


def site_domain() -> str:
    """Return the host name of SITE_URL: the site's own domain, for Message-IDs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def confirmation(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """The confirmation with its calendar entry, or the waiting-list notice for whoever chose
    to wait; a contact person whose group is partly waiting hears who waits."""
    if registration.status == Status.CANCELLED:
        return None
    reader = audience(registration, mail.recipient)
    if registration.status == Status.WAITING or reader.all_waiting:
        return person_message(
            registration,
            mail,
            _("Wachtlijst: %(title)s op %(date)s"),
            [
                _(
                    "Dank u wel voor uw aanmelding. U staat op de wachtlijst, zoals u koos. Komt "
                    "er plaats, dan schuift u door en krijgt u bericht. U betaalt nu nog niets."
                )
            ],
            reader=reader,
        )
    intro = [_("Dank u wel voor uw aanmelding. Hieronder staan alle gegevens.")]
    waiting = [a.name for a in registration.attendees.all() if a.status == Status.WAITING]
    if waiting and reader.kind != "member":
        intro.append(waiting_line(waiting))
    return person_message(
        registration,
        mail,
        _("Aanmelding bevestigd: %(title)s op %(date)s"),
        intro,
        calendar=True,
        reader=reader,
    )


def waiting_line(names: list[str]) -> str:
    """Say who of a confirmed group waits, by their own choice, and what that means."""
    return ngettext(
        "Op de wachtlijst, zoals gekozen: %(names)s. Komt er plaats, dan schuift die door en "
        "krijgt u bericht; pas dan telt die mee in de prijs.",
        "Op de wachtlijst, zoals gekozen: %(names)s. Komt er plaats, dan schuiven zij door en "
        "krijgt u bericht; pas dan tellen zij mee in de prijs.",
        len(names),
    ) % {"names": get_text_list(names, _("en"))}


def promoted(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """Tell a sign-up that members moved from the waiting list into the event."""
    if registration.status != Status.CONFIRMED:
        return None
    names = mail.params.get("names") or []
    news = (
        ngettext(
            "Goed nieuws: er is plaats vrijgekomen. %(names)s kan nu komen.",
            "Goed nieuws: er is plaats vrijgekomen. %(names)s kunnen nu komen.",
            len(names),
        )
        % {"names": get_text_list(names, _("en"))}
        if names
        else _("Goed nieuws: er is plaats vrijgekomen. Uw groep is nu aangemeld.")
    )
    return person_message(
        registration,
        mail,
        _("Er is plaats: u bent aangemeld voor %(title)s op %(date)s"),
        [news],
        calendar=True,
    )


def change(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives:
    """Say what changed, then show the sign-up as it is now."""
    return person_message(
        registration,
        mail,
        _("Wijziging in uw aanmelding voor %(title)s"),
        [
            str(Summary(mail.message, mail.params)),
            _("Hieronder staat uw aanmelding zoals die nu is."),
        ],
    )


def reminder(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """Remind a confirmed group a few days before the event (not those still waiting)."""
    if (
        registration.status != Status.CONFIRMED
        or audience(registration, mail.recipient).all_waiting
    ):
        return None
    return person_message(
        registration,
        mail,
        _("Herinnering: %(title)s op %(date)s"),
        [_("Binnenkort is het zover. Wij zien u graag op deze bijeenkomst.")],
        calendar=True,
    )


def evaluation(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives | None:
    """Ask for the evaluation: one link per board member this address reaches."""
    links = evaluation_links(registration, mail.recipient)
    if not links:
        return None
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "links": links,
        "greeting_name": get_text_list(audience(registration, mail.recipient).names, _("en")),
        "for_others": same(mail.recipient, registration.contact_email),
        "closes": event.evaluation.closing_date,
    }
    message = EmailMultiAlternatives(
        subject=_("Hoe was het? Uw mening over %(title)s") % {"title": event.title},
        body=render_to_string("emails/evaluation.txt", context),
        to=[mail.recipient],
        reply_to=[staff_address(registration)],
    )
    message.attach_alternative(render_to_string("emails/evaluation.html", context), "text/html")
    return message


def staff_notice(registration: Registration, mail: OutboxMail) -> EmailMultiAlternatives:
    """Tell Atrivé about a new sign-up or a change."""
    is_new = mail.kind == MailKind.STAFF_NEW
    people = [a for a in registration.attendees.all() if a.status != Status.CANCELLED]
    organisation = single_line(registration.organisation.name)  # a header is one line
    if is_new:
        subject = _("Nieuwe aanmelding: %(organisation)s (%(count)d)") % {
            "organisation": organisation,
            "count": len(people),
        }
    else:
        subject = _("Wijziging: %(organisation)s") % {"organisation": organisation}
    body = render_to_string(
        "emails/staff_notice.txt",
        {
            "registration": registration,
            "event": registration.event,
            "people": people,
            "summary": str(Summary(mail.message, mail.params)) if mail.message else "",
            "is_new": is_new,
            "admin_url": settings.SITE_URL
            + reverse("admin:registrations_registration_change", args=[registration.pk]),
        },
    )
    return EmailMultiAlternatives(
        subject=f"[Participatielab] {subject}",
        body=body,
        to=[mail.recipient],
        reply_to=[registration.contact_email],
    )


COMPOSERS: dict[str, Callable[[Registration, OutboxMail], EmailMultiAlternatives | None]] = {
    MailKind.CONFIRMATION: confirmation,
    MailKind.PROMOTED: promoted,
    MailKind.CHANGE: change,
    MailKind.REMINDER: reminder,
    MailKind.EVALUATION: evaluation,
    MailKind.STAFF_NEW: staff_notice,
    MailKind.STAFF_CHANGE: staff_notice,
    MailKind.INVOICE: invoice_mail,
    MailKind.PAYMENT_REMINDER: payment_reminder,
}


def person_message(
    registration: Registration,
    mail: OutboxMail,
    subject: str,
    intro: list[str],
    *,
    calendar: bool = False,
    reader: Audience | None = None,
) -> EmailMultiAlternatives:
    """Return a plain-text and HTML mail to one address about the sign-up as it stands now.

    The contact person reads the whole group, the money and the group's link; a member reads
    their own part and their own link, or (a shared address) no link.
    """
    event = registration.event
    reader = reader or audience(registration, mail.recipient)
    coming = [a for a in registration.attendees.all() if a.status != Status.CANCELLED]
    context = {
        "registration": registration,
        "reader": reader,
        "greeting_name": get_text_list(reader.names, _("en")),
        "event": event,
        "attendees": coming if reader.kind == "contact" else reader.members,
        "invoice": registration.invoice,
        "intro": intro,
        "manage_url": reader.manage_url,
    }
    message = EmailMultiAlternatives(
        subject=subject % {"title": event.title, "date": date_format(event.date, "l j F")},
        body=render_to_string("emails/registration.txt", context),
        to=[mail.recipient],
        reply_to=[event.notification_email or settings.STAFF_NOTIFICATION_EMAIL],
    )
    message.attach_alternative(render_to_string("emails/registration.html", context), "text/html")
    if calendar:
        message.attach(calendar_part(registration, reader.manage_url))
    return message


def calendar_part(registration: Registration, manage_url: str = "") -> MIMEText:
    """Return the calendar entry as an attachment that mail programs offer to add.

    Some calendar clients only offer "add to calendar" when the part's Content-Type names
    the method, which Django's `attach(filename, content, mimetype)` cannot set.
    """
    part = MIMEText(calendar_for(registration, manage_url).decode(), "calendar", "utf-8")
    part.set_param("method", "PUBLISH", requote=False)
    part.add_header("Content-Disposition", "attachment", filename=ICS_NAME)
    return part


def calendar_for(registration: Registration, manage_url: str = "") -> bytes:
    """Return the event's calendar entry, with a UID that stays the same per sign-up, and
    the reader's manage link when they have one (a shared address has none)."""
    return calendar_file(
        registration.event,
        uid=f"registration-{registration.pk}@participatielab",
        description=_("Uw aanmelding bekijken of wijzigen: %(url)s") % {"url": manage_url}
        if manage_url
        else "",
    )
