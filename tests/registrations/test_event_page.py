"""The event page as an invitation: the key facts beside the button, the way there, the
contacts as links, and the evening as a calendar entry to download."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertNotContains

from registrations.emails import calendar_for
from tests.factories import AttendeeFactory, ContactFactory, EventFactory, ThemeSessionFactory
from tests.signup_posts import event_url, signup_url

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.date(2030, 6, 3)


def key_facts(response) -> str:
    """Return the key-facts box of an event page."""
    html = response.content.decode()
    return html[html.index('<aside class="key-facts"') : html.index("</aside>")]


def test_key_facts_hold_date_place_prices_deadline_places_and_the_button(client):
    # Arrange: two sessions of 20 places, three of them taken.
    event = EventFactory(
        date=MONDAY,
        registration_deadline=timezone.make_aware(datetime.datetime(2030, 5, 27, 23, 59)),
    )
    first = ThemeSessionFactory(event=event, capacity=20)
    ThemeSessionFactory(event=event, capacity=20)
    AttendeeFactory.create_batch(3, registration__event=event, session=first)

    # Act
    facts = key_facts(client.get(event_url(event)))

    # Assert
    for fact in [
        "<dd>Maandag 3 juni 2030<br>17:00–20:00 uur</dd>",
        "<dd>Kasteel Rhijnauwen, Bunnik<br>",
        '<span>1 persoon</span> <span class="amount">€ 50,00</span>',
        '<span>2 personen</span> <span class="amount">€ 85,00</span>',
        '<span>3 personen</span> <span class="amount">€ 100,00</span>',
        "<dd>Kan tot en met maandag 27 mei.</dd>",
        "<dd>Nog 37 plaatsen vrij</dd>",
        f'<a class="btn btn-primary btn-lg w-100" href="{signup_url(event)}">Aanmelden</a>',
        f'href="{reverse("registrations:event_calendar", args=[event.slug])}">Zet in uw agenda',
    ]:
        assert fact in facts, fact


def test_key_facts_of_a_full_event_offer_the_waiting_list(client):
    # Arrange
    event = EventFactory(capacity=1, has_waiting_list=True)
    AttendeeFactory(registration__event=event)

    # Act
    facts = key_facts(client.get(event_url(event)))

    # Assert
    assert "<dd><strong>Vol</strong></dd>" in facts
    assert "Aanmelden voor de wachtlijst</a>" in facts


def test_key_facts_of_a_closed_event_say_so_without_a_button(client):
    # Arrange
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(hours=1))

    # Act
    facts = key_facts(client.get(event_url(event)))

    # Assert
    assert "<strong>De aanmelding is gesloten.</strong>" in facts
    assert signup_url(event) not in facts
    assert "Plaatsen" not in facts


def test_route_links_to_the_address_on_openstreetmap_and_gives_the_events_own_texts(client):
    # Arrange
    event = EventFactory(
        route="Vlak bij de A12.",
        parking="Parkeren bij de poort.",
        public_transport="Bus 41 tot de halte Rhijnauwen.",
        practical_notes="Kom gerust eerder voor een wandeling.",
    )

    # Act
    response = client.get(event_url(event))

    # Assert: a plain link, nothing embedded.
    assertContains(
        response,
        '<a class="map-link" href="https://www.openstreetmap.org/search?'
        'query=Rhijnauwenselaan+14b%2C+Bunnik">',
        count=1,
    )
    assertNotContains(response, "<iframe")
    for text in [
        "<p>Vlak bij de A12.</p>",
        '<h3 class="h5">Met de auto</h3><p>Parkeren bij de poort.</p>',
        '<h3 class="h5">Met het openbaar vervoer</h3><p>Bus 41 tot de halte Rhijnauwen.</p>',
        '<h2 id="praktisch">Goed om te weten</h2>\n'
        "      <p>Kom gerust eerder voor een wandeling.</p>",
    ]:
        assertContains(response, text, count=1)


def test_contacts_are_mail_and_phone_links_with_name_and_role(client):
    # Arrange
    event = EventFactory()
    ContactFactory(
        event=event,
        name="Anna de Vries",
        role="adviseur",
        phone="030 000 00 01",
        email="anna@example.org",
        order=1,
    )
    ContactFactory(event=event, name="Bram Koster", role="", phone="", email="bram@example.org")

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, "<strong>Anna de Vries</strong>, adviseur</p>", count=1)
    assertContains(response, '<a class="contact-link" href="tel:+31300000001">', count=1)
    assertContains(response, '<a class="contact-link" href="mailto:anna@example.org">', count=1)
    assertContains(response, "<strong>Bram Koster</strong></p>", count=1)
    assertContains(response, 'href="tel:', count=1)


def test_event_without_image_or_contacts_leaves_them_out(client):
    # Arrange
    event = EventFactory()

    # Act
    response = client.get(event_url(event))

    # Assert
    assertNotContains(response, "<img")
    assertNotContains(response, 'id="contact"')


# The calendar entry ------------------------------------------------------------------------


def test_calendar_download_is_the_evening_in_amsterdam_time_at_the_venue(client):
    # Arrange
    event = EventFactory(title="Participatielab juni", date=MONDAY)

    # Act
    response = client.get(reverse("registrations:event_calendar", args=[event.slug]))

    # Assert
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (entry,) = Calendar.from_ical(response.content).walk("VEVENT")
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert start == datetime.datetime(2030, 6, 3, 17, 0, tzinfo=AMSTERDAM)
    assert end == datetime.datetime(2030, 6, 3, 20, 0, tzinfo=AMSTERDAM)
    assert (start.tzinfo.key, end.tzinfo.key) == ("Europe/Amsterdam", "Europe/Amsterdam")
    assert str(entry["location"]) == "Kasteel Rhijnauwen, Rhijnauwenselaan 14b, Bunnik"
    assert str(entry["summary"]) == "Participatielab juni"
    assert str(entry["uid"]) == f"event-{event.pk}@participatielab"
    assert str(entry["url"]) == f"http://testserver{event_url(event)}"


def test_calendar_download_is_the_mails_entry_for_the_event(client, event, sign_up):
    # Arrange
    registration = sign_up(event, [("Jan Lid", "jan@example.org", event.sessions.first())])

    # Act
    page = client.get(reverse("registrations:event_calendar", args=[event.slug])).content
    mail = calendar_for(registration)

    # Assert: the same evening; only who it is for differs (the mail's links to the sign-up).
    (page_entry,) = Calendar.from_ical(page).walk("VEVENT")
    (mail_entry,) = Calendar.from_ical(mail).walk("VEVENT")
    same = ["dtstart", "dtend", "summary", "location"]
    assert [page_entry[key].to_ical() for key in same] == [
        mail_entry[key].to_ical() for key in same
    ]
    assert str(mail_entry["uid"]) == f"registration-{registration.pk}@participatielab"


def test_calendar_of_an_unpublished_event_not_found(client):
    # Arrange
    event = EventFactory(is_published=False)

    # Act
    response = client.get(reverse("registrations:event_calendar", args=[event.slug]))

    # Assert
    assert response.status_code == 404
