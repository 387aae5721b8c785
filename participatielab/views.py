"""Site-wide views: health checks for load balancers, the language switch, uploaded images."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from registrations.outbox import oldest_unsent_age


@never_cache
@require_safe
def live(request: HttpRequest) -> HttpResponse:
    """Answer that the process runs, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    """Answer 200 when the database answers, 503 when it does not.

    The header `X-Oldest-Unsent-Mail` gives how many seconds the oldest mail still to be sent
    has waited (0 when none waits), so monitoring notices a mail server that is down or a
    worker that stopped; it does not change the status, as the site still takes sign-ups.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        age = oldest_unsent_age()
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    response = HttpResponse("ok", content_type="text/plain")
    response["X-Oldest-Unsent-Mail"] = str(int(age.total_seconds()) if age else 0)
    return response


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


# Only images are served from the uploads: never a file that a browser would run.
MEDIA_TYPES = {".webp": "image/webp", ".png": "image/png", ".jpg": "image/jpeg"}


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
