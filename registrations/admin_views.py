"""Extra back-office pages about one event: the overview and sign-ups entered by staff.

They are wired into the admin by `EventAdmin.get_urls`, behind `admin_site.admin_view`, and
each checks its own permission.
"""

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Lower, Trim, TruncWeek
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.forms import SignupForm, error_summary
from registrations.models import Attendee, Invoice, Registration, Status
from registrations.pricing import ZERO
from registrations.services import erase_personal_data
from registrations.views import process_signup
from sessions.models import Event, ThemeSession


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
    # The figures read every attendee of the event; they are kept until the event's version
    # changes (every sign-up, change, cancellation and payment raises it).
    figures = cache.get_or_set(
        f"event-overview:{event.cache_key()}", lambda: overview_figures(event), timeout=3600
    )
    context = admin_context(request, event, _("Overzicht van %(title)s") % {"title": event})
    context |= {
        **figures,
        "can_export": request.user.has_perm("registrations.export_personal_data"),
    }
    return render(request, "admin/theme_sessions/event/overview.html", context)


def overview_figures(event: Event) -> dict:
    """Count what the overview shows, as plain data that can be cached."""
    sessions = event.sessions.with_seat_counts().annotate(
        waiting=Count("attendees", filter=Q(attendees__status=Status.WAITING), distinct=True)
    )
    people = Attendee.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
    )
    invoices = Invoice.objects.filter(event=event)
    money = invoices.aggregate(
        organisations=Count("pk", filter=Q(attendee_count__gt=0)),
        due=Sum("amount_due", default=ZERO),
        paid=Sum("amount_paid", default=ZERO),
    )
    money["open"] = money["due"] - money["paid"]
    differences = (
        invoices.filter(paid_at__isnull=False)
        .exclude(amount_due=F("amount_paid"))
        .select_related("organisation")
    )
    diets = (
        Attendee.objects.confirmed()
        .filter(event=event)
        .exclude(dietary_wishes="")
        .annotate(wish=Lower(Trim("dietary_wishes")))
        .values("wish")
        .annotate(count=Count("pk"))
        .order_by("-count", "wish")
    )
    weeks = (
        Registration.objects.filter(event=event)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(
            signups=Count("pk", distinct=True),
            people=Count("attendees", filter=~Q(attendees__status=Status.CANCELLED)),
        )
        .order_by("week")
    )
    return {
        "sessions": [
            {
                "pk": s.pk,
                "title": s.title,
                "taken": s.taken,
                "capacity": s.capacity,
                "places_left": s.places_left(),
                "waiting": s.waiting,
            }
            for s in sessions
        ],
        "people": people,
        "money": money,
        "differences": [
            {
                "pk": i.pk,
                "organisation": i.organisation.name,
                "amount_due": i.amount_due,
                "amount_paid": i.amount_paid,
                "balance": i.balance,
            }
            for i in differences
        ],
        "diets": list(diets),
        "weeks": list(weeks),
    }


class StaffSignupForm(SignupForm):
    """The public form, with consent confirmed by the staff member on the person's behalf."""

    check_for_bots = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = gettext_lazy(
            "De contactpersoon is gewezen op de privacyverklaring en stemt in."
        )


def signup_on_behalf(request: HttpRequest, event_id: int) -> HttpResponse:
    """Enter a sign-up for someone who phoned, through the same form and rules as the site."""
    require_permission(request, "registrations.add_registration")
    event = get_object_or_404(Event.objects.prefetch_related("price_tiers"), pk=event_id)
    sessions = list(ThemeSession.objects.filter(event=event).with_seat_counts())
    form, formset, registration = process_signup(
        request, event, sessions, by_staff=True, form_class=StaffSignupForm
    )
    if registration is not None:
        messages.success(
            request,
            _("Aanmelding van %(organisation)s ingevoerd.")
            % {"organisation": registration.organisation},
        )
        return redirect("admin:registrations_registration_change", registration.pk)
    context = admin_context(
        request, event, _("Aanmelding invoeren voor %(title)s") % {"title": event}
    )
    context |= {
        "form": form,
        "formset": formset,
        "error_summary": error_summary(form, formset) if form.is_bound else [],
    }
    return render(request, "admin/theme_sessions/event/signup.html", context)


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mailadres"))


def personal_data(request: HttpRequest) -> HttpResponse:
    """Find, export (JSON) or erase everything stored about one e-mail address (AVG/GDPR)."""
    require_permission(request, "registrations.export_personal_data")
    form = PersonalDataForm(request.POST or request.GET or None)
    found = None
    if form.is_valid():
        email = form.cleaned_data["email"]
        if request.method == "POST":
            require_permission(request, "registrations.delete_registration")
            changed = erase_personal_data(email=email)
            messages.success(
                request,
                _("De gegevens van %(email)s zijn gewist (%(count)d rij(en)).")
                % {"email": email, "count": changed},
            )
            return redirect("admin:registrations_registration_personal_data")
        found = personal_data_of(email)
        if request.GET.get("format") == "json":
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


def personal_data_of(email: str) -> dict:
    """Return everything stored about an e-mail address, as plain data."""
    address = email.strip().lower()
    registrations = (
        Registration.objects.alias(email_key=Lower("contact_email"))
        .filter(email_key=address)
        .select_related("event", "organisation")
    )
    attendees = (
        Attendee.objects.alias(email_key=Lower("email"))
        .filter(email_key=address)
        .select_related("event", "session", "registration__organisation")
    )
    return {
        "email": email,
        "as_contact_person": [
            {
                "event": str(r.event),
                "organisation": r.organisation.name,
                "name": r.contact_name,
                "email": r.contact_email,
                "phone": r.contact_phone,
                "remarks": r.remarks,
                "status": r.status,
                "signed_up_at": r.created_at.isoformat(),
                "consent_at": r.consent_at.isoformat(),
                "privacy_version": r.privacy_version,
            }
            for r in registrations
        ],
        "as_attendee": [
            {
                "event": str(a.event),
                "organisation": a.registration.organisation.name,
                "name": a.name,
                "email": a.email,
                "session": a.session.title,
                "dietary_wishes": a.dietary_wishes,
                "status": a.status,
                "signed_up_at": a.created_at.isoformat(),
            }
            for a in attendees
        ],
    }
