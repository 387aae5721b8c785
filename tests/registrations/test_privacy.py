"""Personal data: anonymising old events, and looking up, exporting and erasing people (found
by address, or by organisation and name), in the sign-ups and in the mail outbox."""

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
from registrations.invoices import InvoiceDetails
from registrations.issuing import issue_invoices
from registrations.models import (
    Attendee,
    Invoice,
    InvoiceDocument,
    MailKind,
    MailStatus,
    OutboxMail,
    Registration,
    Status,
)
from registrations.privacy import (
    ANONYMOUS_NAME,
    anonymise_registrations,
    erase_personal_data,
    find_people,
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
    assert list(old.attendees.values_list("email", "name_key")) == [("", ""), ("", "")]
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

    # Act: look up, export, and erase both persons found (Jan as contact and as member).
    page = client.post(personal_data_url, {"email": "JAN@example.org", "action": "search"})
    export = client.post(personal_data_url, {"email": "JAN@example.org", "action": "export"})
    found = export.json()
    erase = client.post(
        personal_data_url,
        {
            "email": "jan@example.org",
            "action": "erase_confirmed",
            "contact": [p["id"] for p in found["as_contact_person"]],
            "attendee": [p["id"] for p in found["as_attendee"]],
        },
    )
    after = client.post(personal_data_url, {"email": "jan@example.org", "action": "export"})

    # Assert
    assertContains(page, 'type="checkbox" name="contact"', count=1)
    assertContains(page, 'type="checkbox" name="attendee"', count=1)
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
    erase = client.post(
        personal_data_url,
        {
            "email": "jan@example.org",
            "action": "erase",
            "attendee": [a["id"] for a in lookup.json()["as_attendee"]],
        },
    )

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
    found_before = personal_data_of(email="JAN@example.org")["mails"]
    jan = registration.attendees.get(name="Jan Lid")

    # Act
    erase_personal_data(attendees=[jan.pk])

    # Assert
    assert [m["kind"] for m in found_before] == [MailKind.CONFIRMATION]
    assert personal_data_of(email="jan@example.org")["mails"] == []
    assert not OutboxMail.objects.filter(last_error__contains="jan").exists()
    change_lines = registration.mails.filter(kind__in=[MailKind.CHANGE, MailKind.STAFF_CHANGE])
    assert {m.params["name"] for m in change_lines} == {ANONYMOUS_NAME}
    assert set(registration.mails.values_list("recipient", flat=True)) == {
        "",
        "karin@example.org",
        "atrive@example.org",
    }


# People who share an address, or have none ----------------------------------------------------


@pytest.fixture
def secretariat(sign_up, event, send_queued_mail):
    """Karin signed up Anna (no address) and Bert and Cor, who share the secretariat's address;
    their confirmation went out, and Bert later cancelled (a change mail names him)."""
    session = event.sessions.first()
    registration = sign_up(
        event,
        [
            ("Anna Lid", "", session, "vegetarisch"),
            ("Bert Lid", "secretariaat@example.org", session, "glutenvrij"),
            ("Cor Lid", "secretariaat@example.org", session),
        ],
    )
    send_queued_mail()
    cancel_attendee(attendee=registration.attendees.get(name="Bert Lid"), by_staff=True)
    return registration


def test_lookup_by_organisation_and_name_finds_a_person_without_an_address(
    admin_client, secretariat, personal_data_url
):
    # Act
    response = admin_client.post(
        personal_data_url,
        {"organisation": "huurdersvereniging de linde", "name": "ANNA  lid", "action": "export"},
    )

    # Assert
    found = response.json()
    assert [(a["name"], a["email"], a["dietary_wishes"]) for a in found["as_attendee"]] == [
        ("Anna Lid", "", "vegetarisch")
    ]
    assert found["as_contact_person"] == []


def test_lookup_of_a_shared_address_lists_each_person_and_erases_only_the_one_chosen(
    admin_client, secretariat, personal_data_url
):
    # Arrange
    bert = secretariat.attendees.get(name="Bert Lid")
    lookup = admin_client.post(
        personal_data_url, {"email": "secretariaat@example.org", "action": "search"}
    )

    # Act: staff tick Bert only.
    erase = admin_client.post(
        personal_data_url,
        {"email": "secretariaat@example.org", "action": "erase_confirmed", "attendee": [bert.pk]},
    )

    # Assert
    assertContains(lookup, "Bert Lid", count=1)
    assertContains(lookup, "Cor Lid", count=1)
    assert erase.status_code == 302
    assert sorted(secretariat.attendees.values_list("name", "email", "dietary_wishes")) == [
        ("Anna Lid", "", "vegetarisch"),
        ("Cor Lid", "secretariaat@example.org", ""),
        (ANONYMOUS_NAME, "", ""),
    ]
    # Cor still uses the address: the mails to it keep it; the change mail loses Bert's name.
    assert secretariat.mails.filter(recipient="secretariaat@example.org").count() == 2
    assert {m.params.get("name") for m in secretariat.mails.filter(kind=MailKind.CHANGE)} == {
        ANONYMOUS_NAME
    }


def test_erase_asks_first_on_a_page_listing_what_goes(admin_client, secretariat, personal_data_url):
    # Arrange
    bert = secretariat.attendees.get(name="Bert Lid")
    state_before = db_state()

    # Act: Bert is ticked, and an id the search did not find is slipped in.
    page = admin_client.post(
        personal_data_url,
        {
            "email": "secretariaat@example.org",
            "action": "erase",
            "attendee": [bert.pk, 999999],
        },
    )

    # Assert: nothing erased yet; the page names Bert, what goes, and asks to confirm.
    assert db_state() == state_before
    assertContains(page, "Gegevens wissen?")
    assertContains(page, "Bert Lid (secretariaat@example.org)")
    assertContains(page, "dieetwensen: glutenvrij")
    assertContains(page, "(afgemeld)")
    assertContains(page, f'name="attendee" value="{bert.pk}"', count=1)
    assertNotContains(page, "999999")
    assertNotContains(page, "Cor Lid")
    assertContains(page, 'value="erase_confirmed"')


def test_lookup_shows_statuses_in_dutch(admin_client, secretariat, personal_data_url):
    # Act
    page = admin_client.post(
        personal_data_url, {"email": "secretariaat@example.org", "action": "search"}
    )

    # Assert
    assertContains(page, "(afgemeld)")
    assertContains(page, "(aangemeld)")
    assertNotContains(page, "(confirmed)")
    assertNotContains(page, "(cancelled)")


def test_erasing_everyone_at_a_shared_address_clears_it_from_the_outbox(secretariat):
    # Arrange
    both = secretariat.attendees.filter(name__in=["Bert Lid", "Cor Lid"])

    # Act
    erase_personal_data(attendees=list(both.values_list("pk", flat=True)))

    # Assert
    assert not OutboxMail.objects.filter(recipient__iexact="secretariaat@example.org").exists()
    assert secretariat.mails.filter(recipient="karin@example.org").exists()


def test_erase_without_anyone_ticked_changes_nothing(admin_client, secretariat, personal_data_url):
    # Arrange
    state_before = db_state()

    # Act
    response = admin_client.post(
        personal_data_url, {"email": "secretariaat@example.org", "action": "erase"}
    )

    # Assert: the people found are shown again, to tick.
    assertContains(response, "Vink aan wiens gegevens u wilt wissen.", count=1)
    assertContains(response, 'type="checkbox" name="attendee"', count=2)
    assert db_state() == state_before


def test_personal_data_lookup_takes_the_address_by_post_only(
    client, sign_up, event, admin_user, personal_data_url
):
    # Arrange
    sign_up(event, [("Jan Lid", "jan@example.org", event.sessions.first())])
    client.force_login(admin_user)

    # Act
    by_url = client.get(personal_data_url, {"email": "jan@example.org", "format": "json"})
    by_name_in_url = client.get(
        personal_data_url, {"organisation": "Huurdersvereniging De Linde", "name": "Jan Lid"}
    )
    by_post = client.post(personal_data_url, {"email": "jan@example.org", "action": "search"})

    # Assert: an address or a name in the URL lands in access logs; it is not looked up. The
    # page's own forms (search; export and erase of the people found) post too.
    for response in (by_url, by_name_in_url):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assertNotContains(response, "Jan Lid")
    assertContains(by_post, "Jan Lid")
    assertContains(by_post, '<form method="post">', count=1)
    assertContains(by_post, '<form method="post" class="personal-data-found">', count=1)
    assertNotContains(by_post, "?email=")
    assertNotContains(by_post, "format=json")


# The domain functions behind the page and the command ---------------------------------------


def erase_everyone_found(*, email: str) -> int:
    """Erase every person `find_people` finds at the address, as staff ticking them all do."""
    contacts, members = find_people(email=email)
    return erase_personal_data(
        contacts=[registration.pk for registration in contacts],
        attendees=[attendee.pk for attendee in members],
    )


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
    changed = erase_everyone_found(email=" jan.lid@EXAMPLE.org ")

    # Assert: the member, the contact, and the one mail queued to that address.
    assert changed == 3
    registration.refresh_from_db()
    assert (registration.contact_name, registration.contact_email) == (
        ANONYMOUS_NAME,
        f"anoniem-r{registration.pk}@example.invalid",
    )
    attendee = registration.attendees.get()
    assert (attendee.name, attendee.email) == (ANONYMOUS_NAME, "")
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
    found = personal_data_of(email=" jan.lid@example.ORG ")

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
    registration.mails.filter(recipient="jan@example.org").update(
        status=MailStatus.FAILED, last_error="550 5.1.1 <jan@example.org>: no such user"
    )

    # Act
    if how == "erase":
        erase_everyone_found(email="jan@example.org")
    else:
        anonymise_registrations(registrations=Registration.objects.filter(pk=registration.pk))

    # Assert
    assert set(registration.mails.values_list("last_error", flat=True)) == {""}
    assert "jan@example.org" not in str(personal_data_snapshot(registration))


def personal_data_snapshot(registration) -> list:
    """Return every value of the sign-up and its members that could hold personal data."""
    return [
        Registration.objects.filter(pk=registration.pk).values().get(),
        list(registration.attendees.values()),
        list(registration.mails.values()),
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
    found = personal_data_of(email="jan@example.org")

    # Assert
    assert found == {
        "email": "jan@example.org",
        "organisation": "",
        "name": "",
        "as_contact_person": [
            {
                "id": registration.pk,
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
                "id": attendee.pk,
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
        "evaluation": [],
        "mails": [
            {
                "event": str(event),
                "to": "jan@example.org",
                "kind": "confirmation",
                "status": "queued",
                "created_at": mail.created_at.isoformat(),
                "sent_at": None,
            }
            for mail in registration.mails.filter(recipient="jan@example.org")
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

    # Act / Assert: the session, the user, the sign-ups, the board members, their evaluation
    # answers and the mails.
    with django_assert_num_queries(6):
        response = admin_client.post(
            personal_data_url, {"email": "jan@example.org", "action": "export"}
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
    changed = erase_everyone_found(email="jan@example.org")

    # Assert: two members, one contact, and the two mails queued to that address.
    assert changed == 5
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


def test_anonymise_registrations_forgets_the_person_on_the_invoice_and_keeps_the_document(
    event, sign_up
):
    # Arrange
    registration = sign_up(
        event,
        [("Anna", "anna@example.org", event.sessions.first())],
        invoice_details=InvoiceDetails(attention="Jan Penning", customer_reference="REF-1"),
    )
    [document] = issue_invoices(event=event)

    # Act
    anonymise_registrations(registrations=Registration.objects.filter(pk=registration.pk))

    # Assert
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    assert (invoice.attention, invoice.customer_reference) == ("", "REF-1")
    assert InvoiceDocument.objects.get(pk=document.pk).attention == "Jan Penning"
