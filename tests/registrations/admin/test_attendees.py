"""The board-member admin: the list, cancelling in bulk, and moving to another session on the
member's own "move" page (the change form edits only name, address and dietary wishes)."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from registrations import changes
from registrations.admin.attendees import AttendeeAdmin
from registrations.models import Attendee, Invoice, Registration, Status
from tests.admin_posts import run_action
from tests.db_checks import InjectedFailure, db_state, fail_after
from tests.signup_posts import members_of

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [m.message for m in get_messages(response.wsgi_request)]


def test_changelist_as_adviser_shows_the_organisation(adviser_client, event, sign_up):
    # Arrange
    sign_up(event, members_of(event, 2))

    # Act
    response = adviser_client.get(reverse("admin:registrations_attendee_changelist"))

    # Assert
    assertContains(response, "Huurdersvereniging De Linde")


# Cancelling in bulk ---------------------------------------------------------------------------


def test_cancel_attendees_action_after_payment_lowers_only_the_amount_due(
    adviser_client, event, sign_up
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    run_action(adviser_client, "registrations/invoice", "mark_paid", [registration.invoice])
    leaving = registration.attendees.order_by("pk").last()

    # Act
    response = run_action(adviser_client, "registrations/attendee", "cancel_attendees", [leaving])

    # Assert
    assert response.status_code == 302
    assert "1 deelnemer(s) afgemeld: Bestuurslid lid 2." in messages_of(response)
    invoice = Invoice.objects.get(pk=registration.invoice_id)
    assert (invoice.attendee_count, invoice.amount_due, invoice.amount_paid) == (
        2,
        Decimal("85.00"),
        Decimal("100.00"),
    )
    assert list(registration.attendees.order_by("pk").values_list("status", flat=True)) == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.CANCELLED,
    ]
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_cancel_attendees_action_of_the_last_member_cancels_the_sign_up(
    adviser_client, event, sign_up
):
    # Arrange
    registration = sign_up(event, members_of(event, 1))

    # Act
    run_action(
        adviser_client, "registrations/attendee", "cancel_attendees", registration.attendees.all()
    )

    # Assert
    registration.refresh_from_db()
    assert (registration.status, registration.attendees.get().status) == (
        Status.CANCELLED,
        Status.CANCELLED,
    )
    assert registration.invoice.amount_due == Decimal("0.00")


# Moving to another session --------------------------------------------------------------------


@pytest.fixture
def full_second_session(event, sign_up):
    """An's sign-up in the first session, and a second session whose one place Cor took."""
    first, second, *_rest = event.sessions.all()
    second.capacity = 1
    second.save(update_fields=["capacity"])
    sign_up(event, [("Cor", "cor@example.org", second)], organisation_name="Bewonersraad Oost")
    registration = sign_up(event, [("An", "an@example.org", first)])
    return registration.attendees.get(), first, second


def move_url(attendee):
    return reverse("admin:registrations_attendee_move", args=[attendee.pk])


def test_move_page_as_adviser_moves_to_another_session(adviser_client, event, sign_up):
    # Arrange
    first, second, *_rest = event.sessions.all()
    registration = sign_up(event, [("An", "an@example.org", first)])
    attendee = registration.attendees.get()

    # Act
    response = adviser_client.post(move_url(attendee), {"session": second.pk})

    # Assert
    assert response.status_code == 302
    assert Attendee.objects.get(pk=attendee.pk).session == second


def test_move_page_as_adviser_refuses_a_full_session(adviser_client, full_second_session):
    # Arrange
    attendee, first, second = full_second_session

    # Act
    response = adviser_client.post(move_url(attendee), {"session": second.pk}, follow=True)

    # Assert
    assertContains(response, f"De sessie ‘{second.title}’ is vol.")
    assertNotContains(response, "Verplaatst naar")
    assert Attendee.objects.get(pk=attendee.pk).session == first


def test_move_page_refusing_a_full_session_saves_nothing(adviser_client, full_second_session):
    # Arrange
    attendee, _first, second = full_second_session
    state_before = db_state()

    # Act
    adviser_client.post(move_url(attendee), {"session": second.pk})

    # Assert
    assert db_state() == state_before
    assert not LogEntry.objects.exists()


def test_attendee_change_form_leaves_session_and_status_alone(adviser_client, event, sign_up):
    # Arrange: a crafted post that names another session and a status besides the details.
    first, second, *_rest = event.sessions.all()
    registration = sign_up(event, [("An", "an@example.org", first)])
    attendee = registration.attendees.get()
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])

    # Act
    response = adviser_client.post(
        url,
        {
            "name": "An Anders",
            "email": "an@example.org",
            "dietary_wishes": "",
            "session": second.pk,
            "status": Status.CANCELLED,
            "_save": "Opslaan",
        },
    )

    # Assert
    assert response.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.name, attendee.session, attendee.status) == (
        "An Anders",
        first,
        Status.CONFIRMED,
    )


def test_attendee_change_form_stores_one_line_and_refuses_an_ip_address_domain(
    adviser_client, event, sign_up
):
    # Arrange
    registration = sign_up(event, [("An", "an@example.org", event.sessions.first())])
    attendee = registration.attendees.get()
    url = reverse("admin:registrations_attendee_change", args=[attendee.pk])
    details = {"name": "An\nStatus: betaald", "dietary_wishes": "geen\rvlees", "_save": "Opslaan"}

    # Act
    refused = adviser_client.post(url, details | {"email": "an@[127.0.0.1]"})
    saved = adviser_client.post(url, details | {"email": "an@example.org"})

    # Assert
    assertContains(refused, "Gebruik een e-mailadres met een gewone domeinnaam")
    assert saved.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.name, attendee.dietary_wishes) == ("An Status: betaald", "geen vlees")


# A failure halfway through a staff change writes nothing --------------------------------------


def test_staff_move_failing_halfway_writes_nothing(busy_registration, monkeypatch):
    # Arrange: the board member is saved in the new session, then the waiting list fails.
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, changes, "promote_waiting_list", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        changes.move_attendee(attendee=attendee, session=target, by_staff=True)

    # Assert
    moved = next(row for row in seen[0]["attendees"] if row[0] == attendee.pk)
    assert moved[3] == target.pk  # really halfway
    assert db_state() == state_before


def test_staff_move_in_admin_failing_writes_nothing(
    client, busy_registration, admin_user, monkeypatch
):
    # Arrange
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    client.force_login(admin_user)
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, changes, "promote_waiting_list", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        client.post(move_url(attendee), {"session": target.pk})

    # Assert
    moved = next(row for row in seen[0]["attendees"] if row[0] == attendee.pk)
    assert moved[3] == target.pk  # really halfway
    assert db_state() == state_before
    assert not LogEntry.objects.exists()


def test_staff_change_details_in_admin_failing_writes_nothing(
    client, busy_registration, admin_user, monkeypatch
):
    # Arrange: the new details are saved, then writing the history entry fails.
    attendee = busy_registration.attendees.get(email="anna@example.org")
    client.force_login(admin_user)
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, AttendeeAdmin, "log_change", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            reverse("admin:registrations_attendee_change", args=[attendee.pk]),
            {"name": "Anna Nieuwnaam", "email": "anna.nieuw@example.org", "dietary_wishes": ""},
        )

    # Assert
    assert "Anna Nieuwnaam" in [row[4] for row in seen[0]["attendees"]]  # really halfway
    assert db_state() == state_before
