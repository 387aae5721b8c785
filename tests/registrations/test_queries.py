"""Query counts of the sign-up pages and the back office's lists: equal for a small and a
large case."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.models import Attendee, Invoice, MailStatus, OutboxMail, Status
from sessions.models import Event
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    OutboxMailFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    ThemeSessionFactory,
)

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

    # Act / Assert: the event, the organisation list's version (the cache key), its sessions
    # with seat counts, programme, price tiers and the organisation names suggested; the
    # site's settings (the logo in the header).
    with django_assert_num_queries(7):
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
    # the sessions with their seat counts (for changing a session); the event's contacts;
    # the site's settings (the logo in the header).
    with django_assert_num_queries(5):
        response = client.get(registration.get_absolute_url())
    assert response.status_code == 200


# The back office ------------------------------------------------------------------------------


DIETS = ["", "", "Vegetarisch", "", "Glutenvrij", "", "vegetarisch "]


def busy_event(attendees: int) -> Event:
    """Build a lab with `attendees` board members from organisations of up to three people.

    Registrations come from the factory and attendees are bulk-inserted; every third
    organisation has paid, some sign-ups are cancelled or on the waiting list, and each has
    a mail in the outbox (sent, failed or queued).
    """
    event = EventFactory(has_waiting_list=True)
    sessions = ThemeSessionFactory.create_batch(4, event=event, capacity=400)
    ProgrammeItemFactory(event=event)
    statuses = [Status.CONFIRMED] * 5 + [Status.CANCELLED, Status.WAITING]
    registrations = [
        RegistrationFactory(event=event, status=statuses[n % len(statuses)])
        for n in range((attendees + 2) // 3)
    ]
    Attendee.objects.bulk_create(
        AttendeeFactory.build(
            registration=registrations[n // 3],
            session=sessions[n % len(sessions)],
            dietary_wishes=DIETS[n % len(DIETS)],
        )
        for n in range(attendees)
    )
    mail_statuses = [MailStatus.SENT, MailStatus.SENT, MailStatus.FAILED, MailStatus.QUEUED]
    OutboxMail.objects.bulk_create(
        OutboxMailFactory.build(registration=registration, status=mail_statuses[n % 4])
        for n, registration in enumerate(registrations)
    )
    Invoice.objects.filter(event=event).update(attendee_count=3, amount_due=Decimal("100.00"))
    paid = Invoice.objects.filter(event=event).order_by("pk")[::3]
    Invoice.objects.filter(pk__in=[invoice.pk for invoice in paid]).update(
        amount_paid=Decimal("100.00"), paid_at=timezone.now()
    )
    return event


# Found by running once; they must be the same for 10 and for 300 attendees. Each includes
# the session and user look-ups of the logged-in superuser.
# The attendee and registration lists skip the second count of all rows
# (show_full_result_count = False).
QUERIES = {
    "attendee": 6,
    "registration": 7,  # no second count of all sign-ups either
    "invoice": 6,
    "outboxmail": 7,
    "overview": 14,  # with likely doubles, invitations and attendance (3), what was invoiced
    "organisation": 5,
    "desk_list": 4,  # the event, the attendees with organisation and session
    "check_in": 5,  # and the counts present/expected
    # The labs, the last lab, per lab its sessions, people and money; the oldest mail.
    "dashboard": 20,
}

SIZES = pytest.mark.parametrize("attendees", [10, 300], ids=["10-attendees", "300-attendees"])


@SIZES
@pytest.mark.parametrize(
    "page", ["attendee", "registration", "invoice", "outboxmail", "organisation"]
)
def test_changelist_query_count_does_not_grow(
    admin_client, django_assert_num_queries, attendees, page
):
    # Arrange
    busy_event(attendees)

    # Act / Assert
    with django_assert_num_queries(QUERIES[page]):
        response = admin_client.get(reverse(f"admin:registrations_{page}_changelist"))
    assert response.status_code == 200


@SIZES
def test_event_overview_query_count_does_not_grow(
    admin_client, django_assert_num_queries, attendees
):
    # Arrange
    event = busy_event(attendees)

    # Act / Assert
    with django_assert_num_queries(QUERIES["overview"]):
        response = admin_client.get(reverse("admin:theme_sessions_event_overview", args=[event.pk]))
    assert response.status_code == 200


@SIZES
@pytest.mark.parametrize("page", ["desk_list", "check_in"])
def test_evening_page_query_count_does_not_grow(
    admin_client, django_assert_num_queries, attendees, page
):
    # Arrange: a third of the board members are present.
    event = busy_event(attendees)
    present = Attendee.objects.filter(event=event).order_by("pk")[::3]
    Attendee.objects.filter(pk__in=[a.pk for a in present]).update(checked_in_at=timezone.now())

    # Act / Assert
    with django_assert_num_queries(QUERIES[page]):
        response = admin_client.get(reverse(f"admin:theme_sessions_event_{page}", args=[event.pk]))
    assert response.status_code == 200


@SIZES
def test_dashboard_query_count_does_not_grow(admin_client, django_assert_num_queries, attendees):
    # Arrange: the busy lab to come, and one held before.
    busy_event(attendees)
    EventFactory(date=timezone.localdate() - datetime.timedelta(days=60))

    # Act / Assert
    with django_assert_num_queries(QUERIES["dashboard"]):
        response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200


@pytest.mark.parametrize("people", [1, 5], ids=["1-person", "5-people"])
def test_personal_data_lookup_query_count_does_not_grow(
    admin_client, event, django_assert_num_queries, people
):
    # Arrange: `people` board members of different sign-ups share the secretariat's address.
    for _n in range(people):
        AttendeeFactory(registration__event=event, email="secretariaat@example.org")
    url = reverse("admin:registrations_registration_personal_data")

    # Act / Assert: the session and user, the contacts, the members, their evaluation answers,
    # the mails to them.
    with django_assert_num_queries(6):
        response = admin_client.post(url, {"email": "secretariaat@example.org", "action": "search"})
    assert response.status_code == 200
    assert len(response.context["found"]["as_attendee"]) == people
