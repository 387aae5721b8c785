"""SITE_URL, the address the links in the mails lead to: `make run` and `make serve` set it to
the address they serve, and with DEBUG off a system check warns at start-up when it cannot
reach the site."""

import os
import subprocess

import pytest
from django.core.management.utils import get_random_secret_key

from registrations.checks import check_site_url
from tests.subprocesses import BASE_DIR, run_python


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8020",
        "http://0.0.0.0:8000",
        "http://[::1]:8000",
        "",
    ],
)
def test_a_site_url_on_this_machine_is_warned_about_with_debug_off(settings, site_url):
    # Arrange
    settings.DEBUG = False
    settings.SITE_URL = site_url

    # Act
    (warning,) = check_site_url(None)

    # Assert
    assert warning.id == "registrations.W001"
    assert "SITE_URL" in warning.msg


def test_a_site_url_the_site_does_not_answer_to_is_warned_about(settings):
    # Arrange
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["participatielab.example.org"]
    settings.SITE_URL = "https://www.example.org"

    # Act
    (warning,) = check_site_url(None)

    # Assert
    assert warning.id == "registrations.W002"


@pytest.mark.parametrize(
    ("debug", "site_url"),
    [(False, "https://participatielab.example.org"), (True, "http://127.0.0.1:8000")],
)
def test_a_public_site_url_or_a_developers_machine_passes(settings, debug, site_url):
    # Arrange
    settings.DEBUG = debug
    settings.ALLOWED_HOSTS = [".example.org"]
    settings.SITE_URL = site_url

    # Act and assert
    assert check_site_url(None) == []


def test_start_up_without_site_url_and_debug_off_warns():
    # Act
    result = run_python(
        ["manage.py", "check"],
        DEBUG="0",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="lab.example.org",
    )

    # Assert: a warning, not a refusal.
    assert result.returncode == 0, result.stderr[-2000:]
    assert "(registrations.W001) SITE_URL is 'http://127.0.0.1:8000'" in result.stderr


@pytest.mark.parametrize(
    ("target", "arguments", "address"),
    [
        ("run", ["PORT=8123"], "http://127.0.0.1:8123"),
        ("serve", ["HOST=10.0.0.5", "PORT=8124"], "http://10.0.0.5:8124"),
        ("serve", ["SITE_URL=https://lab.example.org"], "https://lab.example.org"),
    ],
)
def test_make_gives_the_mail_worker_the_address_it_serves(target, arguments, address):
    # Act: what make would run, without running it; HOST, PORT and SITE_URL only as given.
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", target, *arguments],
        cwd=BASE_DIR,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # Assert: the worker writes the mails, so it needs the address; so does the server.
    (line,) = [line for line in result.stdout.splitlines() if "db_worker" in line]
    worker, server = line.split("worker=$!;")
    assert f"SITE_URL='{address}'" in worker
    assert f"SITE_URL='{address}'" in server
