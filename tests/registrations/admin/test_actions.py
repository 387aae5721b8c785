"""The small admin pages that change a session, an organisation or a status (the pattern of
`contrib.auth`'s password page), and what bulk actions report."""

import pytest
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import OperationalError
from django.urls import reverse

from registrations import locking
from registrations.admin import attendees as attendee_admin
from registrations.errors import RegistrationError
from registrations.models import Registration, Status
from registrations.signup import AttendeeData, add_attendee
from tests.factories import OrganisationFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db


def history_of(obj) -> list[str]:
    """Return the admin history entries of one object, oldest first."""
    return list(
        LogEntry.objects.filter(object_id=str(obj.pk), action_flag=CHANGE)
        .order_by("pk")
        .values_list("change_message", flat=True)
    )


def page_messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in messages.get_messages(response.wsgi_request)]


@pytest.fixture
def full_and_free(event, sign_up):
    """A confirmed member in 'Duurzaamheid', and a session of one place that is taken."""
    full = ThemeSessionFactory(event=event, title="Kleine zaal", capacity=1)
    sign_up(event, [("Piet Vol", "piet@example.org", full)], organisation_name="Eerste Kring")
    registration = sign_up(
        event, [("Anna Lid", "anna@example.org", event.sessions.get(title="Duurzaamheid"))]
    )
    return registration.attendees.get(), full


def test_move_page_moves_the_member_and_writes_history(admin_client, full_and_free, event):
    # Arrange
    attendee, _full = full_and_free
    target = event.sessions.get(title="Werksessie")
    url = reverse("admin:registrations_attendee_move", args=[attendee.pk])

    # Act
    response = admin_client.post(url, {"session": target.pk})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:registrations_attendee_change", args=[attendee.pk]
    )
    attendee.refresh_from_db()
    assert attendee.session == target
    assert history_of(attendee) == ["Verplaatst naar ‘Werksessie’."]


def test_move_page_refusal_shows_on_the_field_and_writes_no_history(admin_client, full_and_free):
    # Arrange
    attendee, full = full_and_free
    url = reverse("admin:registrations_attendee_move", args=[attendee.pk])

    # Act
    response = admin_client.post(url, {"session": full.pk})

    # Assert
    assert response.status_code == 200
    assert response.context["form"].errors == {"session": ["De sessie ‘Kleine zaal’ is vol."]}
    assert 'class="form-row errors field-session"' in response.content.decode()
    attendee.refresh_from_db()
    assert attendee.session.title == "Duurzaamheid"
    assert history_of(attendee) == []


def test_move_page_offers_only_the_events_own_sessions(admin_client, full_and_free):
    # Arrange: a session of another lab.
    attendee, _full = full_and_free
    elsewhere = ThemeSessionFactory(title="Elders")
    url = reverse("admin:registrations_attendee_move", args=[attendee.pk])

    # Act
    response = admin_client.post(url, {"session": elsewhere.pk})

    # Assert
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["session"]
    attendee.refresh_from_db()
    assert attendee.session.title == "Duurzaamheid"


def test_attendee_change_form_shows_session_and_status_read_only(admin_client, full_and_free):
    # Arrange
    attendee, _full = full_and_free

    # Act
    response = admin_client.get(reverse("admin:registrations_attendee_change", args=[attendee.pk]))

    # Assert
    form = response.context["adminform"].form
    assert sorted(form.fields) == ["dietary_wishes", "email", "name"]
    page = response.content.decode()
    assert reverse("admin:registrations_attendee_move", args=[attendee.pk]) in page
    assert reverse("admin:registrations_attendee_cancel", args=[attendee.pk]) in page


def test_attendee_change_form_same_person_twice_is_a_form_error(admin_client, full_and_free):
    # Arrange: Bert Lid of the same organisation comes too.
    attendee, _full = full_and_free
    add_attendee(
        registration=attendee.registration,
        attendee=AttendeeData(name="Bert Lid", session_id=attendee.session_id),
    )
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    response = admin_client.post(url, {"name": "bert  LID", "email": "", "dietary_wishes": ""})

    # Assert
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        # The name as the form cleaned it: one line, single spaces.
        "name": ["bert LID van deze organisatie is al aangemeld voor deze bijeenkomst."]
    }
    attendee.refresh_from_db()
    assert (attendee.name, attendee.email) == ("Anna Lid", "anna@example.org")
    assert history_of(attendee) == []


def test_attendee_change_form_takes_a_shared_or_no_address(admin_client, full_and_free):
    # Arrange: Piet's address belongs to another organisation's member; sharing is allowed.
    attendee, _full = full_and_free
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    shared = admin_client.post(
        url, {"name": "Anna Lid", "email": "PIET@example.org", "dietary_wishes": ""}
    )
    attendee.refresh_from_db()
    shared_email = attendee.email
    none = admin_client.post(url, {"name": "Änna  Lid", "email": "", "dietary_wishes": ""})

    # Assert
    assert (shared.status_code, none.status_code) == (302, 302)
    assert shared_email == "PIET@example.org"
    attendee.refresh_from_db()
    assert (attendee.name, attendee.name_key, attendee.email) == ("Änna Lid", "anna lid", "")


def test_cancel_page_asks_first_then_cancels_with_history(admin_client, full_and_free):
    # Arrange
    attendee, _full = full_and_free
    url = reverse("admin:registrations_attendee_cancel", args=[attendee.pk])

    # Act
    question = admin_client.get(url)
    response = admin_client.post(url)

    # Assert
    assert question.status_code == 200
    assert "Deze deelnemer wordt afgemeld." in question.content.decode()
    assert response.status_code == 302
    attendee.refresh_from_db()
    assert attendee.status == Status.CANCELLED
    assert history_of(attendee) == ["Anna Lid is afgemeld."]


def test_organisation_page_rebooks_and_reprices_both(admin_client, event, sign_up):
    # Arrange: two members of De Linde in one sign-up, one of "De Linde e.o." in another.
    session = event.sessions.first()
    linde = sign_up(
        event, [("A Lid", "a@example.org", session), ("B Lid", "b@example.org", session)]
    )
    typo = sign_up(
        event,
        [("C Lid", "c@example.org", session)],
        organisation_name="De Linde e.o.",
        contact_email="c@example.org",
    )
    url = reverse("admin:registrations_registration_organisation", args=[typo.pk])

    # Act
    response = admin_client.post(url, {"organisation": linde.organisation_id})

    # Assert
    assert response.status_code == 302
    typo.refresh_from_db()
    assert typo.organisation_id == linde.organisation_id
    assert str(typo.invoice.amount_due) == "100.00"
    old = Registration.objects.get(pk=typo.pk).organisation.invoices.get(event=event)
    assert old.pk == linde.invoice_id
    assert history_of(typo) == ["Organisatie gewijzigd in Huurdersvereniging De Linde."]


def test_organisation_page_refusal_shows_the_reason_and_writes_no_history(
    admin_client, event, sign_up, monkeypatch
):
    # Arrange: another writer holds the event's lock past the timeout.
    registration = sign_up(event, [("A Lid", "a@example.org", event.sessions.first())])
    other = OrganisationFactory(name="Bewonersraad Houten")
    url = reverse("admin:registrations_registration_organisation", args=[registration.pk])

    def lock_timeout(event_id):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setattr(locking, "bump_version", lock_timeout)

    # Act
    response = admin_client.post(url, {"organisation": other.pk})

    # Assert
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Het is op dit moment erg druk. Probeer het over een minuut nog eens."
    ]
    assert 'class="errornote" role="alert"' in response.content.decode()
    registration.refresh_from_db()
    assert registration.organisation.name == "Huurdersvereniging De Linde"
    assert history_of(registration) == []


def test_registration_change_form_keeps_the_organisation_read_only(admin_client, event, sign_up):
    # Arrange
    registration = sign_up(event, [("A Lid", "a@example.org", event.sessions.first())])
    other = OrganisationFactory()
    url = reverse("admin:registrations_registration_change", args=[registration.pk])

    # Act: a crafted post that names another organisation.
    response = admin_client.post(
        url,
        {
            "organisation": other.pk,
            "contact_name": "Karin Voorbeeld",
            "contact_email": "karin@example.org",
            "contact_phone": "",
            "remarks": "Graag een plek bij de lift.",
            "attendees-TOTAL_FORMS": "1",
            "attendees-INITIAL_FORMS": "1",
            "attendees-MIN_NUM_FORMS": "0",
            "attendees-MAX_NUM_FORMS": "1000",
            "attendees-0-id": registration.attendees.get().pk,
            "attendees-0-registration": registration.pk,
            # The read-only list of the sign-up's mails posts only its counts.
            "mails-TOTAL_FORMS": "0",
            "mails-INITIAL_FORMS": "0",
        },
    )

    # Assert
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.remarks == "Graag een plek bij de lift."
    assert registration.organisation.name == "Huurdersvereniging De Linde"


def test_bulk_cancel_reports_what_it_did_and_each_refusal(
    admin_client, event, sign_up, monkeypatch
):
    # Arrange: three members; cancelling Bert is refused.
    session = event.sessions.first()
    registration = sign_up(
        event,
        [
            ("Anna Lid", "anna@example.org", session),
            ("Bert Lid", "bert@example.org", session),
            ("Cor Lid", "cor@example.org", session),
        ],
    )
    real_cancel = attendee_admin.cancel_attendee

    def cancel_unless_bert(*, attendee, by_staff):
        if attendee.name == "Bert Lid":
            raise RegistrationError("Bezet door een andere wijziging.", code="busy")
        return real_cancel(attendee=attendee, by_staff=by_staff)

    monkeypatch.setattr(attendee_admin, "cancel_attendee", cancel_unless_bert)

    # Act
    response = admin_client.post(
        reverse("admin:registrations_attendee_changelist"),
        {
            "action": "cancel_attendees",
            "_selected_action": list(registration.attendees.values_list("pk", flat=True)),
        },
    )

    # Assert
    reported = page_messages(response)
    assert ("success", "2 deelnemer(s) afgemeld: ") in [(t, m[:25]) for t, m in reported]
    assert ("error", "Bert Lid: Bezet door een andere wijziging.") in reported
    statuses = dict(registration.attendees.values_list("name", "status"))
    assert statuses == {
        "Anna Lid": Status.CANCELLED,
        "Bert Lid": Status.CONFIRMED,
        "Cor Lid": Status.CANCELLED,
    }
