"""Capacity holds when many people sign up, move or cancel at the same moment (PostgreSQL).

Each test starts its writers in separate threads, each with its own database connection,
released together by a barrier. The control test removes the event lock and shows that the
same race then overbooks, so these tests can fail.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from registrations import changes, presence, signup
from registrations.availability import with_seat_counts
from registrations.errors import RegistrationError
from registrations.models import Attendee, OutboxMail, Registration, Status
from registrations.signup import AttendeeData, register_group
from sessions.models import Event, ThemeSession
from tests.factories import AttendeeFactory, EventFactory, ThemeSessionFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

THREADS = 30


def run_together(count: int, work: Callable[[int], object]) -> list[tuple[str, object]]:
    """Run `work(i)` in `count` threads released at once; return what each one ended with.

    Each result is ("ok", value), ("refused", RegistrationError code) or ("error", repr).
    """
    barrier = threading.Barrier(count)
    results: list[tuple[str, object]] = [("error", "did not finish")] * count

    def run(index: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so the race is about the writes
            barrier.wait(timeout=20)
            results[index] = ("ok", work(index))
        except RegistrationError as error:
            results[index] = ("refused", error.code)
        except Exception as error:  # every other exception is a finding, reported by value
            results[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results


def sign_up_one(event: Event, session_ids: list[int]) -> Callable[[int], str]:
    """Return work that signs up board member `i` of organisation `i` and gives its status.

    Should there be no place, the member chose to wait (where the event keeps a list).
    """

    def work(index: int) -> str:
        registration = register_group(
            event=event,
            organisation_name=f"Huurdersvereniging Gelijktijdig {index}",
            contact_name=f"Contact {index}",
            contact_email=f"contact{index}@example.org",
            attendees=[
                AttendeeData(
                    name=f"Lid {index}",
                    email=f"lid{index}@example.org",
                    session_id=session_ids[index % len(session_ids)],
                    wait_if_full=True,
                )
            ],
            wait_as_group=True,
            privacy_version="test",
        )
        return str(registration.status)

    return work


def confirmed_in(**filters) -> int:
    return Attendee.objects.filter(status=Status.CONFIRMED, **filters).count()


@pytest.mark.parametrize(
    ("has_waiting_list", "expected"),
    [
        (False, {("ok", Status.CONFIRMED): 10, ("refused", "session_full"): 20}),
        (True, {("ok", Status.CONFIRMED): 10, ("ok", Status.WAITING): 20}),
    ],
    ids=["refused-when-full", "waiting-list"],
)
def test_simultaneous_signups_never_overfill_a_session(has_waiting_list, expected):
    # Arrange
    event = EventFactory(has_waiting_list=has_waiting_list)
    session = ThemeSessionFactory(event=event, capacity=10)

    # Act
    results = run_together(THREADS, sign_up_one(event, [session.pk]))

    # Assert
    assert Counter(results) == expected
    assert confirmed_in(session=session) == 10
    assert Attendee.objects.filter(session=session).count() == 10 + (20 if has_waiting_list else 0)


@pytest.mark.parametrize(
    ("has_waiting_list", "expected"),
    [
        (False, {("ok", Status.CONFIRMED): 10, ("refused", "event_full"): 20}),
        (True, {("ok", Status.CONFIRMED): 10, ("ok", Status.WAITING): 20}),
    ],
    ids=["refused-when-full", "waiting-list"],
)
def test_simultaneous_signups_never_overfill_the_event(has_waiting_list, expected):
    # Arrange: no session has a maximum, the event as a whole takes 10.
    event = EventFactory(capacity=10, has_waiting_list=has_waiting_list)
    sessions = ThemeSessionFactory.create_batch(4, event=event)

    # Act
    results = run_together(THREADS, sign_up_one(event, [s.pk for s in sessions]))

    # Assert
    assert Counter(results) == expected
    assert confirmed_in(event=event) == 10


def test_simultaneous_signups_checked_against_one_page_view_never_overfill_a_session():
    # Arrange: thirty visitors saw the same page (the event and its places, read once), so
    # each sign-up brings that view; only the first can find it unchanged under the lock.
    event = EventFactory(has_waiting_list=False)
    session = ThemeSessionFactory(event=event, capacity=10)
    seen_event = Event.objects.get(pk=event.pk)
    seen_sessions = list(with_seat_counts(ThemeSession.objects.filter(event=event)))

    def work(index: int) -> str:
        registration = register_group(
            event=seen_event,
            organisation_name=f"Huurdersvereniging Gezien {index}",
            contact_name=f"Contact {index}",
            contact_email=f"contact{index}@example.org",
            attendees=[AttendeeData(name=f"Lid {index}", session_id=session.pk)],
            privacy_version="test",
            seen_sessions=seen_sessions,
        )
        return str(registration.status)

    # Act
    results = run_together(THREADS, work)

    # Assert
    assert Counter(results) == {("ok", Status.CONFIRMED): 10, ("refused", "session_full"): 20}
    assert confirmed_in(session=session) == 10


def test_control_without_event_lock_simultaneous_signups_overbook(monkeypatch):
    # Arrange: take away the lock and widen the gap between counting and writing.
    real_placement = signup.place_members

    def lock_event_without_lock(seen: Event) -> tuple[Event, bool]:
        return Event.objects.get(pk=seen.pk), False

    def slow_placement(*args, **kwargs):
        status = real_placement(*args, **kwargs)
        time.sleep(0.2)
        return status

    monkeypatch.setattr(signup, "lock_seen_event", lock_event_without_lock)
    monkeypatch.setattr(signup, "place_members", slow_placement)
    event = EventFactory(has_waiting_list=False)
    session = ThemeSessionFactory(event=event, capacity=10)

    # Act
    run_together(THREADS, sign_up_one(event, [session.pk]))

    # Assert: the protection is what keeps the tests above green.
    assert confirmed_in(session=session) > 10


def test_simultaneous_signups_of_one_person_take_one_place():
    # Arrange: ten contacts of one organisation sign up the same board member at once.
    event = EventFactory(has_waiting_list=False)
    session = ThemeSessionFactory(event=event)

    def work(index: int) -> str:
        registration = register_group(
            event=event,
            organisation_name="Huurdersvereniging Dubbel",
            contact_name="Contact",
            contact_email=f"contact{index}@example.org",
            attendees=[
                AttendeeData(
                    name=f"{'  ' * index}Lid Zelfde",
                    email="zelfde@example.org",
                    session_id=session.pk,
                )
            ],
            privacy_version="test",
        )
        return str(registration.status)

    # Act
    results = run_together(10, work)

    # Assert
    assert Counter(results) == {("ok", Status.CONFIRMED): 1, ("refused", "person_taken"): 9}
    assert Attendee.objects.filter(event=event).count() == 1
    # The refused sign-ups left no mail: the one that got in has its confirmation to the
    # contact and the member, and the staff notice, with one task that sends them.
    assert (OutboxMail.objects.count(), DBTaskResult.objects.count()) == (3, 1)


def make_signups(
    sign_up, event: Event, session, count: int, *, start: int, status=Status.CONFIRMED, wait=False
):
    """Create `count` one-person sign-ups in `session` one after another, as earlier sign-ups;
    with `wait`, a member who finds the session full chose to wait."""
    attendees = []
    for index in range(start, start + count):
        registration = sign_up(
            event,
            [(f"Lid {index}", f"vooraf{index}@example.org", session)],
            organisation_name=f"Huurdersvereniging Vooraf {index}",
            contact_name=f"Contact {index}",
            contact_email=f"vooraf{index}@example.org",
            wait=wait,
        )
        assert registration.status == status
        attendees.append(registration.attendees.get())
    return attendees


def test_simultaneous_moves_into_last_place_only_one_succeeds(sign_up):
    # Arrange: the target session has one free place; ten people want it.
    event = EventFactory(has_waiting_list=False)
    roomy = ThemeSessionFactory(event=event)
    target = ThemeSessionFactory(event=event, capacity=10)
    make_signups(sign_up, event, target, 9, start=0)
    movers = make_signups(sign_up, event, roomy, 10, start=100)

    # Act
    results = run_together(
        10,
        lambda index: (
            changes.move_attendee(attendee=movers[index], session=target, by_staff=True).pk
        ),
    )

    # Assert
    assert Counter(status for status, _value in results) == {"ok": 1, "refused": 9}
    assert {value for status, value in results if status == "refused"} == {"session_full"}
    assert confirmed_in(session=target) == 10


def test_simultaneous_cancellations_and_moves_never_overfill_a_session(sign_up):
    # Arrange: a full session with two groups waiting; five people cancel while ten others
    # move in and the waiting list is promoted, all at once.
    event = EventFactory(has_waiting_list=True)
    roomy = ThemeSessionFactory(event=event)
    target = ThemeSessionFactory(event=event, capacity=10)
    inside = make_signups(sign_up, event, target, 10, start=0)
    waiting = make_signups(sign_up, event, target, 2, start=50, status=Status.WAITING, wait=True)
    movers = make_signups(sign_up, event, roomy, 10, start=100)

    def work(index: int) -> str:
        if index < 5:
            return str(changes.cancel_attendee(attendee=inside[index], by_staff=True).status)
        return str(
            changes.move_attendee(
                attendee=movers[index - 5], session=target, by_staff=True
            ).session_id
        )

    # Act
    results = run_together(15, work)

    # Assert
    assert [r for r in results if r[0] == "error"] == []
    assert results[:5] == [("ok", Status.CANCELLED)] * 5
    assert {value for status, value in results if status == "refused"} <= {"session_full"}
    moved_in = sum(1 for status, _value in results[5:] if status == "ok")
    promoted = Attendee.objects.filter(pk__in=[a.pk for a in waiting], status=Status.CONFIRMED)
    assert confirmed_in(session=target) == 10 - 5 + promoted.count() + moved_in
    assert confirmed_in(session=target) <= 10
    for registration in Registration.objects.filter(event=event):
        statuses = set(registration.attendees.values_list("status", flat=True))
        assert statuses == {registration.status}, registration.pk


def test_two_tablets_checking_in_at_once_count_each_person_once(django_user_model):
    # Arrange: two people at the desk, each tapped on both tablets at the same moment.
    event = EventFactory()
    session = ThemeSessionFactory(event=event)
    anna, bram, cees = (
        AttendeeFactory(registration__event=event, session=session, name=name)
        for name in ["Anna Deur", "Bram Deur", "Cees Deur"]
    )
    tablets = [django_user_model.objects.create_user(f"tablet{n}") for n in range(2)]
    taps = [(anna, tablets[0]), (anna, tablets[1]), (bram, tablets[0]), (bram, tablets[1])]

    # Act
    results = run_together(
        len(taps),
        lambda i: presence.check_in(event=event, attendee_id=taps[i][0].pk, by=taps[i][1]),
    )
    undone = run_together(2, lambda i: presence.undo_check_in(event=event, attendee_id=bram.pk))

    # Assert: one tablet won each person; the undo happened once; Anna stays, Bram left.
    assert Counter(results) == {("ok", True): 2, ("ok", False): 2}
    assert Counter(undone) == {("ok", True): 1, ("ok", False): 1}
    assert presence.presence_counts(event) == {"present": 1, "expected": 3}
    assert Attendee.objects.get(pk=anna.pk).checked_in_by in tablets
    assert Attendee.objects.get(pk=cees.pk).checked_in_at is None
