"""Staff pages about an event's evaluation: the results with their charts, and the CSV.

Hooked into the Event admin next to the other event pages (`registrations.admin.events`);
both need the advisers' permission to read evaluation answers.
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registrations.backoffice import admin_context, require_permission
from registrations.evaluation import evaluation_for, uses_check_in
from registrations.evaluation_results import answer_rows, event_results, recent_labs
from registrations.exports import csv_chunks, flavour_from_request
from registrations.models import Evaluation
from sessions.models import Event

RESULTS_PERMISSION = "registrations.view_evaluationresponse"


def evaluation_urls(admin_site: admin.AdminSite) -> list[URLPattern]:
    """Return the evaluation pages of an event, to put before the Event admin's own URLs."""
    return [
        path(
            "<int:event_id>/evaluatie/",
            admin_site.admin_view(evaluation_results),
            name="theme_sessions_event_evaluation",
        ),
        path(
            "<int:event_id>/evaluatie/export/",
            admin_site.admin_view(evaluation_export),
            name="theme_sessions_event_evaluation_export",
        ),
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_results(request: HttpRequest, event_id: int) -> HttpResponse:
    """Show the evaluation's results; before it exists, offer to set its questions up."""
    require_permission(request, RESULTS_PERMISSION)
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "POST":  # "set up the questions": make them from the defaults
        require_permission(request, "registrations.add_evaluation")
        evaluation = evaluation_for(event)
        messages.success(request, _("De standaardvragen staan klaar; pas ze hier aan."))
        return redirect("admin:registrations_evaluation_change", evaluation.pk)
    evaluation = Evaluation.objects.filter(event=event).first()
    context = admin_context(request, event, _("Evaluatie van %(title)s") % {"title": event})
    context |= {
        "evaluation": evaluation,
        "results": event_results(evaluation) if evaluation else None,
        "present_only": uses_check_in(event),
        "labs": recent_labs(),
        "can_set_up": request.user.has_perm("registrations.add_evaluation"),
        "can_change": request.user.has_perm("registrations.change_evaluation"),
    }
    return render(request, "admin/registrations/event/evaluation.html", context)


@require_safe
def evaluation_export(request: HttpRequest, event_id: int) -> StreamingHttpResponse:
    """Download all answers of the event's evaluation (Dutch Excel unless ?format=csv)."""
    require_permission(request, RESULTS_PERMISSION)
    evaluation = get_object_or_404(Evaluation.objects.select_related("event"), event_id=event_id)
    flavour = flavour_from_request(request)
    response = StreamingHttpResponse(
        csv_chunks(answer_rows(evaluation), flavour=flavour),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"evaluatie-{evaluation.event.slug}-{evaluation.event.date:%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
