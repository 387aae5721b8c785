"""The public event page, the empty sign-up page and the data a sign-up is checked against,
served from a shared cache without a database query (see `sessions.page_cache`).

A visitor with a session cookie (staff) or a message waiting in a cookie always gets a fresh
page: what they see may be their own. Everyone else gets the page as stored for the event and the
language, with the sign-up page's two per-visitor values, the CSRF token and the signed
moment the form was shown, put in at the last moment.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import translation

from registrations.availability import with_seat_counts
from registrations.forms import new_started_token
from sessions import page_cache
from sessions.models import Event, ThemeSession

# Stand-ins rendered into a stored sign-up page where each visitor's own values go.
CSRF_PLACEHOLDER = "csrf-token-of-this-visitor"
STARTED_PLACEHOLDER = "moment-this-form-was-shown"


@dataclass(frozen=True)
class EventData:
    """A published event with its price tiers, and its sessions with seat counts."""

    event: Event
    sessions: list[ThemeSession]


@dataclass(frozen=True)
class StoredPage:
    """A rendered page, and the event as it was rendered: whether it still shows the event
    as it is now is the event's own rule, asked again."""

    html: str
    event: Event
    is_open: bool
    is_past: bool

    def current(self, slug: str) -> bool:
        """Tell whether the page is for this address, of a published event, and made with the
        event open or closed, past or not, as it is now (time moves on without any write)."""
        return (
            slug == self.event.slug
            and self.event.is_published
            and self.is_open == self.event.is_open()
            and self.is_past == self.event.is_past
        )


def usable(request: HttpRequest) -> bool:
    """Tell whether this request may get a stored page: not with a session or a message
    waiting in its cookie, which the page would have to show."""
    return (
        page_cache.enabled()
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def event_id(slug: str) -> int | None:
    """Return the id of the event at `slug` as last seen (a hint: entries check the slug)."""
    return cache.get(f"event-id:{slug}")


def remember_event_id(event: Event) -> None:
    cache.set(f"event-id:{event.slug}", event.pk, timeout=page_cache.TIMEOUT)


def page_tokens(kind: str, event_pk: int) -> list[str]:
    """Return the tokens a page is stored under: the sign-up page also suggests the names of
    organisations."""
    tokens = page_cache.event_tokens(event_pk)
    return [*tokens, "organisations"] if kind == "signup" else tokens


def page_key(kind: str, event_pk: int) -> str:
    return f"page:{kind}:{event_pk}:{translation.get_language()}"


def stored_page(request: HttpRequest, kind: str, slug: str) -> tuple[str | None, dict | None]:
    """Return the stored page (None on a miss) and the tokens to store a fresh one under
    (None: do not store)."""
    if not usable(request) or (pk := event_id(slug)) is None:
        return None, None
    page, tokens = page_cache.read(page_key(kind, pk), page_tokens(kind, pk))
    if page is None or not page.current(slug):
        return None, tokens
    if kind == "signup":
        return personal(request, page.html), tokens
    return page.html, tokens


def store_page(kind: str, event: Event, html: str, tokens: dict | None) -> None:
    """Store a page rendered for everyone, under the tokens read before its data was."""
    if tokens is None or set(tokens) != set(page_tokens(kind, event.pk)):
        remember_event_id(event)  # the next request reads the tokens first
        return
    page = StoredPage(html=html, event=event, is_open=event.is_open(), is_past=event.is_past)
    page_cache.write(page_key(kind, event.pk), tokens, page)


def personal(request: HttpRequest, html: str) -> str:
    """Put this visitor's CSRF token and a fresh form moment into a stored sign-up page."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request)).replace(
        STARTED_PLACEHOLDER, new_started_token()
    )


def event_data(request: HttpRequest, slug: str) -> EventData | None:
    """Return the published event at `slug` with its sessions as stored, reading the
    database only on a miss; None without a shared cache or for an unpublished event.

    The data may be a moment behind the database; a sign-up checks it under the event's lock
    (`locking.lock_seen_event`) and reads again when it is.
    """
    if not page_cache.enabled():
        return None
    pk = event_id(slug)
    tokens = None
    if pk is not None:
        data, tokens = page_cache.read(f"event-data:{pk}", page_cache.event_tokens(pk))
        if data is not None and data.event.slug == slug:
            return data
    event = Event.objects.filter(slug=slug).prefetch_related("price_tiers").first()
    if event is None or not event.is_published:
        return None
    data = EventData(
        event=event, sessions=list(with_seat_counts(ThemeSession.objects.filter(event=event)))
    )
    if tokens is not None and pk == event.pk:
        page_cache.write(f"event-data:{pk}", tokens, data)
    else:
        remember_event_id(event)
    return data
