"""The caches when their storage misbehaves: a Redis that is down or does not answer, and
rate-limit counts kept in the database by several workers at once."""

import socket
import threading
import time
import types

import pytest
from django.core import signing
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connection, connections, transaction

import participatielab.cache
import participatielab.limits
from participatielab.limits import LIMITS_CACHE, Rate, seconds_to_wait
from registrations.forms import STARTED_SALT
from registrations.models import Registration
from tests.signup_posts import event_url, signup_data, signup_url
from tests.subprocesses import run_python

REDIS_BACKEND = "participatielab.cache.ResilientRedisCache"


def closed_port() -> int:
    """Return a local port where nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_caches(location: str) -> dict:
    redis = {"BACKEND": REDIS_BACKEND, "LOCATION": location}
    return {"default": redis, "limits": redis | {"KEY_PREFIX": "limits"}}


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Point the page cache and the limits at a Redis port where nothing listens, as when
    Redis is down, with the once-a-minute warning not yet given."""
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    settings.SHARED_CACHE = True  # as with REDIS_URL set
    monkeypatch.setattr(participatielab.cache, "_last_warning", {})


# Redis down: every page works ------------------------------------------------------------------


def test_pages_work_while_redis_is_down(client, event, redis_down, settings, caplog, admin_user):
    # Arrange: the form guards on, with a form shown five seconds ago.
    settings.SIGNUP_MIN_SECONDS = 3
    session = event.sessions.first()
    started = signing.dumps(time.time() - 5, salt=STARTED_SALT)

    # Act
    responses = {
        "event page": client.get(event_url(event)),
        "sign-up page": client.get(signup_url(event)),
        "sign-up": client.post(
            signup_url(event), signup_data([("Lid", "lid@example.org", session)], started=started)
        ),
        "admin login page": client.get("/admin/login/"),
        "admin login": client.post(
            "/admin/login/", {"username": admin_user.username, "password": "password"}
        ),
    }
    health = client.get("/healthz")

    # Assert
    assert {name: response.status_code for name, response in responses.items()} == {
        "event page": 200,
        "sign-up page": 200,
        "sign-up": 302,
        "admin login page": 200,
        "admin login": 302,
    }
    assert Registration.objects.count() == 1
    assert health.status_code == 200
    assert health.json() | {"mail": None} == {
        "status": "degraded",
        "database": "ok",
        "cache": "degraded",
        "limits": "degraded",
        "mail": None,
    }
    warnings = [r for r in caplog.records if r.getMessage().startswith("Redis unavailable")]
    assert len(warnings) == 1


def test_rate_limits_let_requests_through_while_redis_is_down(client, event, redis_down, settings):
    # Arrange
    settings.RATE_LIMITS = {
        "signup": {"views": ["registrations:signup"], "per": "address", "rate": "1/3600"}
    }

    # Act
    statuses = [client.post(signup_url(event), {}).status_code for _ in range(3)]

    # Assert: fail open; the refused (empty) form is shown each time.
    assert statuses == [200, 200, 200]


@pytest.fixture
def silent_redis_host():
    """A local port that accepts connections and never answers: Redis hung, not down."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def test_redis_that_does_not_answer_is_tried_once_per_interval(
    settings, monkeypatch, silent_redis_host
):
    # Arrange: count what reaches Redis.
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{silent_redis_host}/0")
    monkeypatch.setattr(participatielab.cache, "_last_warning", {})
    tries = []
    real_get = RedisCacheClient.get
    monkeypatch.setattr(RedisCacheClient, "get", lambda *args: tries.append(1) or real_get(*args))

    # Act
    answers = [caches["default"].get("page", "miss") for _ in range(5)]

    # Assert: one timeout, then misses without waiting on Redis.
    assert answers == ["miss"] * 5
    assert len(tries) == 1


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_resilient_redis_cache_works_as_a_cache_when_redis_answers(settings):
    # Arrange: Redis database 12 is this project's on shared machines.
    settings.CACHES = redis_caches("redis://127.0.0.1:6379/12")
    store = caches["default"]
    store.clear()

    # Act
    store.set("page", "<html>", timeout=60)
    added = [store.add("counter", 1, timeout=60), store.add("counter", 1, timeout=60)]
    counted = store.incr("counter")
    page = store.get("page")
    store.clear()

    # Assert
    assert (page, added, counted) == ("<html>", [True, False], 2)
    assert store.get("page") is None


# Counts in the database: right with several workers --------------------------------------------


def stored_expiry(key: str):
    store = caches[LIMITS_CACHE]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {store._table} WHERE cache_key = %s",
            [store.make_and_validate_key(key)],
        )
        return cursor.fetchone()[0]


def test_database_counter_keeps_its_expiry_when_counted(db):
    # Arrange
    store = caches[LIMITS_CACHE]
    store.add("ratelimit:test", 1, timeout=3600)
    expires = stored_expiry("ratelimit:test")

    # Act
    counted = [store.incr("ratelimit:test") for _ in range(3)]

    # Assert: Django's own incr would set the default timeout (300 s) each time.
    assert counted == [2, 3, 4]
    assert stored_expiry("ratelimit:test") == expires


def test_database_counter_refuses_an_expired_key(db):
    # Arrange
    store = caches[LIMITS_CACHE]
    store.add("ratelimit:old", 1, timeout=-1)

    # Act / Assert
    with pytest.raises(ValueError):
        store.incr("ratelimit:old")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_database_counter_loses_no_count_when_workers_count_at_once():
    # Arrange
    store = caches[LIMITS_CACHE]
    store.add("ratelimit:busy", 0, timeout=3600)
    start = threading.Barrier(4)

    def count() -> None:
        start.wait()
        try:
            for _ in range(25):
                store.incr("ratelimit:busy")
        finally:
            connections.close_all()

    # Act
    workers = [threading.Thread(target=count) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    # Assert
    assert store.get("ratelimit:busy") == 100


@pytest.mark.postgresql
def test_database_counter_never_makes_a_surrounding_transaction_commit_lazily(db):
    # Arrange: a count's own transaction skips waiting for the disk; one it is part of (which
    # may hold a sign-up) must not.
    store = caches[LIMITS_CACHE]
    store.add("ratelimit:inside", 1, timeout=3600)

    # Act
    with transaction.atomic(), connection.cursor() as cursor:
        store.incr("ratelimit:inside")
        cursor.execute("SHOW synchronous_commit")
        (setting,) = cursor.fetchone()

    # Assert
    assert setting == "on"


SETUP = "import django; django.setup()\n"
MAKE_TABLE = "from django.core.management import call_command; call_command('createcachetable')\n"
COUNT_TWICE = (
    "from participatielab.limits import Rate, seconds_to_wait\n"
    "print([seconds_to_wait('login', '192.0.2.1', Rate(count=3, seconds=3600)) > 0"
    " for _ in range(2)])"
)


def test_rate_limit_counts_are_shared_between_worker_processes(tmp_path):
    # Arrange: one database file, as two gunicorn workers on one machine share it.
    environment = {
        "DEBUG": "0",
        "SECRET_KEY": "tests-only-not-a-secret",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    # Act: each "worker" is its own process with its own memory; the first makes the table.
    first = run_python(["-c", SETUP + MAKE_TABLE + COUNT_TWICE], **environment)
    second = run_python(["-c", SETUP + COUNT_TWICE], **environment)

    # Assert: the second worker sees the first one's two requests; its second is the fourth.
    assert first.stdout.strip() == "[False, False]", first.stderr[-2000:]
    assert second.stdout.strip() == "[False, True]", second.stderr[-2000:]


def test_rate_limit_unit_waits_until_the_window_ends(db, monkeypatch):
    # Arrange
    rate = Rate.parse("2/3600")
    clock = types.SimpleNamespace(time=lambda: 7200.0 + 600)
    monkeypatch.setattr(participatielab.limits, "time", clock)

    # Act
    waits = [seconds_to_wait("signup", "192.0.2.7", rate) for _ in range(3)]

    # Assert
    assert waits == [0, 0, 3000]
