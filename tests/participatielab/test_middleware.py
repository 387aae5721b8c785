"""The rate limits on the sign-up and the admin login, and whose address counts."""

import time
import types

import pytest
from pytest_django.asserts import assertContains

import participatielab.middleware
from registrations.models import Registration
from tests.signup_posts import signup_data, signup_url

RATE_LIMITS = {"registrations:signup": "3/3600", "admin:login": "2/900"}


@pytest.fixture
def frozen_rate_clock(monkeypatch):
    """Keep the rate limiter in one time window, so a test never straddles a window's end."""
    now = time.time()
    monkeypatch.setattr(participatielab.middleware, "time", types.SimpleNamespace(time=lambda: now))


def test_signup_rate_limit_refuses_fourth_post_from_one_address(
    client, event, settings, frozen_rate_clock
):
    # Arrange
    settings.RATE_LIMITS = RATE_LIMITS
    session = event.sessions.first()
    for n in range(3):
        response = client.post(
            signup_url(event),
            signup_data([(f"Lid {n}", f"lid{n}@example.org", session)]),
            REMOTE_ADDR="192.0.2.10",
        )
        assert response.status_code == 302

    # Act
    refused = client.post(
        signup_url(event),
        signup_data([("Lid 3", "lid3@example.org", session)]),
        REMOTE_ADDR="192.0.2.10",
    )
    other_address = client.post(
        signup_url(event),
        signup_data([("Lid 4", "lid4@example.org", session)]),
        REMOTE_ADDR="192.0.2.11",
    )

    # Assert
    assert refused.status_code == 429
    assertContains(refused, "Even geduld", status_code=429)
    assert int(refused.headers["Retry-After"]) > 0
    assert other_address.status_code == 302
    assert Registration.objects.count() == 4


def test_signup_rate_limit_does_not_count_page_views(client, event, settings, frozen_rate_clock):
    # Arrange
    settings.RATE_LIMITS = RATE_LIMITS

    # Act
    statuses = [client.get(signup_url(event)).status_code for _ in range(5)]

    # Assert
    assert statuses == [200] * 5


def test_admin_login_rate_limit_refuses_third_post(client, db, settings, frozen_rate_clock):
    # Arrange
    settings.RATE_LIMITS = RATE_LIMITS
    attempt = {"username": "beheer", "password": "fout"}

    # Act
    statuses = [client.post("/admin/login/", attempt).status_code for _ in range(3)]

    # Assert
    assert statuses == [200, 200, 429]


def test_rate_limit_uses_last_address_of_trusted_proxy_header(
    client, event, settings, frozen_rate_clock
):
    # Arrange
    settings.RATE_LIMITS = RATE_LIMITS
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    url = signup_url(event)

    def post(forwarded_for: str) -> int:
        return client.post(url, {}, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    # Act: the proxy (REMOTE_ADDR stays 127.0.0.1) appends the client's real address.
    first_client = [post("198.51.100.7") for _ in range(3)]
    forged_first_entry = post("203.0.113.99, 198.51.100.7")
    second_client = post("203.0.113.99, 198.51.100.8")

    # Assert
    assert first_client == [200, 200, 200]
    assert forged_first_entry == 429
    assert second_client == 200


def test_rate_limit_ignores_forwarded_header_without_trusted_proxy(
    client, event, settings, frozen_rate_clock
):
    # Arrange
    settings.RATE_LIMITS = RATE_LIMITS
    settings.CLIENT_IP_HEADER = ""
    url = signup_url(event)

    # Act: a client rotating a forged header is still one address.
    statuses = [
        client.post(url, {}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(4)
    ]

    # Assert
    assert statuses == [200, 200, 200, 429]
