"""The benchmark's data set: the open demo lab with its sign-ups, and the archive lab.

Imported by bench/tasks.py before Django is set up, so every Django import sits inside the
function that needs it.
"""

import contextlib
import datetime
import io
import time
from collections import defaultdict
from decimal import Decimal

HISTORY_SLUG = "participatielab-archief"
HISTORY_ORGANISATIONS = 2_000
BATCH_SIZE = 2_000


def open_lab():
    from registrations.management.commands.seed_demo import DEMO_SLUG
    from sessions.models import Event

    return Event.objects.get(slug=DEMO_SLUG)


def history_event():
    """Return the archive lab that holds the historic sign-ups, creating it on first use."""
    from registrations.management.commands import seed_demo
    from sessions.models import Event
    from sessions.services import SessionData, create_event

    event = Event.objects.filter(slug=HISTORY_SLUG).first()
    if event is not None:
        return event
    from django.utils import timezone

    date = timezone.localdate() - datetime.timedelta(days=120)
    deadline = timezone.make_aware(
        datetime.datetime.combine(date - datetime.timedelta(days=7), datetime.time(23, 59))
    )
    return create_event(
        # The historic labs had no maxima worth modelling here: the archive is a size test.
        sessions=[
            SessionData(title=s.title, description=s.description) for s in seed_demo.SESSIONS
        ],
        programme=seed_demo.PROGRAMME,
        title="Participatielab (archief)",
        slug=HISTORY_SLUG,
        theme="Alle aanmeldingen van eerdere labs, voor de meting van export en beheer",
        date=date,
        start_time=datetime.time(17, 0),
        end_time=datetime.time(20, 0),
        venue_name="Kasteel Rhijnauwen",
        venue_address="Rhijnauwenselaan 14b",
        venue_city="Bunnik",
        registration_deadline=deadline,
        is_published=True,
    )


def seed_open_lab(attendees: int) -> dict:
    """Create the demo lab (seed_demo) and sign up `attendees` board members, three a group.

    These go through `register_group`, the service the public form calls, so locks,
    invoices, waiting list and confirmation mails are exactly what production does.
    """
    from django.conf import settings
    from django.core.management import call_command

    from registrations.models import Attendee, Status
    from registrations.signup import AttendeeData, register_group

    call_command("seed_demo", stdout=io.StringIO())
    event = open_lab()
    sessions = list(event.sessions.order_by("order", "pk"))
    placed, group = 0, 0
    while placed < attendees:
        group += 1
        size = min(event.max_group_size, attendees - placed)
        register_group(
            event=event,
            organisation_name=f"Huurdersvereniging Voorbeeld {group:03d}",
            contact_name=f"Secretaris {group:03d}",
            contact_email=f"secretaris{group:03d}@voorbeeld.example.org",
            attendees=[
                AttendeeData(
                    name=f"Bestuurslid {group:03d}-{k + 1}",
                    email=f"lid{group:03d}-{k + 1}@voorbeeld.example.org",
                    session_id=sessions[(placed + k) % len(sessions)].pk,
                    dietary_wishes="vegetarisch" if (placed + k) % 7 == 0 else "",
                    # Past the places, members choose to wait (nobody waits unasked).
                    wait_if_full=True,
                )
                for k in range(size)
            ],
            privacy_version=settings.PRIVACY_STATEMENT_VERSION,
        )
        placed += size
    rows = Attendee.objects.filter(event=event)
    return {
        "event_id": event.pk,
        "slug": event.slug,
        "registrations": group,
        "attendees": rows.count(),
        "confirmed": rows.filter(status=Status.CONFIRMED).count(),
        "waiting": rows.filter(status=Status.WAITING).count(),
        "session_capacities": [s.capacity for s in sessions],
    }


@contextlib.contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the given created/updated times instead of "now".

    Historic sign-ups need their own dates (the overview counts sign-ups per week); Django's
    auto_now(_add) would stamp all 100,000 rows with this second.
    """
    saved = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def history_organisations() -> list:
    from registrations.models import Organisation, normalise_name

    wanted = [f"Huurdersorganisatie Archief {n:04d}" for n in range(HISTORY_ORGANISATIONS)]
    keys = {normalise_name(name): name for name in wanted}
    existing = set(
        Organisation.objects.filter(name_key__in=keys).values_list("name_key", flat=True)
    )
    Organisation.objects.bulk_create(
        [
            Organisation(name=name, name_key=key)
            for key, name in keys.items()
            if key not in existing
        ],
        batch_size=BATCH_SIZE,
    )
    by_key = {o.name_key: o for o in Organisation.objects.filter(name_key__in=keys)}
    return [by_key[normalise_name(name)] for name in wanted]


def grow_history(target: int) -> dict:
    """Fill the archive lab up to `target` attendees with bulk inserts; keep invoices right.

    bulk_create, not `register_group`: the service takes the event lock, re-counts places
    and queues its mails, about 20 ms per sign-up, so 50,000 sign-ups would take
    minutes. The rows are the same shape the service writes (one invoice per organisation
    and event, recomputed below from the attendees with the app's own pricing function).
    """
    from django.db import transaction
    from django.utils import timezone

    from registrations.models import Attendee, Invoice, Registration, Status

    started = time.perf_counter()
    event = history_event()
    sessions = list(event.sessions.order_by("order", "pk"))
    have = Attendee.objects.filter(event=event).count()
    if have >= target:
        return {"event_id": event.pk, "attendees": have, "added": 0, "seconds": 0.0}
    first_registration = Registration.objects.filter(event=event).count()
    plan, total, index = [], have, first_registration
    while total < target:
        size = min(1 + index % 3, target - total)  # groups of one, two and three
        plan.append((index, size))
        total += size
        index += 1

    organisations = history_organisations()
    window = datetime.timedelta(weeks=8).total_seconds()
    opened = event.registration_deadline - datetime.timedelta(weeks=8)
    with transaction.atomic():
        invoices = {i.organisation_id: i for i in Invoice.objects.filter(event=event)}
        missing = {organisations[n % HISTORY_ORGANISATIONS].pk for n, _size in plan} - set(invoices)
        Invoice.objects.bulk_create(
            [Invoice(event=event, organisation_id=pk) for pk in sorted(missing)],
            batch_size=BATCH_SIZE,
        )
        invoices = {i.organisation_id: i for i in Invoice.objects.filter(event=event)}
        with explicit_timestamps(Registration, Attendee):
            registrations = []
            for n, _size in plan:
                organisation = organisations[n % HISTORY_ORGANISATIONS]
                created = opened + datetime.timedelta(seconds=(n * 7919) % window)
                registrations.append(
                    Registration(
                        event=event,
                        organisation_id=organisation.pk,
                        invoice_id=invoices[organisation.pk].pk,
                        contact_name=f"Contactpersoon {n:06d}",
                        contact_email=f"contact{n:06d}@archief.example.org",
                        contact_phone="030 123 4567" if n % 4 == 0 else "",
                        status=Status.CANCELLED if n % 25 == 24 else Status.CONFIRMED,
                        consent_at=created,
                        privacy_version="2016-01",
                        confirmation_sent_at=created,
                        created_at=created,
                        updated_at=created,
                    )
                )
            Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)
            attendees, number = [], have
            for registration, (_n, size) in zip(registrations, plan, strict=True):
                for _member in range(size):
                    attendees.append(
                        Attendee(
                            registration_id=registration.pk,
                            event=event,
                            organisation_id=registration.organisation_id,
                            session=sessions[number % len(sessions)],
                            name=f"Bestuurslid {number:06d}",
                            name_key=f"bestuurslid {number:06d}",
                            email=f"lid{number:06d}@archief.example.org",
                            dietary_wishes=(
                                "vegetarisch"
                                if number % 9 == 0
                                else "glutenvrij"
                                if number % 23 == 0
                                else ""
                            ),
                            status=registration.status,
                            created_at=registration.created_at,
                        )
                    )
                    number += 1
            Attendee.objects.bulk_create(attendees, batch_size=BATCH_SIZE)
        recompute_history_invoices(event, timezone)
    analysed = analyse_tables()
    count = Attendee.objects.filter(event=event).count()
    return {
        "analysed": analysed,
        "event_id": event.pk,
        "attendees": count,
        "added": count - have,
        "registrations": Registration.objects.filter(event=event).count(),
        "invoices": Invoice.objects.filter(event=event).count(),
        "seconds": round(time.perf_counter() - started, 2),
    }


def analyse_tables() -> bool:
    """Give PostgreSQL's planner statistics of the bulk-loaded rows (VACUUM ANALYZE).

    A database that grew to 100,000 rows over years has been analysed by autovacuum many
    times; straight after a bulk load it has not, and the planner, believing the attendee
    table nearly empty, picks plans no production database would (a sign-up's invoice
    recount scanned all 100,000 attendees: 37 ms a POST instead of 23). SQLite gets nothing:
    Django never runs ANALYZE there, so production SQLite files have no statistics either.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return True


def recompute_history_invoices(event, timezone) -> None:
    """Set each archive invoice's head count and amount the way `recompute_invoice` does."""
    from django.db.models import Count

    from registrations.models import Attendee, Invoice
    from registrations.pricing import ZERO, organisation_amount_due

    per_signup = defaultdict(list)
    rows = (
        Attendee.objects.confirmed()
        .filter(event=event)
        .values("registration__invoice", "registration")
        .annotate(count=Count("pk"))
        .values_list("registration__invoice", "count")
    )
    for invoice_id, count in rows:
        per_signup[invoice_id].append(count)
    tiers = event.price_tiers_map()
    paid_at = timezone.make_aware(
        datetime.datetime.combine(event.date + datetime.timedelta(days=14), datetime.time(10))
    )
    invoices = list(Invoice.objects.filter(event=event).order_by("pk"))
    for number, invoice in enumerate(invoices):
        counts = per_signup.get(invoice.pk, [])
        invoice.attendee_count = sum(counts)
        invoice.amount_due = organisation_amount_due(tiers=tiers, attending_per_signup=counts)
        invoice.reference = f"PL-{event.date:%Y}-{number + 1:04d}"
        if number % 3 == 0 or invoice.amount_due == ZERO:  # a third has not paid yet
            invoice.amount_paid, invoice.paid_at = ZERO, None
        elif number % 50 == 1:  # a few paid the old, lower amount
            invoice.amount_paid, invoice.paid_at = invoice.amount_due - Decimal("15.00"), paid_at
        else:
            invoice.amount_paid, invoice.paid_at = invoice.amount_due, paid_at
    Invoice.objects.bulk_update(
        invoices,
        ["attendee_count", "amount_due", "amount_paid", "paid_at", "reference"],
        batch_size=500,
    )
