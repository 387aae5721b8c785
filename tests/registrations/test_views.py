"""The public pages about what is on offer: the list of labs, one lab's page with its free
places, and the sign-up page's cached form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import AttendeeFactory, EventFactory, ProgrammeItemFactory, ThemeSessionFactory
from tests.signup_posts import event_url, signup_url

pytestmark = pytest.mark.django_db

# A Monday, far enough ahead to stay upcoming.
MONDAY = datetime.date(2030, 6, 3)
MONDAY_DEADLINE = timezone.make_aware(datetime.datetime(2030, 5, 27, 12, 0))


def test_event_list_shows_published_upcoming_event(client):
    # Arrange
    published = EventFactory(title="Participatielab juni", date=MONDAY)
    EventFactory(title="Participatielab concept", date=MONDAY, is_published=False)
    EventFactory(title="Participatielab vorig jaar", date=timezone.localdate().replace(year=2020))

    # Act
    response = client.get(reverse("registrations:event_list"))

    # Assert
    assert response.status_code == 200
    assert [event.pk for event in response.context["events"]] == [published.pk]
    assertContains(response, f'<a href="/{published.slug}/">Participatielab juni</a>', count=1)
    assertNotContains(response, "Participatielab concept")
    assertNotContains(response, "Participatielab vorig jaar")


def test_event_list_without_events_says_so(client, db):
    response = client.get(reverse("registrations:event_list"))

    assertContains(response, "Er staan op dit moment geen bijeenkomsten gepland.", count=1)


def test_event_detail_shows_date_written_out_in_dutch(client):
    # Arrange
    event = EventFactory(date=MONDAY, registration_deadline=MONDAY_DEADLINE)

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, "<dd>Maandag 3 juni 2030<br>17:00–20:00 uur</dd>", count=1)
    assertContains(response, "Kan tot en met maandag 27 mei.", count=1)


def test_event_detail_shows_programme_sessions_and_prices(client, event):
    # Arrange
    ProgrammeItemFactory(event=event, time=datetime.time(17, 0), title="Inloop")
    ProgrammeItemFactory(event=event, time=datetime.time(18, 0), title="Pauze met soep")

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, '<th scope="row">17:00</th><td>Inloop</td>', count=1)
    assertContains(response, '<th scope="row">18:00</th><td>Pauze met soep</td>', count=1)
    for title in ["Duurzaamheid", "Financiën van de corporatie", "Werksessie", "Jaarcyclus"]:
        assertContains(response, f'<h3 class="h5">{title}</h3>', count=1)
    assertContains(response, '<td class="text-end amount">€ 50,00</td>', count=1)
    assertContains(response, '<td class="text-end amount">€ 85,00</td>', count=1)
    assertContains(response, '<td class="text-end amount">€ 100,00</td>', count=1)
    assertContains(response, f'href="{signup_url(event)}"', count=2)


def test_event_detail_session_with_maximum_shows_places_left(client, event):
    # Arrange
    limited = ThemeSessionFactory(event=event, capacity=25)
    AttendeeFactory(registration__event=event, session=limited)
    full = ThemeSessionFactory(event=event, capacity=1)
    AttendeeFactory(registration__event=event, session=full)

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, '<p class="places">Nog 24 plaatsen vrij</p>', count=1)
    assertContains(response, '<p class="places"><strong>Vol</strong></p>', count=1)
    assertContains(response, '<p class="places">', count=2)


def test_event_detail_after_deadline_says_sign_up_closed(client):
    # Arrange
    event = EventFactory(registration_deadline=timezone.now() - datetime.timedelta(days=1))

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, "<strong>De aanmelding is gesloten.</strong>", count=1)
    assertNotContains(response, signup_url(event))


def test_event_detail_unpublished_not_found(client):
    event = EventFactory(is_published=False)

    response = client.get(event_url(event))

    assertContains(response, "Deze pagina bestaat niet (meer)", status_code=404)


def test_event_detail_unknown_slug_not_found(client, db):
    response = client.get(reverse("registrations:event_detail", args=["bestaat-niet"]))

    assertContains(response, "Deze pagina bestaat niet (meer)", status_code=404)


# Query counts: equal for a quiet and a busy lab --------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "signups"), [(2, 0), (8, 30)], ids=["2-sessions-0-signups", "8-sessions-30"]
)
def test_event_detail_query_count_does_not_grow(
    client, make_busy_event, django_assert_num_queries, sessions, signups
):
    # Arrange
    event = make_busy_event(sessions=sessions, signups=signups)
    url = event_url(event)

    # Act / Assert: the event, its sessions with seat counts, price tiers, programme,
    # contacts and the site's settings (the logo); once cached, only the event (its version
    # keys the cached page).
    # One more than before the report: the latest earlier lab with a report, for its link.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(1):
        cached = client.get(url)

    def article(page):
        html = page.content.decode()
        return html[html.index("<article") : html.index("</article>")]

    assert article(cached) == article(response)


@pytest.mark.parametrize("events", [1, 6], ids=["1-event", "6-events"])
def test_event_list_query_count_does_not_grow(
    client, make_busy_event, django_assert_num_queries, events
):
    # Arrange
    for _ in range(events):
        make_busy_event(sessions=2, signups=1)

    # Act / Assert: the events, the announced labs, and the site's settings (the logo).
    with django_assert_num_queries(3):
        response = client.get(reverse("registrations:event_list"))
    assert len(response.context["events"]) == events


def test_event_page_cache_follows_free_places(client, sign_up):
    # Arrange: a session with two places, shown once so the page is cached.
    event = EventFactory()
    session = ThemeSessionFactory(event=event, title="Duurzaamheid", capacity=2)
    url = event_url(event)
    assertContains(client.get(url), "Nog 2 plaatsen vrij")

    # Act: someone takes a place.
    sign_up(event, [("Jan Voorbeeld", "jan@example.org", session)])

    # Assert: the cached page is not shown any more.
    assertContains(client.get(url), "Nog 1 plaats vrij")


def test_signup_page_cache_follows_free_places(client, sign_up):
    # Arrange
    event = EventFactory()
    session = ThemeSessionFactory(event=event, title="Duurzaamheid", capacity=2)
    url = signup_url(event)
    assertContains(client.get(url), "Duurzaamheid (nog 2 plaatsen)")

    # Act
    sign_up(event, [("Jan Voorbeeld", "jan@example.org", session)])

    # Assert
    assertContains(client.get(url), "Duurzaamheid (nog 1 plaats)")


def test_signup_page_cached_form_runs_fewer_queries(client, event, django_assert_num_queries):
    # Arrange: the first visit builds the form and caches it.
    url = signup_url(event)
    with django_assert_num_queries(7):
        first = client.get(url)

    # Act / Assert: later visits read only the event, the organisation list's version and the
    # site's settings (the logo).
    with django_assert_num_queries(3):
        later = client.get(url)
    assert first.status_code == later.status_code == 200
    assertContains(later, 'name="members-2-session"')


@pytest.mark.parametrize(
    ("waiting_list", "offered"),
    [(True, "Aanmelden voor de wachtlijst"), (False, None)],
    ids=["with-waiting-list", "without"],
)
def test_event_page_full_event_says_so(client, sign_up, waiting_list, offered):
    # Arrange: an event with one place, taken.
    event = EventFactory(capacity=1, has_waiting_list=waiting_list)
    session = ThemeSessionFactory(event=event)
    sign_up(event, [("Jan Voorbeeld", "jan@example.org", session)])

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, "Deze bijeenkomst is vol.")
    if offered:
        assertContains(response, offered)
    else:
        assertNotContains(response, 'href="' + signup_url(event))


def test_event_page_full_when_every_session_is_full(client, sign_up):
    # Arrange: no maximum for the event itself, but both sessions have one, and it is reached.
    event = EventFactory(has_waiting_list=True)
    sessions = [ThemeSessionFactory(event=event, capacity=1) for _ in range(2)]
    sign_up(event, [("Jan Voorbeeld", "jan@example.org", sessions[0])])
    sign_up(
        event,
        [("Piet Voorbeeld", "piet@example.org", sessions[1])],
        organisation_name="Bewonersraad De Eik",
        contact_email="piet@example.org",
    )

    # Act
    response = client.get(event_url(event))

    # Assert
    assertContains(response, "Deze bijeenkomst is vol.")
    assertContains(response, "Aanmelden voor de wachtlijst")
