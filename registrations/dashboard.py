"""The admin's home page: a card per coming lab (and the last one) with how full it is, the
money, and one-click links to the pages of the evening.

A card is built from parts: `CARD_PARTS` lists, per part, a template, the function that gives
its data for one event (plain data: numbers, rows, dicts) and the permission that shows it.
Another concern adds itself to every card by adding one `CardPart` here and one template in
`templates/admin/registrations/dashboard/`; the card includes each part with `data` and `event`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.availability import with_seat_counts
from registrations.evaluation_results import dashboard_evaluation
from registrations.invoices import money_totals
from registrations.issuing import money_attention
from registrations.models import Attendee, Status
from registrations.outbox import oldest_unsent_age
from registrations.results import lab_results
from sessions.models import Event


@dataclass(frozen=True)
class CardPart:
    template: str
    data: Callable[[Event], object]
    permission: str


@dataclass
class LabCard:
    event: Event
    is_past: bool
    links: list[tuple[str, str]]
    parts: list[dict] = field(default_factory=list)


def session_fill(event: Event) -> dict:
    """Return each session's taken places, maximum and fill (0 to 100, for the bar), the places
    the evening has left (None: no maximum) and how many wait."""
    sessions = with_seat_counts(event.sessions.all()).annotate(
        waiting=Count("attendees", filter=Q(attendees__status=Status.WAITING), distinct=True)
    )
    rows = []
    largest = 1
    for session in sessions:
        largest = max(largest, session.taken, session.capacity or 0)
        rows.append(
            {
                "title": session.title,
                "taken": session.taken,
                "capacity": session.capacity,
                "places_left": session.places_left,
                "waiting": session.waiting,
                "is_full": session.is_full,
            }
        )
    for row in rows:  # without a maximum, the bar is relative to the fullest session
        row["fill"] = min(100, round(100 * row["taken"] / (row["capacity"] or largest)))
    people = Attendee.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
    )
    return {
        "sessions": rows,
        "confirmed": people["confirmed"],
        "waiting": people["waiting"],
        "capacity": event.capacity,
        "places_left": (
            None if event.capacity is None else max(event.capacity - people["confirmed"], 0)
        ),
    }


# A mail that waits longer than this points at a worker that is down.
MAIL_LATE = datetime.timedelta(minutes=15)

# What each lab's card shows, in order. The parts of other concerns (evaluation, invitations,
# payments) are added here with their own template.
CARD_PARTS = [
    CardPart(
        "admin/registrations/dashboard/_fill.html", session_fill, "registrations.view_attendee"
    ),
    CardPart(
        "admin/registrations/dashboard/_money.html", money_totals, "registrations.view_invoice"
    ),
]

# The pages of one lab, as (label, name of the URL "admin:theme_sessions_event_<name>",
# permission).
CARD_LINKS = [
    (gettext_lazy("Overzicht"), "overview", "registrations.view_attendee"),
    (gettext_lazy("Aanmelding per telefoon"), "signup", "registrations.add_registration"),
    (gettext_lazy("Inchecken"), "check_in", "registrations.check_in_attendee"),
    (gettext_lazy("Desklijst"), "desk_list", "registrations.check_in_attendee"),
    (gettext_lazy("Naambadges (pdf)"), "badges", "registrations.export_personal_data"),
    (gettext_lazy("Export (Excel NL)"), "export", "registrations.export_personal_data"),
    (gettext_lazy("Facturen"), "invoices", "registrations.manage_invoices"),
    (gettext_lazy("Uitnodigen"), "invite", "registrations.add_invitation"),
    (gettext_lazy("Bericht aan deelnemers"), "mailing", "registrations.add_mailing"),
    (gettext_lazy("Evaluatie"), "evaluation", "registrations.view_evaluationresponse"),
]


def dashboard_labs(today: datetime.date | None = None) -> list[Event]:
    """Return the coming labs, soonest first, then the last one held."""
    today = today or timezone.localdate()
    coming = list(Event.objects.filter(date__gte=today).order_by("date", "pk"))
    last = Event.objects.filter(date__lt=today).order_by("-date", "-pk").first()
    return coming + ([last] if last else [])


def lab_cards(user, today: datetime.date | None = None) -> list[LabCard]:
    """Return a card per lab with the links and parts this user may see."""
    today = today or timezone.localdate()
    parts = [part for part in CARD_PARTS if user.has_perm(part.permission)]
    links = [link for link in CARD_LINKS if user.has_perm(link[2])]
    cards = []
    for event in dashboard_labs(today):
        cards.append(
            LabCard(
                event=event,
                is_past=event.date < today,
                links=[
                    (label, reverse(f"admin:theme_sessions_event_{name}", args=[event.pk]))
                    for label, name, _permission in links
                ],
                parts=[{"template": part.template, "data": part.data(event)} for part in parts],
            )
        )
    return cards


def mail_waiting() -> dict:
    """Return since when the oldest mail still to be sent waits (None: nothing waits), and
    whether that is longer than a worker should take (then the worker may be down)."""
    age = oldest_unsent_age()
    return {
        "since": None if age is None else timezone.now() - age,
        "late": age is not None and age > MAIL_LATE,
    }


def dashboard_context(request: HttpRequest) -> dict:
    """Return what the dashboard shows this user, with what the admin's index needs."""
    user = request.user
    cards = lab_cards(user)
    return {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "subtitle": None,
        "app_list": admin.site.get_app_list(request),
        "cards": cards,
        "mail": mail_waiting() if user.has_perm("registrations.view_outboxmail") else None,
        # What worked for the labs shown: invitations, the sign-ups they brought, attendance.
        "lab_results": (
            lab_results([card.event for card in cards])
            if user.has_perm("registrations.view_invitation")
            else None
        ),
        "money_attention": (
            money_attention() if user.has_perm("registrations.manage_invoices") else None
        ),
        "evaluation": (
            dashboard_evaluation()
            if user.has_perm("registrations.view_evaluationresponse")
            else None
        ),
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the admin's home: the coming labs and the last one, then the admin's models."""
    return render(request, "admin/registrations/dashboard/index.html", dashboard_context(request))
