"""The site's settings at work: security headers, HTTPS, cookies, the start-up refusals and
the task backend."""

import re

import pytest
from django.core.management.utils import get_random_secret_key
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from participatielab.cache import ResilientRedisCache
from tests.signup_posts import event_url, signup_url
from tests.subprocesses import BASE_DIR, run_python

# Headers and cookies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "event", "signup", "/privacy/", "/admin/login/", "/bestaat-niet/"],
    ids=["home", "event-page", "signup", "privacy", "admin-login", "not-found"],
)
def test_security_headers_on_real_responses(client, event, url):
    # Arrange
    url = {"event": event_url(event), "signup": signup_url(event)}.get(url, url)

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


@pytest.mark.parametrize("next_url", ["https://aanvaller.example/", "//aanvaller.example/"])
def test_admin_login_with_an_off_site_next_lands_on_the_admin(client, admin_user, next_url):
    # Act
    response = client.post(
        "/admin/login/",
        {"username": admin_user.username, "password": "password", "next": next_url},
    )

    # Assert: not the other site, and not Django's /accounts/profile/ (a 404 here).
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


# Timeouts: a stuck database or Redis ends in an answer, not a killed worker -------------------


def test_gunicorn_timeout_is_longer_than_every_wait_inside_a_request(settings):
    # Arrange
    makefile = (BASE_DIR / "Makefile").read_text()
    (gunicorn,) = re.findall(r"^GUNICORN_TIMEOUT \?= (\d+)$", makefile, flags=re.MULTILINE)
    redis = ResilientRedisCache("redis://127.0.0.1:6379/0", {})._options

    # Act
    waits = {
        "SQLite lock": settings.SQLITE_LOCK_TIMEOUT,
        "connect, then the sign-up lock": settings.DATABASE_CONNECT_TIMEOUT
        + settings.REGISTRATION_LOCK_TIMEOUT_MS / 1000,
        "Redis": redis["socket_connect_timeout"] + redis["socket_timeout"],
        "SMTP": settings.EMAIL_TIMEOUT,
    }

    # Assert
    assert "--timeout $(GUNICORN_TIMEOUT)" in makefile
    assert {name: wait for name, wait in waits.items() if wait >= int(gunicorn)} == {}


CONNECT_OPTIONS = [
    "-c",
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['OPTIONS'].get('connect_timeout'))",
]


def test_postgresql_connections_give_up_after_the_connect_timeout():
    # Act
    result = run_python(
        CONNECT_OPTIONS,
        DEBUG="1",
        DATABASE_URL="postgres://participatielab@db.example.org:5432/participatielab",
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "3"


# Start-up refuses an unsafe configuration -----------------------------------------------------


WSGI = ["-c", "import participatielab.wsgi"]


def test_web_server_without_secret_key_refuses_to_start():
    # Act
    result = run_python(WSGI, DEBUG="0", ALLOWED_HOSTS="lab.example.org")

    # Assert
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_web_server_without_allowed_hosts_refuses_to_start():
    # Act
    result = run_python(WSGI, DEBUG="0", SECRET_KEY=get_random_secret_key())

    # Assert
    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS is not set" in result.stderr


def test_web_server_starts_with_production_settings():
    # Act
    result = run_python(
        WSGI, DEBUG="0", SECRET_KEY=get_random_secret_key(), ALLOWED_HOSTS="lab.example.org"
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]


def test_bare_checkout_checks_its_migrations_without_secret_key_or_debug():
    # Act: a developer's tool that signs and serves nothing, in an empty environment.
    result = run_python(["manage.py", "makemigrations", "--check", "--dry-run"])

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout


def test_nothing_is_signed_with_an_empty_secret_key():
    # Act: DEBUG off and no key: Django refuses to make a signature rather than use "".
    result = run_python(
        ["-c", "import django; django.setup(); from django.core import signing; signing.dumps(1)"],
        DEBUG="0",
        ALLOWED_HOSTS="lab.example.org",
    )

    # Assert
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_with_production_settings_finds_no_issues():
    # Act
    result = run_python(
        ["manage.py", "check", "--deploy"],
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="lab.example.org",
        SITE_URL="https://lab.example.org",
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


# Background tasks -----------------------------------------------------------------------------


BACKEND_OF_TASKS = [
    "-c",
    "import django; django.setup(); from django_tasks import task_backends; "
    "print(type(task_backends['default']).__module__, type(task_backends['default']).__name__)",
]


def test_tasks_use_the_database_backend_in_the_tests():
    # Assert: a misspelt setting silently gives the immediate backend, which sends mail
    # inside the request again.
    assert isinstance(task_backends["default"], DatabaseBackend)


@pytest.mark.parametrize(
    "environment",
    [
        {"DEBUG": "1"},
        {"DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "lab.example.org"},
    ],
    ids=["development", "production"],
)
def test_tasks_use_the_database_backend_in_every_environment(environment):
    # Act
    result = run_python(BACKEND_OF_TASKS, **environment)

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["django_tasks_db.backend", "DatabaseBackend"]


# Uploaded files -----------------------------------------------------------------------------

PRINT_STORAGE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.STORAGES['default'], settings.MEDIA_ROOT, settings.MEDIA_URL)"
)


def test_uploads_go_to_a_local_media_folder_by_default():
    # Act
    result = run_python(["-c", PRINT_STORAGE], DEBUG="1")

    # Assert
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "{'BACKEND':",
        "'django.core.files.storage.FileSystemStorage',",
        "'OPTIONS':",
        "{}}",
        str(BASE_DIR / "media"),
        "/media/",
    ]


def test_uploads_storage_comes_from_the_environment():
    # Act: a shared volume, as several app servers would mount it.
    result = run_python(
        ["-c", PRINT_STORAGE],
        DEBUG="1",
        MEDIA_ROOT="/srv/gedeeld/media",
        MEDIA_STORAGE="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS='{"file_permissions_mode": 420}',
    )

    # Assert
    assert result.returncode == 0, result.stderr
    assert "'OPTIONS': {'file_permissions_mode': 420}}" in result.stdout
    assert result.stdout.split()[-2:] == ["/srv/gedeeld/media", "/media/"]
