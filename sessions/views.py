"""Public pages about what is on offer: the list of labs and one lab's page."""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from sessions.models import Event, ThemeSession


def get_public_event(request: HttpRequest, slug: str) -> Event:
    """Return the event at `slug`; 404 unless public.

    Sessions, programme and prices are read only when a cached part of a page is rebuilt.

    Staff may look at an unpublished event, to check it before it goes live.
    """
    event = get_object_or_404(Event, slug=slug)
    if not event.is_published and not request.user.is_staff:
        raise Http404
    return event


def sessions_with_seats(event: Event) -> list[ThemeSession]:
    """Return the event's sessions with seat counts, read only when first used.

    A page served from the cache never builds this query at all.
    """
    return SimpleLazyObject(
        lambda: list(ThemeSession.objects.filter(event=event).with_seat_counts())
    )


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    events = list(Event.objects.upcoming().order_by("date", "start_time"))
    return render(request, "sessions/event_list.html", {"events": events})


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the lab's page; the whole page is cached until the event's version changes.

    It holds nothing that differs between visitors (no form, no token), so one copy per
    language serves everyone. A preview for staff, or a page with a message to show, is
    rendered afresh.
    """
    event = get_public_event(request, slug)
    sessions = sessions_with_seats(event)
    context = {
        "event": event,
        "sessions": sessions,
        "event_full": SimpleLazyObject(lambda: event.is_full(sessions)),
    }
    if not event.is_published or get_messages(request):
        return render(request, "sessions/event_detail.html", context)
    key = f"event-page:{event.cache_key()}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("sessions/event_detail.html", context, request)
        cache.set(key, html, timeout=3600)
    return HttpResponse(html)
