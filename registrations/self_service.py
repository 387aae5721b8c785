"""The pages behind a sign-up's secret link: view it, and change it until the deadline.

Each change has its own URL and view: check the form, call one domain function, redirect
back to the page (POST/redirect/GET). A refused change shows the page again with the form
and its message in place. A wrong, truncated or altered token gives the ordinary 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from registrations.availability import with_seat_counts
from registrations.changes import cancel_attendee, cancel_registration, move_attendee
from registrations.errors import RegistrationError
from registrations.forms import AttendeeForm, CancelAllForm, ChangeSessionForm
from registrations.models import Attendee, Registration, Status
from registrations.signup import AttendeeData, add_attendee
from sessions.models import ThemeSession

ADD_PREFIX = "new"


def registration_from_token(token: str) -> Registration:
    """Return the sign-up the link belongs to, with what its page shows; 404 otherwise."""
    registration = Registration.from_token(
        token,
        Registration.objects.select_related("event", "organisation", "invoice").prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.select_related("session"))
        ),
    )
    if registration is None:
        raise Http404
    return registration


def is_changeable(registration: Registration) -> bool:
    return registration.event.is_open() and registration.status != Status.CANCELLED


def seat_list(registration: Registration) -> list[ThemeSession]:
    return list(with_seat_counts(ThemeSession.objects.filter(event=registration.event)))


def manage_page(
    request: HttpRequest,
    registration: Registration,
    sessions: list[ThemeSession] | None = None,
    *,
    refused_form=None,
    refused_attendee: Attendee | None = None,
) -> HttpResponse:
    """Render the manage page; a refused form is shown in the place of its fresh copy."""
    event = registration.event
    sessions = sessions if sessions is not None else seat_list(registration)
    attendees = list(registration.attendees.all())
    active = [a for a in attendees if a.status != Status.CANCELLED]
    move_forms = {
        attendee.pk: refused_form
        if attendee == refused_attendee
        else ChangeSessionForm(
            sessions=sessions,
            current_session_id=attendee.session_id,
            auto_id=f"id_a{attendee.pk}_%s",
        )
        for attendee in active
    }
    add_form = None
    if len(active) < event.max_group_size:
        add_form = AttendeeForm(prefix=ADD_PREFIX, event=event, sessions=sessions)
    if isinstance(refused_form, AttendeeForm):
        add_form = refused_form
    response = render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "event": event,
            "attendees": [(a, move_forms.get(a.pk)) for a in attendees],
            "invoice": registration.invoice,
            "changeable": is_changeable(registration),
            "add_form": add_form,
            "cancel_form": refused_form
            if isinstance(refused_form, CancelAllForm)
            else CancelAllForm(),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache  # the page shows names and addresses: no browser or proxy may keep a copy
@require_safe
def detail(request: HttpRequest, token: str) -> HttpResponse:
    return manage_page(request, registration_from_token(token))


def manage_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Find the sign-up by its link and refuse changes after the deadline or cancellation."""

    @never_cache  # a refused change shows the page, with its names and addresses, again
    @require_POST
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        registration = registration_from_token(token)
        if not is_changeable(registration):
            messages.error(request, _("Wijzigen kan niet meer. Neem contact op met Atrivé."))
            return redirect(registration)
        return view(request, registration, **kwargs)

    return wrapper


@manage_action
def add_colleague(request: HttpRequest, registration: Registration) -> HttpResponse:
    sessions = seat_list(registration)
    form = AttendeeForm(
        request.POST, prefix=ADD_PREFIX, event=registration.event, sessions=sessions
    )
    if form.is_valid():
        try:
            added = add_attendee(
                registration=registration,
                attendee=AttendeeData(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    session_id=form.cleaned_data["session"],
                    dietary_wishes=form.cleaned_data["dietary_wishes"],
                ),
            )
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": added.name})
            return redirect(registration)
    return manage_page(request, registration, sessions, refused_form=form)


@manage_action
def change_session(
    request: HttpRequest, registration: Registration, attendee_id: int
) -> HttpResponse:
    attendee = get_object_or_404(registration.attendees.all(), pk=attendee_id)
    sessions = seat_list(registration)
    form = ChangeSessionForm(
        request.POST,
        sessions=sessions,
        current_session_id=attendee.session_id,
        auto_id=f"id_a{attendee.pk}_%s",
    )
    if form.is_valid():
        session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
        try:
            move_attendee(attendee=attendee, session=session, by_staff=False)
        except RegistrationError as error:
            if error.field != "session":  # e.g. cancelled meanwhile: no form to show it on
                messages.error(request, error.message)
                return redirect(registration)
            form.add_error("session", error.message)
        else:
            messages.success(
                request,
                _("%(name)s gaat naar ‘%(title)s’.")
                % {"name": attendee.name, "title": session.title},
            )
            return redirect(registration)
    return manage_page(
        request, registration, sessions, refused_form=form, refused_attendee=attendee
    )


@manage_action
def cancel_one(request: HttpRequest, registration: Registration, attendee_id: int) -> HttpResponse:
    attendee = get_object_or_404(registration.attendees.all(), pk=attendee_id)
    try:
        cancel_attendee(attendee=attendee, by_staff=False)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is afgemeld.") % {"name": attendee.name})
    return redirect(registration)


@manage_action
def cancel_all(request: HttpRequest, registration: Registration) -> HttpResponse:
    form = CancelAllForm(request.POST)
    if not form.is_valid():
        return manage_page(request, registration, refused_form=form)
    try:
        cancel_registration(registration=registration, by_staff=False)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uw aanmelding is afgemeld."))
    return redirect(registration)
