"""The lock every writer takes first: the event's row, which also raises the event's version;
a writer that waits too long for it is refused as busy."""

import datetime
import threading

import pytest
from django.db import OperationalError, connection, transaction

from registrations import locking
from registrations.errors import RegistrationError
from registrations.signup import AttendeeData, register_group
from sessions.models import Event
from tests.db_checks import db_state
from tests.factories import EventFactory, ThemeSessionFactory


@pytest.mark.django_db
def test_lock_event_raises_the_version_and_returns_the_event_fresh(event):
    # Arrange
    version = Event.objects.get(pk=event.pk).version
    Event.objects.filter(pk=event.pk).update(title="Nieuwe titel")

    # Act
    with transaction.atomic():
        locked = locking.lock_event(event.pk)

    # Assert
    assert (locked.pk, locked.title, locked.version) == (event.pk, "Nieuwe titel", version + 1)


@pytest.mark.django_db
def test_lock_event_timing_out_is_a_busy_refusal(event, monkeypatch):
    # Arrange
    def lock_timeout(event_id):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(locking, "bump_version", lock_timeout)

    # Act
    with pytest.raises(RegistrationError) as caught, transaction.atomic():
        locking.lock_event(event.pk)

    # Assert
    assert (caught.value.code, caught.value.message) == (
        "busy",
        "Het is op dit moment erg druk. Probeer het over een minuut nog eens.",
    )


@pytest.mark.django_db
def test_check_changeable_until_the_deadline_then_says_whom_to_ask(event):
    # Arrange
    deadline = event.registration_deadline

    # Act
    locking.check_changeable(event, deadline)
    with pytest.raises(RegistrationError) as caught:
        locking.check_changeable(event, deadline + datetime.timedelta(microseconds=1))

    # Assert
    assert (caught.value.code, caught.value.message) == (
        "deadline_passed",
        "Wijzigen kan niet meer: de aanmeldtermijn is voorbij. Neem contact op met Atrivé.",
    )


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_writer_waiting_longer_than_the_lock_timeout_is_refused_as_busy(settings):
    # Arrange: another writer holds the event's lock and does not let go.
    settings.REGISTRATION_LOCK_TIMEOUT_MS = 200
    event = EventFactory()
    session = ThemeSessionFactory(event=event)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                holding.set()
                release.wait(timeout=5)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert holding.wait(timeout=20)
    before = db_state()

    # Act
    try:
        with pytest.raises(RegistrationError) as caught:
            register_group(
                event=event,
                organisation_name="Huurdersvereniging De Linde",
                contact_name="Karin Voorbeeld",
                contact_email="karin@example.org",
                attendees=[
                    AttendeeData(name="Anna", email="anna@example.org", session_id=session.pk)
                ],
                privacy_version="test",
            )
    finally:
        release.set()
        holder.join(timeout=20)

    # Assert
    assert caught.value.code == "busy"
    assert db_state() == before
