"""Public sign-up pages: the form, and the page a registration's secret link opens."""

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from registrations.forms import (
    AttendeeForm,
    BaseAttendeeFormSet,
    CancelForm,
    ChangeSessionForm,
    SignupForm,
    attendee_formset_class,
    error_summary,
)
from registrations.models import Attendee, Registration, Status
from registrations.services import (
    AttendeeData,
    RegistrationError,
    add_attendee,
    cancel_attendee,
    cancel_registration,
    move_attendee,
    register_group,
)
from sessions.models import Event, ThemeSession
from sessions.views import get_public_event, sessions_with_seats

FORMSET_PREFIX = "members"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_public_event(request, slug)
    if not event.is_open():
        return render(request, "registrations/closed.html", {"event": event})

    sessions = sessions_with_seats(event)
    form, formset, registration = process_signup(request, event, sessions)
    if registration is not None:
        return redirect(registration)
    return render(
        request,
        "registrations/signup.html",
        {
            "event": event,
            "sessions": sessions,
            "event_full": SimpleLazyObject(lambda: event.is_full(sessions)),
            "form": form,
            "formset": formset,
            "error_summary": error_summary(form, formset) if form.is_bound else [],
        },
    )


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
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
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


MANAGE_ACTIONS = ("move", "cancel", "add")


@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, token: str) -> HttpResponse:
    """Show a sign-up through its secret link, and let the person change it until the deadline.

    A wrong, truncated or altered token gives the ordinary 404 page, whatever is wrong with it.
    """
    registration = Registration.from_token(
        token,
        Registration.objects.select_related("event", "organisation", "invoice").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("session"))
        ),
    )
    if registration is None:
        raise Http404
    event = registration.event
    changeable = event.is_open() and registration.status != Status.CANCELLED
    sessions = list(ThemeSession.objects.filter(event=event).with_seat_counts())
    active = [a for a in registration.attendees.all() if a.status != Status.CANCELLED]
    forms_ = {
        "move": None,
        "cancel": None,
        "add": AttendeeForm(prefix="new", event=event, sessions=sessions)
        if len(active) < event.max_group_size
        else None,
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in MANAGE_ACTIONS:
        if not changeable:
            messages.error(request, _("Wijzigen kan niet meer. Neem contact op met Atrivé."))
            return redirect(registration)
        done, form = handle_manage_action(request, registration, event, sessions, action)
        if done:
            messages.success(request, done)
            return redirect(registration)
        forms_[action] = form

    response = render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "event": event,
            "attendees": registration.attendees.all(),
            "active_attendees": active,
            "invoice": registration.invoice,
            "changeable": changeable,
            "sessions": sessions,
            "add_form": forms_["add"],
            "move_form": forms_["move"],
            "cancel_form": forms_["cancel"],
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def handle_manage_action(
    request: HttpRequest,
    registration: Registration,
    event: Event,
    sessions: list[ThemeSession],
    action: str,
) -> tuple[str, forms.Form | None]:
    """Carry out one self-service change; return a success message, or the refused form."""
    if action == "add":
        form = AttendeeForm(request.POST, prefix="new", event=event, sessions=sessions)
    elif action == "move":
        form = ChangeSessionForm(request.POST, event=event, sessions=sessions)
    else:
        form = CancelForm(request.POST)
    if not form.is_valid():
        return "", form
    attendee = None
    if form.cleaned_data.get("attendee") is not None:
        attendee = get_object_or_404(registration.attendees, pk=form.cleaned_data["attendee"])
    try:
        if action == "add":
            added = add_attendee(
                registration=registration,
                attendee=AttendeeData(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    session_id=form.cleaned_data["session"],
                    dietary_wishes=form.cleaned_data["dietary_wishes"],
                ),
            )
            return _("%(name)s is toegevoegd.") % {"name": added.name}, None
        if action == "move":
            session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
            move_attendee(attendee=attendee, session=session, by_staff=False)
            return _("%(name)s gaat naar ‘%(title)s’.") % {
                "name": attendee.name,
                "title": session.title,
            }, None
        if attendee is not None:
            cancel_attendee(attendee=attendee, by_staff=False)
            return _("%(name)s is afgemeld.") % {"name": attendee.name}, None
        cancel_registration(registration=registration, by_staff=False)
        return _("Uw aanmelding is afgemeld."), None
    except RegistrationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return "", form


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"version": settings.PRIVACY_STATEMENT_VERSION})
