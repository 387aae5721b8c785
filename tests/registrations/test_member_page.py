"""A board member's own link: their place and nobody else's, no money, asking before they
cancel, until the deadline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from registrations.models import LOOKUP_LENGTH, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(event, sign_up):
    """Karin signed up Anna (own address) and Bert (no address); returns the sign-up."""
    sessions = list(event.sessions.all())
    return sign_up(
        event,
        [("Anna Lid", "anna@example.org", sessions[0]), ("Bert Lid", "", sessions[1])],
    )


def member_url(attendee, name="member"):
    return reverse(f"registrations:{name}", args=[attendee.token])


def test_member_page_shows_their_own_place_and_no_money(client, group):
    # Arrange
    anna = group.attendees.get(name="Anna Lid")

    # Act
    response = client.get(member_url(anna))

    # Assert
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(response, '<dd class="member-name">Anna Lid</dd>', count=1, html=True)
    assertContains(response, '<dd class="member-session">Duurzaamheid</dd>', count=1, html=True)
    assertNotContains(response, "Bert Lid")
    assertNotContains(response, "€")
    assertContains(response, f'href="{member_url(anna, "member_cancel")}"', count=1)


def test_member_moves_their_own_session(client, group, event):
    # Arrange
    anna = group.attendees.get(name="Anna Lid")
    target = event.sessions.get(title="Jaarcyclus")

    # Act
    response = client.post(
        member_url(anna, "member_change_session"), {"session": target.pk}, follow=True
    )

    # Assert
    assert response.redirect_chain == [(member_url(anna), 302)]
    assertContains(response, "Anna Lid gaat naar ‘Jaarcyclus’.", count=1)
    anna.refresh_from_db()
    assert anna.session == target


def test_member_cancels_themselves_after_a_page_that_asks(client, group, send_queued_mail):
    # Arrange
    anna = group.attendees.get(name="Anna Lid")

    # Act
    question = client.get(member_url(anna, "member_cancel"))
    anna.refresh_from_db()
    status_after_asking = anna.status
    response = client.post(member_url(anna, "member_cancel"), follow=True)

    # Assert
    assertContains(question, "Weet u zeker dat u zich afmeldt, Anna Lid?", count=1)
    assertNotContains(question, "€")
    assert status_after_asking == Status.CONFIRMED
    assertContains(response, "U bent afgemeld", count=2)  # the message and the heading
    anna.refresh_from_db()
    group.refresh_from_db()
    group.invoice.refresh_from_db()
    assert anna.status == Status.CANCELLED
    assert group.status == Status.CONFIRMED  # Bert still comes
    assert str(group.invoice.amount_due) == "50.00"


@pytest.mark.parametrize(
    ("name", "method", "needs_attendee"),
    [
        ("detail", "get", False),
        ("add_colleague", "post", False),
        ("cancel_all", "post", False),
        ("cancel_attendee", "post", True),
        ("change_session", "post", True),
    ],
)
def test_member_link_cannot_touch_the_group(client, group, name, method, needs_attendee):
    # Arrange: Anna's own token, tried on the group's pages, e.g. to cancel Bert.
    anna = group.attendees.get(name="Anna Lid")
    bert = group.attendees.get(name="Bert Lid")
    args = [anna.token, bert.pk] if needs_attendee else [anna.token]

    # Act
    response = getattr(client, method)(
        reverse(f"registrations:{name}", args=args),
        {"session": bert.session_id, "new-name": "Zoë", "new-session": bert.session_id},
    )

    # Assert
    assert response.status_code == 404
    bert.refresh_from_db()
    assert bert.status == Status.CONFIRMED
    assert group.attendees.count() == 2


def other_letter(letter: str) -> str:
    """Return a letter that is surely not `letter`."""
    return "y" if letter == "x" else "x"


def test_member_link_with_an_altered_secret_is_not_found(client, group):
    # Arrange
    anna = group.attendees.get(name="Anna Lid")
    token = (
        anna.token[:LOOKUP_LENGTH]
        + other_letter(anna.token[LOOKUP_LENGTH])
        + anna.token[LOOKUP_LENGTH + 1 :]
    )

    # Act
    responses = [
        client.get(reverse("registrations:member", args=[token])),
        client.post(reverse("registrations:member_cancel", args=[token])),
    ]

    # Assert
    assert [r.status_code for r in responses] == [404, 404]
    anna.refresh_from_db()
    assert anna.status == Status.CONFIRMED


def test_member_change_after_the_deadline_is_refused(client, group, event):
    # Arrange
    anna = group.attendees.get(name="Anna Lid")
    event.registration_deadline = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["registration_deadline"])

    # Act
    response = client.post(member_url(anna, "member_cancel"), follow=True)

    # Assert
    assertContains(response, "Wijzigen kan niet meer. Neem contact op met Atrivé.", count=1)
    assertContains(response, 'id="foutmeldingen" tabindex="-1" autofocus', count=1)
    anna.refresh_from_db()
    assert anna.status == Status.CONFIRMED
