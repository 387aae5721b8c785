"""The event and theme-session admins of `sessions`: copying a lab, and sessions that stay
with their event."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions.models import Event
from sessions.services import set_event_image
from tests.admin_posts import run_action
from tests.factories import ContactFactory, EventFactory, ProgrammeItemFactory
from tests.images import photo, upload
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db


def test_copy_as_next_lab_action_copies_the_offer_without_sign_ups(adviser_client, event, sign_up):
    # Arrange
    sessions = list(event.sessions.all())
    sessions[0].capacity = 12
    sessions[0].save(update_fields=["capacity"])
    ProgrammeItemFactory(event=event, time=datetime.time(17, 0), title="Inloop")
    ProgrammeItemFactory(event=event, time=datetime.time(17, 15), title="Opening")
    ContactFactory(event=event, name="Anna de Vries", phone="030 000 00 01")
    set_event_image(event=event, upload=upload(photo(800, 400)), alt="Het kasteel")
    sign_up(event, members_of(event, 3))

    # Act
    response = run_action(adviser_client, "theme_sessions/event", "copy_as_next_lab", [event])

    # Assert
    assert response.status_code == 302
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.is_published is False
    assert [(s.title, s.capacity) for s in copy.sessions.all()] == [
        (s.title, s.capacity) for s in event.sessions.all()
    ]
    assert [(i.time, i.title) for i in copy.programme.all()] == [
        (datetime.time(17, 0), "Inloop"),
        (datetime.time(17, 15), "Opening"),
    ]
    assert copy.price_tiers_map() == {
        1: Decimal("50.00"),
        2: Decimal("85.00"),
        3: Decimal("100.00"),
    }
    assert list(copy.contacts.values_list("name", "phone")) == [("Anna de Vries", "030 000 00 01")]
    assert (copy.image.name, copy.image_width, copy.image_alt) == (
        event.image.name,
        event.image_width,
        "Het kasteel",
    )
    assert (copy.registrations.count(), copy.attendees.count(), copy.invoices.count()) == (
        0,
        0,
        0,
    )


def test_session_cannot_be_moved_to_another_event(adviser_client, event):
    # Arrange
    session = event.sessions.first()
    other = EventFactory()
    url = reverse("admin:theme_sessions_themesession_change", args=[session.pk])

    # Act
    response = adviser_client.post(
        url, {"event": other.pk, "title": session.title, "description": "", "order": 1}
    )

    # Assert: saved, but the event field is read-only, so the session stays where it was.
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.event_id == event.pk
