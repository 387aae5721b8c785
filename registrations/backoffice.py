"""Staff pages about one event: the overview, phone sign-ups, exports and presence lists,
and the personal-data lookup.

`event_urls()` hooks the event pages into the Event admin (see `registrations.admin.events`),
behind `admin_site.admin_view`, so the user is active staff; each view checks its own
permission on top.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.db.models.functions import Lower, Trim, TruncWeek
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from registrations.availability import with_seat_counts
from registrations.campaign_pages import invite, mail_attendees
from registrations.exports import csv_response, flavour_from_request
from registrations.forms import StaffSignupForm
from registrations.invoices import money_totals
from registrations.models import Attendee, Invoice, Registration, Status
from registrations.organisations import event_organisations, likely_duplicates
from registrations.presence import check_in
from registrations.privacy import erase_personal_data, personal_data_of
from registrations.results import lab_results
from registrations.views import process_signup, signup_context
from sessions.models import Event, ThemeSession

EXPORT_PERMISSION = "registrations.export_personal_data"


def event_urls(admin_site: admin.AdminSite) -> list[URLPattern]:
    """Return the staff pages about an event, to put before the Event admin's own URLs."""

    def wrap(view):
        return admin_site.admin_view(view)

    return [
        path(
            "<int:event_id>/overzicht/",
            wrap(event_overview),
            name="theme_sessions_event_overview",
        ),
        path(
            "<int:event_id>/aanmelden/",
            wrap(signup_on_behalf),
            name="theme_sessions_event_signup",
        ),
        path("<int:event_id>/export/", wrap(export_event), name="theme_sessions_event_export"),
        path("<int:event_id>/uitnodigen/", wrap(invite), name="theme_sessions_event_invite"),
        path("<int:event_id>/bericht/", wrap(mail_attendees), name="theme_sessions_event_mailing"),
        path(
            "<int:event_id>/sessie/<int:session_id>/export/",
            wrap(export_session),
            name="theme_sessions_event_session_export",
        ),
        path(
            "<int:event_id>/sessie/<int:session_id>/presentielijst/",
            wrap(presence_list),
            name="theme_sessions_event_presence_list",
        ),
    ]


def require_permission(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def admin_context(request: HttpRequest, event: Event, title: str) -> dict:
    """Return what admin templates need for the header, breadcrumbs and sidebar."""
    return {
        **admin.site.each_context(request),
        "title": title,
        "event": event,
        "opts": Event._meta,
        "event_url": reverse("admin:theme_sessions_event_change", args=[event.pk]),
    }


def event_overview(request: HttpRequest, event_id: int) -> HttpResponse:
    """Show how full each session is, who pays what, dietary wishes and sign-ups per week."""
    require_permission(request, "registrations.view_attendee")
    event = get_object_or_404(Event, pk=event_id)
    invoices = Invoice.objects.filter(event=event)
    context = admin_context(request, event, _("Overzicht van %(title)s") % {"title": event})
    context |= {
        "sessions": with_seat_counts(event.sessions.all()).annotate(
            waiting=Count("attendees", filter=Q(attendees__status=Status.WAITING), distinct=True)
        ),
        "people": Attendee.objects.filter(event=event).aggregate(
            confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Status.WAITING)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        ),
        "money": money_totals(event),
        "differences": invoices.filter(paid_at__isnull=False)
        .exclude(amount_due=F("amount_paid"))
        .select_related("organisation"),
        "diets": Attendee.objects.confirmed()
        .filter(event=event)
        .exclude(dietary_wishes="")
        .annotate(wish=Lower(Trim("dietary_wishes")))
        .values("wish")
        .annotate(count=Count("pk"))
        .order_by("-count", "wish"),
        "weeks": Registration.objects.filter(event=event)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            signups=Count("pk", distinct=True),
            people=Count("attendees", filter=~Q(attendees__status=Status.CANCELLED)),
        )
        .order_by("week"),
        "can_export": request.user.has_perm(EXPORT_PERMISSION),
        "can_see_evaluation": request.user.has_perm("registrations.view_evaluationresponse"),
        "lab_results": lab_results([event]),
        # Names that differ only in "e.o.", punctuation or a typo: one organisation, one bill?
        "duplicates": likely_duplicates(event_organisations(event)),
    }
    return render(request, "admin/registrations/event/overview.html", context)


def signup_on_behalf(request: HttpRequest, event_id: int) -> HttpResponse:
    """Enter a sign-up for someone who phoned, through the same form and rules as the site."""
    require_permission(request, "registrations.add_registration")
    event = get_object_or_404(Event.objects.prefetch_related("price_tiers"), pk=event_id)
    sessions = list(with_seat_counts(ThemeSession.objects.filter(event=event)))
    form, formset, registration = process_signup(
        request, event, sessions, by_staff=True, form_class=StaffSignupForm
    )
    walk_in = "loper" in request.GET
    if registration is not None:
        messages.success(
            request,
            _("Aanmelding van %(organisation)s ingevoerd.")
            % {"organisation": registration.organisation},
        )
        if walk_in:  # they stand at the door: present at once
            for attendee in registration.attendees.confirmed():
                check_in(event=event, attendee_id=attendee.pk, by=request.user)
            return redirect("admin:theme_sessions_event_check_in", event.pk)
        return redirect("admin:registrations_registration_change", registration.pk)
    title = _("Loper aan de deur toevoegen") if walk_in else _("Aanmelding per telefoon")
    context = admin_context(request, event, f"{title}: {event}")
    context |= signup_context(event, sessions, form, formset) | {"walk_in": walk_in}
    return render(request, "admin/registrations/event/signup.html", context)


def event_filename(event: Event, flavour: str, part: str = "") -> str:
    """Name a list by what it holds, the event, its date and the spreadsheet flavour."""
    part = f"-{slugify(part)}" if part else ""
    return f"deelnemers-{event.slug}-{event.date:%Y-%m-%d}{part}-{flavour}"


def get_session(event_id: int, session_id: int) -> ThemeSession:
    """Return the theme session with its event; 404 when it belongs to another event."""
    return get_object_or_404(
        ThemeSession.objects.select_related("event"), pk=session_id, event_id=event_id
    )


@require_safe
def export_event(request: HttpRequest, event_id: int) -> StreamingHttpResponse:
    """Download everyone signed up for the event, cancelled people included with status."""
    require_permission(request, EXPORT_PERMISSION)
    event = get_object_or_404(Event, pk=event_id)
    flavour = flavour_from_request(request)
    return csv_response(
        Attendee.objects.filter(event=event),
        flavour=flavour,
        filename=event_filename(event, flavour),
    )


@require_safe
def export_session(request: HttpRequest, event_id: int, session_id: int) -> StreamingHttpResponse:
    """Download the attendees of one theme session, leaving out those who cancelled."""
    require_permission(request, EXPORT_PERMISSION)
    session = get_session(event_id, session_id)
    flavour = flavour_from_request(request)
    return csv_response(
        Attendee.objects.filter(session=session).exclude(status=Status.CANCELLED),
        flavour=flavour,
        filename=event_filename(session.event, flavour, session.title),
    )


@require_safe
def presence_list(request: HttpRequest, event_id: int, session_id: int) -> HttpResponse:
    """Show a printable list to sign for the confirmed attendees of one theme session."""
    require_permission(request, EXPORT_PERMISSION)
    session = get_session(event_id, session_id)
    attendees = (
        Attendee.objects.confirmed()
        .filter(session=session)
        .select_related("registration__organisation")
        .order_by(Lower("name"), "pk")
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Presentielijst %(session)s") % {"session": session.title},
        "event": session.event,
        "session": session,
        "attendees": attendees,
    }
    return render(request, "admin/registrations/presence_list.html", context)


class PersonalDataForm(forms.Form):
    """Find a person by address, or by organisation and name (for those without an address)."""

    # Without `validate_email_domain`: an address stored before that check came in must
    # still be found, exported and erased.
    email = forms.EmailField(label=gettext_lazy("E-mailadres"), required=False)
    organisation = forms.CharField(label=gettext_lazy("Organisatie"), required=False)
    name = forms.CharField(label=gettext_lazy("Naam"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        by_name = cleaned.get("organisation") and cleaned.get("name")
        if not cleaned.get("email") and not by_name and not self.errors:
            raise forms.ValidationError(
                gettext_lazy("Vul een e-mailadres in, of een organisatie en een naam."),
                code="empty",
            )
        return cleaned

    def query(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name) or "" for name in ("email", "organisation", "name")
        }


def ticked(request: HttpRequest, name: str) -> list[int]:
    """Return the row ids ticked in the boxes called `name`, ignoring anything else."""
    return [int(pk) for pk in request.POST.getlist(name) if pk.isdigit()]


def chosen(people: list[dict], ids: list[int]) -> list[dict]:
    """Return the people found whose id was ticked."""
    return [person for person in people if person["id"] in set(ids)]


def confirm_erasure(
    request: HttpRequest, form: forms.Form, contacts: list[dict], attendees: list[dict]
) -> HttpResponse:
    """Ask before erasing: list the people ticked and what of theirs will be erased."""
    context = {
        **admin.site.each_context(request),
        "title": _("Gegevens wissen?"),
        "opts": Registration._meta,
        "query": form.query(),
        "contacts": contacts,
        "attendees": attendees,
    }
    return render(request, "admin/registrations/personal_data_erase.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def personal_data(request: HttpRequest) -> HttpResponse:
    """Find, export (JSON) or erase what is stored about a person (AVG/GDPR).

    The lookup lists every person found, each with a box to tick: erasure touches only the
    people staff select, so erasing one user of a shared address leaves the others. Each of
    the three is a POST ("action": search, export or erase), so an address or a name never
    appears in a URL, an access log or the browser's history.
    """
    require_permission(request, EXPORT_PERMISSION)
    form = PersonalDataForm(request.POST if request.method == "POST" else None)
    found = None
    if form.is_valid():
        query = form.query()
        action = request.POST.get("action", "search")
        found = personal_data_of(**query)
        if action in {"erase", "erase_confirmed"}:
            require_permission(request, "registrations.delete_registration")
            # Only people this search found: a tampered id erases nobody else.
            contacts = chosen(found["as_contact_person"], ticked(request, "contact"))
            attendees = chosen(found["as_attendee"], ticked(request, "attendee"))
            if (contacts or attendees) and action == "erase":
                return confirm_erasure(request, form, contacts, attendees)
            if contacts or attendees:
                changed = erase_personal_data(
                    contacts=[p["id"] for p in contacts], attendees=[p["id"] for p in attendees]
                )
                messages.success(
                    request,
                    _("De gegevens van de gekozen personen zijn gewist (%(count)d rij(en)).")
                    % {"count": changed},
                )
                return redirect("admin:registrations_registration_personal_data")
            messages.error(request, _("Vink aan wiens gegevens u wilt wissen."))
        if action == "export":
            response = JsonResponse(found, json_dumps_params={"indent": 2, "ensure_ascii": False})
            response["Content-Disposition"] = 'attachment; filename="persoonsgegevens.json"'
            return response
    context = {
        **admin.site.each_context(request),
        "title": _("Persoonsgegevens opzoeken"),
        "opts": Registration._meta,
        "form": form,
        "found": found,
        "can_erase": request.user.has_perm("registrations.delete_registration"),
    }
    return render(request, "admin/registrations/personal_data.html", context)
