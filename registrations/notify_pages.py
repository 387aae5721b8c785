"""Public pages about the next labs: an announced lab with its notify-me form, the page behind
the confirmation link, and the unsubscribe page behind every invitation and notify-me mail.

Links in mails only show a button: the change itself is a POST, so a mail scanner that opens
links confirms and unsubscribes nobody.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from registrations.error_summary import form_errors
from registrations.forms import NotifyForm
from registrations.notify import ask_to_notify, confirm_subscriber
from registrations.unsubscribe import hash_from_token, unsubscribe
from sessions.models import Announcement


@require_http_methods(["GET", "HEAD", "POST"])
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an announced lab; its form asks to hear when sign-up opens (double opt-in)."""
    shown = get_object_or_404(Announcement.objects.shown(), pk=pk)
    if request.GET.get("verstuurd"):
        return render(request, "registrations/notify_sent.html", {"announcement": shown})
    form = NotifyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        ask_to_notify(
            announcement=shown,
            email=form.cleaned_data["email"],
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        )
        return redirect(reverse("registrations:announcement", args=[shown.pk]) + "?verstuurd=1")
    response = render(
        request,
        "registrations/announcement.html",
        {
            "announcement": shown,
            "form": form,
            "error_summary": form_errors(form) if form.is_bound else [],
        },
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def notify_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Show a button to confirm the address; the POST confirms it."""
    if request.method == "POST":
        subscriber = confirm_subscriber(token=token)
        if subscriber is None:
            raise Http404
        return render(request, "registrations/notify_confirm.html", {"done": True})
    return render(request, "registrations/notify_confirm.html", {"done": False})


@csrf_exempt  # a mail program's one-click POST (RFC 8058) has no CSRF token; the link is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show a button to unsubscribe; only the POST unsubscribes."""
    hashed = hash_from_token(token)
    if hashed is None:
        raise Http404
    if request.method == "POST":
        unsubscribe(hashed=hashed)
    response = render(request, "registrations/unsubscribe.html", {"done": request.method == "POST"})
    add_never_cache_headers(response)
    return response
