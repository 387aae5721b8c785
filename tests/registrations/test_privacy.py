"""Personal data: anonymising old events, and looking up, exporting and erasing one address."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations.models import Attendee, Invoice, Registration, Status
from registrations.privacy import (
    ANONYMOUS_NAME,
    anonymise_registrations,
    erase_personal_data,
    personal_data_of,
)
from tests.db_checks import db_state
from tests.factories import EventFactory, ThemeSessionFactory

pytestmark = pytest.mark.django_db


# Retention: old events lose their personal data ----------------------------------------------


def test_anonymise_old_events_removes_personal_data_and_keeps_amounts(sign_up, event):
    # Arrange
    old_event = EventFactory()
    old_session = ThemeSessionFactory(event=old_event)
    old = sign_up(
        old_event,
        [
            ("Oud Lid", "oud.lid@example.org", old_session, "glutenvrij"),
            ("Oud Twee", "oud2@example.org", old_session),
        ],
        organisation_name="Huurdersvereniging Vroeger",
        contact_email="oud.contact@example.org",
        contact_phone="0301234567",
        remarks="Graag een rolstoelplek",
    )
    past = timezone.localdate() - datetime.timedelta(days=400)
    type(old_event).objects.filter(pk=old_event.pk).update(date=past)
    recent = sign_up(event, [("Nieuw Lid", "nieuw@example.org", event.sessions.first())])
    invoice_before = Invoice.objects.values_list("attendee_count", "amount_due").get(
        pk=old.invoice_id
    )

    # Act
    call_command("anonymise_old_events", months=12, stdout=io.StringIO())

    # Assert
    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert (old.contact_name, old.contact_phone, old.remarks) == (ANONYMOUS_NAME, "", "")
    assert old.contact_email.endswith("@example.invalid")
    assert list(old.attendees.values_list("name", "dietary_wishes")) == [
        (ANONYMOUS_NAME, ""),
        (ANONYMOUS_NAME, ""),
    ]
    assert all(
        e.endswith("@example.invalid") for e in old.attendees.values_list("email", flat=True)
    )
    assert old.organisation.name == "Huurdersvereniging Vroeger"
    assert old.status == Status.CONFIRMED
    assert (
        Invoice.objects.values_list("attendee_count", "amount_due").get(pk=old.invoice_id)
        == (invoice_before)
        == (2, Decimal("85.00"))
    )
    recent.refresh_from_db()
    assert recent.anonymised_at is None
    assert recent.contact_email == "karin@example.org"
    assert list(recent.attendees.values_list("name", flat=True)) == ["Nieuw Lid"]


# The rights of the people concerned: look up, export, erase ---------------------------------


@pytest.fixture
def personal_data_url() -> str:
    return reverse("admin:registrations_registration_personal_data")


def test_personal_data_export_and_erase_by_superuser(
    client, sign_up, event, admin_user, personal_data_url
):
    # Arrange
    sign_up(
        event,
        [("Jan Lid", "jan@example.org", event.sessions.first())],
        contact_email="jan@example.org",
        contact_name="Jan Lid",
    )
    other = sign_up(
        event,
        [("Piet Ander", "piet@example.org", event.sessions.first())],
        organisation_name="Huurdersraad Anders",
        contact_email="piet@example.org",
    )
    client.force_login(admin_user)

    # Act
    export = client.get(personal_data_url, {"email": "JAN@example.org", "format": "json"})
    erase = client.post(personal_data_url, {"email": "jan@example.org"})
    after = client.get(personal_data_url, {"email": "jan@example.org", "format": "json"})

    # Assert
    assert export.status_code == 200
    data = export.json()
    assert [p["email"] for p in data["as_contact_person"]] == ["jan@example.org"]
    assert [(p["name"], p["email"]) for p in data["as_attendee"]] == [
        ("Jan Lid", "jan@example.org")
    ]
    assert "piet@example.org" not in export.content.decode()
    assert erase.status_code == 302
    assert after.json()["as_contact_person"] == after.json()["as_attendee"] == []
    assert not Attendee.objects.filter(name="Jan Lid").exists()
    other.refresh_from_db()
    assert other.contact_email == "piet@example.org"
    assert list(other.attendees.values_list("name", flat=True)) == ["Piet Ander"]


def test_personal_data_erase_refused_without_delete_permission(
    client, sign_up, event, django_user_model, personal_data_url
):
    # Arrange: an adviser who may look up and export, but not erase.
    sign_up(event, [("Jan Lid", "jan@example.org", event.sessions.first())])
    adviser = django_user_model.objects.create_user(
        "adviseur", password="een-lang-wachtwoord-9", is_staff=True
    )
    adviser.user_permissions.add(
        Permission.objects.get(codename="export_personal_data"),
        Permission.objects.get(codename="view_registration"),
    )
    client.force_login(adviser)
    state_before = db_state()

    # Act
    lookup = client.get(personal_data_url, {"email": "jan@example.org", "format": "json"})
    erase = client.post(personal_data_url, {"email": "jan@example.org"})

    # Assert
    assert lookup.status_code == 200
    assert erase.status_code == 403
    assert db_state() == state_before


def test_personal_data_page_sends_anonymous_to_login(client, personal_data_url):
    # Act
    responses = [
        client.get(personal_data_url, {"email": "jan@example.org", "format": "json"}),
        client.post(personal_data_url, {"email": "jan@example.org"}),
    ]

    # Assert
    for response in responses:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/admin/login/")


# The domain functions behind the page and the command ---------------------------------------


def test_erase_personal_data_finds_an_address_whatever_its_capitals(event, sign_up):
    # Arrange: stored with capitals as the person typed it; staff type it otherwise.
    session = event.sessions.first()
    registration = sign_up(
        event,
        [("Jan Lid", "Jan.Lid@Example.org", session)],
        contact_email="JAN.LID@example.org",
        contact_name="Jan Lid",
    )
    other = sign_up(
        event,
        [("Piet Ander", "piet@example.org", session)],
        organisation_name="Huurdersraad Anders",
        contact_email="piet@example.org",
    )

    # Act
    changed = erase_personal_data(email=" jan.lid@EXAMPLE.org ")

    # Assert
    assert changed == 2
    registration.refresh_from_db()
    assert (registration.contact_name, registration.contact_email) == (
        ANONYMOUS_NAME,
        f"anoniem-r{registration.pk}@example.invalid",
    )
    attendee = registration.attendees.get()
    assert (attendee.name, attendee.email) == (
        ANONYMOUS_NAME,
        f"anoniem-{attendee.pk}@example.invalid",
    )
    other.refresh_from_db()
    assert other.contact_email == "piet@example.org"
    assert other.attendees.get().name == "Piet Ander"


def test_personal_data_of_finds_an_address_whatever_its_capitals(event, sign_up):
    # Arrange
    sign_up(
        event,
        [("Jan Lid", "Jan.Lid@Example.org", event.sessions.first(), "glutenvrij")],
        contact_email="JAN.LID@example.org",
        contact_name="Jan Lid",
        contact_phone="030 123 45 67",
    )

    # Act
    found = personal_data_of(" jan.lid@example.ORG ")

    # Assert
    ((contact,), (member,)) = found["as_contact_person"], found["as_attendee"]
    assert (contact["name"], contact["email"], contact["phone"]) == (
        "Jan Lid",
        "JAN.LID@example.org",
        "030 123 45 67",
    )
    assert (member["name"], member["email"], member["dietary_wishes"]) == (
        "Jan Lid",
        "Jan.Lid@Example.org",
        "glutenvrij",
    )


@pytest.mark.parametrize("how", ["erase", "anonymise"])
def test_removing_personal_data_also_removes_the_mail_error(event, sign_up, how):
    # Arrange: the last SMTP error quotes the address ("550 jan@example.org: no such user").
    registration = sign_up(
        event,
        [("Jan Lid", "jan@example.org", event.sessions.first())],
        contact_email="jan@example.org",
    )
    Registration.objects.filter(pk=registration.pk).update(
        mail_error="550 5.1.1 <jan@example.org>: no such user"
    )

    # Act
    if how == "erase":
        erase_personal_data(email="jan@example.org")
    else:
        anonymise_registrations(registrations=Registration.objects.filter(pk=registration.pk))

    # Assert
    registration.refresh_from_db()
    assert registration.mail_error == ""
    assert "jan@example.org" not in str(personal_data_snapshot(registration))


def personal_data_snapshot(registration) -> list:
    """Return every value of the sign-up and its members that could hold personal data."""
    return [
        Registration.objects.filter(pk=registration.pk).values().get(),
        list(registration.attendees.values()),
    ]


def test_anonymise_registrations_twice_counts_once_and_keeps_the_first_date(event, sign_up):
    # Arrange
    registration = sign_up(event, [("Jan Lid", "jan@example.org", event.sessions.first())])
    selection = Registration.objects.filter(pk=registration.pk)
    first_time = timezone.now() - datetime.timedelta(days=1)
    assert anonymise_registrations(registrations=selection, now=first_time) == 1
    before = personal_data_snapshot(registration)

    # Act
    count = anonymise_registrations(registrations=selection)

    # Assert
    assert count == 0
    assert personal_data_snapshot(registration) == before
    registration.refresh_from_db()
    assert registration.anonymised_at == first_time


def test_anonymise_old_events_command_twice_reports_none_the_second_time(sign_up):
    # Arrange
    old_event = EventFactory()
    sign_up(old_event, [("Oud Lid", "oud@example.org", ThemeSessionFactory(event=old_event))])
    past = timezone.localdate() - datetime.timedelta(days=400)
    type(old_event).objects.filter(pk=old_event.pk).update(date=past)
    call_command("anonymise_old_events", months=12, stdout=io.StringIO())
    anonymised_at = Registration.objects.get().anonymised_at

    # Act
    out = io.StringIO()
    call_command("anonymise_old_events", months=12, stdout=out)

    # Assert
    assert Registration.objects.get().anonymised_at == anonymised_at
    assert out.getvalue().startswith("Anonymised 0 sign-up(s) of events before ")


def test_personal_data_of_lists_every_stored_field(event, sign_up):
    # Arrange
    session = event.sessions.first()
    registration = sign_up(
        event,
        [("Jan Lid", "jan@example.org", session, "halal")],
        organisation_name="Huurdersvereniging De Linde",
        contact_name="Jan Lid",
        contact_email="jan@example.org",
        contact_phone="030 123 45 67",
        remarks="Graag bij de deur.",
    )
    attendee = registration.attendees.get()

    # Act
    found = personal_data_of("jan@example.org")

    # Assert
    assert found == {
        "email": "jan@example.org",
        "as_contact_person": [
            {
                "event": str(event),
                "organisation": "Huurdersvereniging De Linde",
                "name": "Jan Lid",
                "email": "jan@example.org",
                "phone": "030 123 45 67",
                "remarks": "Graag bij de deur.",
                "status": "confirmed",
                "signed_up_at": registration.created_at.isoformat(),
                "consent_at": registration.consent_at.isoformat(),
                "privacy_version": "test",
            }
        ],
        "as_attendee": [
            {
                "event": str(event),
                "organisation": "Huurdersvereniging De Linde",
                "name": "Jan Lid",
                "email": "jan@example.org",
                "session": session.title,
                "dietary_wishes": "halal",
                "status": "confirmed",
                "signed_up_at": attendee.created_at.isoformat(),
            }
        ],
    }


@pytest.mark.parametrize("labs", [1, 4], ids=["one-lab", "four-labs"])
def test_personal_data_lookup_query_count_does_not_grow(
    admin_client, sign_up, personal_data_url, django_assert_num_queries, labs
):
    # Arrange: the same person signed up for `labs` labs, as contact and as member.
    for n in range(labs):
        lab_event = EventFactory()
        sign_up(
            lab_event,
            [("Jan Lid", "jan@example.org", ThemeSessionFactory(event=lab_event))],
            organisation_name=f"Huurdersvereniging {n}",
            contact_email="jan@example.org",
        )
    admin_client.get(reverse("admin:index"))  # the session and user are read once first

    # Act / Assert: the session, the user, the sign-ups and the board members.
    with django_assert_num_queries(4):
        response = admin_client.get(
            personal_data_url, {"email": "jan@example.org", "format": "json"}
        )
    assert len(response.json()["as_attendee"]) == labs


def test_erase_personal_data_counts_every_row_it_changed(sign_up):
    # Arrange: Jan came to two labs, once also as the contact person.
    for n in range(2):
        lab_event = EventFactory()
        sign_up(
            lab_event,
            [("Jan Lid", "jan@example.org", ThemeSessionFactory(event=lab_event))],
            contact_email="jan@example.org" if n == 0 else "karin@example.org",
        )

    # Act
    changed = erase_personal_data(email="jan@example.org")

    # Assert
    assert changed == 3
    assert not Attendee.objects.filter(name="Jan Lid").exists()


def test_anonymise_registrations_counts_each_sign_up(event, sign_up):
    # Arrange
    session = event.sessions.first()
    for name in ["Jan", "Piet", "Kees"]:
        sign_up(
            event,
            [(name, f"{name.lower()}@example.org", session)],
            organisation_name=f"Huurders {name}",
        )

    # Act
    count = anonymise_registrations(registrations=Registration.objects.all())

    # Assert
    assert count == 3
    assert set(Registration.objects.values_list("contact_name", flat=True)) == {ANONYMOUS_NAME}
