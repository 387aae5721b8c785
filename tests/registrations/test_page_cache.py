"""Public pages from a shared cache (Redis in production; here the test's own memory, which
this one process shares): a hit reads nothing from the database, every visitor still gets
their own form tokens, and what may differ per visitor or per moment is never served stored.

That every write shows on every page is checked in test_caching.py, for both kinds of cache.
"""

import datetime
import re

import pytest
from django.contrib.messages import INFO
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from registrations.forms import STARTED_SALT
from registrations.models import Registration
from sessions.models import Event
from tests.signup_posts import event_url, members_of, signup_data, signup_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.SHARED_CACHE = True


def hidden(name: str, html: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("page", [event_url, signup_url], ids=["event page", "sign-up page"])
def test_a_stored_page_is_served_without_a_database_query(
    client, event, django_assert_num_queries, page
):
    # Arrange: the first request finds the event's id, the second stores the page under the
    # tokens it read before the database.
    client.get(page(event))
    first = client.get(page(event))

    # Act
    with django_assert_num_queries(0):
        again = Client().get(page(event))

    # Assert
    assert first.status_code == again.status_code == 200
    assert event.title in again.content.decode()


def test_each_visitor_of_a_stored_sign_up_page_gets_their_own_tokens_and_can_sign_up(event):
    # Arrange
    Client().get(signup_url(event))
    Client().get(signup_url(event))
    anna, bert = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    # Act
    pages = [
        anna.get(signup_url(event)).content.decode(),
        bert.get(signup_url(event)).content.decode(),
    ]
    csrf = [hidden("csrfmiddlewaretoken", page) for page in pages]
    started = [hidden("started", page) for page in pages]
    response = anna.post(
        signup_url(event),
        signup_data(members_of(event, 1), csrfmiddlewaretoken=csrf[0], started=started[0]),
    )

    # Assert: fresh values, not the stand-ins the stored page holds.
    assert csrf[0] != csrf[1] and started[0] != started[1]
    assert all(signing.loads(value, salt=STARTED_SALT) for value in started)
    assert "csrf-token-of-this-visitor" not in pages[0]
    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_a_visitor_with_a_session_gets_a_fresh_page(client, event):
    # Arrange: the page is stored; then the title changes behind the cache's back (a write
    # the pages do not know of), so only a fresh render shows it.
    Client().get(event_url(event))
    Client().get(event_url(event))
    Event.objects.filter(pk=event.pk).update(title="Participatielab nieuw")
    client.cookies["sessionid"] = "not-a-session"  # staff, or a message waiting

    # Act
    with_session = client.get(event_url(event)).content.decode()
    without = Client().get(event_url(event)).content.decode()

    # Assert
    assert "Participatielab nieuw" in with_session
    assert "Participatielab nieuw" not in without


def test_a_visitor_with_a_message_waiting_sees_it_on_a_stored_page(client, event):
    # Arrange: the page is stored; this visitor's last action left a message in its cookie.
    Client().get(event_url(event))
    Client().get(event_url(event))
    storage = CookieStorage(HttpRequest())
    client.cookies["messages"] = storage._encode([Message(INFO, "Uw aanmelding is afgemeld.")])

    # Act
    response = client.get(event_url(event))

    # Assert
    assert "Uw aanmelding is afgemeld." in response.content.decode()


def test_a_stored_page_is_not_served_once_the_deadline_has_passed(client, event, monkeypatch):
    # Arrange: stored while the sign-up was open; then time passes, with no write at all.
    client.get(signup_url(event))
    client.get(signup_url(event))
    later = event.registration_deadline + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    # Act
    response = Client().get(signup_url(event))

    # Assert
    assert response.status_code == 200
    assert "gesloten" in response.content.decode()
    assert 'name="started"' not in response.content.decode()


def test_a_page_of_an_event_taken_offline_is_no_longer_served(
    client, event, django_capture_on_commit_callbacks
):
    # Arrange
    client.get(event_url(event))
    client.get(event_url(event))

    # Act: staff unpublish it; the token is raised when the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        event.is_published = False
        event.save()
    response = Client().get(event_url(event))

    # Assert
    assert response.status_code == 404
