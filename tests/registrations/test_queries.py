"""Query counts of the sign-up pages: equal for a small and a large case."""

import pytest
from django.urls import reverse

from tests.factories import AttendeeFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sessions", "signups"), [(2, 0), (8, 30)], ids=["2-sessions-0-signups", "8-sessions-30"]
)
def test_signup_page_query_count_does_not_grow(
    client, make_busy_event, django_assert_num_queries, sessions, signups
):
    # Arrange
    event = make_busy_event(sessions=sessions, signups=signups)
    url = reverse("registrations:signup", args=[event.slug])

    # Act / Assert: the event, its sessions with seat counts, programme and price tiers.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("attendees", [1, 3], ids=["1-attendee", "3-attendees"])
def test_confirmation_page_query_count_does_not_grow(
    client, event, django_assert_num_queries, attendees
):
    # Arrange
    registration = RegistrationFactory(event=event)
    sessions = list(event.sessions.all())
    for n in range(attendees):
        AttendeeFactory(registration=registration, session=sessions[n])

    # Act / Assert: the registration with event, organisation and invoice; its attendees;
    # the sessions with their seat counts (for changing a session).
    with django_assert_num_queries(3):
        response = client.get(registration.get_absolute_url())
    assert response.status_code == 200
