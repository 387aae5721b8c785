"""Request middleware of the site as a whole."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.log import log_response

from participatielab.limits import Rate, seconds_to_wait


class LanguageCookieMiddleware:
    """Speak Dutch unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show a
    Dutch volunteer with an English browser the English site; here only the language cookie
    that the switch sets counts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same address answers in another language once the cookie is set.
        patch_vary_headers(response, ["Cookie"])
        return response


class SecurityHeadersMiddleware:
    """Add the headers Django does not set itself (Permissions-Policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def client_ip(request: HttpRequest) -> str:
    """Return the client's address: from the trusted proxy's header if one is configured.

    A proxy appends the address it saw, so the last entry is the one it vouches for; entries
    before it came from the client and could be forged.
    """
    if settings.CLIENT_IP_HEADER:
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class FormCharsetMiddleware:
    """Answer 400 to a form body declared in another charset than UTF-8, before anything
    reads it.

    Django parses form bodies as UTF-8 only and raises on every read of `request.POST` when
    another charset is declared, also inside the error pages (their CSRF check reads it): one
    such request became a 500 and hundreds of log lines. Here it is refused once, logged once.
    """

    FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        charset = getattr(request, "content_params", {}).get("charset")
        if request.content_type in self.FORM_TYPES and charset and charset.lower() != "utf-8":
            response = render(request, "400.html", status=400)
            log_response(
                "Bad Request: %s (form body in charset %s)",
                request.path,
                charset,
                response=response,
                request=request,
            )
            return response
        return self.get_response(request)


class RateLimitMiddleware:
    """Refuse POSTs beyond the limits in `RATE_LIMITS` with a friendly 429.

    Each limit names the views it counts (by URL name), what it counts per ("address": the
    client's address; otherwise a URL argument, e.g. "token": one manage link) and a rate
    "count/seconds". Counts are shared by all workers (see `participatielab.limits`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        view = request.resolver_match.view_name
        wait = 0
        for name, rule in settings.RATE_LIMITS.items():
            if view not in rule["views"]:
                continue
            per = rule["per"]
            subject = client_ip(request) if per == "address" else str(view_kwargs.get(per, ""))
            wait = max(wait, seconds_to_wait(name, subject, Rate.parse(rule["rate"])))
        if not wait:
            return None
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(wait)
        return response
