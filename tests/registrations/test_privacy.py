"""Personal data: anonymising old events, and looking up, exporting and erasing one address,
in the sign-ups and in the mail outbox."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations import reminders
from registrations.changes import cancel_attendee
from registrations.models import Attendee, Invoice, MailKind, MailStatus, OutboxMail, Status
from registrations.privacy import ANONYMOUS_NAME, erase_personal_data, personal_data_of
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
    export = client.post(personal_data_url, {"email": "JAN@example.org", "action": "export"})
    erase = client.post(personal_data_url, {"email": "jan@example.org", "action": "erase"})
    after = client.post(personal_data_url, {"email": "jan@example.org", "action": "export"})

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
    lookup = client.post(personal_data_url, {"email": "jan@example.org", "action": "export"})
    erase = client.post(personal_data_url, {"email": "jan@example.org", "action": "erase"})

    # Assert
    assert lookup.status_code == 200
    assert erase.status_code == 403
    assert db_state() == state_before


def test_personal_data_page_sends_anonymous_to_login(client, personal_data_url):
    # Act
    responses = [
        client.post(personal_data_url, {"email": "jan@example.org", "action": "export"}),
        client.post(personal_data_url, {"email": "jan@example.org", "action": "erase"}),
    ]

    # Assert
    for response in responses:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/admin/login/")


# The mail outbox holds addresses, names and errors too ----------------------------------------


def test_anonymise_old_events_clears_the_outbox_and_drops_unsent_mail(
    sign_up, event, send_queued_mail
):
    # Arrange: an old sign-up whose mails went out, a change mail naming a member that failed,
    # and a reminder still queued.
    old_session = ThemeSessionFactory(event=EventFactory())
    old = sign_up(
        old_session.event,
        [
            ("Oud Lid", "oud.lid@example.org", old_session),
            ("Oud Twee", "oud2@example.org", old_session),
        ],
        contact_email="oud.contact@example.org",
    )
    send_queued_mail()
    cancel_attendee(attendee=old.attendees.get(name="Oud Twee"), by_staff=True)
    old.mails.filter(kind=MailKind.CHANGE).update(
        status=MailStatus.FAILED, last_error="550 <oud.lid@example.org> unknown"
    )
    reminders.queue_reminder(old.pk)
    past = timezone.localdate() - datetime.timedelta(days=400)
    type(old_session.event).objects.filter(pk=old_session.event_id).update(date=past)
    recent = sign_up(event, [("Nieuw Lid", "nieuw@example.org", event.sessions.first())])

    # Act
    call_command("anonymise_old_events", months=12, stdout=io.StringIO())

    # Assert
    mails = list(old.mails.all())
    assert {m.recipient for m in mails} == {""}
    assert {m.last_error for m in mails} == {""}
    assert {m.params.get("name") for m in mails if m.params} == {ANONYMOUS_NAME}
    assert {m.status for m in mails if m.kind == MailKind.REMINDER} == {MailStatus.DROPPED}
    assert "nieuw@example.org" in set(recent.mails.values_list("recipient", flat=True))


def test_erase_removes_the_address_and_the_name_from_the_outbox(sign_up, event, send_queued_mail):
    # Arrange: Jan is a member of Karin's group; he cancels; the change mail names him.
    registration = sign_up(
        event,
        [
            ("Karin Voorbeeld", "karin@example.org", event.sessions.first()),
            ("Jan Lid", "jan@example.org", event.sessions.first()),
        ],
    )
    send_queued_mail()
    cancel_attendee(attendee=registration.attendees.get(name="Jan Lid"), by_staff=True)
    OutboxMail.objects.filter(recipient="jan@example.org").update(last_error="550 jan")
    found_before = personal_data_of("JAN@example.org")["mails"]

    # Act
    erase_personal_data(email="jan@example.org")

    # Assert
    assert [m["kind"] for m in found_before] == [MailKind.CONFIRMATION]
    assert personal_data_of("jan@example.org")["mails"] == []
    assert not OutboxMail.objects.filter(last_error__contains="jan").exists()
    change_lines = registration.mails.filter(kind__in=[MailKind.CHANGE, MailKind.STAFF_CHANGE])
    assert {m.params["name"] for m in change_lines} == {ANONYMOUS_NAME}
    assert set(registration.mails.values_list("recipient", flat=True)) == {
        "",
        "karin@example.org",
        "atrive@example.org",
    }


def test_personal_data_lookup_takes_the_address_by_post_only(
    client, sign_up, event, admin_user, personal_data_url
):
    # Arrange
    sign_up(event, [("Jan Lid", "jan@example.org", event.sessions.first())])
    client.force_login(admin_user)

    # Act
    by_url = client.get(personal_data_url, {"email": "jan@example.org", "format": "json"})
    by_post = client.post(personal_data_url, {"email": "jan@example.org", "action": "search"})

    # Assert: an address in the URL lands in access logs; it is not looked up.
    assert by_url.status_code == 200
    assert by_url["Content-Type"].startswith("text/html")
    assertNotContains(by_url, "Jan Lid")
    assertContains(by_post, "Jan Lid")
    assertContains(by_post, '<form method="post">', count=3)
    assertNotContains(by_post, "?email=")
