"""Fixtures shared across the test modules, and the PostgreSQL-only marker's rules."""

import os
import signal

import hypothesis
import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from participatielab.limits import LIMITS_CACHE
from registrations.signup import AttendeeData, register_group
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ProgrammeItemFactory,
    ThemeSessionFactory,
)

# Hypothesis profiles: "default" keeps `make test` quick; "ci" (HYPOTHESIS_PROFILE=ci) gives
# every property 300 examples, and each public endpoint's fuzz tests 300 between them.
hypothesis.settings.register_profile("default", max_examples=50)
hypothesis.settings.register_profile("ci", max_examples=300, print_blob=True)
# `make mutate` (tests/mutate.py): the same examples every run, so a mutant's verdict never
# depends on which examples were drawn; no deadline, as mutated code runs slower.
hypothesis.settings.register_profile(
    "mutate", max_examples=50, derandomize=True, database=None, deadline=None
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Start every test with empty caches, so cached pages, rate-limit counts and used form
    tokens never leak between tests. The limits live in a database table, outside the
    transaction a test rolls back (and a browser test does not roll back at all); it is
    emptied only for tests that use the test database, never the one `manage.py` uses."""
    uses_database = bool(
        request.node.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_database:
        request.getfixturevalue("django_db_setup")

    def clear() -> None:
        cache.clear()
        if uses_database:
            with request.getfixturevalue("django_db_blocker").unblock():
                caches[LIMITS_CACHE].clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _dutch_to_begin_with():
    """Start every test in Dutch, the site's first language. A request in English activates
    English for the thread (the language middleware) and nothing switches it back, so a test
    that calls a translated function directly read English when it happened to run after one
    on the same worker (seen with `make test`: "nothing to pay" for "niets te betalen")."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files from the source folders: tests do not run collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Store uploaded images in a folder of the test's own, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hash passwords cheaply: the real hasher costs half a second per user, and the admin
    and access tests log in many users (`admin_client`, `create_user(password=...)`)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def sign_up(db):
    """Sign a group up through `register_group`, as the public form does, for the e-mail,
    self-service and waiting-list tests, which all need real sign-ups with priced invoices.

    `sign_up(event, [(name, e-mail, session), ...], organisation_name=..., contact_email=...)`;
    a row may carry a fourth value, the member's dietary wishes. With `wait=True` every member
    chose to wait should their session be full; `wait_as_group=True` is the group's choice.
    Its mails wait in the outbox until `send_queued_mail()` runs the worker.
    """

    def sign(
        event,
        members,
        *,
        organisation_name="Huurdersvereniging De Linde",
        contact_name="Karin Voorbeeld",
        contact_email="karin@example.org",
        wait=False,
        **kwargs,
    ):
        def member(name, email, session, dietary_wishes=""):
            return AttendeeData(
                name=name,
                email=email,
                session_id=session.pk,
                dietary_wishes=dietary_wishes,
                wait_if_full=wait,
            )

        return register_group(
            event=event,
            organisation_name=organisation_name,
            contact_name=contact_name,
            contact_email=contact_email,
            attendees=[member(*row) for row in members],
            privacy_version="test",
            **kwargs,
        )

    return sign


@pytest.fixture
def send_queued_mail(monkeypatch):
    """Run the task worker in this process until no task is due, as `manage.py db_worker
    --batch` does, so a test sees the mails its writes queued (in `mailoutbox`).

    The worker closes "old" database connections between tasks, which would close the test's
    own connection inside its transaction on PostgreSQL; here it keeps it. It also takes over
    Ctrl+C and SIGTERM; they are given back afterwards.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]

    def run() -> None:
        handlers = {number: signal.getsignal(number) for number in signals}
        try:
            call_command(
                "db_worker",
                batch=True,
                interval=0,
                startup_delay=False,
                reload=False,
                queue_name="*",
                verbosity=0,
            )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def busy_registration(sign_up, event):
    """A sign-up of two board members next to one of another organisation, with invoices.

    The "fails halfway" tests of the sign-up, the manage link and the staff pages all start
    from it: enough rows that a half-written change would show in `tests.db_checks.db_state`.
    """
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


@pytest.fixture
def adviser_group(db) -> Group:
    """The staff group "Atrivé adviseurs" that a data migration creates with its rights.

    The back-office, admin and access tests check what its members may and may not do.
    """
    return Group.objects.get(name="Atrivé adviseurs")


@pytest.fixture
def adviser(django_user_model, adviser_group):
    """A staff member who is not a superuser and gets only the adviser group's rights, as
    the back-office and admin tests need (a superuser would pass every permission check)."""
    user = django_user_model.objects.create_user(username="adviseur", email="adviseur@example.org")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(adviser_group)
    return user


@pytest.fixture
def adviser_client(client, adviser):
    """The test client, logged in as the adviser, for the back-office and admin tests."""
    client.force_login(adviser)
    return client


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, and refuse to skip them where CI demands them."""
    on_postgresql = "postgres" in os.environ.get("DATABASE_URL", "")
    if os.environ.get("REQUIRE_POSTGRESQL") and not on_postgresql:
        raise pytest.UsageError("REQUIRE_POSTGRESQL is set but DATABASE_URL is not PostgreSQL.")
    if on_postgresql:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; set DATABASE_URL to run it")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def db_vendor(db) -> str:
    """The database the suite runs on: 'sqlite' or 'postgresql'."""
    return connection.vendor
