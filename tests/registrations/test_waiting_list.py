"""The waiting list: only who chose it waits (a member for a full session, or a group as a
whole); freed places go to the oldest in the queue that fits."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains

from registrations.changes import cancel_attendee, cancel_registration
from registrations.errors import RegistrationError
from registrations.models import Attendee, Registration, Status
from registrations.signup import AttendeeData, register_group
from registrations.waiting_list import admit_from_waiting_list, refresh_event
from tests.admin_posts import run_action
from tests.db_checks import db_state
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import members_of, row_counts, signup_data, signup_url

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
    """Sign up `size` board members of organisation `name` in `session`, at `minutes_ago`.

    Should they not fit, they chose to wait, as a whole group.
    """

    def make(event, session, name, size=1, *, minutes_ago=None):
        registration = sign_up(
            event,
            [(f"{name} {n}", f"{name}{n}@example.org", session) for n in range(size)],
            organisation_name=f"Huurders {name}",
            contact_email=f"{name}@example.org",
            wait=True,
            wait_as_group=True,
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

    # Act: the page offered the choice to wait; Joop took it.
    response = client.post(
        signup_url(event),
        signup_data(
            [("Joop Voorbeeld", "joop@example.org", session)],
            organisation_name="Bewonersraad De Eik",
            contact_name="Joop Voorbeeld",
            contact_email="joop@example.org",
            **{"members-0-wait_if_full": "on", "wait_as_group": "on"},
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


# Waiting per member, and only by choice --------------------------------------------------------


@pytest.fixture
def full_session_lab(event, sign_up):
    """A lab with a waiting list whose "Werksessie" has one place, taken by another organisation."""
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = event.sessions.get(title="Werksessie")
    full.capacity = 1
    full.save(update_fields=["capacity"])
    sign_up(
        event,
        [("Piet Vol", "piet@example.org", full)],
        organisation_name="Bewonersraad De Eik",
        contact_email="piet@example.org",
    )
    return event, full


def group_of_three(event, full):
    """Anna wants the full session; Bert and Cor go to sessions with room."""
    duurzaam = event.sessions.get(title="Duurzaamheid")
    return [
        AttendeeData(name="Anna Lid", email="anna@example.org", session_id=full.pk),
        AttendeeData(name="Bert Lid", email="bert@example.org", session_id=duurzaam.pk),
        AttendeeData(name="Cor Lid", session_id=duurzaam.pk),
    ]


def register(event, members, **kwargs):
    return register_group(
        event=event,
        organisation_name="Huurdersvereniging De Linde",
        contact_name="Karin Voorbeeld",
        contact_email="karin@example.org",
        attendees=members,
        privacy_version="test",
        **kwargs,
    )


def test_member_who_chose_to_wait_waits_alone_and_the_price_counts_the_others(full_session_lab):
    # Arrange
    event, full = full_session_lab
    members = group_of_three(event, full)
    members[0] = replace(members[0], wait_if_full=True)

    # Act
    registration = register(event, members)

    # Assert
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.wait_as_group is False
    assert sorted(registration.attendees.values_list("name", "status")) == [
        ("Anna Lid", Status.WAITING),
        ("Bert Lid", Status.CONFIRMED),
        ("Cor Lid", Status.CONFIRMED),
    ]
    assert (registration.invoice.attendee_count, registration.invoice.amount_due) == (
        2,
        Decimal("85.00"),
    )


def test_full_session_without_the_choice_to_wait_is_refused_at_that_member(full_session_lab):
    # Arrange
    event, full = full_session_lab
    before = row_counts()

    # Act
    with pytest.raises(RegistrationError) as refused:
        register(event, group_of_three(event, full))

    # Assert: nobody waits unasked; the message says where there is room.
    error = refused.value
    assert (error.code, error.field, error.index) == ("session_full", "session", 0)
    assert error.message == (
        "Deze themasessie is vol. Er is nog plaats bij: Duurzaamheid, Financiën van de "
        "corporatie, Jaarcyclus. Kies een andere sessie, of kies ‘op de wachtlijst voor deze "
        "sessie’."
    )
    assert row_counts() == before


def test_waiting_member_moves_in_repriced_with_a_mail_saying_the_new_amount(
    full_session_lab, mailoutbox, send_queued_mail
):
    # Arrange
    event, full = full_session_lab
    members = group_of_three(event, full)
    members[0] = replace(members[0], wait_if_full=True)
    registration = register(event, members)
    send_queued_mail()
    mailoutbox.clear()

    # Act: Piet of the other organisation cancels; his place in the Werksessie comes free.
    cancel_attendee(attendee=Attendee.objects.get(name="Piet Vol"), by_staff=True)
    send_queued_mail()

    # Assert
    assert state(registration) == (Status.CONFIRMED, [Status.CONFIRMED] * 3, Decimal("100.00"))
    (to_contact,) = [m for m in mailoutbox if m.to == ["karin@example.org"]]
    assert to_contact.subject.startswith("Er is plaats: ")
    assert "Goed nieuws: er is plaats vrijgekomen. Anna Lid kan nu komen." in to_contact.body
    assert "in totaal € 100,00" in to_contact.body
    (to_anna,) = [m for m in mailoutbox if m.to == ["anna@example.org"]]
    assert "€" not in to_anna.body  # a member's own mail shows no money
    assert subjects_to(mailoutbox, "bert@example.org") == [to_contact.subject]


@pytest.fixture
def nearly_full_evening(event, sign_up):
    """A lab with a waiting list for 4 people, 2 of whom are signed up: 2 places are left."""
    event.has_waiting_list = True
    event.capacity = 4
    event.save(update_fields=["has_waiting_list", "capacity"])
    first = sign_up(
        event,
        members_of(event, 2, prefix="eerst"),
        organisation_name="Bewonersraad De Eik",
        contact_email="eik@example.org",
    )
    return event, first


def test_group_larger_than_the_evening_is_told_the_places_left_and_refused(nearly_full_evening):
    # Arrange
    event, _first = nearly_full_evening
    members = [
        AttendeeData(name=f"Lid {n}", session_id=event.sessions.first().pk) for n in range(3)
    ]

    # Act
    with pytest.raises(RegistrationError) as refused:
        register(event, members)

    # Assert
    assert (refused.value.code, refused.value.field) == ("event_full", "wait_as_group")
    assert refused.value.message == (
        "Er zijn nog 2 plaatsen op deze bijeenkomst, en u meldt 3 bestuursleden aan. Meld nu "
        "minder bestuursleden aan, of zet de hele groep op de wachtlijst."
    )


def test_group_that_chose_to_wait_as_a_whole_moves_in_together_or_not_at_all(
    nearly_full_evening,
):
    # Arrange: the group of three waits as a whole.
    event, first = nearly_full_evening
    members = [
        AttendeeData(name=f"Lid {n}", session_id=event.sessions.first().pk) for n in range(3)
    ]
    group = register(event, members, wait_as_group=True)
    assert state(group) == (Status.WAITING, [Status.WAITING] * 3, Decimal("0.00"))

    # Act / Assert: two places are free, but nobody of the group moves in without the rest.
    refresh_event(event=event)
    assert state(group) == (Status.WAITING, [Status.WAITING] * 3, Decimal("0.00"))
    cancel_attendee(attendee=first.attendees.first(), by_staff=True)
    assert state(group) == (Status.CONFIRMED, [Status.CONFIRMED] * 3, Decimal("100.00"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    capacities=st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=2, max_size=2),
    event_capacity=st.one_of(st.none(), st.integers(0, 4)),
    choices=st.lists(st.tuples(st.integers(0, 1), st.booleans()), min_size=1, max_size=3),
    wait_as_group=st.booleans(),
)
def test_nobody_waits_without_having_chosen_it(capacities, event_capacity, choices, wait_as_group):
    # Arrange: a fresh lab per example, sessions of random size, members with random choices.
    event = EventFactory(has_waiting_list=True, capacity=event_capacity)
    sessions = [ThemeSessionFactory(event=event, capacity=c) for c in capacities]
    members = [
        AttendeeData(name=f"Lid {n}", session_id=sessions[pick].pk, wait_if_full=wait)
        for n, (pick, wait) in enumerate(choices)
    ]

    # Act
    try:
        registration = register(event, members, wait_as_group=wait_as_group)
    except RegistrationError:
        return  # refused: nobody waits

    # Assert: whoever waits chose it, alone or with the whole group.
    for member, attendee in zip(members, registration.attendees.order_by("pk"), strict=True):
        if attendee.status == Status.WAITING:
            assert member.wait_if_full or wait_as_group


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
