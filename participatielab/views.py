"""Site-wide views: health checks for load balancers, the language switch, uploaded images."""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from participatielab.limits import LIMITS_CACHE
from registrations.outbox import oldest_unsent_age


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """Answer that the process runs, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    """Report each part the site depends on, as JSON; 503 only when the database is down.

    `{"status": "ok", "database": "ok", "cache": "ok", "limits": "ok",
    "mail": {"oldest_unsent_seconds": 0}}`. An unreachable cache is "degraded" and the status
    stays 200: pages are served uncached and rate limits let requests through. The mail age
    (also in the header `X-Oldest-Unsent-Mail`) is how many seconds the oldest mail still to
    be sent has waited; a growing number means the mail server is down or no worker runs.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        age = oldest_unsent_age()
    except DatabaseError:
        return JsonResponse(
            {"status": "down", "database": "down", "cache": cache_state(caches["default"])},
            status=503,
        )
    waited = int(age.total_seconds()) if age else 0
    parts = {
        "database": "ok",
        "cache": cache_state(caches["default"]),
        "limits": cache_state(caches[LIMITS_CACHE]),
    }
    response = JsonResponse(
        {
            "status": "degraded" if "degraded" in parts.values() else "ok",
            **parts,
            "mail": {"oldest_unsent_seconds": waited},
        }
    )
    response["X-Oldest-Unsent-Mail"] = str(waited)
    return response


def cache_state(store: BaseCache) -> str:
    """Return "ok" when a value written to the cache reads back, else "degraded"."""
    key, value = "healthz", secrets.token_hex(8)
    try:
        store.set(key, value, timeout=10)
        return "ok" if store.get(key) == value else "degraded"
    except DatabaseError:  # e.g. the limits table was never made
        return "degraded"


@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the chosen language in a cookie and go back to the page the visitor was on.

    A GET link rather than Django's POST form: a language is a harmless preference, and
    without a CSRF token in every page's header the pages are the same for every visitor.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# Only images and PDF reports are served from the uploads: never a file a browser would run.
MEDIA_TYPES = {
    ".webp": "image/webp",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".pdf": "application/pdf",  # a lab's report (sessions.reports)
}


@require_safe
def media(request: HttpRequest, name: str) -> FileResponse:
    """Serve an uploaded image from the default storage, to be kept by browsers for a year.

    Uploads are stored under names made from a hash of their content (`sessions.images`), so
    a name never starts to mean another image and the long lifetime is safe.
    """
    content_type = MEDIA_TYPES.get(PurePosixPath(name).suffix.lower())
    if content_type is None:
        raise Http404
    try:
        file = default_storage.open(name)
    except (OSError, SuspiciousFileOperation) as error:
        raise Http404 from error
    response = FileResponse(file, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
