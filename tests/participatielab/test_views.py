"""The site's own pages: Dutch error pages that leak nothing, and the health checks."""

import socket

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, connection
from django.test import Client
from django.urls import include, path
from pytest_django.asserts import assertContains, assertNotContains

from tests.signup_posts import row_counts, signup_data, signup_url
from tests.subprocesses import run_python


def _raise_for_the_500_page(request):
    raise RuntimeError("geheime-interne-fout-42")


# The project's URLs plus one view that fails, for the 500 page (`@pytest.mark.urls`).
urlpatterns = [
    path("stuk/", _raise_for_the_500_page),
    path("", include("participatielab.urls")),
]


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


@pytest.mark.urls("tests.participatielab.test_views")
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


# Health checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/healthz", "/healthz/live"], ids=["ready", "live"])
def test_health_check_answers_ok_without_cookie_or_personal_data(client, sign_up, event, url):
    # Arrange
    sign_up(event, [("Jan Geheim", "jan.geheim@example.org", event.sessions.first())])

    # Act
    response = client.get(url)

    # Assert
    assert response.status_code == 200
    assert len(response.cookies) == 0
    assert "Set-Cookie" not in response.headers
    assert b"geheim" not in response.content.lower()
    assert "no-store" in response.headers["Cache-Control"]


def test_health_ready_names_each_part_it_checked(client, db):
    # Act
    response = client.get("/healthz")

    # Assert
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "limits": "ok",
        "mail": {"oldest_unsent_seconds": 0},
    }
    assert response["X-Oldest-Unsent-Mail"] == "0"


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
    assert response.json() == {"status": "down", "database": "down", "cache": "ok"}
    assert len(response.cookies) == 0


def test_health_ready_says_limits_degraded_without_their_table(client, db, settings):
    # Arrange: a deployment that skipped `createcachetable`.
    settings.CACHES = {
        **settings.CACHES,
        "limits": {**settings.CACHES["limits"], "LOCATION": "no_such_table"},
    }

    # Act
    response = client.get("/healthz")

    # Assert
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["limits"]) == ("degraded", "degraded")


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


# Uploaded images --------------------------------------------------------------------------


def test_media_serves_a_stored_image_for_a_year(client, db):
    # Arrange
    name = default_storage.save("events/abc123-480w.webp", ContentFile(b"RIFF-webp-bytes"))

    # Act
    response = client.get(f"/media/{name}")

    # Assert
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"".join(response.streaming_content) == b"RIFF-webp-bytes"


@pytest.mark.parametrize(
    "path",
    [
        "/media/events/bestaat-niet-480w.webp",
        "/media/../participatielab/settings.py",
        "/media/..%2F..%2Fetc%2Fpasswd.png",
        "/media/notities.html",
        "/media/events",
    ],
    ids=["missing", "source-file", "outside-the-folder", "not-an-image", "a-folder"],
)
def test_media_serves_nothing_but_stored_images(client, db, path):
    # Arrange: an HTML file that someone put in the media folder.
    default_storage.save("notities.html", ContentFile(b"<script>alert(1)</script>"))
    default_storage.save("events/abc123-480w.webp", ContentFile(b"RIFF"))

    # Act
    response = client.get(path)

    # Assert
    assert response.status_code == 404


# A database host that accepts connections and never answers -----------------------------------

HEALTH_CHECKS_IN_A_CHILD = [
    "-c",
    "import time, django; django.setup()\n"
    "from django.test import Client\n"
    "for url in ('/healthz/live', '/healthz'):\n"
    "    started = time.monotonic()\n"
    "    status = Client().get(url).status_code\n"
    "    print(url, status, round(time.monotonic() - started, 1))",
]


@pytest.fixture
def silent_database_host():
    """A local port that accepts TCP connections (the kernel completes them into the listen
    backlog) and never says a word: the database host that hung workers for 30 s."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_health_checks_answer_when_the_database_host_never_answers(silent_database_host):
    # Act: a fresh process, as a gunicorn worker would be, with the database on that port.
    result = run_python(
        HEALTH_CHECKS_IN_A_CHILD,
        DEBUG="0",
        SECRET_KEY="tests-only-not-a-secret",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"postgres://participatielab@127.0.0.1:{silent_database_host}/participatielab",
        DATABASE_CONNECT_TIMEOUT="2",
        timeout=30,  # without a connect timeout the child hangs and this raises
    )

    # Assert
    assert result.returncode == 0, result.stderr[-2000:]
    answers = {
        url: (int(status), float(seconds))
        for url, status, seconds in (line.split() for line in result.stdout.splitlines())
    }
    assert answers["/healthz/live"][0] == 200
    assert answers["/healthz"][0] == 503
    # A bound on a hang, not a speed measurement: 2 s connect timeout, well under 10 s.
    assert answers["/healthz"][1] < 10
