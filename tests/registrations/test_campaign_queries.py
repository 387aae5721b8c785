"""The invitation and message pages run as many queries for a few recipients as for many."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AttendeeFactory, EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

SIZES = pytest.mark.parametrize("people", [2, 40], ids=["2-people", "40-people"])


def lab_with(people: int, **fields):
    lab = EventFactory(**fields)
    session = ThemeSessionFactory(event=lab)
    for n in range(people):
        AttendeeFactory(
            registration__event=lab,
            registration__contact_email=f"contact{n}@example.org",
            email="" if n % 2 else f"lid{n}@example.org",
            session=session,
        )
    return lab


@SIZES
def test_invitation_preview_query_count_does_not_grow(
    admin_client, django_assert_num_queries, people
):
    lab_with(
        people,
        date=timezone.localdate() - datetime.timedelta(days=60),
        registration_deadline=timezone.now() - datetime.timedelta(days=70),
    )
    event = EventFactory()
    url = reverse("admin:theme_sessions_event_invite", args=[event.pk])
    admin_client.get(url)  # the session and the user are read once

    with django_assert_num_queries(13):
        response = admin_client.post(url, {"scope": "all", "last": 1, "preview": "1"})

    assert len(response.context["recipients"]) == people


@SIZES
def test_message_preview_query_count_does_not_grow(admin_client, django_assert_num_queries, people):
    event = lab_with(people)
    url = reverse("admin:theme_sessions_event_mailing", args=[event.pk])
    data = {"audience": "attendees", "subject": "Route", "body": "Neem de A12.", "preview": "1"}

    with django_assert_num_queries(5):
        response = admin_client.post(url, data)

    assert response.context["people"] == people
