"""The pages behind a board member's own link: their place, and nobody else's.

A member with an own address (used by nobody else in the sign-up) gets this link by mail. It
shows their session and status, lets them pick another session or cancel themselves until
the deadline, and shows no money: that is the contact person's business. Cancelling asks
first, on a page of its own.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registrations.changes import cancel_attendee
from registrations.error_summary import form_errors
from registrations.errors import RegistrationError
from registrations.member_forms import ChangeSessionForm
from registrations.models import Attendee, Status
from registrations.self_service import confirm_page, move_form, seat_list


def member_from_token(token: str) -> Attendee:
    """Return the board member the link belongs to; 404 otherwise."""
    attendee = Attendee.from_token(
        token,
        Attendee.objects.select_related(
            "registration__event", "registration__organisation", "session"
        ),
    )
    if attendee is None:
        raise Http404
    return attendee


def is_changeable(attendee: Attendee) -> bool:
    return attendee.registration.event.is_open() and attendee.status != Status.CANCELLED


def member_page(
    request: HttpRequest, attendee: Attendee, *, refused_form: ChangeSessionForm | None = None
) -> HttpResponse:
    registration = attendee.registration
    changeable = is_changeable(attendee)
    move = refused_form
    if move is None and changeable:
        move = ChangeSessionForm(
            sessions=seat_list(registration), current_session_id=attendee.session_id
        )
    response = render(
        request,
        "registrations/member.html",
        {
            "attendee": attendee,
            "registration": registration,
            "event": registration.event,
            "changeable": changeable,
            "move_form": move,
            "error_summary": form_errors(refused_form) if refused_form is not None else [],
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache  # the page shows the member's name and address
@require_safe
def member_detail(request: HttpRequest, token: str) -> HttpResponse:
    return member_page(request, member_from_token(token))


def refuse_when_closed(request: HttpRequest, attendee: Attendee) -> HttpResponse | None:
    if is_changeable(attendee):
        return None
    messages.error(request, _("Wijzigen kan niet meer. Neem contact op met Atrivé."))
    return redirect(attendee)


@never_cache  # a refused change shows the page again
@require_POST
def member_change_session(request: HttpRequest, token: str) -> HttpResponse:
    attendee = member_from_token(token)
    if refused := refuse_when_closed(request, attendee):
        return refused
    form = move_form(attendee, seat_list(attendee.registration), request)
    if form is None:
        return redirect(attendee)
    return member_page(request, attendee, refused_form=form)


@never_cache  # the page that asks before cancelling names the member
@require_http_methods(["GET", "HEAD", "POST"])
def member_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask whether the member cancels (GET), and do it when that page is sent (POST)."""
    attendee = member_from_token(token)
    if refused := refuse_when_closed(request, attendee):
        return refused
    if request.method == "POST":
        try:
            cancel_attendee(attendee=attendee, by_staff=False)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("U bent afgemeld."))
        return redirect(attendee)
    return confirm_page(
        request,
        attendee.registration,
        question=_("Weet u zeker dat u zich afmeldt, %(name)s?") % {"name": attendee.name},
        confirm_label=_("Ja, ik meld mij af"),
        back_url=attendee.get_absolute_url(),
    )
