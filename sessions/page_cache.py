"""Cached public pages and the data behind them, valid until a write changes what they show.

Every entry is stored with the *tokens* it was made under: random numbers kept in the cache
beside it, one per thing the entry shows ("event:<id>", "events" for every event, and so on).
A write that changes what pages show raises its tokens once its transaction commits
(`raise_after_commit`, called by `bump_version` and the signals), and an entry whose tokens
are no longer current is a miss. A hit reads the tokens and the entry in one round trip to the
cache and nothing from the database.

That needs a cache every worker shares (`settings.SHARED_CACHE`: Redis). With a cache per
process a write in one worker cannot reach another worker's memory, so `enabled()` is false
and the views key their caches on the event's version column instead, read from the
database on every request: no worker ever serves a stale page.

Read a token before reading the database for the entry, never after: then a write that
commits in between raises the token the entry is stored under, and the entry is never used.
A cache that cannot be reached makes every read a miss and stores nothing (see
`participatielab.cache.ResilientRedisCache`); entries also expire after `TIMEOUT`, which bounds
how long a page could be out of date should a token raise be lost while Redis is unreachable.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300  # seconds


def enabled() -> bool:
    """Tell whether pages are cached by token: only with a cache every worker shares."""
    return settings.SHARED_CACHE


def token_key(name: str) -> str:
    return f"page-token:{name}"


def read(key: str, token_names: Iterable[str]) -> tuple[Any, dict[str, int] | None]:
    """Return the entry at `key` if it was made under the current tokens (else None), and the
    current tokens to store a new entry under (None: the cache cannot be used now)."""
    names = list(token_names)
    found = cache.get_many([key, *(token_key(name) for name in names)])
    tokens = {}
    for name in names:
        token = found.get(token_key(name))
        if token is None:  # never made, expired or raised: start a new one
            cache.add(token_key(name), secrets.randbits(62), timeout=None)
            token = cache.get(token_key(name))  # ours, or one another worker made first
            if token is None:
                return None, None
        tokens[name] = token
    entry = found.get(key)
    if entry is None or entry[0] != tokens:
        return None, tokens
    return entry[1], tokens


def write(key: str, tokens: dict[str, int] | None, value: Any) -> None:
    """Store `value` at `key` under `tokens` as `read` returned them (nothing when None)."""
    if tokens is not None:
        cache.set(key, (tokens, value), timeout=TIMEOUT)


def raise_after_commit(token_names: Iterable[str]) -> None:
    """Make every entry made under these tokens a miss, once the current transaction commits
    (at once outside a transaction). Nothing happens without a shared cache."""
    if not enabled():
        return
    keys = [token_key(name) for name in token_names]
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def event_tokens(event_id: int) -> list[str]:
    """Return the tokens of what an event's pages show."""
    return ["events", f"event:{event_id}"]
