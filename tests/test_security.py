"""Every protection of the site, each with a test that fails when the protection is removed.

Headers and cookies, the Dutch error pages, the start-up refusals, the bot guards and rate
limits, the health checks, who may open which page, the privacy tools and the all-or-nothing
writes.
"""

import datetime
import io
import os
import re
import subprocess
import sys
import time
import types
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.management import call_command
from django.core.management.utils import get_random_secret_key
from django.db import OperationalError, connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

import participatielab.middleware
from registrations import services
from registrations.forms import STARTED_SALT
from registrations.models import Attendee, Invoice, Organisation, Registration, Status
from registrations.services import ANONYMOUS_NAME
from tests.factories import EventFactory, ThemeSessionFactory
from tests.signup_posts import row_counts, signup_data

BASE_DIR = Path(__file__).resolve().parent.parent


def _raise_for_the_500_page(request):
    raise RuntimeError("geheime-interne-fout-42")


# The project's URLs plus one view that fails, for the 500 page (`@pytest.mark.urls`).
urlpatterns = [
    path("stuk/", _raise_for_the_500_page),
    path("", include("participatielab.urls")),
]


def signup_url(event) -> str:
    return reverse("registrations:signup", args=[event.slug])


def db_state() -> dict[str, list[tuple]]:
    """Return every row the write paths touch, to compare before and after a failure."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values_list("pk", "name")),
        "invoices": list(
            Invoice.objects.order_by("pk").values_list(
                "pk", "organisation_id", "attendee_count", "amount_due", "amount_paid"
            )
        ),
        "registrations": list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "organisation_id", "invoice_id", "contact_name", "contact_email"
            )
        ),
        "attendees": list(
            Attendee.objects.order_by("pk").values_list(
                "pk", "registration_id", "status", "session_id", "name", "email", "dietary_wishes"
            )
        ),
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hash test passwords quickly: the real hasher costs half a second per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def frozen_rate_clock(monkeypatch):
    """Keep the rate limiter in one time window, so a test never straddles a window's end."""
    now = time.time()
    monkeypatch.setattr(participatielab.middleware, "time", types.SimpleNamespace(time=lambda: now))


# Headers and cookies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "event", "signup", "/privacy/", "/admin/login/", "/bestaat-niet/"],
    ids=["home", "event-page", "signup", "privacy", "admin-login", "not-found"],
)
def test_security_headers_on_real_responses(client, event, url):
    # Arrange
    url = {"event": event.get_absolute_url(), "signup": signup_url(event)}.get(url, url)

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code in (200, 404)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_ssl_redirect_sends_plain_http_to_https(client, db, settings):
    # Arrange
    settings.SECURE_SSL_REDIRECT = True

    # Act
    response = client.get("/privacy/")

    # Assert
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/privacy/"


def test_ssl_redirect_leaves_health_checks_on_plain_http(client, db, settings):
    # Arrange: load balancers probe over plain HTTP inside the network.
    settings.SECURE_SSL_REDIRECT = True

    # Act
    live = client.get("/healthz/live")
    ready = client.get("/healthz")

    # Assert
    assert (live.status_code, ready.status_code) == (200, 200)


def test_hsts_header_on_secure_request(client, db, settings):
    # Arrange
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    # Act
    response = client.get("/", secure=True)

    # Assert
    assert response.headers["Strict-Transport-Security"].startswith(
        "max-age=31536000; includeSubDomains"
    )


def test_cookies_flagged_secure_and_session_cookie_httponly(
    client, event, settings, django_user_model
):
    # Arrange
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    django_user_model.objects.create_user("beheer", password="een-lang-wachtwoord-9", is_staff=True)

    # Act
    page = client.get(signup_url(event), secure=True)
    login = client.post(
        "/admin/login/",
        {"username": "beheer", "password": "een-lang-wachtwoord-9", "next": "/admin/"},
        secure=True,
    )

    # Assert
    assert page.cookies["csrftoken"]["secure"] is True
    assert login.status_code == 302
    session_cookie = login.cookies["sessionid"]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


# Error pages: Dutch, and nothing leaks ------------------------------------------------------


def test_404_page_dutch_without_traceback(client, db):
    # Act
    response = client.get("/dit-lab-bestaat-niet/")

    # Assert
    assert response.status_code == 404
    assertContains(response, "Deze pagina bestaat niet (meer)", status_code=404)
    assertNotContains(response, "Traceback", status_code=404)
    assertNotContains(response, "Http404", status_code=404)
    assertNotContains(response, "urlpatterns", status_code=404)


@pytest.mark.urls("tests.test_security")
def test_500_page_dutch_without_exception_details(client, db):
    # Arrange
    client.raise_request_exception = False

    # Act
    response = client.get("/stuk/")

    # Assert
    assert response.status_code == 500
    assertContains(response, "Er ging iets mis", status_code=500)
    assertNotContains(response, "Traceback", status_code=500)
    assertNotContains(response, "RuntimeError", status_code=500)
    assertNotContains(response, "geheime-interne-fout-42", status_code=500)


def test_400_page_for_unknown_host_dutch(client, db):
    # Act
    response = client.get("/", HTTP_HOST="aanvaller.example")

    # Assert
    assert response.status_code == 400
    assertContains(response, "Dit verzoek konden wij niet verwerken", status_code=400)
    assertNotContains(response, "DisallowedHost", status_code=400)
    assertNotContains(response, "ALLOWED_HOSTS", status_code=400)


def test_403_page_for_csrf_failure_dutch(event):
    # Arrange
    client = Client(enforce_csrf_checks=True)
    session = event.sessions.first()

    # Act
    response = client.post(signup_url(event), signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 403
    assert row_counts() == (0, 0, 0)
    assertContains(response, "Het formulier is verlopen", status_code=403)
    assertContains(response, '<html lang="nl">', status_code=403)
    assertNotContains(response, "CSRF", status_code=403)


def test_403_for_csrf_failure_writes_nothing(event):
    # Arrange
    client = Client(enforce_csrf_checks=True)
    session = event.sessions.first()

    # Act
    response = client.post(signup_url(event), signup_data([("Lid", "lid@example.org", session)]))

    # Assert
    assert response.status_code == 403
    assert row_counts() == (0, 0, 0)


# Start-up refuses an unsafe configuration -----------------------------------------------------


def run_python(args: list[str], **environment: str) -> subprocess.CompletedProcess:
    """Run the project's Python with only the given environment (no pytest-env settings)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "participatielab.settings",
        **environment,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


SETUP = ["-c", "import django; django.setup()"]


def test_startup_without_secret_key_refused():
    # Act
    result = run_python(SETUP, DEBUG="0", ALLOWED_HOSTS="lab.example.org")

    # Assert
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_startup_without_allowed_hosts_refused():
    # Act
    result = run_python(SETUP, DEBUG="0", SECRET_KEY=get_random_secret_key())

    # Assert
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_with_production_settings_finds_no_issues():
    # Act
    result = run_python(
        ["manage.py", "check", "--deploy"],
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="lab.example.org",
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


# Abuse: honeypot, minimum fill time, rate limits -------------------------------------------


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


RATE_LIMITS = {"registrations:signup": "3/3600", "admin:login": "2/900"}


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


# Health checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/healthz", "/healthz/live"], ids=["ready", "live"])
def test_health_check_answers_ok_without_cookie_or_personal_data(client, sign_up, event, url):
    # Arrange
    sign_up(event, [("Jan Geheim", "jan.geheim@example.org", event.sessions.first())])

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(response.cookies) == 0
    assert "Set-Cookie" not in response.headers
    assert b"geheim" not in response.content.lower()


def test_health_ready_answers_503_when_database_fails(client, db, monkeypatch):
    # Arrange
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    # Act
    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")

    # Assert
    assert response.status_code == 503
    assert len(response.cookies) == 0


def test_health_live_answers_without_database(client, db, monkeypatch, django_assert_num_queries):
    # Arrange
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    # Act
    with monkeypatch.context() as patch, django_assert_num_queries(0):
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz/live")

    # Assert
    assert response.status_code == 200
    assert response.content == b"ok"


# Access: every admin page is for staff only; public pages show nobody else's data ------------


def walk_patterns(patterns, prefix="", namespace="", params=()):
    """Yield (route text, full name, parameter names) for every URL pattern of the project."""
    for pattern in patterns:
        names = tuple(
            getattr(pattern.pattern, "converters", {}).keys()
            or pattern.pattern.regex.groupindex.keys()
        )
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk_patterns(pattern.url_patterns, route, inner, params + names)
        elif isinstance(pattern, URLPattern):
            name = None
            if pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield route, name, params + names


@pytest.fixture
def two_organisations(sign_up, event):
    """Two organisations signed up for one lab, each with data the other must never see."""
    first_session, second_session = list(event.sessions.all())[:2]
    first = sign_up(
        event,
        [("Anna Eerste", "anna@example.org", first_session)],
        organisation_name="Huurdersraad Eerste Kring",
        contact_name="Karin Eerste",
        contact_email="karin.eerste@example.org",
    )
    second = sign_up(
        event,
        [("Bram Tweede", "bram.tweede@example.org", second_session)],
        organisation_name="Bewonersbond Tweede Lijn",
        contact_name="Kees Tweede",
        contact_email="kees.tweede@example.org",
        contact_phone="0612345678",
        remarks="Tweede-opmerking",
    )
    return first, second


def example_urls(first: Registration, user_id: int = 1) -> list[tuple[str, str]]:
    """Return (route, URL) for every pattern, with parameters of existing rows."""
    event = first.event
    attendee = first.attendees.first()
    values = {
        "slug": event.slug,
        "token": first.token,
        "event_id": event.pk,
        "session_id": attendee.session_id,
        "object_id": str(first.pk),
        "content_type_id": ContentType.objects.get_for_model(Registration).pk,
        "app_label": "registrations",
        "id": user_id,
        "code": "en",
    }
    urls = []
    for route, name, params in walk_patterns(get_resolver().url_patterns):
        if name is None:  # the admin's catch-all
            assert route.startswith("admin/"), route
            urls.append((route, "/admin/bestaat-niet/"))
            continue
        urls.append((route, reverse(name, kwargs={p: values[p] for p in params})))
    return urls


PUBLIC_ADMIN_PAGES = {"/admin/login/"}


def assert_sent_to_login(response, url):
    assert response.status_code == 302, url
    location = response.headers["Location"]
    if url == reverse("admin:logout"):
        assert location == reverse("admin:index"), url
    else:
        assert location.startswith("/admin/login/?next="), (url, location)


def test_every_admin_url_refuses_anonymous_and_non_staff(
    client, two_organisations, django_user_model
):
    # Arrange
    first, _second = two_organisations
    member = django_user_model.objects.create_user("lid", password="een-lang-wachtwoord-9")
    admin_urls = [
        url for route, url in example_urls(first, member.pk) if route.startswith("admin/")
    ]
    member_client = Client()
    member_client.force_login(member)

    # Act / Assert
    assert len(admin_urls) > 40
    for url in admin_urls:
        if url in PUBLIC_ADMIN_PAGES:
            continue
        assert_sent_to_login(client.get(url), url)
        assert_sent_to_login(member_client.get(url), url)
        assert_sent_to_login(client.post(url, {}), url)


@pytest.mark.parametrize(
    "name",
    [
        "admin:theme_sessions_event_overview",
        "admin:theme_sessions_event_signup",
        "admin:theme_sessions_event_export",
        "admin:theme_sessions_event_session_export",
        "admin:theme_sessions_event_presence_list",
        "admin:registrations_registration_personal_data",
        "admin:registrations_registration_changelist",
        "admin:registrations_attendee_changelist",
        "admin:registrations_invoice_changelist",
    ],
)
def test_staff_without_permission_refused_on_back_office_pages(
    client, two_organisations, django_user_model, name
):
    # Arrange
    first, _second = two_organisations
    staff = django_user_model.objects.create_user(
        "stagiair", password="een-lang-wachtwoord-9", is_staff=True
    )
    client.force_login(staff)
    kwargs = {"event_id": first.event_id, "session_id": first.attendees.first().session_id}
    wanted = {
        p
        for _route, n, params in walk_patterns(get_resolver().url_patterns)
        if n == name
        for p in params
    }
    url = reverse(name, kwargs={p: kwargs[p] for p in wanted})

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 403, url
    assertNotContains(response, "Bewonersbond Tweede Lijn", status_code=403)
    assertNotContains(response, "kees.tweede@example.org", status_code=403)


def test_public_pages_never_show_another_organisations_data(client, two_organisations):
    # Arrange
    first, second = two_organisations
    public_urls = [url for route, url in example_urls(first) if not route.startswith("admin/")]
    secrets_of_second = [
        "Bewonersbond Tweede Lijn",
        "Kees Tweede",
        "kees.tweede@example.org",
        "0612345678",
        "Tweede-opmerking",
        "Bram Tweede",
        "bram.tweede@example.org",
        second.token,
    ]

    # Act
    responses = {url: client.get(url) for url in public_urls}

    # Assert
    assert reverse("registrations:detail", args=[first.token]) in responses
    assert responses[reverse("registrations:detail", args=[first.token])].status_code == 200
    assertContains(responses[first.get_absolute_url()], "Huurdersraad Eerste Kring")
    for url, response in responses.items():
        assert response.status_code < 400 or response.status_code == 405, url
        body = response.content.decode()
        for secret in secrets_of_second:
            assert secret not in body, (url, secret)


def test_registration_page_with_altered_token_not_found(client, two_organisations):
    # Arrange
    first, second = two_organisations
    mixed = first.manage_lookup + second.manage_secret

    # Act
    responses = [
        client.get(reverse("registrations:detail", args=[token]))
        for token in [mixed, first.manage_lookup, first.token[:-1], first.token + "x"]
    ]

    # Assert
    assert [r.status_code for r in responses] == [404, 404, 404, 404]


@pytest.mark.parametrize(
    "action",
    [
        {"action": "cancel"},
        {"action": "move", "session": "other-session"},
    ],
    ids=["cancel", "move"],
)
def test_self_service_cannot_touch_another_signups_attendee(client, two_organisations, action):
    # Arrange: the first organisation's link, posting the second's board member.
    first, second = two_organisations
    foreign = second.attendees.get()
    other_session = first.event.sessions.exclude(pk=foreign.session_id).first()
    data = {**action, "attendee": foreign.pk}
    if "session" in data:
        data["session"] = other_session.pk
    state_before = db_state()

    # Act
    response = client.post(first.get_absolute_url(), data)

    # Assert
    assert response.status_code == 404
    assert db_state() == state_before


def test_unpublished_event_hidden_from_public_shown_to_staff(client, django_user_model):
    # Arrange
    event = EventFactory(is_published=False)
    ThemeSessionFactory(event=event)
    staff = django_user_model.objects.create_user(
        "beheer", password="een-lang-wachtwoord-9", is_staff=True
    )
    staff_client = Client()
    staff_client.force_login(staff)

    # Act
    public = [client.get(event.get_absolute_url()), client.get(signup_url(event))]
    staff_view = staff_client.get(event.get_absolute_url())

    # Assert
    assert [r.status_code for r in public] == [404, 404]
    assert staff_view.status_code == 200


# Privacy: retention and the rights of the people concerned ----------------------------------


def test_anonymise_old_events_removes_personal_data_and_keeps_amounts(sign_up, event):
    # Arrange
    old_event = EventFactory()
    old_session = ThemeSessionFactory(event=old_event)
    old = sign_up(
        old_event,
        [
            ("Oud Lid", "oud.lid@example.org", old_session),
            ("Oud Twee", "oud2@example.org", old_session),
        ],
        organisation_name="Huurdersvereniging Vroeger",
        contact_email="oud.contact@example.org",
        contact_phone="0301234567",
        remarks="Graag een rolstoelplek",
    )
    old.attendees.filter(email="oud.lid@example.org").update(dietary_wishes="glutenvrij")
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


def test_personal_data_page_sends_anonymous_to_login(client, db, personal_data_url):
    # Act
    responses = [
        client.get(personal_data_url, {"email": "jan@example.org", "format": "json"}),
        client.post(personal_data_url, {"email": "jan@example.org"}),
    ]

    # Assert
    for response in responses:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/admin/login/")


# Data safety: a failure halfway through a write leaves nothing half written ------------------


class InjectedFailure(RuntimeError):
    """The failure the tests below inject in the middle of a write."""


@pytest.fixture
def busy_registration(sign_up, event):
    """A sign-up of two board members next to one of another organisation, with invoices."""
    sessions = list(event.sessions.all())
    sign_up(
        event,
        [("Ander Lid", "ander@example.org", sessions[0])],
        organisation_name="Huurdersraad Anders",
        contact_email="ander@example.org",
    )
    return sign_up(
        event,
        [
            ("Anna Lid", "anna@example.org", sessions[0]),
            ("Bert Lid", "bert@example.org", sessions[1]),
        ],
    )


def fail_after(monkeypatch, target, name, *, seen: list):
    """Replace `target.name` by a function that records what was written so far, then fails."""

    def failing(*args, **kwargs):
        seen.append(db_state())
        raise InjectedFailure(f"{name} failed")

    monkeypatch.setattr(target, name, failing)


def test_signup_failing_halfway_writes_nothing(client, busy_registration, monkeypatch):
    # Arrange: the same organisation signs up a third member; pricing fails after the rows.
    event = busy_registration.event
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, services, "recompute_invoice", seen=seen)
    data = signup_data([("Cor Lid", "cor@example.org", event.sessions.first())])

    # Act
    with pytest.raises(InjectedFailure):
        client.post(signup_url(event), data)

    # Assert
    assert len(seen[0]["attendees"]) == len(state_before["attendees"]) + 1  # really halfway
    assert db_state() == state_before


def test_self_service_add_failing_halfway_writes_nothing(client, busy_registration, monkeypatch):
    # Arrange
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, services, "recompute_invoice", seen=seen)
    session = busy_registration.event.sessions.first()

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            busy_registration.get_absolute_url(),
            {
                "action": "add",
                "new-name": "Cor Lid",
                "new-email": "cor@example.org",
                "new-session": session.pk,
            },
        )

    # Assert
    assert len(seen[0]["attendees"]) == len(state_before["attendees"]) + 1
    assert db_state() == state_before


@pytest.mark.parametrize("failing", ["attendee-save", "waiting-list"])
def test_self_service_move_failing_halfway_writes_nothing(
    client, busy_registration, monkeypatch, failing
):
    # Arrange
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    state_before = db_state()
    seen = []
    if failing == "attendee-save":
        fail_after(monkeypatch, Attendee, "save", seen=seen)
    else:  # after the attendee row was saved in its new session
        fail_after(monkeypatch, services, "promote_waiting_list", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            busy_registration.get_absolute_url(),
            {"action": "move", "attendee": attendee.pk, "session": target.pk},
        )

    # Assert
    assert seen, "the failure was not reached"
    assert db_state() == state_before
    attendee.refresh_from_db()
    assert attendee.session_id != target.pk


@pytest.mark.parametrize("everyone", [False, True], ids=["one-member", "whole-signup"])
def test_self_service_cancel_failing_halfway_writes_nothing(
    client, busy_registration, monkeypatch, everyone
):
    # Arrange
    attendee = busy_registration.attendees.get(email="anna@example.org")
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, services, "recompute_invoice", seen=seen)
    data = (
        {"action": "cancel", "confirm": "on"}
        if everyone
        else {
            "action": "cancel",
            "attendee": attendee.pk,
        }
    )

    # Act
    with pytest.raises(InjectedFailure):
        client.post(busy_registration.get_absolute_url(), data)

    # Assert
    assert Status.CANCELLED in [row[2] for row in seen[0]["attendees"]]  # really halfway
    assert db_state() == state_before


def test_staff_change_attendee_failing_in_move_writes_nothing(busy_registration, monkeypatch):
    # Arrange: the name and e-mail are written first, then the move fails.
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, services, "move_attendee", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        services.change_attendee(
            attendee=attendee,
            name="Anna Nieuwnaam",
            email="anna.nieuw@example.org",
            dietary_wishes="vegetarisch",
            session=target,
        )

    # Assert
    assert "Anna Nieuwnaam" in [row[4] for row in seen[0]["attendees"]]  # really halfway
    assert db_state() == state_before


def test_staff_change_attendee_in_admin_failing_writes_nothing(
    client, busy_registration, admin_user, monkeypatch
):
    # Arrange
    attendee = busy_registration.attendees.get(email="anna@example.org")
    target = busy_registration.event.sessions.exclude(pk=attendee.session_id).last()
    client.force_login(admin_user)
    state_before = db_state()
    seen = []
    fail_after(monkeypatch, services, "promote_waiting_list", seen=seen)

    # Act
    with pytest.raises(InjectedFailure):
        client.post(
            reverse("admin:registrations_attendee_change", args=[attendee.pk]),
            {
                "name": "Anna Nieuwnaam",
                "email": "anna.nieuw@example.org",
                "session": target.pk,
                "dietary_wishes": "",
            },
        )

    # Assert
    assert seen, "the failure was not reached"
    assert db_state() == state_before
