"""The manage page behind the secret link: view, move, add, cancel, until the deadline."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import LOOKUP_LENGTH, Attendee, Registration, Status

pytestmark = pytest.mark.django_db


def members_of(event, count, *, prefix="lid"):
    """Return `count` board members, each in the next session of the event."""
    sessions = list(event.sessions.all())
    return [
        (f"Bestuurslid {prefix} {n}", f"{prefix}{n}@example.org", sessions[n % len(sessions)])
        for n in range(count)
    ]


def snapshot(registration):
    """Return everything a refused change must leave as it was."""
    registration.refresh_from_db()
    registration.invoice.refresh_from_db()
    return (
        registration.status,
        registration.invoice.amount_due,
        sorted(registration.attendees.values_list("pk", "email", "session_id", "status")),
    )


def contact_mails(outbox, address="karin@example.org"):
    return [message for message in outbox if message.to == [address]]


def contact_subjects(outbox, address="karin@example.org"):
    return [message.subject for message in contact_mails(outbox, address)]


# Viewing ------------------------------------------------------------------------------------


def test_detail_shows_the_registration_and_is_not_indexed(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 2))

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, '<meta name="robots" content="noindex, nofollow">', count=1)
    assertContains(response, "Huurdersvereniging De Linde")
    assertContains(response, "Bestuurslid lid 0")
    assertContains(response, "Bestuurslid lid 1")
    assertContains(response, "<strong>€ 85,00</strong>", count=1)


def wrong_token(token):
    return "A" * LOOKUP_LENGTH + token[LOOKUP_LENGTH:]


def truncated_token(token):
    return token[:-1]


def altered_token(token):
    position = LOOKUP_LENGTH + 5
    replacement = "B" if token[position] == "A" else "A"
    return token[:position] + replacement + token[position + 1 :]


def lookup_only_token(token):
    return token[:LOOKUP_LENGTH]


@pytest.mark.parametrize(
    "mangle",
    [wrong_token, truncated_token, altered_token, lookup_only_token],
    ids=["wrong", "truncated", "altered", "empty-secret"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_detail_with_a_bad_token_is_not_found(client, event, sign_up, mangle, method):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    url = reverse("registrations:detail", kwargs={"token": mangle(registration.token)})
    before = snapshot(registration)

    # Act
    response = getattr(client, method)(url, {"action": "cancel", "confirm": "on"})

    # Assert
    assert url != registration.get_absolute_url()
    assert response.status_code == 404
    assertNotContains(response, "De Linde", status_code=404)
    assert snapshot(registration) == before


# Moving to another session -------------------------------------------------------------------


def test_move_changes_the_session_and_mails_a_summary(
    client, event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    attendee = registration.attendees.get()
    target = event.sessions.get(title="Werksessie")

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            registration.get_absolute_url(),
            {"action": "move", "attendee": attendee.pk, "session": target.pk},
        )

    # Assert
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    attendee.refresh_from_db()
    assert attendee.session == target
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    (summary,) = contact_mails(mailoutbox)
    assert "Bestuurslid lid 0 gaat naar de sessie ‘Werksessie’." in summary.body


def test_move_into_a_full_session_is_refused(
    client, event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    full = event.sessions.get(title="Werksessie")
    full.capacity = 1
    full.save(update_fields=["capacity"])
    sign_up(
        event,
        [("Joop", "joop@example.org", full)],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )
    registration = sign_up(event, members_of(event, 1))
    attendee = registration.attendees.get()
    before = snapshot(registration)

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            registration.get_absolute_url(),
            {"action": "move", "attendee": attendee.pk, "session": full.pk},
        )

    # Assert
    assertContains(response, "De sessie ‘Werksessie’ is vol.", count=1)
    assert snapshot(registration) == before
    assert mailoutbox == []


# Cancelling ---------------------------------------------------------------------------------


def test_cancel_one_of_three_lowers_the_price_and_mails_a_summary(
    client, event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))
    leaving = registration.attendees.get(email="lid1@example.org")
    assert registration.invoice.amount_due == Decimal("100.00")

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            registration.get_absolute_url(), {"action": "cancel", "attendee": leaving.pk}
        )

    # Assert
    assert response.status_code == 302
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("85.00")
    page = client.get(registration.get_absolute_url())
    assertContains(page, "<strong>€ 85,00</strong>", count=1)
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    (summary,) = contact_mails(mailoutbox)
    assert "Bestuurslid lid 1 is afgemeld." in summary.body
    assert sorted(registration.attendees.values_list("email", "status")) == [
        ("lid0@example.org", Status.CONFIRMED),
        ("lid1@example.org", Status.CANCELLED),
        ("lid2@example.org", Status.CONFIRMED),
    ]


def test_cancel_everyone_without_confirm_is_refused(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, 2))
    before = snapshot(registration)

    # Act
    response = client.post(registration.get_absolute_url(), {"action": "cancel"})

    # Assert
    assertContains(response, "Vink aan dat u iedereen wilt afmelden.", count=1)
    assert snapshot(registration) == before


def test_cancel_everyone_with_confirm_cancels_all_and_keeps_the_rows(
    client, event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    registration = sign_up(event, members_of(event, 3))

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            registration.get_absolute_url(), {"action": "cancel", "confirm": "on"}
        )

    # Assert
    assert response.status_code == 302
    registration.refresh_from_db()
    registration.invoice.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert list(registration.attendees.values_list("status", flat=True)) == [Status.CANCELLED] * 3
    assert registration.invoice.amount_due == Decimal("0.00")
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]


# Adding a colleague --------------------------------------------------------------------------


def add_data(name, email, session):
    return {
        "action": "add",
        "new-name": name,
        "new-email": email,
        "new-session": session.pk,
        "new-dietary_wishes": "vegetarisch",
    }


def test_add_colleague_joins_and_reprices(
    client, event, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    session = event.sessions.get(title="Jaarcyclus")
    assert registration.invoice.amount_due == Decimal("50.00")

    # Act
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            registration.get_absolute_url(), add_data("Nieuw Lid", "nieuw@example.org", session)
        )

    # Assert
    assert response.status_code == 302
    registration.invoice.refresh_from_db()
    assert registration.invoice.amount_due == Decimal("85.00")
    added = registration.attendees.get(email="nieuw@example.org")
    assert (added.name, added.session, added.dietary_wishes, added.status) == (
        "Nieuw Lid",
        session,
        "vegetarisch",
        Status.CONFIRMED,
    )
    assert contact_subjects(mailoutbox) == [f"Wijziging in uw aanmelding voor {event.title}"]
    (summary,) = contact_mails(mailoutbox)
    assert summary.cc == ["lid0@example.org", "nieuw@example.org"]


def test_add_form_is_not_offered_at_the_group_limit(client, event, sign_up):
    # Arrange
    registration = sign_up(event, members_of(event, event.max_group_size))

    # Act
    response = client.get(registration.get_absolute_url())

    # Assert
    assertNotContains(response, 'name="new-name"')
    assertNotContains(response, "Een collega toevoegen")


def test_add_beyond_the_group_limit_is_refused(client, event, sign_up):
    # Arrange
    event.max_group_size = 2
    event.save(update_fields=["max_group_size"])
    registration = sign_up(event, members_of(event, 2))
    before = snapshot(registration)

    # Act
    response = client.post(
        registration.get_absolute_url(),
        add_data("Derde", "derde@example.org", event.sessions.first()),
    )

    # Assert
    assertContains(response, "Per aanmelding kunnen ten hoogste 2 bestuursleden komen.", count=1)
    assert snapshot(registration) == before


def test_add_with_an_email_already_at_the_event_is_refused(client, event, sign_up):
    # Arrange
    sign_up(
        event,
        [("Joop", "joop@example.org", event.sessions.first())],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )
    registration = sign_up(event, members_of(event, 1))
    before = snapshot(registration)

    # Act
    response = client.post(
        registration.get_absolute_url(),
        add_data("Joop", "Joop@Example.org", event.sessions.first()),
    )

    # Assert
    assertContains(response, "joop@example.org is al aangemeld voor deze bijeenkomst.", count=1)
    assert snapshot(registration) == before
    assert Attendee.objects.filter(email__iexact="joop@example.org").count() == 1


# After the deadline --------------------------------------------------------------------------


@pytest.fixture
def closed_registration(event, sign_up):
    """A sign-up of two whose event's deadline has just passed."""
    registration = sign_up(event, members_of(event, 2))
    event.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["registration_deadline"])
    return registration


def test_detail_after_the_deadline_offers_no_changes(client, closed_registration):
    # Act
    response = client.get(closed_registration.get_absolute_url())

    # Assert
    assertContains(response, "neem dan contact op met Atrivé", count=1)
    assertNotContains(response, 'name="action"')
    assertNotContains(response, 'name="new-name"')


@pytest.mark.parametrize("action", ["move", "cancel-one", "cancel-all", "add"])
def test_change_after_the_deadline_is_refused(client, event, closed_registration, action):
    # Arrange
    attendee = closed_registration.attendees.first()
    other_session = event.sessions.get(title="Jaarcyclus")
    data = {
        "move": {"action": "move", "attendee": attendee.pk, "session": other_session.pk},
        "cancel-one": {"action": "cancel", "attendee": attendee.pk},
        "cancel-all": {"action": "cancel", "confirm": "on"},
        "add": add_data("Laat", "laat@example.org", other_session),
    }[action]
    before = snapshot(closed_registration)

    # Act
    response = client.post(closed_registration.get_absolute_url(), data, follow=True)

    # Assert
    assertContains(response, "Wijzigen kan niet meer. Neem contact op met Atrivé.", count=1)
    assert snapshot(closed_registration) == before


# Someone else's board member ----------------------------------------------------------------


@pytest.mark.parametrize("action", ["move", "cancel"])
def test_change_of_another_registrations_attendee_is_not_found(client, event, sign_up, action):
    # Arrange
    registration = sign_up(event, members_of(event, 1))
    other = sign_up(
        event,
        [("Joop", "joop@example.org", event.sessions.first())],
        organisation_name="Bewonersraad De Eik",
        contact_email="joop@example.org",
    )
    stranger = other.attendees.get()
    before = (snapshot(registration), snapshot(other))

    # Act
    response = client.post(
        registration.get_absolute_url(),
        {"action": action, "attendee": stranger.pk, "session": event.sessions.last().pk},
    )

    # Assert
    assert response.status_code == 404
    assert (snapshot(registration), snapshot(other)) == before
    assert Registration.objects.count() == 2
