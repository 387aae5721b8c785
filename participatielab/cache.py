"""Cache backends that keep the site up when their storage misbehaves.

`ResilientRedisCache` is Django's Redis cache with short timeouts that reads a Redis failure
as a miss: pages render without their cached parts, rate limits let requests through, and the
log says so once a minute instead of once a request. `LockingDatabaseCache` is Django's
database cache with an atomic `incr`, so rate-limit counts kept in the database are right
when several workers count at once.
"""

import base64
import logging
import pickle
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_last_warning: dict[str, float] = {}


def warn_now_and_then(topic: str, message: str, *args: object, seconds: float = 60) -> None:
    """Log a warning about `topic` at most once per `seconds`, so an outage is one line a
    minute rather than one per request."""
    now = time.monotonic()
    if now - _last_warning.get(topic, -seconds) >= seconds:
        _last_warning[topic] = now
        logger.warning(message, *args)


class ResilientRedisCache(RedisCache):
    """Redis with short timeouts, where an unreachable Redis reads as an empty cache.

    After a failure the cache answers "miss" without trying Redis for `RETRY_AFTER` seconds,
    so a Redis host that does not answer costs one timeout per interval, not one per call.
    `OPTIONS` go to redis-py's connection pool as usual (socket timeouts, 0.5 s by default).
    """

    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        options = dict(self._options)
        self.retry_after = float(options.pop("RETRY_AFTER", 10))
        self._options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options}
        self._down_until = 0.0

    def _guard(self, fallback: Any, method: Callable[..., Any], *args: Any) -> Any:
        """Call Django's `method` with `args`; answer `fallback` while Redis is unavailable."""
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return method(self, *args)
        except RedisError as error:
            self._down_until = time.monotonic() + self.retry_after
            warn_now_and_then(
                f"redis:{self._servers[0]}",
                "Redis unavailable (%s): pages are served without the cache and rate limits "
                "let requests through until it answers.",
                error,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, RedisCache.add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guard(default, RedisCache.get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(None, RedisCache.set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(False, RedisCache.touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(False, RedisCache.delete, key, version)

    def get_many(self, keys, version=None):
        return self._guard({}, RedisCache.get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guard(False, RedisCache.has_key, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._guard(None, RedisCache.incr, key, delta, version)
        if value is None:  # as for a key that is not there: the caller starts afresh
            raise ValueError(f"Key '{key}' not found (Redis unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(list(data), RedisCache.set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guard(None, RedisCache.delete_many, keys, version)

    def clear(self):
        return self._guard(False, RedisCache.clear)


class LockingDatabaseCache(DatabaseCache):
    """Django's database cache, with an `incr` that two workers cannot both read before
    either writes (Django's reads and writes separately, and resets the expiry)."""

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, value_column = (
            quote(self._table),
            quote("cache_key"),
            quote("value"),
        )
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        # A count lost in a crash does no harm: its own transaction need not wait for the
        # disk (never one it is part of: that may hold a sign-up).
        quick_commit = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if quick_commit:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute(
                f"SELECT {value_column} FROM {table} "
                f"WHERE {cache_key} = %s AND {quote('expires')} >= %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [encoded, key]
            )
        return value
