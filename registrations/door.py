"""Staff pages for the evening itself: the desk list, check-in on a tablet and name badges.

The "Deur" group (the door) may open the desk list and check-in
(`registrations.check_in_attendee`); badges carry names for print, so they ask for the
export right. `door_urls()` hooks them into the Event admin beside `backoffice.event_urls()`.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.staticfiles import finders
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registrations.backoffice import EXPORT_PERMISSION, admin_context, require_permission
from registrations.models import Attendee
from registrations.presence import check_in, presence_counts, undo_check_in
from sessions.models import Event

CHECK_IN_PERMISSION = "registrations.check_in_attendee"


def door_urls(admin_site: admin.AdminSite) -> list[URLPattern]:
    """Return the pages for the evening, to put before the Event admin's own URLs."""
    return [
        path(
            "<int:event_id>/desklijst/",
            admin_site.admin_view(desk_list),
            name="theme_sessions_event_desk_list",
        ),
        path(
            "<int:event_id>/inchecken/",
            admin_site.admin_view(check_in_page),
            name="theme_sessions_event_check_in",
        ),
        path(
            "<int:event_id>/naambadges.pdf",
            admin_site.admin_view(badges),
            name="theme_sessions_event_badges",
        ),
    ]


def coming(event: Event) -> QuerySet[Attendee]:
    """Return the confirmed board members of the evening, by name, with what the pages show."""
    return (
        Attendee.objects.confirmed()
        .filter(event=event)
        .select_related("registration__organisation", "session")
        .order_by(Lower("name"), "pk")
    )


@require_safe
def desk_list(request: HttpRequest, event_id: int) -> HttpResponse:
    """Show one list to sign for the whole evening: everyone confirmed, by name."""
    require_permission(request, CHECK_IN_PERMISSION)
    event = get_object_or_404(Event, pk=event_id)
    context = admin_context(request, event, _("Desklijst %(title)s") % {"title": event.title})
    context["attendees"] = coming(event)
    return render(request, "admin/registrations/event/desk_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def check_in_page(request: HttpRequest, event_id: int) -> HttpResponse:
    """Find a board member (by name or organisation) and tap to mark them present, or undo.

    The page works without JavaScript: the search is a form, each tap a POST that comes back
    to the same search. A script filters the list as staff type (static/js/check_in.js).
    """
    require_permission(request, CHECK_IN_PERMISSION)
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "POST":
        return record_presence(request, event)
    query = request.GET.get("q", "").strip()
    attendees = coming(event)
    if query:
        attendees = attendees.filter(
            Q(name__icontains=query) | Q(registration__organisation__name__icontains=query)
        )
    context = admin_context(request, event, _("Inchecken %(title)s") % {"title": event.title})
    context |= {
        "query": query,
        "attendees": attendees,
        "counts": presence_counts(event),
        "can_add": request.user.has_perm("registrations.add_registration"),
    }
    return render(request, "admin/registrations/event/check_in.html", context)


def record_presence(request: HttpRequest, event: Event) -> HttpResponse:
    """Mark the tapped person present or absent, then show the same search again.

    Asked for JSON (the page's script), answer with the person's new row and the counts
    instead, so the tablet keeps its place in the list.
    """
    raw_id = request.POST.get("attendee", "")
    attendee = get_object_or_404(coming(event), pk=int(raw_id) if raw_id.isdigit() else 0)
    if request.POST.get("action") == "undo":
        done = undo_check_in(event=event, attendee_id=attendee.pk)
        text = (
            _("%(name)s is niet meer aanwezig gemeld.")
            if done
            else _("%(name)s was niet aanwezig gemeld.")
        )
    else:
        done = check_in(event=event, attendee_id=attendee.pk, by=request.user)
        text = _("%(name)s is aanwezig.") if done else _("%(name)s was al aanwezig gemeld.")
    text %= {"name": attendee}
    if "application/json" in request.headers.get("Accept", ""):
        return presence_json(request, event, attendee.pk, text)
    messages.add_message(request, messages.SUCCESS if done else messages.INFO, text)
    url = reverse("admin:theme_sessions_event_check_in", args=[event.pk])
    query = request.POST.get("q", "").strip()
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


def presence_json(request: HttpRequest, event: Event, attendee_id: int, text: str) -> JsonResponse:
    """Return the tapped person's row and the counts, as the page shows them."""
    context = {"attendee": coming(event).get(pk=attendee_id), "counts": presence_counts(event)}
    return JsonResponse(
        {
            "message": text,
            "row": render_to_string(
                "admin/registrations/event/_check_in_row.html", context, request
            ),
            "counts": render_to_string(
                "admin/registrations/event/_check_in_counts.html", context, request
            ),
        }
    )


@require_safe
def badges(request: HttpRequest, event_id: int) -> HttpResponse:
    """Download name badges for everyone confirmed, as an A4 PDF with several per page."""
    # Imported here, not at the top: WeasyPrint loads Pango and parses its own stylesheets on
    # import (about a second), which every web process, worker and command would pay for.
    from weasyprint import CSS, HTML

    require_permission(request, EXPORT_PERMISSION)
    event = get_object_or_404(Event, pk=event_id)
    html = render_to_string(
        "registrations/badges.html", {"event": event, "attendees": coming(event)}, request
    )
    # The stylesheet is read from disk: WeasyPrint fetching it from this site would be a request
    # to itself, made inside a request.
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("css/badges.css"))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="naambadges-{event.slug}.pdf"'
    return response
