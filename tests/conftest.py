"""Fixtures shared across the test modules, and the PostgreSQL-only marker's rules."""

import os

import pytest
from django.db import connection

from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ProgrammeItemFactory,
    ThemeSessionFactory,
)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files from the source folders: tests do not run collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def event(db):
    """An open, published lab with the default price tiers and four sessions without maximum."""
    event = EventFactory()
    for order, title in enumerate(
        ["Duurzaamheid", "Financiën van de corporatie", "Werksessie", "Jaarcyclus"], start=1
    ):
        ThemeSessionFactory(event=event, title=title, order=order)
    return event


@pytest.fixture
def make_busy_event(db):
    """Build an open lab at a chosen size, for the query-count tests of several pages.

    `make_busy_event(sessions=8, signups=30)` gives sessions with a maximum, a programme item
    and one-person sign-ups spread over the sessions; the event page, the sign-up page and
    the lists must run as many queries for a small lab as for a busy one.
    """

    def make(*, sessions: int, signups: int):
        event = EventFactory()
        theme_sessions = ThemeSessionFactory.create_batch(sessions, event=event, capacity=50)
        ProgrammeItemFactory(event=event)
        for n in range(signups):
            AttendeeFactory(registration__event=event, session=theme_sessions[n % sessions])
        return event

    return make


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, and refuse to skip them where CI demands them."""
    on_postgresql = "postgres" in os.environ.get("DATABASE_URL", "")
    if os.environ.get("REQUIRE_POSTGRESQL") and not on_postgresql:
        raise pytest.UsageError("REQUIRE_POSTGRESQL is set but DATABASE_URL is not PostgreSQL.")
    if on_postgresql:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks; set DATABASE_URL to run it")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def db_vendor(db) -> str:
    """The database the suite runs on: 'sqlite' or 'postgresql'."""
    return connection.vendor
