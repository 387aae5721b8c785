"""A message from staff to an event's people: each address once, members without an own
address through their contact person, logged per recipient with the status of its mail."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.mailings import mailing_reach, send_mailing
from registrations.models import MailingAudience, MailKind, MailStatus, OutboxMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(sign_up, event):
    """Two sign-ups: one whose members have no address (and one shares the contact's), one
    with a member of their own; a waiting member in a full session."""
    first, second = list(event.sessions.all())[:2]
    sign_up(
        event,
        [
            ("Anna Zonder", "", first),
            ("Bert Zonder", "", second),
            ("Cor Zelf", "karin@example.org", first),
        ],
        contact_email="karin@example.org",
    )
    sign_up(
        event,
        [("Dirk Eigen", "dirk@example.org", second)],
        organisation_name="Bewonersbond West",
        contact_name="Els West",
        contact_email="els@example.org",
    )
    OutboxMail.objects.all().delete()
    return first, second


def test_a_bulk_mail_reaches_each_address_once_members_through_their_contact(
    event, groups, send_queued_mail, mailoutbox
):
    # Act
    mailing = send_mailing(
        event=event,
        audience=MailingAudience.ATTENDEES,
        session=None,
        subject="Route",
        body="Neem de afslag Bunnik.",
        sent_by=None,
    )
    send_queued_mail()

    # Assert: Karin for Anna, Bert and Cor (once); Dirk at his own address; Els not (she
    # does not come herself).
    assert sorted(m.to[0] for m in mailoutbox) == ["dirk@example.org", "karin@example.org"]
    reach = {r.address: r.names for r in mailing_reach(event=event, audience="attendees")}
    assert reach["karin@example.org"] == ["Anna Zonder", "Bert Zonder", "Cor Zelf"]
    assert "Neem de afslag Bunnik." in mailoutbox[0].body
    assert list(mailing.mails.values_list("status", flat=True)) == [MailStatus.SENT] * 2


def test_one_session_the_waiting_list_or_the_contacts(event, groups):
    first, _second = groups

    def addresses(audience, session=None):
        return sorted(
            r.address for r in mailing_reach(event=event, audience=audience, session=session)
        )

    assert addresses(MailingAudience.SESSION, first) == ["karin@example.org"]
    assert addresses(MailingAudience.CONTACTS) == ["els@example.org", "karin@example.org"]
    assert addresses(MailingAudience.WAITING) == []


def test_staff_preview_then_send_and_see_each_recipient(admin_client, event, groups):
    url = reverse("admin:theme_sessions_event_mailing", args=[event.pk])
    data = {"audience": "attendees", "subject": "Parkeren", "body": "Parkeer bij het kasteel."}

    preview = admin_client.post(url, data | {"preview": "1"})

    assertContains(preview, "2 adressen, 4 personen")
    assertContains(preview, "Parkeer bij het kasteel.")
    assert not OutboxMail.objects.exists()

    sent = admin_client.post(url, data | {"send": "1"}, follow=True)

    assertContains(sent, "2 e-mail(s) in de wachtrij gezet.")
    assertContains(sent, "dirk@example.org")
    assert OutboxMail.objects.filter(kind=MailKind.MAILING).count() == 2


def test_one_session_needs_its_session(admin_client, event, groups):
    url = reverse("admin:theme_sessions_event_mailing", args=[event.pk])

    response = admin_client.post(
        url, {"audience": "session", "subject": "S", "body": "B", "send": "1"}
    )

    assertContains(response, "Kies de sessie.")
    assert not OutboxMail.objects.exists()
