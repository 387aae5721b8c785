"""The demo seeder: safe to run again, and never a login with a published password where
it could be a production database."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from registrations.management.commands.seed_demo import DEMO_SLUG
from registrations.management.demo_past import PAST_SLUG
from registrations.models import MailStatus, OutboxMail
from sessions.models import Announcement, Contact, Event
from tests.factories import EventFactory
from tests.subprocesses import run_python

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def logins() -> list[tuple[str, bool]]:
    return list(get_user_model().objects.values_list("username", "is_staff"))


def test_seed_demo_twice_leaves_one_open_demo_event(settings):
    # Arrange
    settings.DEBUG = False

    # Act
    seed()
    seed()

    # Assert
    event = Event.objects.get(slug=DEMO_SLUG)
    assert event.sessions.count() == 4
    assert event.price_tiers.count() == 3
    assert event.programme.count() == 7
    assert event.is_open() is True
    assert event.date > timezone.localdate()


def test_seed_demo_shows_the_labs_practical_notes_advisers_and_image(settings):
    # Arrange
    settings.DEBUG = False

    # Act
    seed()
    first_image = Event.objects.get(slug=DEMO_SLUG).image.name
    seed()

    # Assert
    event = Event.objects.get(slug=DEMO_SLUG)
    assert "wandelen" in event.practical_notes
    assert "Theatercafé" in event.practical_notes
    assert event.parking and event.public_transport and event.route
    assert list(event.contacts.values_list("name", "role", "phone", "email")) == [
        ("Anna de Vries", "adviseur", "030 000 00 01", "anna.devries@example.org"),
        ("Bram Koster", "adviseur", "030 000 00 02", "bram.koster@example.org"),
    ]
    assert event.image.name == first_image
    assert (event.image_width, event.image_height) == (1280, 512)
    assert event.image_alt.startswith("Tekening van een wit kasteel")
    assert default_storage.exists(event.image.name)


def test_seed_demo_completes_an_older_demo_event_and_keeps_its_own_texts(settings):
    # Arrange: a demo event from before images and contacts; its contact line was turned
    # into a contact without a phone by the migration; a developer wrote their own route.
    settings.DEBUG = False
    older = EventFactory(slug=DEMO_SLUG, route="Onze eigen routebeschrijving.")
    Contact.objects.create(
        event=older, name="Anna de Vries", role="adviseur", email="anna.devries@example.org"
    )

    # Act
    seed()

    # Assert
    event = Event.objects.get(slug=DEMO_SLUG)
    assert event.route == "Onze eigen routebeschrijving."
    assert "Theatercafé" in event.practical_notes
    assert list(event.contacts.values_list("name", "phone")) == [
        ("Anna de Vries", "030 000 00 01"),
        ("Bram Koster", "030 000 00 02"),
    ]
    assert event.image


def test_seed_demo_with_debug_on_sqlite_creates_one_demo_login(settings, monkeypatch):
    # Arrange
    settings.DEBUG = True
    monkeypatch.setattr(connection, "vendor", "sqlite")

    # Act
    seed()
    output = seed()

    # Assert
    assert logins() == [("demo", True)]
    assert "Demo staff login at /admin/" in output


def test_seed_demo_without_debug_creates_no_login_and_says_why(settings):
    # Arrange
    settings.DEBUG = False

    # Act
    output = seed()

    # Assert
    assert logins() == []
    assert "No demo login created: DEBUG is off" in output


def test_seed_demo_on_postgresql_creates_no_login_unless_allowed(settings, monkeypatch):
    # Arrange: a developer shell with DEBUG on, pointed at a PostgreSQL database. The demo's
    # sign-ups are made first, while the database still says it is SQLite (they lock rows).
    settings.DEBUG = False
    seed()
    settings.DEBUG = True
    settings.ALLOW_DEMO_LOGIN = False
    monkeypatch.setattr(connection, "vendor", "postgresql")

    # Act
    refused = seed()
    settings.ALLOW_DEMO_LOGIN = True
    allowed = seed()

    # Assert
    assert "No demo login created: the database is postgresql" in refused
    assert "ALLOW_DEMO_LOGIN=1" in refused
    assert "Demo staff login at /admin/" in allowed
    assert logins() == [("demo", True)]


def test_seed_demo_with_production_database_url_and_no_secret_key_stops_before_any_write():
    # Arrange: a shell with a production-like DATABASE_URL and neither SECRET_KEY nor DEBUG.
    # The port is closed, so any attempt to write would fail differently.
    database_url = "postgres://participatielab@127.0.0.1:9/participatielab"

    # Act
    result = run_python(["manage.py", "seed_demo"], DATABASE_URL=database_url)

    # Assert
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Demo staff login" not in result.stdout
    assert "connection" not in result.stderr.lower()


def test_seed_demo_makes_a_past_lab_with_evaluation_and_report_and_an_announced_autumn_lab(
    settings, admin_client
):
    # Arrange
    settings.DEBUG = False

    # Act
    seed()
    seed()

    # Assert: one past lab with evaluation answers, in the archive with its report; the autumn
    # lab on the home page; nothing mailed.
    past = Event.objects.get(slug=PAST_SLUG)
    assert past.date < timezone.localdate()
    assert past.attendees.filter(checked_in_at__isnull=False).count() == 6
    assert past.evaluation.responses.count() == 6
    assert past.evaluation.responses.answered().count() == 5
    assert not OutboxMail.objects.filter(registration__event=past, status=MailStatus.QUEUED)
    page = admin_client.get(reverse("admin:theme_sessions_event_evaluation", args=[past.pk]))
    assert page.status_code == 200
    assert "De voorbeelden van andere huurdersorganisaties." in page.content.decode()
    assert default_storage.open(past.report_file.name).read(5) == b"%PDF-"
    assert Event.objects.count() == 2
    (announcement,) = Announcement.objects.all()
    assert announcement.theme == "Professionalisering van het bestuur"
    assert announcement.when.startswith("najaar 20")
    assert not OutboxMail.objects.unsent().exists()
    archive = admin_client.get(reverse("registrations:archive")).content.decode()
    assert past.title in archive and past.report_file.url in archive
    home = admin_client.get(reverse("registrations:event_list")).content.decode()
    assert announcement.theme in home
