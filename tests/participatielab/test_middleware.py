"""The site-wide middleware: rate limits (sign-up, admin login, the manage link) and whose
address counts, and form bodies in a charset Django cannot read."""

import logging
import time
import types

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from pytest_django.asserts import assertContains

import participatielab.limits
from participatielab import settings as settings_module
from registrations.models import OutboxMail, Registration
from tests.signup_posts import signup_data, signup_url

RATE_LIMITS = {
    "signup": {"views": ["registrations:signup"], "per": "address", "rate": "3/3600"},
    "login": {"views": ["admin:login"], "per": "address", "rate": "2/900"},
}


@pytest.fixture
def frozen_rate_clock(monkeypatch):
    """Keep the rate limiter in one time window, so a test never straddles a window's end."""
    now = time.time()
    monkeypatch.setattr(participatielab.limits, "time", types.SimpleNamespace(time=lambda: now))


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


# The manage link: per link and per client address ---------------------------------------------


def manage_url(registration, name, attendee=None) -> str:
    kwargs = {"token": registration.token}
    if attendee is not None:
        kwargs["attendee_id"] = attendee.pk
    return reverse(f"registrations:{name}", kwargs=kwargs)


def test_every_post_under_the_manage_link_is_limited_per_link_and_per_address(settings):
    # Arrange: every URL of the manage links (the contact person's and a member's own)
    # except the pages themselves takes a POST.
    resolver = get_resolver()
    posts = {
        f"registrations:{pattern.name}"
        for pattern in resolver.url_patterns[-1].url_patterns
        if str(pattern.pattern).startswith("aanmelding/")
        and pattern.name not in {"detail", "member"}
    }

    # Act
    limited = {
        rule["per"]: set(rule["views"])
        for rule in settings.RATE_LIMITS.values()
        if set(rule["views"]) & posts
    }

    # Assert
    assert len(posts) == 6
    assert limited == {"token": posts, "address": posts}


def test_manage_link_limit_stops_add_and_cancel_rounds_from_any_address(
    client, event, sign_up, frozen_rate_clock
):
    # Arrange: the attack found: add a stranger (who gets a mail), cancel, again and again,
    # each time from another address. The default limit: 10 POSTs per link per hour.
    registration = sign_up(event, [("Anna Lid", "anna@example.org", event.sessions.first())])
    statuses = []

    # Act
    for round_ in range(25):
        added = client.post(
            manage_url(registration, "add_colleague"),
            {
                "new-name": "Status: betaald",
                "new-email": "slachtoffer@example.org",
                "new-session": event.sessions.first().pk,
                "new-dietary_wishes": "",
            },
            REMOTE_ADDR=f"198.51.100.{round_}",
        )
        victim = registration.attendees.filter(email="slachtoffer@example.org").last()
        cancelled = client.post(
            manage_url(registration, "cancel_attendee", victim),
            REMOTE_ADDR=f"203.0.113.{round_}",
        )
        statuses += [added.status_code, cancelled.status_code]

    # Assert
    assert statuses == [302] * 10 + [429] * 40
    assert OutboxMail.objects.filter(recipient="slachtoffer@example.org").count() == 5
    assert registration.attendees.filter(email="slachtoffer@example.org").count() == 5


def test_manage_posts_from_one_address_are_limited_across_links(
    client, event, sign_up, settings, frozen_rate_clock
):
    # Arrange
    settings.RATE_LIMITS = {
        "manage-link": {"views": settings.MANAGE_LINK_VIEWS, "per": "token", "rate": "10/3600"},
        "manage-address": {
            "views": settings.MANAGE_LINK_VIEWS,
            "per": "address",
            "rate": "3/3600",
        },
    }
    links = [
        sign_up(
            event,
            [(f"Lid {n}", f"lid{n}@example.org", event.sessions.first())],
            contact_email=f"contact{n}@example.org",
        )
        for n in range(2)
    ]

    # Act: a move to a session that does not exist, so nothing changes; in turn through the
    # contact person's link and through a member's own link.
    moves = [
        manage_url(links[0], "change_session", links[0].attendees.get()),
        reverse("registrations:member_change_session", args=[links[1].attendees.get().token]),
    ]
    statuses = [
        client.post(moves[n % 2], {"session": 0}, REMOTE_ADDR="192.0.2.50").status_code
        for n in range(4)
    ]
    other_address = client.post(moves[0], {"session": 0}, REMOTE_ADDR="192.0.2.51")

    # Assert
    assert statuses == [200, 200, 200, 429]
    assert other_address.status_code == 200


def test_readme_proxy_example_sets_the_client_address_header():
    # Arrange
    readme = (settings_module.BASE_DIR / "README.md").read_text()

    # Act
    examples = [
        line
        for line in readme.splitlines()
        if "USE_X_FORWARDED_PROTO=1" in line and "make serve" in line
    ]

    # Assert: without it every visitor behind the proxy shares the proxy's one count.
    assert examples
    assert all("CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR" in line for line in examples)


# A body Django cannot decode -------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "signup", "/admin/login/", "/bestaat-niet/"])
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data; boundary=grens; charset=utf-16",
    ],
    ids=["urlencoded-utf-16", "urlencoded-latin-1", "multipart-utf-16"],
)
def test_form_body_in_another_charset_gets_a_400_logged_once(event, caplog, url, content_type):
    # Arrange: a client with a CSRF cookie, so the CSRF check reads the body; the test
    # client encodes the body in the declared charset.
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    url = {"signup": signup_url(event)}.get(url, url)
    body = "csrfmiddlewaretoken=" + "a" * 32 + "&organisation_name=De Linde"

    # Act
    with caplog.at_level(logging.INFO):
        response = client.post(url, data=body, content_type=content_type)

    # Assert
    assert response.status_code == 400
    assertContains(response, "Dit verzoek konden wij niet verwerken", status_code=400)
    assert response.headers["Content-Language"] == "nl"
    logged = [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == [("django.request", "WARNING")]


def test_form_body_declared_utf_8_is_read_as_usual(client, event):
    # Act
    response = client.post(
        signup_url(event),
        data="organisation_name=De Linde",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )

    # Assert: the refused (incomplete) form, not a 400.
    assert response.status_code == 200
    assertContains(response, "Controleer het formulier")
