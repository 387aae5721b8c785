"""Abuse limits: POSTs counted per client address or per link, and form tokens used once.

Both live in the `limits` cache (settings.CACHES): Redis when REDIS_URL is set, else a table
in the database, so every gunicorn worker and every machine counts together. When that
storage fails, the limits let requests through (fail open) and the log says so: a site
without rate limits for a while is better than a site that refuses everyone.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.db import DatabaseError

from participatielab.cache import warn_now_and_then

LIMITS_CACHE = "limits"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """Read "count/seconds", e.g. "20/3600"."""
        count, seconds = (int(part) for part in text.split("/"))
        return cls(count=count, seconds=seconds)


def hashed(subject: str) -> str:
    """Return a short fixed-length stand-in, so keys never hold an address or a secret link."""
    return hashlib.sha256(subject.encode()).hexdigest()[:32]


def seconds_to_wait(name: str, subject: str, rate: Rate) -> int:
    """Count one request for `subject` under the limit `name`; return how many seconds to
    wait when it goes over the rate, else 0.

    Fixed windows: the count starts again at each multiple of `rate.seconds`.
    """
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{name}:{hashed(subject)}:{window}"
    try:
        count = hit(key, rate.seconds)
    except DatabaseError as error:
        warn_now_and_then(
            "limits-database", "Rate limits are off: their table cannot be used (%s).", error
        )
        return 0
    if count <= rate.count:
        return 0
    return max(1, rate.seconds - int(now) % rate.seconds)


def hit(key: str, seconds: int) -> int:
    """Add one to the counter `key` (kept `seconds`) and return it; 1 when storage fails.

    Most requests find their window's counter there: one increment. The first makes it.
    """
    store = caches[LIMITS_CACHE]
    try:
        return store.incr(key)
    except ValueError:  # not there yet (or the storage is unavailable)
        pass
    if store.add(key, 1, timeout=seconds):
        return 1
    try:
        return store.incr(key)  # another worker made it meanwhile
    except ValueError:
        return 1


def use_once(token: str, seconds: int) -> bool:
    """Record that `token` is used; False when it was used before (within `seconds`).

    When the storage is unavailable the token counts as unused: `add` fails, but so does the
    read that would find the earlier use.
    """
    store = caches[LIMITS_CACHE]
    key = f"used:{hashed(token)}"
    try:
        if store.add(key, 1, timeout=seconds):
            return True
        return store.get(key) is None
    except DatabaseError as error:
        warn_now_and_then(
            "limits-database",
            "Form tokens are not checked: their table cannot be used (%s).",
            error,
        )
        return True
