"""The archive: past labs, newest first, each with its sessions and its report."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sessions.models import Event, ThemeSession


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    events = (
        Event.objects.past()
        .order_by("-date", "-pk")
        .prefetch_related(
            Prefetch("sessions", queryset=ThemeSession.objects.order_by("order", "pk"))
        )
    )
    return render(request, "registrations/archive.html", {"events": events})
