"""The pages behind the contact person's secret link: view the sign-up, and change it until
the deadline.

The contact person manages the whole group and sees the money. Each change has its own URL
and view: check the form, call one domain function, redirect back to the page
(POST/redirect/GET). Removing someone first asks, on a page of its own (GET), and acts on the
POST from that page. A refused change shows the page again with an error summary at the top,
which takes the focus, and the form with its message in place. A wrong, truncated or altered
token gives the ordinary 404. A member's own link has its pages in `registrations.member_page`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from registrations.audience import has_own_address
from registrations.availability import event_places_left, with_seat_counts
from registrations.changes import cancel_attendee, cancel_registration, move_attendee
from registrations.error_summary import form_errors
from registrations.errors import RegistrationError
from registrations.invoices import amount_without
from registrations.member_forms import AttendeeForm, ChangeSessionForm
from registrations.models import Attendee, Registration, Status
from registrations.signup import add_attendee
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
    """Render the manage page; a refused form is shown in the place of its fresh copy, and its
    errors in a summary at the top."""
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
    if isinstance(refused_form, AttendeeForm):
        add_form = refused_form
    elif len(active) < event.max_group_size and is_changeable(registration):
        add_form = new_member_form(registration, sessions)
    summary = []
    if refused_form is not None:
        prefix = f"{refused_attendee.name} – " if refused_attendee else _("Nieuwe collega") + " – "
        summary = form_errors(refused_form, prefix=prefix)
    response = render(
        request,
        "registrations/detail.html",
        {
            "registration": registration,
            "event": event,
            "attendees": [
                (a, move_forms.get(a.pk), has_own_address(a, registration)) for a in attendees
            ],
            "active": active,
            "invoice": registration.invoice,
            "changeable": is_changeable(registration),
            "add_form": add_form,
            "error_summary": summary,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def new_member_form(registration: Registration, sessions: list[ThemeSession], data=None):
    """Return the form to add a colleague; they may choose to wait when there is no place."""
    event = registration.event
    return AttendeeForm(
        data,
        prefix=ADD_PREFIX,
        event=event,
        sessions=sessions,
        event_full=event.has_waiting_list and event_places_left(event) == 0,
    )


@never_cache  # the page shows names and addresses: no browser or proxy may keep a copy
@require_safe
def detail(request: HttpRequest, token: str) -> HttpResponse:
    return manage_page(request, registration_from_token(token))


def manage_action(
    methods: list[str],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Find the sign-up by its link and refuse changes after the deadline or cancellation."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        # A refused change, and the page that asks before removing someone, show names
        # (and the page with its addresses) again.
        @never_cache
        @require_http_methods(methods)
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
            registration = registration_from_token(token)
            if not is_changeable(registration):
                messages.error(request, _("Wijzigen kan niet meer. Neem contact op met Atrivé."))
                return redirect(registration)
            return view(request, registration, **kwargs)

        return wrapper

    return decorate


@manage_action(["POST"])
def add_colleague(request: HttpRequest, registration: Registration) -> HttpResponse:
    sessions = seat_list(registration)
    form = new_member_form(registration, sessions, request.POST)
    if form.is_valid():
        try:
            added = add_attendee(registration=registration, attendee=form.attendee_data())
        except RegistrationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if added.status == Status.WAITING:
                message = _("%(name)s is toegevoegd en staat op de wachtlijst.")
            else:
                message = _("%(name)s is toegevoegd.")
            messages.success(request, message % {"name": added.name})
            return redirect(registration)
    return manage_page(request, registration, sessions, refused_form=form)


@manage_action(["POST"])
def change_session(
    request: HttpRequest, registration: Registration, attendee_id: int
) -> HttpResponse:
    attendee = get_object_or_404(registration.attendees.all(), pk=attendee_id)
    sessions = seat_list(registration)
    form = move_form(attendee, sessions, request)
    if form is None:
        return redirect(registration)
    return manage_page(
        request, registration, sessions, refused_form=form, refused_attendee=attendee
    )


def move_form(
    attendee: Attendee, sessions: list[ThemeSession], request: HttpRequest
) -> ChangeSessionForm | None:
    """Move the member as the posted form asks; return the refused form, or None when done
    (or refused with nothing to show on the form: the message then goes with the redirect)."""
    form = ChangeSessionForm(
        request.POST,
        sessions=sessions,
        current_session_id=attendee.session_id,
        auto_id=f"id_a{attendee.pk}_%s",
    )
    if not form.is_valid():
        return form
    session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
    try:
        move_attendee(attendee=attendee, session=session, by_staff=False)
    except RegistrationError as error:
        if error.field != "session":  # e.g. cancelled meanwhile: no form to show it on
            messages.error(request, error.message)
            return None
        form.add_error("session", error.message)
        return form
    messages.success(
        request,
        _("%(name)s gaat naar ‘%(title)s’.") % {"name": attendee.name, "title": session.title},
    )
    return None


@manage_action(["GET", "HEAD", "POST"])
def cancel_one(request: HttpRequest, registration: Registration, attendee_id: int) -> HttpResponse:
    """Ask whether to cancel one member (GET), and do it when that page is sent (POST)."""
    attendee = get_object_or_404(registration.attendees.active(), pk=attendee_id)
    if request.method == "POST":
        try:
            cancel_attendee(attendee=attendee, by_staff=False)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is afgemeld.") % {"name": attendee.name})
        return redirect(registration)
    leaving = 1 if attendee.status == Status.CONFIRMED else 0
    return confirm_page(
        request,
        registration,
        question=_("Weet u zeker dat u %(name)s afmeldt?") % {"name": attendee.name},
        amount=amount_without(registration.invoice, leaving=leaving),
        confirm_label=_("Ja, %(name)s afmelden") % {"name": attendee.name},
        back_url=registration.get_absolute_url(),
    )


@manage_action(["GET", "HEAD", "POST"])
def cancel_all(request: HttpRequest, registration: Registration) -> HttpResponse:
    """Ask whether to cancel everyone (GET), and do it when that page is sent (POST)."""
    if request.method == "POST":
        try:
            cancel_registration(registration=registration, by_staff=False)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Uw aanmelding is afgemeld."))
        return redirect(registration)
    coming = [a for a in registration.attendees.all() if a.status == Status.CONFIRMED]
    names = [a.name for a in registration.attendees.all() if a.status != Status.CANCELLED]
    return confirm_page(
        request,
        registration,
        question=_("Weet u zeker dat u iedereen van deze aanmelding afmeldt (%(names)s)?")
        % {"names": ", ".join(names)},
        amount=amount_without(registration.invoice, leaving=len(coming)),
        confirm_label=_("Ja, iedereen afmelden"),
        back_url=registration.get_absolute_url(),
    )


def confirm_page(
    request: HttpRequest,
    registration: Registration,
    *,
    question: str,
    confirm_label: str,
    back_url: str,
    amount=None,
) -> HttpResponse:
    """Render the page that asks before someone is removed; `amount`: what the organisation
    then pays (None: a member's own link, which shows no money)."""
    response = render(
        request,
        "registrations/confirm_cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "question": question,
            "amount": amount,
            "confirm_label": confirm_label,
            "back_url": back_url,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
