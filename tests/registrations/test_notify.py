"""The next labs: announcements on the home page, notify-me with double opt-in, the one-click
unsubscribe (GET shows a button, only POST unsubscribes) and publishing that mails the waiting
addresses once."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import OutboxMail, Subscriber, Suppression, address_hash
from registrations.notify import publish_event
from sessions.models import Announcement, Event
from tests.factories import EventFactory
from tests.signup_posts import event_url

pytestmark = pytest.mark.django_db

ADDRESS = "wachter@example.org"


def link_in(message, name: str) -> str:
    """Return the path of the first link to the named page in a mail's text."""
    prefix = reverse(name, args=["X"]).removesuffix("X/")
    return re.search(re.escape(prefix) + r"[^\s>]+", message.body).group(0)


@pytest.fixture
def announcement(db):
    return Announcement.objects.create(
        theme="Professionalisering van het bestuur",
        when="najaar 2027",
        text="Hoe werkt een bestuur goed samen?",
    )


def ask(client, announcement, email=ADDRESS, **extra):
    url = reverse("registrations:announcement", args=[announcement.pk])
    return client.post(url, {"email": email, "website": "", "started": "", **extra})


def confirmed(client, announcement, send_queued_mail, mailoutbox, email=ADDRESS):
    ask(client, announcement, email)
    send_queued_mail()
    url = link_in(mailoutbox[-1], "registrations:notify_confirm")
    client.post(url)
    return Subscriber.objects.get(email=email)


def test_the_home_page_shows_open_labs_first_then_announced_ones(client, event, announcement):
    later = Announcement.objects.create(theme="Al gepland", when="2028", event=event)

    response = client.get(reverse("registrations:event_list"))

    html = response.content.decode()
    assert html.index(event.title) < html.index("Professionalisering van het bestuur")
    assertContains(response, "Najaar 2027")
    assertContains(response, reverse("registrations:announcement", args=[announcement.pk]))
    assertNotContains(response, later.theme)  # its event is published: the event shows


def test_notify_me_needs_the_confirmation_link_and_its_button(
    client, announcement, send_queued_mail, mailoutbox
):
    # Act: the form, then the mail.
    response = ask(client, announcement)
    send_queued_mail()

    # Assert: stored unconfirmed, one mail with the link; the link's GET confirms nothing.
    assert response.status_code == 302
    assertContains(client.get(response["Location"]), "Kijk in uw e-mail")
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert subscriber.address_hash == address_hash(ADDRESS)
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    url = link_in(message, "registrations:notify_confirm")
    page = client.get(url)
    assertContains(page, "Ja, stuur mij bericht")
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None

    # Act: the button.
    assertContains(client.post(url), "Uw adres is bevestigd")

    # Assert
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert client.post(reverse("registrations:notify_confirm", args=["onzin"])).status_code == 404


def test_notify_me_refuses_a_bot_and_a_bad_address(client, announcement):
    assertContains(ask(client, announcement, website="http://spam.example.org"), "niet worden")
    assertContains(ask(client, announcement, email="geen-adres"), "Uw e-mailadres")
    assert not Subscriber.objects.exists()
    assert not OutboxMail.objects.exists()


def test_notify_me_is_rate_limited(client, announcement, settings):
    settings.RATE_LIMITS = {
        "notify": {"views": ["registrations:announcement"], "per": "address", "rate": "2/3600"}
    }
    assert ask(client, announcement, "a@example.org").status_code == 302
    assert ask(client, announcement, "b@example.org").status_code == 302
    assert ask(client, announcement, "c@example.org").status_code == 429


def test_publishing_mails_the_confirmed_addresses_once(
    client, announcement, send_queued_mail, mailoutbox
):
    # Arrange: a draft lab for the announcement; one confirmed address, one that never confirmed.
    event = EventFactory(is_published=False, title="Participatielab najaar")
    announcement.event = event
    announcement.save()
    confirmed(client, announcement, send_queued_mail, mailoutbox)
    ask(client, announcement, "onbevestigd@example.org")
    send_queued_mail()
    mailoutbox.clear()

    # Act: publish twice.
    assert publish_event(event=event) == 1
    assert publish_event(event=event) == 0
    send_queued_mail()

    # Assert
    (message,) = mailoutbox
    assert message.to == [ADDRESS]
    assert "Aanmelden kan" in message.subject
    assert event_url(event) in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Event.objects.get(pk=event.pk).is_published


def test_publishing_is_an_admin_action_not_a_checkbox(admin_client, announcement):
    event = EventFactory(is_published=False)
    changelist = reverse("admin:theme_sessions_event_changelist")

    form = admin_client.get(reverse("admin:theme_sessions_event_change", args=[event.pk]))
    assert "is_published" not in form.context["adminform"].form.fields
    response = admin_client.post(
        changelist, {"action": "publish", "_selected_action": [event.pk]}, follow=True
    )

    assertContains(response, "staat op de site")
    assert Event.objects.get(pk=event.pk).is_published


def test_unsubscribe_get_shows_a_button_and_only_post_unsubscribes(
    client, announcement, send_queued_mail, mailoutbox
):
    # Arrange: a confirmed address, and its unsubscribe link from the "sign-up is open" mail.
    event = EventFactory(is_published=False)
    announcement.event = event
    announcement.save()
    confirmed(client, announcement, send_queued_mail, mailoutbox)
    publish_event(event=event)
    send_queued_mail()
    message = mailoutbox[-1]
    url = link_in(message, "registrations:unsubscribe")
    assert url in message.extra_headers["List-Unsubscribe"]

    # Act / Assert: a scanner's GET (twice) changes nothing.
    for _ in range(2):
        assertContains(client.get(url), '<button type="submit"')
    assert Subscriber.objects.exists()
    assert not Suppression.objects.exists()

    # Act: the one-click POST a mail program sends, without a CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    # Assert: only the hash is kept.
    assertContains(response, "U bent afgemeld")
    assert not Subscriber.objects.exists()
    assert list(Suppression.objects.values_list("address_hash", flat=True)) == [
        address_hash(ADDRESS)
    ]
    assert client.get(reverse("registrations:unsubscribe", args=["vals"])).status_code == 404
