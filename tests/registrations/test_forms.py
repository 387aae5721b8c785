"""The sign-up form's quiet guards against bots: a honeypot field and a minimum fill time."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.forms import STARTED_SALT
from tests.signup_posts import row_counts, signup_data, signup_url

pytestmark = pytest.mark.django_db


def test_signup_honeypot_filled_refused_and_nothing_written(client, event):
    # Arrange
    session = event.sessions.first()
    data = signup_data([("Lid", "lid@example.org", session)], website="https://spam.example")

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 200
    assertContains(response, "Uw aanmelding kon niet worden verwerkt")
    assert row_counts() == (0, 0, 0)


def started_token_from_page(response) -> str:
    match = re.search(r'name="started" value="([^"]+)"', response.content.decode())
    assert match is not None, "the sign-up page carries no 'started' token"
    return match.group(1)


def test_signup_sent_too_fast_refused(client, event, settings):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = started_token_from_page(client.get(signup_url(event)))

    # Act
    response = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert
    assert response.status_code == 200
    assertContains(response, "Dat ging wel heel snel")
    assert row_counts() == (0, 0, 0)
    # The form comes back with a fresh token, so a person can simply send it again.
    assert started_token_from_page(response) != started


def test_signup_sent_after_minimum_time_accepted(client, event, settings):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)

    # Act
    response = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert
    assert response.status_code == 302
    assert row_counts() == (1, 1, 1)


@pytest.mark.parametrize(
    "started",
    [
        None,
        "",
        "onzin",
        signing.dumps(time.time() - 5, salt="another.salt"),
        signing.dumps(time.time() - 5, salt=STARTED_SALT)[:-2] + "xx",
    ],
    ids=["missing", "empty", "garbage", "wrong-salt", "tampered"],
)
def test_signup_without_valid_started_token_refused(client, event, settings, started):
    # Arrange
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    data = signup_data([("Lid", "lid@example.org", session)])
    if started is not None:
        data["started"] = started

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.status_code == 200
    assertContains(response, "Dat ging wel heel snel")
    assert row_counts() == (0, 0, 0)


def test_staff_signup_form_skips_the_bot_guards(adviser_client, event, settings):
    # Arrange: staff type a phoned-in sign-up quickly, with no token from a public page.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])

    # Act
    response = adviser_client.post(url, signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 302
    assert row_counts() == (1, 1, 1)


def started_at(monkeypatch, seconds_ago: float) -> str:
    """Return the "started" token the sign-up page gave `seconds_ago` seconds ago."""
    shown_at = time.time() - seconds_ago
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: shown_at)
        return signing.dumps(shown_at, salt=STARTED_SALT)


@pytest.mark.parametrize(
    ("hours_ago", "accepted"),
    [(23.9, True), (24.1, False)],
    ids=["shown-just-under-a-day-ago", "shown-over-a-day-ago"],
)
def test_signup_form_shown_more_than_a_day_ago_is_sent_again(
    client, event, settings, monkeypatch, hours_ago, accepted
):
    # Arrange: a form left open overnight counts as not shown at all.
    settings.SIGNUP_MIN_SECONDS = 3
    started = started_at(monkeypatch, hours_ago * 3600)
    data = signup_data([("Lid", "lid@example.org", event.sessions.first())], started=started)

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert (response.status_code == 302) is accepted
    assert row_counts() == ((1, 1, 1) if accepted else (0, 0, 0))
    if not accepted:
        assertContains(response, "Dat ging wel heel snel", count=1)


def test_staff_signup_form_with_an_old_or_missing_token_is_accepted(
    adviser_client, event, settings, monkeypatch
):
    # Arrange: staff keep the phone form open all day; the bot guards are not theirs.
    settings.SIGNUP_MIN_SECONDS = 3
    url = reverse("admin:theme_sessions_event_signup", args=[event.pk])
    session = event.sessions.first()
    old = started_at(monkeypatch, 2 * 24 * 3600)

    # Act
    first = adviser_client.post(
        url, signup_data([("Lid", "lid@example.org", session)], started=old)
    )
    second = adviser_client.post(
        url,
        signup_data(
            [("Ander", "ander@example.org", session)],
            contact_email="ander@example.org",
            website="https://spam.example",
        ),
    )

    # Assert
    assert (first.status_code, second.status_code) == (302, 302)
    assert row_counts() == (2, 2, 1)


def test_signup_half_filled_row_with_an_invalid_address_gets_one_message_per_field(client, event):
    # Arrange: the second row has a name and a mistyped address, and no session.
    session = event.sessions.first()
    data = signup_data([("Anna", "anna@example.org", session), ("Bert", "bert@", "")])

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    row = response.context["formset"].forms[1]
    assert row.errors == {
        "email": ["Voer een geldig e-mailadres in."],
        "session": ["Dit veld is verplicht."],
    }
    assertContains(
        response, "Bestuurslid 2 – E-mailadres: Voer een geldig e-mailadres in.", count=1
    )
    assertContains(response, "Bestuurslid 2 – Themasessie: Dit veld is verplicht.", count=1)
    assert row_counts() == (0, 0, 0)


def test_signup_extra_row_with_only_a_session_asks_for_name_and_address(client, event):
    # Arrange
    session = event.sessions.first()
    data = signup_data([("Anna", "anna@example.org", session), ("", "", session)])

    # Act
    response = client.post(signup_url(event), data)

    # Assert
    assert response.context["formset"].forms[1].errors == {
        "name": ["Dit veld is verplicht."],
        "email": ["Dit veld is verplicht."],
    }
    assert row_counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("total_forms", "filled"),
    [(4, 4), (10, 10), (5, 3)],
    ids=["one-row-more", "many-rows-more", "empty-rows-more"],
)
def test_signup_more_rows_than_the_event_allows_are_refused(client, event, total_forms, filled):
    # Arrange: a tampered form sends more rows than the three the page shows.
    sessions = list(event.sessions.all())
    members = [
        (f"Lid {n}", f"lid{n}@example.org", sessions[n % len(sessions)]) for n in range(filled)
    ]

    # Act
    response = client.post(signup_url(event), signup_data(members, total_forms=total_forms))

    # Assert
    assert response.status_code == 200
    assertContains(response, "U kunt met ten hoogste 3 bestuursleden tegelijk aanmelden.")
    assert row_counts() == (0, 0, 0)
