"""The event and theme-session admins as this app extends them: the back-office links, and
prices and the waiting list brought up to date after staff change an event."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.models import Status
from registrations.waiting_list import refresh_event

pytestmark = pytest.mark.django_db


def test_event_changelist_as_adviser_shows_the_event(adviser_client, event):
    # Act
    response = adviser_client.get(reverse("admin:theme_sessions_event_changelist"))

    # Assert
    assertContains(response, event.title)
    assertContains(response, reverse("admin:theme_sessions_event_overview", args=[event.pk]))


def test_new_price_reprices_existing_sign_ups(event, sign_up):
    # Arrange: an organisation of three owes € 100,00.
    sessions = list(event.sessions.all())
    registration = sign_up(
        event, [(f"Lid {n}", f"lid{n}@example.org", sessions[n]) for n in range(3)]
    )
    event.price_tiers.filter(group_size=3).update(amount=Decimal("120.00"))

    # Act: what the event's change form does after staff saved it.
    refresh_event(event=event)

    # Assert
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("120.00")


def test_session_change_form_with_more_places_admits_the_waiting_group(
    adviser_client, event, sign_up
):
    # Arrange: the session's one place is taken and a group waits for it.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    session = event.sessions.first()
    session.capacity = 1
    session.save(update_fields=["capacity"])
    sign_up(event, [("Piet Eerst", "piet@example.org", session)])
    waiting = sign_up(
        event,
        [("Joop Wacht", "joop@example.org", session)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
        wait=True,
    )
    assert waiting.status == Status.WAITING
    url = reverse("admin:theme_sessions_themesession_change", args=[session.pk])

    # Act
    response = adviser_client.post(
        url,
        {"title": session.title, "description": "", "capacity": 2, "order": session.order},
    )

    # Assert
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert list(waiting.attendees.values_list("status", flat=True)) == [Status.CONFIRMED]
    assert waiting.invoice.amount_due == Decimal("50.00")
    assert "Bewonersraad De Eik is van de wachtlijst geplaatst." in [
        m.message for m in get_messages(response.wsgi_request)
    ]
