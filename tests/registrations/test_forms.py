"""The sign-up form's own checks: a honeypot, a minimum fill time, a token good for one
sending, and one-line fields cleaned before the domain sees them."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from pytest_django.asserts import assertContains

from registrations.availability import sessions_with_seats
from registrations.forms import STARTED_SALT, AttendeeForm, SignupForm
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


def test_signup_token_is_good_for_one_sending(client, event, settings):
    # Arrange: a form shown once, long enough ago.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)
    first = signup_data([("Lid", "lid@example.org", session)], started=started)
    again = signup_data(
        [("Ander Lid", "ander@example.org", session)],
        started=started,
        organisation_name="Huurdersraad Anders",
        contact_email="ander@example.org",
    )

    # Act
    accepted = client.post(signup_url(event), first)
    replayed = client.post(signup_url(event), again)

    # Assert
    assert accepted.status_code == 302
    assert replayed.status_code == 200
    assertContains(replayed, "Dit formulier is al een keer verstuurd")
    assert row_counts() == (1, 1, 1)
    assert started_token_from_page(replayed) != started


def test_signup_token_used_by_a_refused_sending_is_not_good_again(client, event, settings):
    # Arrange: the first sending lacks the consent, so it is refused.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)
    refused_data = signup_data([("Lid", "lid@example.org", session)], started=started)
    del refused_data["consent"]

    # Act
    refused = client.post(signup_url(event), refused_data)
    replayed = client.post(
        signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
    )

    # Assert: the refused page carries a new token; the old one stays used.
    assert started_token_from_page(refused) != started
    assertContains(replayed, "Dit formulier is al een keer verstuurd")
    assert row_counts() == (0, 0, 0)


def test_signup_forms_clean_one_line_fields_before_the_domain_sees_them(event):
    # Arrange
    session = event.sessions.first()
    data = signup_data(
        [("Piet\nStatus: betaald", "piet@example.org", session)],
        organisation_name="De Linde\r\nBetaald: ja",
        contact_name="Karin\nStatus: betaald",
        contact_phone="030\n1234567",
    )
    data["members-0-dietary_wishes"] = "geen\nvlees"

    # Act
    form = SignupForm(data)
    member = AttendeeForm(
        data, prefix="members-0", event=event, sessions=sessions_with_seats(event)
    )

    # Assert
    assert form.is_valid(), form.errors
    assert member.is_valid(), member.errors
    assert [form.cleaned_data[name] for name in ("organisation_name", "contact_name")] == [
        "De Linde Betaald: ja",
        "Karin Status: betaald",
    ]
    assert form.cleaned_data["contact_phone"] == "030 1234567"
    assert (member.cleaned_data["name"], member.cleaned_data["dietary_wishes"]) == (
        "Piet Status: betaald",
        "geen vlees",
    )
