"""Project-wide checks: migrations match the models, and the demo seeder is safe to rerun."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from sessions.models import Event

pytestmark = pytest.mark.django_db


def test_makemigrations_finds_no_missing_migrations():
    # Act / Assert: with check=True, changes without a migration raise SystemExit.
    call_command("makemigrations", check=True, dry_run=True, stdout=StringIO())


def test_seed_demo_twice_leaves_one_open_demo_event(settings):
    # Arrange
    settings.DEBUG = False

    # Act
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    # Assert
    event = Event.objects.get()
    assert event.sessions.count() == 4
    assert event.price_tiers.count() == 3
    assert event.programme.count() == 7
    assert event.is_open() is True
    assert event.date > timezone.localdate()


def test_seed_demo_without_debug_creates_no_user(settings):
    # Arrange
    settings.DEBUG = False

    # Act
    call_command("seed_demo", stdout=StringIO())

    # Assert
    assert get_user_model().objects.count() == 0


def test_seed_demo_with_debug_creates_one_demo_login(settings):
    # Arrange
    settings.DEBUG = True

    # Act
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    # Assert
    assert list(get_user_model().objects.values_list("username", "is_staff")) == [("demo", True)]
