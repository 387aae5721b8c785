"""Changes after a sign-up, on the domain functions the manage link, the admin and the
commands all call: move, correct details, cancel one or all, book on another organisation."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registrations.admin.attendees import AttendeeAdminForm
from registrations.changes import (
    cancel_attendee,
    cancel_registration,
    change_attendee_details,
    change_organisation,
    move_attendee,
)
from registrations.errors import RegistrationError
from registrations.models import Attendee, Invoice, Status
from tests.db_checks import db_state, every_row
from tests.factories import OrganisationFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db

MOMENT = datetime.timedelta(microseconds=1)


def refusal(call, **kwargs) -> RegistrationError:
    """Run a change the rules must refuse; return the refusal after checking nothing changed."""
    before = db_state()
    with pytest.raises(RegistrationError) as caught:
        call(**kwargs)
    assert db_state() == before
    return caught.value


def where(error: RegistrationError) -> tuple[str, str | None]:
    return (error.code, error.field)


def invoice_of(registration) -> tuple[int, Decimal]:
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    return (invoice.attendee_count, invoice.amount_due)


@pytest.fixture
def pair(event, sign_up):
    """A confirmed sign-up of two board members, Anna and Bert, in the first two sessions."""
    sessions = list(event.sessions.all())
    return sign_up(
        event,
        [("Anna", "anna@example.org", sessions[0]), ("Bert", "bert@example.org", sessions[1])],
    )


# Cancelling --------------------------------------------------------------------------------


def test_cancel_attendee_twice_changes_nothing_and_sends_nothing_the_second_time(
    pair, mailoutbox, send_queued_mail
):
    # Arrange
    anna = pair.attendees.get(name="Anna")
    cancel_attendee(attendee=anna, by_staff=False)
    send_queued_mail()
    assert len(mailoutbox) > 0  # the first time tells the contact and Atrivé
    mailoutbox.clear()
    before = every_row()

    # Act
    again = cancel_attendee(attendee=anna, by_staff=False)
    send_queued_mail()

    # Assert
    assert again.status == Status.CANCELLED
    assert every_row() == before
    assert mailoutbox == []


def test_cancel_registration_twice_changes_nothing_and_sends_nothing_the_second_time(
    pair, mailoutbox, send_queued_mail
):
    # Arrange
    cancel_registration(registration=pair, by_staff=True)
    send_queued_mail()
    assert len(mailoutbox) > 0
    mailoutbox.clear()
    before = every_row()

    # Act
    again = cancel_registration(registration=pair, by_staff=True)
    send_queued_mail()

    # Assert
    assert again.status == Status.CANCELLED
    assert every_row() == before
    assert mailoutbox == []


def test_cancel_attendee_one_of_two_keeps_the_sign_up_and_reprices(pair):
    # Act
    cancel_attendee(attendee=pair.attendees.get(name="Anna"), by_staff=False)

    # Assert
    pair.refresh_from_db()
    assert pair.status == Status.CONFIRMED
    assert invoice_of(pair) == (1, Decimal("50.00"))


def test_cancel_attendee_the_last_one_cancels_the_sign_up(pair):
    # Act
    for attendee in pair.attendees.all():
        cancel_attendee(attendee=attendee, by_staff=False)

    # Assert
    pair.refresh_from_db()
    assert pair.status == Status.CANCELLED
    assert invoice_of(pair) == (0, Decimal("0.00"))


def test_cancel_registration_cancels_every_member_and_reprices(pair):
    # Act
    cancel_registration(registration=pair, by_staff=False)

    # Assert
    assert set(pair.attendees.values_list("status", flat=True)) == {Status.CANCELLED}
    assert invoice_of(pair) == (0, Decimal("0.00"))


@pytest.mark.parametrize(
    "cancel",
    [
        lambda pair, now: cancel_attendee(attendee=pair.attendees.first(), by_staff=False, now=now),
        lambda pair, now: cancel_registration(registration=pair, by_staff=False, now=now),
    ],
    ids=["one", "all"],
)
def test_cancel_by_the_public_exactly_at_the_deadline_is_accepted(pair, cancel):
    # Act
    cancel(pair, pair.event.registration_deadline)

    # Assert
    assert pair.attendees.filter(status=Status.CANCELLED).exists()


@pytest.mark.parametrize(
    "cancel",
    [
        lambda pair, now: cancel_attendee(attendee=pair.attendees.first(), by_staff=False, now=now),
        lambda pair, now: cancel_registration(registration=pair, by_staff=False, now=now),
    ],
    ids=["one", "all"],
)
def test_cancel_by_the_public_after_the_deadline_is_refused(pair, cancel):
    # Arrange
    before = db_state()

    # Act
    with pytest.raises(RegistrationError) as caught:
        cancel(pair, pair.event.registration_deadline + MOMENT)

    # Assert
    assert caught.value.code == "deadline_passed"
    assert db_state() == before


def test_cancel_by_staff_after_the_deadline_is_accepted(pair):
    # Act
    cancel_attendee(
        attendee=pair.attendees.first(),
        by_staff=True,
        now=pair.event.registration_deadline + datetime.timedelta(days=10),
    )

    # Assert
    assert pair.attendees.filter(status=Status.CANCELLED).count() == 1


# Moving to another session -----------------------------------------------------------------


def test_move_attendee_to_a_session_of_another_event_is_refused(pair):
    # Act
    error = refusal(
        move_attendee,
        attendee=pair.attendees.get(name="Anna"),
        session=ThemeSessionFactory(title="Elders"),
        by_staff=True,
    )

    # Assert
    assert where(error) == ("invalid_session", "session")


def test_move_attendee_who_cancelled_is_refused(pair, event):
    # Arrange
    anna = pair.attendees.get(name="Anna")
    cancel_attendee(attendee=anna, by_staff=True)

    # Act
    error = refusal(move_attendee, attendee=anna, session=event.sessions.last(), by_staff=True)

    # Assert
    assert where(error) == ("cancelled", None)


@pytest.mark.parametrize(("capacity", "moves"), [(2, True), (1, False)], ids=["last-place", "full"])
def test_move_attendee_into_a_session_takes_its_last_place_never_more(pair, event, capacity, moves):
    # Arrange: Bert is in "Klein"; Anna wants to join him there.
    small = ThemeSessionFactory(event=event, title="Klein", capacity=capacity)
    Attendee.objects.filter(pk=pair.attendees.get(name="Bert").pk).update(session=small)
    anna = pair.attendees.get(name="Anna")

    # Act
    if moves:
        move_attendee(attendee=anna, session=small, by_staff=False)
    else:
        error = refusal(move_attendee, attendee=anna, session=small, by_staff=False)

    # Assert
    anna.refresh_from_db()
    assert (anna.session == small) is moves
    if not moves:
        assert where(error) == ("session_full", "session")
        assert error.message == "De sessie ‘Klein’ is vol."


def test_move_attendee_to_the_same_session_changes_nothing(pair, mailoutbox, send_queued_mail):
    # Arrange
    anna = pair.attendees.get(name="Anna")
    send_queued_mail()  # the sign-up's own mails
    mailoutbox.clear()
    before = every_row()

    # Act
    moved = move_attendee(attendee=anna, session=anna.session, by_staff=False)
    send_queued_mail()

    # Assert
    assert moved.session_id == anna.session_id
    assert every_row() == before
    assert mailoutbox == []


def test_move_attendee_who_waits_into_a_full_session_keeps_waiting(event, sign_up):
    # Arrange: a waiting member takes no place, so the session's room does not matter.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    other_full = ThemeSessionFactory(event=event, title="Ook vol", capacity=1)
    sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste Kring")
    sign_up(event, [("Kees", "kees@example.org", other_full)], organisation_name="Tweede Kring")
    waiting = sign_up(event, [("Anna", "anna@example.org", full)], wait=True)
    anna = waiting.attendees.get()

    # Act
    moved = move_attendee(attendee=anna, session=other_full, by_staff=False)

    # Assert
    assert (moved.session, moved.status) == (other_full, Status.WAITING)


def test_move_attendee_frees_a_place_for_the_waiting_list(event, sign_up):
    # Arrange
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    leaving = sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste")
    waiting = sign_up(event, [("Anna", "anna@example.org", full)], wait=True)

    # Act
    move_attendee(attendee=leaving.attendees.get(), session=event.sessions.first(), by_staff=True)

    # Assert
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


# Correcting details ------------------------------------------------------------------------


def test_change_attendee_details_to_a_name_taken_in_other_case_is_refused(pair, sign_up):
    # Arrange: Piet of the same organisation came through another sign-up.
    sign_up(
        pair.event,
        [("Piet", "piet@example.org", pair.event.sessions.first())],
        contact_email="piet@example.org",
    )

    # Act: a refusal with a message, never the database's IntegrityError.
    error = refusal(
        change_attendee_details,
        attendee=pair.attendees.get(name="Anna"),
        name=" PIET ",
        email="anna@example.org",
        dietary_wishes="",
    )

    # Assert
    assert where(error) == ("person_taken", "name")
    assert error.message == (
        "Piet van Huurdersvereniging De Linde is al aangemeld voor deze bijeenkomst."
    )


def test_change_attendee_details_to_an_address_someone_else_uses_is_accepted(pair, sign_up):
    # Arrange: an address may be shared (secretariaat@), also with another organisation.
    sign_up(
        pair.event,
        [("Piet", "Piet@Example.org", pair.event.sessions.first())],
        organisation_name="Eerste Kring",
    )

    # Act
    changed = change_attendee_details(
        attendee=pair.attendees.get(name="Anna"),
        name="Anna",
        email="piet@example.ORG",
        dietary_wishes="",
    )

    # Assert
    changed.refresh_from_db()
    assert changed.email == "piet@example.ORG"


def test_change_attendee_details_own_address_in_other_case_and_trimmed_is_accepted(pair):
    # Act
    changed = change_attendee_details(
        attendee=pair.attendees.get(name="Anna"),
        name="  Anna de Vries ",
        email=" ANNA@example.org ",
        dietary_wishes=" vegetarisch\t",
    )

    # Assert
    changed.refresh_from_db()
    assert (changed.name, changed.email, changed.dietary_wishes) == (
        "Anna de Vries",
        "ANNA@example.org",
        "vegetarisch",
    )


def test_change_attendee_details_to_a_cancelled_persons_name_is_accepted(pair):
    # Arrange: cancelled people do not count; Bert's place is free.
    cancel_attendee(attendee=pair.attendees.get(name="Bert"), by_staff=True)

    # Act
    changed = change_attendee_details(
        attendee=pair.attendees.get(name="Anna"),
        name="bert",
        email="bert@example.org",
        dietary_wishes="",
    )

    # Assert
    changed.refresh_from_db()
    assert (changed.name, changed.name_key, changed.email) == ("bert", "bert", "bert@example.org")


def test_change_attendee_details_with_an_invalid_address_is_refused(pair):
    # Arrange
    before = db_state()

    # Act / Assert: the field checks refuse it before anything is saved.
    with pytest.raises(ValidationError):
        change_attendee_details(
            attendee=pair.attendees.get(name="Anna"),
            name="Anna",
            email="geen-adres",
            dietary_wishes="",
        )
    assert db_state() == before


def test_admin_person_clash_that_slips_past_the_form_is_a_message_not_an_error(
    admin_client, pair, sign_up, monkeypatch
):
    # Arrange: Piet of the same organisation signs up after the form checked the name
    # (another change won the race).
    sign_up(
        pair.event,
        [("Piet", "piet@example.org", pair.event.sessions.first())],
        contact_email="piet@example.org",
    )
    monkeypatch.setattr(AttendeeAdminForm, "clean_name", lambda form: form.cleaned_data["name"])
    anna = pair.attendees.get(name="Anna")
    url = reverse("admin:registrations_attendee_change", args=[anna.pk])

    # Act
    response = admin_client.post(
        url, {"name": "PIET", "email": "anna@example.org", "dietary_wishes": ""}, follow=True
    )

    # Assert
    assert response.status_code == 200
    assert [m.message for m in response.context["messages"]] == [
        "Piet van Huurdersvereniging De Linde is al aangemeld voor deze bijeenkomst."
    ]
    anna.refresh_from_db()
    assert anna.name == "Anna"
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("new_email", "saved"),
    [("ANNA@example.org", "ANNA@example.org"), ("bert@example.org", "bert@example.org")],
    ids=["own-address-other-case", "cancelled-persons-address"],
)
def test_admin_change_form_accepts_an_address_no_one_else_holds(
    admin_client, pair, new_email, saved
):
    # Arrange: Bert cancelled, so his address is free again.
    cancel_attendee(attendee=pair.attendees.get(name="Bert"), by_staff=True)
    anna = pair.attendees.get(name="Anna")
    url = reverse("admin:registrations_attendee_change", args=[anna.pk])

    # Act
    response = admin_client.post(url, {"name": "Anna", "email": new_email, "dietary_wishes": ""})

    # Assert
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.email == saved


# Booking a sign-up on another organisation -------------------------------------------------


def test_change_organisation_leaves_the_old_organisation_owing_nothing(pair):
    # Arrange
    old_invoice = pair.invoice
    assert invoice_of(pair) == (2, Decimal("85.00"))
    other = OrganisationFactory(name="Huurdersraad Anders")

    # Act
    change_organisation(registration=pair, organisation=other)

    # Assert
    old_invoice.refresh_from_db()
    assert (old_invoice.attendee_count, old_invoice.amount_due) == (0, Decimal("0.00"))
    pair.refresh_from_db()
    assert (pair.organisation, pair.invoice.organisation) == (other, other)
    assert invoice_of(pair) == (2, Decimal("85.00"))


def test_change_organisation_prices_the_moved_members_with_the_new_organisations_own(pair, sign_up):
    # Arrange: "Huurdersraad Anders" already brings one member; the old one keeps another.
    event = pair.event
    session = event.sessions.first()
    anders = sign_up(
        event, [("Piet", "piet@example.org", session)], organisation_name="Huurdersraad Anders"
    )
    stays = sign_up(event, [("Kees", "kees@example.org", session)])
    assert invoice_of(stays) == (3, Decimal("100.00"))  # Anna, Bert and Kees together

    # Act
    change_organisation(registration=pair, organisation=anders.organisation)

    # Assert
    assert invoice_of(anders) == (3, Decimal("100.00"))
    assert invoice_of(stays) == (1, Decimal("50.00"))
    pair.refresh_from_db()
    assert pair.invoice_id == anders.invoice_id


def test_change_organisation_to_the_same_one_changes_nothing(pair):
    # Arrange
    before = every_row()

    # Act
    change_organisation(registration=pair, organisation=pair.organisation)

    # Assert
    assert every_row() == before


# The deadline for moves, and changes only staff make ---------------------------------------


def test_move_attendee_by_the_public_until_the_deadline_not_after(pair, event):
    # Arrange
    anna = pair.attendees.get(name="Anna")
    deadline = event.registration_deadline
    target = event.sessions.get(title="Jaarcyclus")

    # Act
    moved = move_attendee(attendee=anna, session=target, by_staff=False, now=deadline)
    error = refusal(
        move_attendee,
        attendee=anna,
        session=event.sessions.get(title="Werksessie"),
        by_staff=False,
        now=deadline + MOMENT,
    )

    # Assert
    assert moved.session == target
    assert where(error) == ("deadline_passed", None)


def test_move_attendee_by_staff_after_the_deadline_is_accepted(pair, event):
    # Act
    moved = move_attendee(
        attendee=pair.attendees.get(name="Anna"),
        session=event.sessions.get(title="Jaarcyclus"),
        by_staff=True,
        now=event.registration_deadline + datetime.timedelta(days=10),
    )

    # Assert
    assert moved.session.title == "Jaarcyclus"


def test_staff_corrections_after_the_deadline_are_accepted(pair, event):
    # Arrange: the sign-up period is over; staff still correct names and organisations.
    type(event).objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    other = OrganisationFactory(name="Huurdersraad Anders")

    # Act
    change_attendee_details(
        attendee=pair.attendees.get(name="Anna"),
        name="Anna de Vries",
        email="anna@example.org",
        dietary_wishes="",
    )
    change_organisation(registration=pair, organisation=other)

    # Assert
    pair.refresh_from_db()
    assert pair.organisation == other
    assert pair.attendees.filter(name="Anna de Vries").exists()


def test_move_attendee_refusals_say_why(pair, event):
    # Arrange
    anna = pair.attendees.get(name="Anna")
    bert = pair.attendees.get(name="Bert")
    cancel_attendee(attendee=bert, by_staff=True)

    # Act
    errors = [
        refusal(move_attendee, attendee=anna, session=ThemeSessionFactory(), by_staff=True),
        refusal(move_attendee, attendee=bert, session=event.sessions.last(), by_staff=True),
    ]

    # Assert
    assert [error.message for error in errors] == [
        "Kies een themasessie van deze bijeenkomst.",
        "Deze deelnemer is afgemeld en kan niet worden verplaatst.",
    ]


# What the contact person is told ------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            lambda pair: move_attendee(
                attendee=pair.attendees.get(name="Anna"),
                session=pair.event.sessions.get(title="Jaarcyclus"),
                by_staff=False,
            ),
            "Andere themasessie: Anna gaat naar ‘Jaarcyclus’.",
        ),
        (
            lambda pair: cancel_attendee(attendee=pair.attendees.get(name="Bert"), by_staff=False),
            "Afgemeld: Bert.",
        ),
        (
            lambda pair: cancel_registration(registration=pair, by_staff=False),
            "De hele aanmelding is afgemeld.",
        ),
    ],
    ids=["move", "cancel-one", "cancel-all"],
)
def test_each_change_tells_the_contact_what_changed(
    pair, mailoutbox, send_queued_mail, change, line
):
    # Arrange
    send_queued_mail()  # the sign-up's own mails
    mailoutbox.clear()

    # Act
    change(pair)
    send_queued_mail()

    # Assert
    (mail,) = [m for m in mailoutbox if m.to == ["karin@example.org"]]
    assert line in [text.strip() for text in mail.body.splitlines()]


# Freed places go to the waiting list --------------------------------------------------------


@pytest.mark.parametrize(
    "cancel",
    [
        lambda leaving: cancel_attendee(attendee=leaving.attendees.get(), by_staff=False),
        lambda leaving: cancel_registration(registration=leaving, by_staff=False),
    ],
    ids=["one", "all"],
)
def test_cancelling_moves_the_waiting_group_in(event, sign_up, cancel):
    # Arrange
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    leaving = sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste")
    waiting = sign_up(event, [("Anna", "anna@example.org", full)], wait=True)

    # Act
    cancel(leaving)

    # Assert
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert invoice_of(waiting) == (1, Decimal("50.00"))
