"""Public sign-up pages: the form, and the page a registration's secret link opens."""

import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from registrations.forms import (
    BaseAttendeeFormSet,
    SignupForm,
    attendee_formset_class,
    error_summary,
)
from registrations.models import Attendee, Registration
from registrations.services import RegistrationError, register_group
from sessions.models import Event, ThemeSession
from sessions.views import get_public_event

FORMSET_PREFIX = "members"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_public_event(request, slug)
    if not event.is_open():
        return render(request, "registrations/closed.html", {"event": event})

    sessions = list(event.sessions.all())
    form, formset, registration = process_signup(request, event, sessions)
    if registration is not None:
        return redirect(registration)
    return render(
        request,
        "registrations/signup.html",
        {
            "event": event,
            "sessions": sessions,
            "form": form,
            "formset": formset,
            "error_summary": error_summary(form, formset) if form.is_bound else [],
            "tiers_json": json.dumps(
                {size: str(amount) for size, amount in event.price_tiers_map().items()}
            ),
            "event_full": event.capacity is not None
            and sum(s.taken for s in sessions) >= event.capacity,
        },
    )


def process_signup(
    request: HttpRequest,
    event: Event,
    sessions: list[ThemeSession],
    *,
    by_staff: bool = False,
    form_class: type[SignupForm] = SignupForm,
) -> tuple[SignupForm, BaseAttendeeFormSet, Registration | None]:
    """Build the sign-up form and, on a valid POST, sign the group up.

    Returns the forms to show and, when the sign-up succeeded, the new registration. The
    public page and the staff page for phone sign-ups share this, so the same rules hold.
    """
    formset_class = attendee_formset_class(event)
    form_kwargs = {"event": event, "sessions": sessions}
    if request.method != "POST":
        return form_class(), formset_class(prefix=FORMSET_PREFIX, form_kwargs=form_kwargs), None
    form = form_class(request.POST)
    formset = formset_class(request.POST, prefix=FORMSET_PREFIX, form_kwargs=form_kwargs)
    if not (form.is_valid() and formset.is_valid()):
        return form, formset, None
    try:
        registration = register_group(
            event=event,
            organisation_name=form.cleaned_data["organisation_name"],
            contact_name=form.cleaned_data["contact_name"],
            contact_email=form.cleaned_data["contact_email"],
            contact_phone=form.cleaned_data["contact_phone"],
            remarks=form.cleaned_data["remarks"],
            attendees=formset.attendee_data(),
            privacy_version=settings.PRIVACY_STATEMENT_VERSION,
            by_staff=by_staff,
        )
    except RegistrationError as error:
        add_service_error(form, formset, error)
        return form, formset, None
    return form, formset, registration


def add_service_error(form, formset, error: RegistrationError) -> None:
    """Show a refusal from the sign-up service next to the field it is about."""
    if error.index is not None and error.field:
        formset.filled_forms()[error.index].add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


@require_safe
def detail(request: HttpRequest, token: str) -> HttpResponse:
    registration = Registration.from_token(
        token,
        Registration.objects.select_related("event", "organisation", "invoice").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("session"))
        ),
    )
    if registration is None:
        raise Http404
    event = registration.event
    response = render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "event": event,
            "attendees": registration.attendees.all(),
            "invoice": registration.invoice,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})
