"""The demo's past lab: held eight weeks ago, two theme sessions, a few organisations that came,
and who was there. Safe to run again: found by its slug, filled only when new.

Shared by the parts of the demo that need a lab in the past (its report, its evaluation).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from registrations.models import Attendee, MailStatus, OutboxMail
from registrations.signup import AttendeeData, register_group
from sessions.models import Event
from sessions.services import SessionData, create_event

PAST_SLUG = "participatielab-vorige-editie"

PAST_SESSIONS = [
    SessionData(
        title="Het bod van de huurdersorganisatie",
        description="Hoe schrijft u een bod dat de corporatie serieus neemt?",
    ),
    SessionData(
        title="Samenwerken met de gemeente",
        description="Wie doet wat in de prestatieafspraken, en hoe houdt u de gemeente erbij?",
    ),
]

# (organisation, contact person, address, [(member, own address, session number)])
PAST_SIGNUPS = [
    (
        "Huurdersvereniging De Vaart",
        "Marja Jansen",
        "marja.jansen@example.org",
        [("Marja Jansen", "marja.jansen@example.org", 0), ("Henk Smit", "", 1)],
    ),
    (
        "Bewonersraad Het Veld",
        "Kees de Boer",
        "kees.deboer@example.org",
        [("Kees de Boer", "kees.deboer@example.org", 1)],
    ),
    (
        "Huurdersbelang Rivierenland",
        "Fatima el Amrani",
        "fatima.elamrani@example.org",
        [("Fatima el Amrani", "", 0), ("Joop Verbeek", "joop.verbeek@example.org", 0)],
    ),
]


def past_demo_event(today: datetime.date | None = None) -> Event:
    """Return the demo's past lab, creating it (with sign-ups and presence) when missing."""
    today = today or timezone.localdate()
    event = Event.objects.filter(slug=PAST_SLUG).first()
    if event is not None:
        return event
    date = today - datetime.timedelta(weeks=8)
    with transaction.atomic():
        event = create_event(
            sessions=PAST_SESSIONS,
            title="Participatielab: vorige editie",
            slug=PAST_SLUG,
            theme="Het bod van de huurdersorganisatie op de prestatieafspraken",
            description="Een avond over het bod: wat vraagt u de corporatie, en hoe?",
            date=date,
            start_time=datetime.time(17, 0),
            end_time=datetime.time(20, 0),
            venue_name="Kasteel Rhijnauwen",
            venue_address="Rhijnauwenselaan 14b",
            venue_city="Bunnik",
            registration_deadline=timezone.make_aware(
                datetime.datetime.combine(date - datetime.timedelta(days=7), datetime.time(23, 59))
            ),
            is_published=True,
        )
        sessions = list(event.sessions.order_by("order"))
        for organisation, contact, address, members in PAST_SIGNUPS:
            register_group(
                event=event,
                organisation_name=organisation,
                contact_name=contact,
                contact_email=address,
                attendees=[
                    AttendeeData(name=name, email=email, session_id=sessions[number].pk)
                    for name, email, number in members
                ],
                privacy_version="demo",
                by_staff=True,
            )
        # The demo shows the past, it does not mail it: its confirmations are not sent.
        OutboxMail.objects.filter(registration__event=event).update(status=MailStatus.DROPPED)
        # All came but one; staff checked them in at the desk.
        present = Attendee.objects.filter(event=event).exclude(name="Joop Verbeek")
        present.update(
            checked_in_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(17, 5)))
        )
    return event
