"""The waiting list: full groups wait, freed places go to the oldest group that fits."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from registrations.changes import cancel_attendee, cancel_registration
from registrations.errors import RegistrationError
from registrations.models import Attendee, Registration, Status
from registrations.waiting_list import admit_from_waiting_list, refresh_event
from tests.admin_posts import run_action
from tests.db_checks import db_state
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import signup_data, signup_url

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["session", "event"])
def full_lab(request, event):
    """A lab with a waiting list whose two places (in the first session, or in the whole
    event) are taken; returns (event, the full session)."""
    event.has_waiting_list = True
    session = event.sessions.first()
    if request.param == "session":
        session.capacity = 2
        session.save(update_fields=["capacity"])
    else:
        event.capacity = 2
    event.save()
    return event, session


@pytest.fixture
def sign(sign_up):
    """Sign up `size` board members of organisation `name` in `session`, at `minutes_ago`."""

    def make(event, session, name, size=1, *, minutes_ago=None):
        registration = sign_up(
            event,
            [(f"{name} {n}", f"{name}{n}@example.org", session) for n in range(size)],
            organisation_name=f"Huurders {name}",
            contact_email=f"{name}@example.org",
        )
        if minutes_ago is not None:
            created = timezone.now() - datetime.timedelta(minutes=minutes_ago)
            Registration.objects.filter(pk=registration.pk).update(created_at=created)
        return registration

    return make


def state(registration):
    """Return the registration's status, its board members' statuses and what it owes."""
    registration.refresh_from_db()
    registration.invoice.refresh_from_db()
    return (
        registration.status,
        sorted(registration.attendees.values_list("status", flat=True)),
        registration.invoice.amount_due,
    )


def subjects_to(outbox, address):
    return [message.subject for message in outbox if message.to == [address]]


WAITING_ONE = (Status.WAITING, [Status.WAITING], Decimal("0.00"))
WAITING_TWO = (Status.WAITING, [Status.WAITING] * 2, Decimal("0.00"))
CONFIRMED_ONE = (Status.CONFIRMED, [Status.CONFIRMED], Decimal("50.00"))


# Signing up for a full lab -------------------------------------------------------------------


def test_signup_for_a_full_lab_waits_and_pays_nothing(
    client, full_lab, sign, mailoutbox, send_queued_mail
):
    # Arrange
    event, session = full_lab
    sign(event, session, "first", size=2)
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = client.post(
        signup_url(event),
        signup_data(
            [("Joop Voorbeeld", "joop@example.org", session)],
            organisation_name="Bewonersraad De Eik",
            contact_name="Joop Voorbeeld",
            contact_email="joop@example.org",
        ),
        follow=True,
    )
    send_queued_mail()

    # Assert
    waiting = Registration.objects.get(contact_email="joop@example.org")
    assert response.redirect_chain == [(waiting.get_absolute_url(), 302)]
    assertContains(response, "U staat op de wachtlijst", count=1)
    assert state(waiting) == WAITING_ONE
    (mail,) = [m for m in mailoutbox if m.to == ["joop@example.org"]]
    assert mail.subject.startswith("Wachtlijst: ")
    assert mail.attachments == []


# Places that come free -----------------------------------------------------------------------


def test_cancel_moves_in_the_waiting_group_that_fits(full_lab, sign, mailoutbox, send_queued_mail):
    # Arrange: a pair waits longest, but only one place comes free.
    event, session = full_lab
    first = sign(event, session, "first", size=2, minutes_ago=30)
    pair = sign(event, session, "pair", size=2, minutes_ago=20)
    single = sign(event, session, "single", minutes_ago=10)
    assert (state(pair), state(single)) == (WAITING_TWO, WAITING_ONE)
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    cancel_attendee(attendee=first.attendees.first(), by_staff=False)
    send_queued_mail()

    # Assert
    assert state(single) == CONFIRMED_ONE
    assert state(pair) == WAITING_TWO
    (promoted,) = subjects_to(mailoutbox, "single@example.org")
    assert promoted.startswith("Er is plaats: ")
    assert subjects_to(mailoutbox, "pair@example.org") == []


def test_cancel_moves_in_the_oldest_waiting_group_first(
    full_lab, sign, mailoutbox, send_queued_mail
):
    # Arrange: the later sign-up is the older one, so creation time decides, not the row id.
    event, session = full_lab
    first = sign(event, session, "first", size=2, minutes_ago=30)
    newer = sign(event, session, "newer", minutes_ago=5)
    older = sign(event, session, "older", minutes_ago=10)
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    cancel_attendee(attendee=first.attendees.first(), by_staff=False)
    send_queued_mail()

    # Assert
    assert state(older) == CONFIRMED_ONE
    assert state(newer) == WAITING_ONE
    assert [s.split(":")[0] for s in subjects_to(mailoutbox, "older@example.org")] == [
        "Er is plaats"
    ]
    assert subjects_to(mailoutbox, "newer@example.org") == []


def test_refresh_event_after_more_places_admits_the_group(
    event, sign, mailoutbox, send_queued_mail
):
    # Arrange
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    session = event.sessions.first()
    session.capacity = 2
    session.save(update_fields=["capacity"])
    sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    session.capacity = 3
    session.save(update_fields=["capacity"])
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    promoted = refresh_event(event=event)
    send_queued_mail()

    # Assert
    assert promoted == [waiting]
    assert state(waiting) == CONFIRMED_ONE
    assert [s.split(":")[0] for s in subjects_to(mailoutbox, "waiting@example.org")] == [
        "Er is plaats"
    ]


# Staff and the waiting list ------------------------------------------------------------------


def admit(admin_client, registration):
    return run_action(
        admin_client, "registrations/registration", "admit_from_waiting_list", [registration]
    )


def messages_of(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_admit_action_moves_in_a_group_that_fits(
    admin_client, full_lab, sign, mailoutbox, send_queued_mail
):
    # Arrange
    event, session = full_lab
    sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    # Staff make one more place, where the limit is (the session or the whole event).
    if event.capacity is not None:
        event.capacity = 3
        event.save(update_fields=["capacity"])
    if session.capacity is not None:
        session.capacity = 3
        session.save(update_fields=["capacity"])
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = admit(admin_client, waiting)
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    assert messages_of(response) == [("success", "Van de wachtlijst geplaatst: Huurders waiting.")]
    assert state(waiting) == CONFIRMED_ONE
    assert [s.split(":")[0] for s in subjects_to(mailoutbox, "waiting@example.org")] == [
        "Er is plaats"
    ]


def test_admit_action_refuses_a_group_that_does_not_fit(
    admin_client, full_lab, sign, mailoutbox, send_queued_mail
):
    # Arrange
    event, session = full_lab
    sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    send_queued_mail()  # the mails of the sign-ups above
    mailoutbox.clear()

    # Act
    response = admit(admin_client, waiting)
    send_queued_mail()

    # Assert
    assert response.status_code == 302
    ((level, message),) = messages_of(response)
    assert level == "error"
    assert message.startswith("Huurders waiting: ")
    assert "te weinig plaats" in message
    assert state(waiting) == WAITING_ONE
    assert mailoutbox == []


def test_changelist_of_the_waiting_list_shows_oldest_first(admin_client, full_lab, sign):
    # Arrange
    event, session = full_lab
    sign(event, session, "first", size=2, minutes_ago=60)
    middle = sign(event, session, "middle", minutes_ago=20)
    newest = sign(event, session, "newest", minutes_ago=10)
    oldest = sign(event, session, "oldest", minutes_ago=30)

    # Act
    response = admin_client.get(
        reverse("admin:registrations_registration_changelist"), {"status__exact": "waiting"}
    )

    # Assert
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [oldest, middle, newest]


# What the waiting list refuses and what it counts -------------------------------------------


def test_admit_from_waiting_list_refuses_a_group_that_is_not_waiting(full_lab, sign):
    # Arrange: one confirmed group, and one that cancelled.
    event, session = full_lab
    confirmed = sign(event, session, "first")
    cancelled = sign(event, session, "gone")
    cancel_registration(registration=cancelled, by_staff=True)
    before = db_state()

    # Act
    errors = []
    for registration in (confirmed, cancelled):
        with pytest.raises(RegistrationError) as caught:
            admit_from_waiting_list(registration=registration)
        errors.append((caught.value.code, caught.value.message))

    # Assert
    assert errors == [("not_waiting", "Deze aanmelding staat niet op de wachtlijst.")] * 2
    assert db_state() == before


def test_admit_action_on_a_confirmed_group_says_it_is_not_waiting(admin_client, full_lab, sign):
    # Arrange
    event, session = full_lab
    confirmed = sign(event, session, "first")

    # Act
    response = admit(admin_client, confirmed)

    # Assert
    assert messages_of(response) == [
        ("error", "Huurders first: Deze aanmelding staat niet op de wachtlijst.")
    ]
    assert state(confirmed) == CONFIRMED_ONE


def test_cancelled_member_of_a_waiting_group_is_not_counted_as_demand(full_lab, sign):
    # Arrange: the pair waits; one of them cancels, so one free place is enough for the other.
    event, session = full_lab
    first = sign(event, session, "first", size=2)
    pair = sign(event, session, "pair", size=2)
    cancel_attendee(attendee=pair.attendees.first(), by_staff=False)
    assert pair.attendees.filter(status=Status.WAITING).count() == 1

    # Act
    cancel_attendee(attendee=first.attendees.first(), by_staff=False)

    # Assert
    assert state(pair) == (Status.CONFIRMED, [Status.CANCELLED, Status.CONFIRMED], Decimal("50.00"))


def test_admit_from_waiting_list_counts_only_the_waiting_members(full_lab, sign):
    # Arrange: one place comes free; the waiting pair has lost a member.
    event, session = full_lab
    first = sign(event, session, "first", size=2)
    pair = sign(event, session, "pair", size=2)
    cancel_attendee(attendee=pair.attendees.first(), by_staff=False)
    # Free a place without the automatic move-in: Atrivé keeps it and admits by hand.
    Attendee.objects.filter(pk=first.attendees.first().pk).update(status=Status.CANCELLED)

    # Act
    admit_from_waiting_list(registration=pair)

    # Assert
    assert state(pair) == (Status.CONFIRMED, [Status.CANCELLED, Status.CONFIRMED], Decimal("50.00"))


def test_admit_from_waiting_list_refuses_a_group_that_does_not_fit(full_lab, sign):
    # Arrange
    event, session = full_lab
    sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    before = db_state()

    # Act
    with pytest.raises(RegistrationError) as caught:
        admit_from_waiting_list(registration=waiting)

    # Assert
    assert caught.value.code in {"session_full", "event_full"}
    assert db_state() == before


def test_promoted_group_counts_as_unconfirmed_until_its_mail_is_out(
    full_lab, sign, send_queued_mail
):
    # Arrange: the waiting-list notice went out.
    event, session = full_lab
    first = sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    send_queued_mail()
    waiting.refresh_from_db()
    assert waiting.confirmation_sent_at is not None

    # Act: a place comes free, but the "there is a place" mail has not gone yet.
    cancel_attendee(attendee=first.attendees.first(), by_staff=True)

    # Assert
    waiting.refresh_from_db()
    assert (waiting.status, waiting.confirmation_sent_at) == (Status.CONFIRMED, None)


def test_places_freed_at_one_lab_never_go_to_another_labs_waiting_list(full_lab, sign, event):
    # Arrange: another lab with its own full session and a waiting group.
    other_event = EventFactory(has_waiting_list=True)
    other_session = ThemeSessionFactory(event=other_event, capacity=1)
    sign(other_event, other_session, "elders")
    elsewhere = sign(other_event, other_session, "wachtend")
    lab_event, session = full_lab
    first = sign(lab_event, session, "first", size=2)

    # Act
    cancel_attendee(attendee=first.attendees.first(), by_staff=False)

    # Assert
    assert state(elsewhere) == WAITING_ONE


def test_cancel_after_the_waiting_list_was_switched_off_leaves_the_queue_waiting(full_lab, sign):
    # Arrange: a pair waits; then staff switch the waiting list off. One place comes free,
    # not enough for the pair.
    event, session = full_lab
    first = sign(event, session, "first", size=2)
    pair = sign(event, session, "pair", size=2)
    type(event).objects.filter(pk=event.pk).update(has_waiting_list=False)

    # Act
    cancel_attendee(attendee=first.attendees.first(), by_staff=False)

    # Assert
    assert state(pair) == WAITING_TWO
    assert first.attendees.filter(status=Status.CANCELLED).count() == 1


def test_admit_from_waiting_list_by_staff_after_the_deadline(full_lab, sign):
    # Arrange: the sign-up period is over; a place came free without a move-in.
    event, session = full_lab
    first = sign(event, session, "first", size=2)
    waiting = sign(event, session, "waiting")
    Attendee.objects.filter(pk=first.attendees.first().pk).update(status=Status.CANCELLED)
    type(event).objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(days=1)
    )

    # Act
    admit_from_waiting_list(registration=waiting)

    # Assert
    assert state(waiting) == CONFIRMED_ONE
