"""Request middleware of the site as a whole."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class RateLimitMiddleware:
    """Refuse POSTs to the sign-up and the admin login beyond a per-address limit (429).

    Counts live in the cache (local memory, or Redis shared by all workers), per fixed
    window; `RATE_LIMITS` maps a URL name to "count/seconds".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        name = request.resolver_match.view_name
        rule = settings.RATE_LIMITS.get(name)
        if not rule:
            return None
        limit, seconds = (int(part) for part in rule.split("/"))
        window = int(time.time() // seconds)
        key = f"ratelimit:{name}:{client_ip(request)}:{window}"
        cache.add(key, 0, timeout=seconds)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=seconds)
            count = 1
        if count > limit:
            response = render(request, "429.html", status=429)
            response["Retry-After"] = str(seconds - int(time.time()) % seconds)
            return response
        return None
