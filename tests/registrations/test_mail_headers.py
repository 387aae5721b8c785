"""The headers of every kind of mail the outbox sends, read from the bytes a real SMTP server
received: the site's own Message-ID, a Date with Amsterdam's offset, "Auto-Submitted", and a
calendar part that calendar programs offer to add."""

import datetime
import email
import re
from email import policy
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from registrations import outbox
from registrations.evaluation import create_links, evaluation_for
from registrations.issuing import issue_invoices
from registrations.models import (
    Invitation,
    Mailing,
    MailingAudience,
    MailKind,
    OutboxMail,
    Subscriber,
    address_hash,
)
from sessions.models import Announcement
from tests.mail_servers import SMTPSink

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SITE = "https://participatielab.example.org"
ADDRESS = "ontvanger@example.org"
# The kinds that carry the event as a calendar entry; every other kind carries none.
WITH_CALENDAR = {MailKind.CONFIRMATION, MailKind.PROMOTED, MailKind.REMINDER}


@pytest.fixture
def smtp_sink(settings):
    """A local SMTP server (aiosmtpd) that keeps what it receives; the site sends to it."""
    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    yield sink
    sink.stop()


@pytest.fixture
def send_one(event, sign_up, settings, smtp_sink, send_queued_mail):
    """Send one mail of a kind about a confirmed sign-up through the outbox to `ADDRESS`;
    return it as the SMTP server received it, parsed."""
    settings.SITE_URL = SITE

    def send(kind: MailKind) -> email.message.EmailMessage:
        # The evaluation goes to a member with a link: here the member at `ADDRESS`.
        member_address = ADDRESS if kind == MailKind.EVALUATION else "karin@example.org"
        registration = sign_up(event, [("Karin Voorbeeld", member_address, event.sessions.first())])
        create_links(evaluation=evaluation_for(event), members=registration.attendees.all())
        # Mails about money are about an issued invoice.
        params = {}
        if kind in (MailKind.INVOICE, MailKind.PAYMENT_REMINDER):
            params = {"document": issue_invoices(event=event)[0].pk}
        OutboxMail.objects.all().delete()  # the sign-up's own mails: their tasks find no row
        outbox.queue(
            outbox.new_mails(
                [ADDRESS],
                kind=kind,
                registration=registration,
                language="nl",
                message="Uw themasessie is gewijzigd.",
                **({"params": params} | campaign_details(kind, event)),
            )
        )
        send_queued_mail()
        (received,) = smtp_sink.messages
        assert received.rcpt_tos == [ADDRESS]
        return email.message_from_bytes(received.original_content, policy=policy.default)

    return send


def campaign_details(kind: MailKind, event) -> dict:
    """Return what a mail about no one sign-up refers to (notify-me, invitation, message)."""
    if kind == MailKind.NOTIFY_CONFIRM:
        announcement = Announcement.objects.create(theme="Bestuur", when="najaar 2027")
        subscriber = Subscriber.objects.create(
            announcement=announcement, email=ADDRESS, address_hash=address_hash(ADDRESS)
        )
        return {"params": {"subscriber": subscriber.pk}}
    if kind == MailKind.SIGNUP_OPEN:
        return {"params": {"event": event.pk}}
    if kind == MailKind.INVITATION:
        return {"params": {"invitation": Invitation.objects.create(event=event, email=ADDRESS).pk}}
    if kind == MailKind.MAILING:
        mailing = Mailing.objects.create(
            event=event, audience=MailingAudience.ATTENDEES, subject="Route", body="Neem de A12."
        )
        return {"mailing": mailing}
    return {}


@pytest.mark.parametrize("kind", list(MailKind), ids=str)
def test_every_kind_of_mail_says_it_is_automatic_from_the_site_at_amsterdam_time(kind, send_one):
    # Act
    message = send_one(kind)

    # Assert
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Auto-Response-Suppress"] == "OOF, AutoReply"
    assert re.fullmatch(r"<[^@<>\s]+@participatielab\.example\.org>", message["Message-ID"].strip())
    sent_at = parsedate_to_datetime(message["Date"])
    assert sent_at.tzinfo is not None, message["Date"]  # "-0000" means "time zone unknown"
    assert sent_at.utcoffset() == sent_at.astimezone(AMSTERDAM).utcoffset()
    assert abs(sent_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)


@pytest.mark.parametrize("kind", list(MailKind), ids=str)
def test_a_mail_with_the_event_carries_it_as_a_calendar_entry_to_publish(kind, send_one):
    # Act
    message = send_one(kind)

    # Assert
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    if kind not in WITH_CALENDAR:
        assert parts == []
        return
    (part,) = parts
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_charset() == "utf-8"
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename() == "participatielab.ics"
    (calendar,) = [Calendar.from_ical(part.get_content())]
    assert calendar["method"] == "PUBLISH"
    assert len(calendar.walk("VEVENT")) == 1


def test_each_mail_has_a_message_id_of_its_own(event, sign_up, smtp_sink, send_queued_mail):
    # Act: a group of two: the confirmation to each address, and the notice to staff.
    session = event.sessions.first()
    sign_up(event, [("Karin", "karin@example.org", session), ("Piet", "piet@example.org", session)])
    send_queued_mail()

    # Assert
    ids = [
        email.message_from_bytes(m.original_content, policy=policy.default)["Message-ID"]
        for m in smtp_sink.messages
    ]
    assert len(ids) == 3
    assert len(set(ids)) == 3
