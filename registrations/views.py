"""Public pages: the list of labs, one lab's page, the sign-up form and the privacy statement."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_safe

from registrations import public_cache
from registrations.availability import (
    availability,
    event_places_left,
    is_full,
    sessions_with_seats,
)
from registrations.error_summary import error_summary
from registrations.errors import RegistrationError
from registrations.forms import SignupForm
from registrations.invoices import InvoiceDetails
from registrations.member_forms import BaseAttendeeFormSet, attendee_formset_class
from registrations.models import Organisation, Registration
from registrations.signup import register_group
from sessions.calendar import calendar_file
from sessions.models import Announcement, Event, ThemeSession

FORMSET_PREFIX = "members"


def get_public_event(request: HttpRequest, slug: str) -> Event:
    """Return the event at `slug`; 404 unless published, except to staff checking it first."""
    event = get_object_or_404(Event, slug=slug)
    if not event.is_published and not request.user.is_staff:
        raise Http404
    return event


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """List the open and coming labs first, then the labs announced without a date."""
    events = list(Event.objects.upcoming().order_by("date", "start_time"))
    announcements = list(Announcement.objects.shown())
    return render(
        request,
        "registrations/event_list.html",
        {"events": events, "announcements": announcements},
    )


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the lab's page; the whole page is cached until the event's version changes.

    It holds nothing that differs between visitors (no form, no token), so one copy per
    language serves everyone. A preview for staff, or a page with a message to show, is
    rendered afresh.
    """
    html, tokens = public_cache.stored_page(request, "event", slug)
    if html is not None:  # with a shared cache: no database query at all
        return HttpResponse(html)
    event = get_public_event(request, slug)
    sessions = sessions_with_seats(event)
    context = {
        "event": event,
        "sessions": sessions,
        "availability": SimpleLazyObject(lambda: availability(event, sessions)),
    }
    if not event.is_published or get_messages(request):
        return render(request, "registrations/event_detail.html", context)
    if public_cache.usable(request):
        html = render_to_string("registrations/event_detail.html", context, request)
        public_cache.store_page("event", event, html, tokens)
        return HttpResponse(html)
    # A cache per process: keyed on the version just read from the database.
    key = f"event-page:{event.cache_key()}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("registrations/event_detail.html", context, request)
        cache.set(key, html, timeout=3600)
    return HttpResponse(html)


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the lab as a calendar entry: the same as in the confirmation mail."""
    event = get_public_event(request, slug)
    page = request.build_absolute_uri(reverse("registrations:event_detail", args=[event.slug]))
    content = calendar_file(
        event,
        uid=f"event-{event.pk}@participatielab",
        description=f"{event.theme}\n\n{page}",
        url=page,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    tokens = None
    if request.method != "POST":
        html, tokens = public_cache.stored_page(request, "signup", slug)
        if html is not None:  # with a shared cache: no database query at all
            return HttpResponse(html)
    if data := public_cache.event_data(request, slug):
        event, sessions = data.event, data.sessions
    else:
        event = get_public_event(request, slug)
        sessions = sessions_with_seats(event)
    if not event.is_open():
        return render(request, "registrations/closed.html", {"event": event})

    form, formset, registration = process_signup(request, event, sessions)
    if registration is not None:
        return redirect(registration)
    context = signup_context(event, sessions, form, formset) | {
        "form_cache_key": None if form.is_bound else signup_form_key(event)
    }
    if form.is_bound:  # a refused form shows what was typed: names and addresses
        response = render(request, "registrations/signup.html", context)
        add_never_cache_headers(response)
        return response
    if public_cache.usable(request) and not get_messages(request):
        html = render_to_string("registrations/signup.html", context | STAND_INS, request)
        public_cache.store_page("signup", event, html, tokens)
        return HttpResponse(public_cache.personal(request, html))
    return render(request, "registrations/signup.html", context)


# What a sign-up page stored for everyone holds where each visitor's own values go.
STAND_INS = {
    "csrf_token": public_cache.CSRF_PLACEHOLDER,
    "started_token": public_cache.STARTED_PLACEHOLDER,
}


def signup_context(
    event: Event, sessions: Iterable[ThemeSession], form: SignupForm, formset: BaseAttendeeFormSet
) -> dict:
    """Return what the sign-up form's fields need, on the public page and the staff page.

    Everything that queries is lazy: the cached empty form never reads it.
    """
    return {
        "event": event,
        "sessions": sessions,
        "event_full": SimpleLazyObject(lambda: is_full(event, sessions)),
        # Shown, with the group's choice to wait, when the evening has fewer places left
        # than one sign-up may bring.
        "places": SimpleLazyObject(lambda: evening_places(event)),
        "suggestions": Organisation.objects.suggestions().values_list("name", flat=True),
        "form": form,
        "formset": formset,
        "error_summary": error_summary(form, formset) if form.is_bound else [],
    }


def evening_places(event: Event) -> dict:
    """Return the places the evening has left (None: no maximum), and whether that is fewer
    than one sign-up may bring."""
    left = event_places_left(event)
    return {"left": left, "few": left is not None and left < event.max_group_size}


def signup_form_key(event: Event) -> str:
    """Return what the cached empty sign-up form is keyed on: the event's version (places,
    prices, sessions) and the list of organisation names it suggests."""
    return f"{event.cache_key()}:{Organisation.objects.list_version()}"


def process_signup(
    request: HttpRequest,
    event: Event,
    sessions: Iterable[ThemeSession],
    *,
    by_staff: bool = False,
    form_class: type[SignupForm] = SignupForm,
) -> tuple[SignupForm, BaseAttendeeFormSet, Registration | None]:
    """Build the sign-up form and, on a valid POST, sign the group up.

    Returns the forms to show and, when the sign-up succeeded, the new registration. The
    public page and the staff page for phone sign-ups share this, so the same rules hold.
    """
    formset_class = attendee_formset_class(event)
    form_kwargs = {"event": event, "sessions": sessions, "by_staff": by_staff}
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
            wait_as_group=form.cleaned_data["wait_as_group"],
            invoice_details=InvoiceDetails(
                attention=form.cleaned_data["invoice_attention"],
                address=form.cleaned_data["invoice_address"],
                customer_reference=form.cleaned_data["invoice_reference"],
            ),
            no_invitations=form.cleaned_data["no_invitations"],
            privacy_version=settings.PRIVACY_STATEMENT_VERSION,
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            by_staff=by_staff,
            **form.staff_choices(request.user),
            # The places the form was checked against: not read again if nothing changed.
            seen_sessions=sessions,
        )
    except RegistrationError as error:
        form.explain_refusal(error)
        if error.index is not None and error.field:
            formset.filled_forms()[error.index].add_error(error.field, error.message)
        else:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        return form, formset, None
    return form, formset, registration


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})
