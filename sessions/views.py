"""Public pages about what is on offer: the list of labs and one lab's page."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sessions.models import Event, ThemeSession


def get_public_event(request: HttpRequest, slug: str) -> Event:
    """Return the event at `slug` with its sessions and their seat counts; 404 unless public.

    Programme and prices are read by the templates only when their cached part is rebuilt.

    Staff may look at an unpublished event, to check it before it goes live.
    """
    event = get_object_or_404(
        Event.objects.prefetch_related(
            Prefetch("sessions", queryset=ThemeSession.objects.with_seat_counts())
        ),
        slug=slug,
    )
    if not event.is_published and not request.user.is_staff:
        raise Http404
    return event


def seats_key(event: Event) -> str:
    """Return a cache key part that changes whenever a session's free places change."""
    return "-".join(f"{s.pk}.{s.taken}" for s in event.sessions.all())


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = list(Event.objects.upcoming().order_by("date", "start_time"))
    return render(request, "sessions/event_list.html", {"events": events})


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_public_event(request, slug)
    return render(
        request, "sessions/event_detail.html", {"event": event, "seats_key": seats_key(event)}
    )
