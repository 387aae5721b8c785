"""Invitations: contact persons of earlier labs and waiting addresses, each address once per
lab, never who opted out at sign-up or unsubscribed; each invitation unsubscribes in one click."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from registrations.invitations import Scope, invitation_recipients, send_invitations
from registrations.models import (
    Invitation,
    MailKind,
    OutboxMail,
    Registration,
    Subscriber,
    address_hash,
)
from registrations.privacy import erase_personal_data
from registrations.unsubscribe import unsubscribe
from sessions.models import Announcement
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db


def earlier_lab(days_ago: int):
    lab = EventFactory(
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        registration_deadline=timezone.now() - datetime.timedelta(days=days_ago + 7),
    )
    ThemeSessionFactory(event=lab)
    return lab


def came(sign_up, lab, organisation, contact, **kwargs):
    return sign_up(
        lab,
        [(f"Lid van {organisation}", "", lab.sessions.first())],
        organisation_name=organisation,
        contact_name=contact.split("@")[0].title(),
        contact_email=contact,
        by_staff=True,
        **kwargs,
    )


@pytest.fixture
def history(sign_up, event):
    """Two earlier labs: three organisations, one of which said "no invitations"."""
    older, newer = earlier_lab(150), earlier_lab(60)
    came(sign_up, older, "Huurdersraad Oost", "oost@example.org")
    came(sign_up, newer, "Huurdersraad Oost", "OOST@example.org")  # the same address twice
    came(sign_up, newer, "Bewonersbond West", "west@example.org")
    came(sign_up, newer, "Huurdersvereniging Noord", "noord@example.org", no_invitations=True)
    came(sign_up, earlier_lab(500), "Te Oud", "oud@example.org")  # beyond the retention
    OutboxMail.objects.all().delete()
    return older, newer


def invited(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_an_invitation_run_twice_sends_each_address_once(
    event, history, send_queued_mail, mailoutbox
):
    # Act
    for _ in range(2):
        send_invitations(event=event, recipients=invitation_recipients(event=event))
    send_queued_mail()

    # Assert: Oost once (one address, two labs), West; Noord opted out, the old lab too old.
    assert invited(mailoutbox) == ["OOST@example.org", "west@example.org"]
    assert Invitation.objects.filter(event=event).count() == 2
    message = mailoutbox[0]
    assert "Uitnodiging" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/bericht/afmelden/" in message.extra_headers["List-Unsubscribe"]
    assert "/bericht/afmelden/" in message.body


def test_opted_out_or_unsubscribed_addresses_are_skipped_and_waiting_ones_added(
    event, history, send_queued_mail, mailoutbox
):
    # Arrange: West unsubscribed; two addresses wait for this lab, one unconfirmed.
    unsubscribe(hashed=address_hash("West@Example.org"))
    announcement = Announcement.objects.create(theme="Bestuur", when="najaar", event=event)
    for email, confirmed in [("wacht@example.org", True), ("twijfel@example.org", False)]:
        Subscriber.objects.create(
            announcement=announcement,
            email=email,
            address_hash=address_hash(email),
            confirmed_at=timezone.now() if confirmed else None,
        )

    # Act
    send_invitations(event=event, recipients=invitation_recipients(event=event))
    send_queued_mail()

    # Assert
    assert invited(mailoutbox) == ["OOST@example.org", "wacht@example.org"]


def test_the_last_labs_or_hand_picked_organisations(event, history):
    _older, newer = history
    last = invitation_recipients(event=event, scope=Scope.LAST, last=1)
    oost = newer.registrations.get(contact_email="OOST@example.org").organisation
    picked = invitation_recipients(event=event, scope=Scope.PICKED, organisations=[oost])

    assert sorted(r.email for r in last) == ["OOST@example.org", "west@example.org"]
    assert [r.email for r in picked] == ["OOST@example.org"]


def test_the_database_allows_one_invitation_per_address_per_lab(event):
    Invitation.objects.create(event=event, email="een@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(event=event, email="EEN@example.org")


def test_staff_preview_one_real_recipient_then_send(
    admin_client, event, history, send_queued_mail, mailoutbox
):
    url = reverse("admin:theme_sessions_event_invite", args=[event.pk])
    data = {"scope": Scope.ALL, "last": 1}

    preview = admin_client.post(url, data | {"preview": "1"})

    assertContains(preview, "2 adressen krijgen een uitnodiging")
    assertContains(preview, "Beste West,")
    assertContains(preview, "List-Unsubscribe-Post")
    assert not OutboxMail.objects.exists()

    sent = admin_client.post(url, data | {"send": "1"}, follow=True)

    assertContains(sent, "2 uitnodiging(en) in de wachtrij gezet.")
    assert OutboxMail.objects.filter(kind=MailKind.INVITATION).count() == 2
    send_queued_mail()
    assert invited(mailoutbox) == ["OOST@example.org", "west@example.org"]


def test_the_signup_form_offers_the_unticked_opt_out(client, event):
    response = client.get(reverse("registrations:signup", args=[event.slug]))

    assertContains(response, "Geen uitnodigingen voor volgende Participatielabs")
    assert not response.context["form"]["no_invitations"].value()


def test_the_opt_out_ticked_on_the_form_is_stored(client, event):
    data = signup_data(members_of(event, 1), no_invitations="on")

    response = client.post(signup_url(event), data)

    assert response.status_code == 302
    assert Registration.objects.get().no_invitations


def test_erasing_a_person_forgets_their_invitations_and_notify_me(event, history):
    # Arrange
    _older, newer = history
    send_invitations(event=event, recipients=invitation_recipients(event=event))
    announcement = Announcement.objects.create(theme="Bestuur", when="najaar")
    Subscriber.objects.create(
        announcement=announcement, email="west@example.org", address_hash=address_hash("west")
    )
    west = newer.registrations.get(contact_email="west@example.org")

    # Act
    erase_personal_data(contacts=[west.pk])

    # Assert
    assert list(Invitation.objects.values_list("email", flat=True)) == ["OOST@example.org"]
    assert not Subscriber.objects.exists()
    assert not OutboxMail.objects.filter(recipient__iexact="west@example.org").exists()
