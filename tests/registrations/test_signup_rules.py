"""The rules of signing up, on the domain functions the public form, the staff's phone sign-up
and the commands all call (`register_group`, `add_attendee`), and where the visitor sees them.

Each refusal is checked for its code, the form row it belongs to, and that nothing was written.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations import signup
from registrations.changes import cancel_attendee, cancel_registration
from registrations.errors import RegistrationError
from registrations.models import Attendee, Registration, Status
from registrations.signup import AttendeeData, add_attendee, register_group
from tests.db_checks import db_state
from tests.factories import AttendeeFactory, ThemeSessionFactory
from tests.signup_posts import signup_data, signup_url

pytestmark = pytest.mark.django_db

MOMENT = datetime.timedelta(microseconds=1)


def member(name, email, session, dietary_wishes=""):
    return AttendeeData(
        name=name, email=email, session_id=session.pk, dietary_wishes=dietary_wishes
    )


def register(event, members, **kwargs):
    """Call `register_group` as the public form does, with `members` as AttendeeData."""
    return register_group(
        event=event,
        organisation_name=kwargs.pop("organisation_name", "Huurdersvereniging De Linde"),
        contact_name=kwargs.pop("contact_name", "Karin Voorbeeld"),
        contact_email=kwargs.pop("contact_email", "karin@example.org"),
        attendees=members,
        privacy_version="test",
        **kwargs,
    )


def refusal(call, *args, **kwargs) -> RegistrationError:
    """Run a write the rules must refuse; return the refusal after checking nothing changed."""
    before = db_state()
    with pytest.raises(RegistrationError) as caught:
        call(*args, **kwargs)
    assert db_state() == before
    return caught.value


def where(error: RegistrationError) -> tuple[str, str | None, int | None]:
    return (error.code, error.field, error.index)


# The deadline and publication ---------------------------------------------------------------


def test_register_group_exactly_at_the_deadline_is_accepted(event):
    # Act
    registration = register(
        event,
        [member("Lid", "lid@example.org", event.sessions.first())],
        now=event.registration_deadline,
    )

    # Assert
    assert registration.status == Status.CONFIRMED
    assert registration.consent_at == event.registration_deadline


def test_register_group_a_moment_after_the_deadline_is_refused(event):
    # Act
    error = refusal(
        register,
        event,
        [member("Lid", "lid@example.org", event.sessions.first())],
        now=event.registration_deadline + MOMENT,
    )

    # Assert
    assert where(error) == ("deadline_passed", None, None)
    assert error.message == "De aanmelding voor deze bijeenkomst is gesloten."


def test_register_group_for_an_unpublished_event_is_refused(event):
    # Arrange
    event.is_published = False
    event.save(update_fields=["is_published"])

    # Act
    error = refusal(register, event, [member("Lid", "lid@example.org", event.sessions.first())])

    # Assert
    assert where(error) == ("closed", None, None)
    assert error.message == "Voor deze bijeenkomst kunt u zich niet aanmelden."


def test_register_group_by_staff_after_the_deadline_and_unpublished_is_accepted(event):
    # Arrange
    event.is_published = False
    event.save(update_fields=["is_published"])

    # Act
    registration = register(
        event,
        [member("Lid", "lid@example.org", event.sessions.first())],
        by_staff=True,
        now=event.registration_deadline + datetime.timedelta(days=3),
    )

    # Assert
    assert registration.status == Status.CONFIRMED


def test_event_is_open_until_and_at_the_deadline_not_after(event):
    # The public pages ask this before they show the form (the domain checks again).
    deadline = event.registration_deadline

    assert [event.is_open(deadline - MOMENT), event.is_open(deadline)] == [True, True]
    assert event.is_open(deadline + MOMENT) is False


# The size of a group ------------------------------------------------------------------------


def test_register_group_of_exactly_the_largest_size_is_accepted(event):
    # Arrange
    sessions = list(event.sessions.all())
    members = [member(f"Lid {n}", f"lid{n}@example.org", sessions[n]) for n in range(3)]
    assert event.max_group_size == 3

    # Act
    registration = register(event, members)

    # Assert
    assert registration.attendees.count() == 3
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("100.00")


def test_register_group_one_over_the_largest_size_is_refused(event):
    # Arrange
    session = event.sessions.first()
    members = [member(f"Lid {n}", f"lid{n}@example.org", session) for n in range(4)]

    # Act
    error = refusal(register, event, members)

    # Assert
    assert where(error) == ("too_many", None, None)
    assert error.message == "U kunt met ten hoogste 3 bestuursleden tegelijk aanmelden."


def test_register_group_without_members_is_refused(event):
    # Act
    error = refusal(register, event, [])

    # Assert
    assert where(error) == ("no_attendees", None, None)


def test_add_attendee_up_to_the_largest_group_is_accepted(event, sign_up):
    # Arrange
    sessions = list(event.sessions.all())
    registration = sign_up(
        event,
        [("Anna", "anna@example.org", sessions[0]), ("Bert", "bert@example.org", sessions[1])],
    )

    # Act
    added = add_attendee(
        registration=registration, attendee=member("Cor", "cor@example.org", sessions[2])
    )

    # Assert
    assert added.status == Status.CONFIRMED
    registration.invoice.refresh_from_db()
    assert (registration.invoice.attendee_count, registration.invoice.amount_due) == (
        3,
        Decimal("100.00"),
    )


def test_add_attendee_beyond_the_largest_group_is_refused(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [(f"Lid {n}", f"lid{n}@example.org", session) for n in range(3)])

    # Act
    error = refusal(
        add_attendee,
        registration=registration,
        attendee=member("Vier", "vier@example.org", session),
    )

    # Assert
    assert where(error) == ("too_many", None, None)
    assert error.message == "Per aanmelding kunnen ten hoogste 3 bestuursleden komen."


def test_add_attendee_counts_no_cancelled_member_toward_the_largest_group(event, sign_up):
    # Arrange: three signed up, one cancelled; a fourth may take that place in the group.
    session = event.sessions.first()
    registration = sign_up(event, [(f"Lid {n}", f"lid{n}@example.org", session) for n in range(3)])
    cancel_attendee(attendee=registration.attendees.first(), by_staff=True)

    # Act
    added = add_attendee(
        registration=registration, attendee=member("Vier", "vier@example.org", session)
    )

    # Assert
    assert added.status == Status.CONFIRMED
    assert registration.attendees.exclude(status=Status.CANCELLED).count() == 3


def test_add_attendee_to_a_cancelled_sign_up_is_refused(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "anna@example.org", session)])
    cancel_registration(registration=registration, by_staff=True)

    # Act
    error = refusal(
        add_attendee,
        registration=registration,
        attendee=member("Bert", "bert@example.org", session),
    )

    # Assert
    assert where(error) == ("cancelled", None, None)


def test_add_attendee_exactly_at_the_deadline_is_accepted_after_it_refused(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "anna@example.org", session)])
    deadline = event.registration_deadline

    # Act
    added = add_attendee(
        registration=registration,
        attendee=member("Bert", "bert@example.org", session),
        now=deadline,
    )
    error = refusal(
        add_attendee,
        registration=registration,
        attendee=member("Cor", "cor@example.org", session),
        now=deadline + MOMENT,
    )

    # Assert
    assert added.status == Status.CONFIRMED
    assert where(error) == ("deadline_passed", None, None)


# What is stored: trimmed, and in the visitor's language ------------------------------------


def test_register_group_stores_names_and_addresses_trimmed(event):
    # Act: what a script or a copied spreadsheet cell sends, with spaces and tabs around.
    registration = register(
        event,
        [member("\t Anna Lid ", " anna@example.org\t", event.sessions.first(), " vegetarisch ")],
        organisation_name="  Huurdersvereniging   De Linde ",
        contact_name=" Karin Voorbeeld\t",
        contact_email=" karin@example.org ",
        contact_phone=" 030 123 45 67 ",
        remarks="\nGraag bij de deur. ",
    )

    # Assert
    registration.refresh_from_db()
    assert (
        registration.organisation.name,
        registration.contact_name,
        registration.contact_email,
        registration.contact_phone,
        registration.remarks,
    ) == (
        "Huurdersvereniging De Linde",
        "Karin Voorbeeld",
        "karin@example.org",
        "030 123 45 67",
        "Graag bij de deur.",
    )
    assert list(registration.attendees.values_list("name", "email", "dietary_wishes")) == [
        ("Anna Lid", "anna@example.org", "vegetarisch")
    ]


def test_register_group_keeps_the_language_and_privacy_version_given(event):
    # Act
    registration = register(
        event, [member("Anna", "anna@example.org", event.sessions.first())], language="en"
    )

    # Assert
    registration.refresh_from_db()
    assert (registration.language, registration.privacy_version) == ("en", "test")


def test_english_signup_page_stores_the_sign_up_as_english(event):
    # Arrange: a visitor who chose English with the language switch.
    client = Client()
    client.cookies["django_language"] = "en"
    data = signup_data([("Anna", "anna@example.org", event.sessions.first())])

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 302
    assert Registration.objects.get().language == "en"


def test_dutch_signup_page_stores_the_sign_up_as_dutch(client, event):
    # Act
    client.post(
        signup_url(event), signup_data([("Anna", "anna@example.org", event.sessions.first())])
    )

    # Assert
    assert Registration.objects.get().language == "nl"


# Sessions: of this event, and only as many as fit ------------------------------------------


def test_register_group_with_a_session_of_another_event_is_refused_on_that_row(event):
    # Arrange
    elsewhere = ThemeSessionFactory(title="Elders")
    members = [
        member("Anna", "anna@example.org", event.sessions.first()),
        member("Bert", "bert@example.org", elsewhere),
    ]

    # Act
    error = refusal(register, event, members)

    # Assert
    assert where(error) == ("invalid_session", "session", 1)


def test_register_group_larger_than_a_sessions_places_left_is_refused_on_the_row_left_out(event):
    # Arrange: one place left in "Bijna vol"; the second and third member choose it. The
    # second takes the place; the third is told what is left.
    almost_full = ThemeSessionFactory(event=event, title="Bijna vol", capacity=2)
    AttendeeFactory(registration__event=event, session=almost_full)
    members = [
        member("Anna", "anna@example.org", event.sessions.first()),
        member("Bert", "bert@example.org", almost_full),
        member("Cor", "cor@example.org", almost_full),
    ]

    # Act
    error = refusal(register, event, members)

    # Assert
    assert where(error) == ("session_full", "session", 2)
    assert error.message.startswith("Deze themasessie heeft nog maar 1 plaats. Er is nog plaats")


def test_register_group_that_exactly_fills_a_session_is_accepted(event):
    # Arrange
    two_places = ThemeSessionFactory(event=event, capacity=2)
    members = [member(f"Lid {n}", f"lid{n}@example.org", two_places) for n in range(2)]

    # Act
    registration = register(event, members)

    # Assert
    assert registration.status == Status.CONFIRMED


def test_register_group_that_exactly_fills_the_event_is_accepted_one_more_refused(event):
    # Arrange
    event.capacity = 2
    event.save(update_fields=["capacity"])
    session = event.sessions.first()

    # Act
    first = register(event, [member(f"Lid {n}", f"lid{n}@example.org", session) for n in range(2)])
    error = refusal(
        register,
        event,
        [member("Laat", "laat@example.org", session)],
        contact_email="l@example.org",
    )

    # Assert
    assert first.status == Status.CONFIRMED
    assert where(error) == ("event_full", None, None)


def test_add_attendee_in_a_full_session_without_choosing_to_wait_is_refused(event, sign_up):
    # Arrange: the lab keeps a waiting list, and "Vol" is full. Nobody waits without having
    # chosen it, so the colleague is refused instead of waiting unasked (or overbooking).
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste Kring")
    registration = sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])

    # Act
    error = refusal(
        add_attendee, registration=registration, attendee=member("Bert", "bert@example.org", full)
    )

    # Assert
    assert where(error) == ("session_full", "session", None)
    assert error.message.endswith(
        "Kies een andere sessie, of kies ‘op de wachtlijst voor deze sessie’."
    )
    assert Attendee.objects.confirmed().filter(session=full).count() == 1


def test_add_colleague_page_refuses_a_full_session_without_the_choice_to_wait(
    client, event, sign_up
):
    # Arrange: as above, through the manage link. The form offers the full session (the lab
    # keeps a waiting list) with a box to wait for it, left unticked.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, title="Vol", capacity=1)
    sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste Kring")
    registration = sign_up(event, [("Anna", "anna@example.org", event.sessions.first())])
    before = db_state()

    # Act
    response = client.post(
        reverse("registrations:add_colleague", args=[registration.token]),
        {"new-name": "Bert", "new-email": "bert@example.org", "new-session": full.pk},
    )

    # Assert
    assertContains(response, "Deze themasessie is vol.", count=2)  # summary and field
    assert db_state() == before


def test_add_attendee_to_a_waiting_sign_up_comes_when_there_is_a_place(event, sign_up):
    # Arrange: Anna chose to wait for the full session; Bert's session has room.
    event.has_waiting_list = True
    event.save(update_fields=["has_waiting_list"])
    full = ThemeSessionFactory(event=event, capacity=1)
    sign_up(event, [("Piet", "piet@example.org", full)], organisation_name="Eerste Kring")
    waiting = sign_up(event, [("Anna", "anna@example.org", full)], wait=True)
    assert waiting.status == Status.WAITING

    # Act
    added = add_attendee(
        registration=waiting, attendee=member("Bert", "bert@example.org", event.sessions.first())
    )

    # Assert: only who chose to wait waits; the sign-up now has someone coming, and pays.
    assert added.status == Status.CONFIRMED
    waiting.refresh_from_db()
    waiting.invoice.refresh_from_db()
    assert (waiting.status, waiting.invoice.amount_due) == (Status.CONFIRMED, Decimal("50.00"))


# People: one place per person (organisation and name), whatever the capitals ---------------


def test_register_group_same_person_twice_in_other_case_is_refused_on_the_second_row(event):
    # Arrange: the address may be shared; the person may not come twice.
    session = event.sessions.first()
    members = [
        member("Anna Lid", "anna@example.org", session),
        member("Bert", "anna@example.org", session),
        member(" ANNA  lid", "", session),
    ]

    # Act
    error = refusal(register, event, members)

    # Assert
    assert where(error) == ("duplicate_person", "name", 2)


def test_register_group_person_taken_in_other_case_is_refused_on_that_row(event, sign_up):
    # Arrange: Cor of De Linde came earlier through another sign-up, with another address.
    session = event.sessions.first()
    sign_up(event, [("Cor", "Cor@Example.org", session)], contact_email="cor@example.org")
    members = [
        member("Anna", "anna@example.org", session),
        member("Bert", "bert@example.org", session),
        member("COR", "", session),
    ]

    # Act
    error = refusal(register, event, members)

    # Assert
    assert where(error) == ("person_taken", "name", 2)
    assert error.message == (
        "Cor van Huurdersvereniging De Linde is al aangemeld voor deze bijeenkomst."
    )


def test_register_group_again_after_cancelling_is_accepted(event, sign_up):
    # Arrange: Anna signed up and cancelled; she changes her mind.
    session = event.sessions.first()
    first = sign_up(event, [("Anna", "anna@example.org", session)])
    cancel_registration(registration=first, by_staff=False)

    # Act
    again = register(event, [member("Anna", "Anna@example.org", session)])

    # Assert
    assert again.status == Status.CONFIRMED
    assert sorted(Attendee.objects.values_list("status", flat=True)) == [
        Status.CANCELLED,
        Status.CONFIRMED,
    ]


def test_signup_page_again_after_cancelling_is_accepted(client, event, sign_up):
    # Arrange
    session = event.sessions.first()
    first = sign_up(event, [("Anna", "anna@example.org", session)])
    cancel_attendee(attendee=first.attendees.get(), by_staff=False)

    # Act
    response = client.post(signup_url(event), signup_data([("Anna", "anna@example.org", session)]))

    # Assert
    assert response.status_code == 302
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 1


def test_add_attendee_with_a_cancelled_persons_address_is_accepted(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(
        event, [("Anna", "anna@example.org", session), ("Bert", "bert@example.org", session)]
    )
    cancel_attendee(attendee=registration.attendees.get(name="Bert"), by_staff=False)

    # Act
    added = add_attendee(
        registration=registration, attendee=member("Bert", "BERT@example.org", session)
    )

    # Assert
    assert added.status == Status.CONFIRMED


def test_add_attendee_signed_up_elsewhere_in_other_case_is_refused_without_saying_so(
    event, sign_up
):
    # Arrange: Piet of De Linde came through another sign-up of the same organisation.
    session = event.sessions.first()
    sign_up(event, [("Piet", "Piet@Example.org", session)], contact_email="piet@example.org")
    registration = sign_up(event, [("Anna", "anna@example.org", session)])

    # Act
    error = refusal(
        add_attendee,
        registration=registration,
        attendee=member("PIET", "", session),
    )

    # Assert: refused, without saying that Piet is signed up elsewhere.
    assert where(error) == ("person_unavailable", "name", None)
    assert "aangemeld" not in error.message


def test_add_attendee_with_a_name_taken_at_another_organisation_is_accepted(event, sign_up):
    # Arrange: a Piet of another organisation is another person.
    session = event.sessions.first()
    sign_up(event, [("Piet", "piet@example.org", session)], organisation_name="Eerste Kring")
    registration = sign_up(event, [("Anna", "anna@example.org", session)])

    # Act
    added = add_attendee(registration=registration, attendee=member("Piet", "", session))

    # Assert
    assert added.status == Status.CONFIRMED


# Where the visitor sees a refusal: on the row it is about ------------------------------------


def test_signup_page_shows_a_person_taken_on_the_third_members_row(client, event, sign_up):
    # Arrange: the second row is left empty; Cor of De Linde signed up before.
    sessions = list(event.sessions.all())
    sign_up(event, [("Cor", "cor@example.org", sessions[0])], contact_email="cor@example.org")
    data = signup_data(
        [
            ("Anna", "anna@example.org", sessions[0]),
            ("", "", ""),
            ("Cor", "cor@example.org", sessions[1]),
        ]
    )
    before = db_state()

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assertContains(
        response,
        '<a href="#id_members-2-name">Bestuurslid 3 – Naam: '
        "Cor van Huurdersvereniging De Linde is al aangemeld voor deze bijeenkomst.</a>",
        count=1,
        html=True,
    )
    assert response.context["formset"].forms[0].errors == {}
    assert db_state() == before


def test_signup_page_shows_a_session_without_room_on_the_third_members_row(client, event):
    # Arrange: one place left in "Bijna vol"; the second and third member choose it. The
    # second gets it; the third is told there is only one.
    sessions = list(event.sessions.all())
    almost_full = ThemeSessionFactory(event=event, title="Bijna vol", capacity=2)
    AttendeeFactory(registration__event=event, session=almost_full)
    data = signup_data(
        [
            ("Anna", "anna@example.org", sessions[0]),
            ("Bert", "bert@example.org", almost_full),
            ("Cor", "cor@example.org", almost_full),
        ]
    )

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assertContains(
        response,
        '<a href="#id_members-2-session">Bestuurslid 3 – Themasessie: Deze themasessie heeft '
        "nog maar 1 plaats. Er is nog plaats bij: Duurzaamheid, Financiën van de corporatie, "
        "Werksessie, Jaarcyclus. Kies een andere sessie.</a>",
        count=1,
        html=True,
    )
    forms = response.context["formset"].forms
    assert [bool(form.errors) for form in forms] == [False, False, True]


# What a caller other than the form gets: the same checks, and clear messages ----------------


def test_register_group_without_phone_or_remarks_stores_them_empty(event):
    # Act: the staff's phone sign-up and commands may leave the optional fields out.
    registration = register(event, [member("Anna", "anna@example.org", event.sessions.first())])

    # Assert
    registration.refresh_from_db()
    assert (registration.contact_phone, registration.remarks) == ("", "")


@pytest.mark.parametrize(
    ("contact_email", "attendee_email", "contact_name"),
    [
        ("geen-adres", "anna@example.org", "Karin"),
        ("karin@example.org", "anna@", "Karin"),
        ("karin@example.org", "anna@example.org", "K" * 201),
    ],
    ids=["contact-address", "member-address", "name-too-long"],
)
def test_register_group_refuses_what_the_form_would_refuse(
    event, contact_email, attendee_email, contact_name
):
    # Arrange: a command or script that skipped the form's checks.
    before = db_state()

    # Act
    with pytest.raises(ValidationError):
        register(
            event,
            [member("Anna", attendee_email, event.sessions.first())],
            contact_email=contact_email,
            contact_name=contact_name,
        )

    # Assert
    assert db_state() == before


def test_register_group_messages_say_what_to_do(event, sign_up):
    # Arrange
    session = event.sessions.first()
    cancelled = sign_up(event, [("Anna", "anna@example.org", session)])
    cancel_registration(registration=cancelled, by_staff=True)

    # Act
    errors = [
        refusal(register, event, []),
        refusal(
            register,
            event,
            [
                member("Bert", "bert@example.org", session),
                member(" BERT", "bert@example.org", session),
            ],
        ),
        refusal(
            add_attendee,
            registration=cancelled,
            attendee=member("Bert", "bert@example.org", session),
        ),
    ]

    # Assert
    assert [error.message for error in errors] == [
        "Meld ten minste één bestuurslid aan.",
        "BERT staat al eerder in dit formulier.",
        "Deze aanmelding is afgemeld. Meld u opnieuw aan via de website.",
    ]


def test_register_group_losing_the_race_for_a_person_is_a_refusal(event, sign_up, monkeypatch):
    # Arrange: another sign-up of De Linde took Anna after the check (the database's
    # conditional unique constraint catches it).
    session = event.sessions.first()
    sign_up(event, [("Anna", "anna@example.org", session)], contact_email="anna@example.org")
    monkeypatch.setattr(signup, "check_people_free", lambda event, organisation, names: None)

    # Act
    error = refusal(register, event, [member("ANNA", "", session)])

    # Assert
    assert (error.code, error.message) == (
        "person_taken",
        "Een van deze personen is al aangemeld voor deze bijeenkomst.",
    )


def test_add_attendee_tells_the_contact_who_was_added(event, sign_up, mailoutbox, send_queued_mail):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(event, [("Anna", "anna@example.org", session)])
    send_queued_mail()  # the sign-up's own mails
    mailoutbox.clear()

    # Act
    add_attendee(registration=registration, attendee=member("Bert", "bert@example.org", session))
    send_queued_mail()

    # Assert
    (mail,) = [m for m in mailoutbox if m.to == ["karin@example.org"]]
    assert "Toegevoegd: Bert." in [text.strip() for text in mail.body.splitlines()]
