"""Seat counts: places taken and left per session, and when a session or the lab is full."""

import pytest

from registrations.availability import confirmed_count, is_full, place_members, with_seat_counts
from registrations.errors import RegistrationError
from registrations.models import Status
from registrations.signup import AttendeeData
from tests.factories import AttendeeFactory, EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db


def test_with_seat_counts_counts_only_confirmed_members_and_never_goes_below_zero(event):
    # Arrange: sessions without a maximum, with room, exactly full, and over full (staff
    # lowered the maximum after sign-ups). Waiting and cancelled members take no place.
    unlimited = ThemeSessionFactory(event=event, title="Onbeperkt")
    room = ThemeSessionFactory(event=event, title="Ruim", capacity=3)
    full = ThemeSessionFactory(event=event, title="Vol", capacity=2)
    over = ThemeSessionFactory(event=event, title="Te vol", capacity=1)
    for session, confirmed in [(unlimited, 2), (room, 1), (full, 2), (over, 2)]:
        for _n in range(confirmed):
            AttendeeFactory(registration__event=event, session=session)
    for status in (Status.WAITING, Status.CANCELLED):
        AttendeeFactory(registration__event=event, session=room, status=status)

    # Act
    counted = with_seat_counts(
        event.sessions.filter(pk__in=[unlimited.pk, room.pk, full.pk, over.pk])
    )

    # Assert
    assert {s.title: (s.taken, s.places_left, s.is_full) for s in counted} == {
        "Onbeperkt": (2, None, False),
        "Ruim": (1, 2, False),
        "Vol": (2, 0, True),
        "Te vol": (2, 0, True),
    }


def test_confirmed_count_and_is_full_look_at_this_lab_only(event):
    # Arrange: this lab has one place left; another lab is busy.
    event.capacity = 2
    event.save(update_fields=["capacity"])
    session = event.sessions.first()
    AttendeeFactory(registration__event=event, session=session)
    other = EventFactory()
    for _n in range(3):
        AttendeeFactory(registration__event=other, session=ThemeSessionFactory(event=other))

    # Act / Assert
    assert confirmed_count(event) == 1
    assert is_full(event, with_seat_counts(event.sessions.all())) is False
    assert place_members(
        event, [AttendeeData(name="Jan", session_id=session.pk)], wait_as_group=False
    ) == [Status.CONFIRMED]


def test_is_full_when_the_lab_or_every_session_is_full(event):
    # Arrange
    lab_full = EventFactory(capacity=1)
    AttendeeFactory(registration__event=lab_full, session=ThemeSessionFactory(event=lab_full))
    sessions_full = EventFactory()
    AttendeeFactory(
        registration__event=sessions_full,
        session=ThemeSessionFactory(event=sessions_full, capacity=1),
    )

    # Act / Assert
    assert is_full(lab_full, with_seat_counts(lab_full.sessions.all())) is True
    assert is_full(sessions_full, with_seat_counts(sessions_full.sessions.all())) is True
    assert is_full(event, with_seat_counts(event.sessions.all())) is False
    assert is_full(EventFactory(), []) is False  # no sessions yet: nothing to be full


def test_place_members_refusals_say_why(event):
    # Arrange
    event.capacity = 1
    event.save(update_fields=["capacity"])
    session = event.sessions.first()

    # Act
    errors = []
    for session_ids in ([ThemeSessionFactory().pk], [session.pk, session.pk]):
        members = [AttendeeData(name=f"Lid {pk}", session_id=pk) for pk in session_ids]
        with pytest.raises(RegistrationError) as caught:
            place_members(event, members, wait_as_group=False)
        errors.append((caught.value.code, caught.value.message))

    # Assert
    assert errors == [
        ("invalid_session", "Kies een themasessie van deze bijeenkomst."),
        (
            "event_full",
            "Er is nog 1 plaats op deze bijeenkomst, en u meldt 2 bestuursleden aan. Meld "
            "minder bestuursleden aan.",
        ),
    ]
