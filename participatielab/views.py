"""Site-wide views: health checks for load balancers and the language switch."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
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
